"""What one browser session runs: a scenario, a seed, levers, and one or two models.

Every browser session (every participant opening the page) gets its own ``Session``, so
nobody's play button or slider touches another's model. In compare mode two models, A and
B, start from the same scenario and seed, each with its own lever settings, and always
step together (runs of one seed still part ways within a few years, so a difference on
screen can carry chance as well; the guides say which directions hold over many runs).

A run is defined by its scenario, its seed, each side's levers and structure at the start,
and the timeline of what happened later (a lever moved in month m, an event set off in
month m). The same definition gives the same run, whatever the order of the clicks, by
one rule the page shows:

- month 0 is the scenario's network as it has grown: the unobserved spin-up runs with
  the scenario's levers and the side's structure, so A and B (same seed) start from the
  same network, and the levers as they stand in month 0 act from month 1 on, whichever
  order they were moved in ("move, then Neustart" and "Neustart, then move" are one run);
- from month 1 on a lever acts from the next month and is written into the timeline;
- structure (governance, seats, sizes) shapes the network from its founding: in month 0
  the side is built again with it, later it waits for the next Neustart;
- "Neustart" goes back to month 0 with the sliders as they stand; the timeline is cleared.

``definition()`` is that record, and ``Session.replay`` rebuilds a run from it (a reload,
an exported file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.files.actors import FIXED
from sim.files.scenario import Scenario, load
from sim.indicators import INDICATORS
from sim.mechanisms.events import CUT_SHARE, Event, apply_event
from sim.model import KommuneModel
from sim.params import LIVE_LEVERS, SPEC_BY_NAME, make_params

LEVERS = LIVE_LEVERS[: LIVE_LEVERS.index("persistence") + 1]
"""The levers the dashboard shows as sliders (the live levers up to persistence; tolerance,
bureaucratic delay and the coordinator's cost share stay in files and experiments)."""

STRUCTURE = ("governance", "volunteers_in_steering", "n_carriers", "n_volunteers")
"""Settings that shape the network when it is built: they take effect at the next reset."""

LIVE_EVENTS = ("funding_cut", "coordinator_ends", "new_partner", "key_person_leaves")


@dataclass
class Side:
    """One of the (at most two) networks on screen."""

    levers: dict[str, Any]
    structure: dict[str, Any]
    model: KommuneModel | None = None
    rows: list[dict[str, float]] = field(default_factory=list)  # one per month
    start: dict[str, Any] = field(default_factory=dict)  # levers and structure it began with


class Session:
    def __init__(self, scenario: str = "default", seed: int = 42) -> None:
        self.seed = seed
        self.compare = False
        self.timeline: list[dict[str, Any]] = []  # what happened after month 0, in order
        self.load(scenario)

    # --- set-up -----------------------------------------------------------------------------
    def load(self, name: str) -> None:
        """Switch to a scenario: its parameters become the sliders' values; both sides reset."""
        self.scenario: Scenario = load(name)
        p = self.scenario.params.model_dump()
        self.sides = [
            Side({k: p[k] for k in LEVERS}, {k: p[k] for k in STRUCTURE}) for _ in range(2)
        ]
        self.reset()

    def reset(self) -> None:
        """Neustart: month 0 again, the sliders as they stand are the start, no timeline."""
        self.timeline = []
        for side in self.sides:
            self._build(side)

    def _build(self, side: Side) -> None:
        """A new model for ``side``: the scenario's network with the side's structure, grown
        through the spin-up from the seed; then its levers, acting from month 1, and what
        the timeline set off in month 0 (an event pressed before the first step). Built
        afresh on every change in month 0, so the order of the changes cannot matter.

        Levers and month-0 events are events of month 1 placed after the scenario's own
        (a scenario's own month-1 events, then the levers, then the buttons), the order an
        exported scenario file has too."""
        values = {**self.scenario.params.model_dump(), **side.structure}
        params = make_params(values, where="dashboard")
        moved = {k: v for k, v in side.levers.items() if v != getattr(params, k)}
        events = list(self.scenario.events)
        if moved:
            events.append(Event(1, "levers", levers=tuple(moved.items())))
        number = self.sides.index(side)
        events += [
            Event(1, change["kind"], share=change["share"])
            for change in self.timeline
            if change["kind"] != "lever" and number in change["sides"]
        ]
        side.model = KommuneModel(
            rng=self.seed, params=params, events=events, actors=self.scenario.actors
        )
        side.rows = []
        side.start = {**side.levers, **side.structure}

    @property
    def active(self) -> list[Side]:
        return self.sides if self.compare else self.sides[:1]

    @property
    def month(self) -> int:
        return self.sides[0].model.month

    @property
    def finished(self) -> bool:
        return self.month >= self.scenario.params.months

    # --- running ------------------------------------------------------------------------------
    def step(self) -> None:
        """One month on every active side (compare mode: both, in step); none after the end."""
        if self.finished:
            return
        for side in self.active:
            side.model.step()
            side.rows.append(dict(side.model.current))

    def run_to(self, month: int) -> None:
        """Step until ``month`` (at most the run's end): stop exactly where the guide says."""
        while self.month < min(month, self.scenario.params.months):
            self.step()

    def set_lever(self, name: str, value: Any, side: int = 0) -> None:
        """Move a lever on one side: in month 0 it is part of the start (the side is built
        again, and its levers act from month 1); later the running model feels it from the
        next month, and the timeline records it."""
        if name not in LEVERS:
            raise ValueError(f"unknown lever '{name}'; levers: {', '.join(LEVERS)}")
        spec = SPEC_BY_NAME[name]
        value = type(spec.default)(value)
        make_params({name: value}, where="dashboard")  # checked before anything changes
        self.sides[side].levers[name] = value
        if self.month == 0:
            self._build(self.sides[side])
            return
        self.sides[side].model.set_levers(**{name: value})
        self.timeline.append(
            {"kind": "lever", "month": self.month, "side": side, "name": name, "value": value}
        )

    def copy_levers(self, source: int = 0, target: int = 1) -> None:
        """B = A: the target side's levers take the source's positions, each as a lever
        move (so the rule for month 0 and later holds)."""
        for name in LEVERS:
            if self.sides[target].levers[name] != self.sides[source].levers[name]:
                self.set_lever(name, self.sides[source].levers[name], target)

    def reset_levers(self, side: int = 0) -> None:
        """The side's levers back to the scenario's values, each as a lever move."""
        p = self.scenario.params.model_dump()
        for name in LEVERS:
            if self.sides[side].levers[name] != p[name]:
                self.set_lever(name, p[name], side)

    def set_structure(self, name: str, value: Any, side: int = 0) -> None:
        """Change how the network is built: in month 0 the side is built again with it;
        later it takes effect at the next Neustart."""
        if name not in STRUCTURE:
            raise ValueError(f"unknown setting '{name}'; settings: {', '.join(STRUCTURE)}")
        if self.scenario.actors is not None and name in FIXED:
            raise ValueError(f"{name} is given by the actor list of {self.scenario.name}")
        make_params({name: value}, where="dashboard")  # checked now, used when built
        self.sides[side].structure[name] = value
        if self.month == 0:
            self._build(self.sides[side])

    def set_compare(self, on: bool) -> None:
        """Compare mode on: B starts afresh beside A, and both restart to run in step."""
        self.compare = on
        self.reset()

    def trigger(self, kind: str, share: float = CUT_SHARE) -> None:
        """An event now, on every active side (the same shock for A and B)."""
        if kind not in LIVE_EVENTS:
            raise ValueError(f"unknown event '{kind}'; events: {', '.join(LIVE_EVENTS)}")
        month = self.month
        self.timeline.append(
            {"kind": kind, "month": month, "share": share, "sides": list(range(len(self.active)))}
        )
        for side in self.active:
            if month == 0:  # part of the start: built again, in the order a file has
                self._build(side)
            else:
                apply_event(side.model, Event(month + 1, kind, share=share))

    # --- the run's definition -------------------------------------------------------------
    def definition(self) -> dict[str, Any]:
        """Everything that decides the run on screen: scenario, seed, compare mode, each
        side's start, the timeline, and the month reached. ``replay`` rebuilds it."""
        return {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "compare": self.compare,
            "start": [dict(side.start) for side in self.sides],
            "timeline": [dict(change) for change in self.timeline],
            "month": self.month,
        }

    def table(self, side: int = 0):
        """The side's months so far as a table (pandas): one row per month, every
        indicator, as ``kommune run --out`` writes them."""
        import pandas as pd

        table = pd.DataFrame(self.sides[side].rows, columns=list(INDICATORS))
        table.insert(0, "month", range(1, len(table) + 1))
        return table

    def excel(self, side: int = 0) -> bytes:
        """``table`` as an Excel workbook."""
        import io

        out = io.BytesIO()
        self.table(side).to_excel(out, index=False, sheet_name="months", engine="openpyxl")
        return out.getvalue()

    def scenario_file(self, side: int = 0, lang: str = "de") -> str:
        """The run of one side as a scenario file (TOML) that ``kommune run FILE --seed
        SEED`` and ``kommune compare`` accept and that gives the same months: it extends
        the scenario, sets the side's structure, and turns its levers (from month 1) and
        the timeline into events ("levers" events for lever moves)."""
        from sim.files.scenario import SCENARIO_DIR
        from sim.files.tomlfile import as_written

        base = self.scenario
        builtin = base.path.parent.resolve() == SCENARIO_DIR.resolve()
        parent = base.name if builtin else str(base.path.resolve())
        start = self.sides[side].start
        p = base.params.model_dump()
        structure = {k: start[k] for k in STRUCTURE if start[k] != p[k]}
        events = []
        levers = {k: start[k] for k in LEVERS if start[k] != p[k]}
        if levers:
            events.append((1, "levers", levers))
        for change in self.timeline:
            if change["kind"] == "lever" and change["side"] == side:
                events.append((change["month"] + 1, "levers", {change["name"]: change["value"]}))
            elif change["kind"] != "lever" and side in change["sides"]:
                events.append((change["month"] + 1, change["kind"], change["share"]))
        label = "AB"[side] if self.compare else ""
        lines = [
            f"# Exported from the workshop dashboard: {base.title(lang)}, seed {self.seed}"
            + (f", side {label}" if label else "")
            + f", month {self.month}.",
            f"# The same run again: kommune run THIS_FILE --seed {self.seed}",
            f"extends = {as_written(parent)}",
            "",
            "[scenario]",
            f"title_de = {as_written(base.title_de + ' (aus dem Dashboard)')}",
            f"title_en = {as_written(base.title_en + ' (from the dashboard)')}",
            "",
            "[parameters]",
            *(f"{k} = {as_written(v)}" for k, v in structure.items()),
        ]
        for month, kind, detail in events:
            lines += ["", "[[events]]", f"month = {month}", f"kind = {as_written(kind)}"]
            if kind == "levers":
                lines.append(f"levers = {as_written({k: float(v) for k, v in detail.items()})}")
            elif kind == "funding_cut":
                lines.append(f"share = {as_written(float(detail))}")
        return "\n".join(lines) + "\n"

    @classmethod
    def replay(cls, definition: dict[str, Any]) -> Session:
        """The run a definition describes, stepped to its month: the same run, bit for bit,
        as the clicks that made it."""
        session = cls(definition["scenario"], definition["seed"])
        session.compare = definition["compare"]
        for side, start in zip(session.sides, definition["start"], strict=True):
            side.levers = {k: start[k] for k in LEVERS}
            side.structure = {k: start[k] for k in STRUCTURE}
        session.reset()
        for change in definition["timeline"]:
            session.run_to(change["month"])
            if change["kind"] == "lever":
                session.set_lever(change["name"], change["value"], change["side"])
            else:
                session.trigger(change["kind"], change["share"])
        session.run_to(definition["month"])
        return session

    def marks(self) -> list[dict[str, Any]]:
        """What happened in the run so far, for the chart's markers and the page's notes:
        the scenario's own events and everything set off or moved after month 0, each with
        the month it acts in, its kind, the sides it touched and its detail (the lever and
        its new value, the cut's share). Oldest first; only what has acted already. Lever
        moves of one month and side are one mark with their last values (a slider moved by
        the arrow keys sends every step)."""
        shown = len(self.active)
        found = [
            {
                "month": event.month,
                "kind": event.kind,
                "sides": list(range(shown)),
                "share": event.share,
                "levers": dict(event.levers),
            }
            for event in self.scenario.events
            if event.month <= self.month
        ]
        for change in self.timeline:
            if change["month"] + 1 > self.month:
                continue
            if change["kind"] == "lever":
                if change["side"] >= shown:
                    continue
                month, sides = change["month"] + 1, [change["side"]]
                last = found[-1] if found else {}
                if (last.get("kind"), last.get("month"), last.get("sides")) == (
                    "levers",
                    month,
                    sides,
                ):  # a slider dragged step by step, or several levers at once: one mark
                    last["levers"][change["name"]] = change["value"]
                    continue
                found.append(
                    {
                        "month": month,
                        "kind": "levers",
                        "sides": sides,
                        "levers": {change["name"]: change["value"]},
                    }
                )
            else:
                found.append(
                    {
                        "month": change["month"] + 1,
                        "kind": change["kind"],
                        "sides": [k for k in change["sides"] if k < shown],
                        "share": change["share"],
                    }
                )
        return sorted(found, key=lambda mark: mark["month"])  # stable: in order of clicks

    def series(self, indicator: str, side: int = 0) -> list[float]:
        if indicator not in INDICATORS:
            raise ValueError(f"unknown indicator '{indicator}'")
        return [row[indicator] for row in self.sides[side].rows]
