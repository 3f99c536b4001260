"""What one browser session runs: a scenario, a seed, levers, and one or two models.

Every browser session (every participant opening the page) gets its own ``Session``, so
nobody's play button or slider touches another's model. In compare mode two models, A and
B, start from the same scenario and seed, each with its own lever settings, and always
step together, so differences on screen come from the levers, not from chance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.files.scenario import Scenario, load
from sim.indicators import INDICATORS
from sim.mechanisms.events import CUT_SHARE, Event, apply_event
from sim.model import LIVE_LEVERS, KommuneModel
from sim.params import SPEC_BY_NAME, make_params

LEVERS = (
    "coordinator_hours",
    "coordinator_competence",
    "leadership_support",
    "joint_funding_share",
    "competition_intensity",
    "eye_level",
    "hierarchy",
    "persistence",
)
"""The levers the dashboard shows as sliders; they act on the running model."""

STRUCTURE = ("governance", "volunteers_in_steering", "n_carriers", "n_volunteers")
"""Settings that shape the network when it is built: they take effect at the next reset."""

LIVE_EVENTS = ("funding_cut", "coordinator_ends", "new_partner", "key_person_leaves")

assert set(LEVERS) <= set(LIVE_LEVERS)


@dataclass
class Side:
    """One of the (at most two) networks on screen."""

    levers: dict[str, Any]
    structure: dict[str, Any]
    model: KommuneModel | None = None
    rows: list[dict[str, float]] = field(default_factory=list)  # one per month


class Session:
    def __init__(self, scenario: str = "default", seed: int = 42) -> None:
        self.seed = seed
        self.compare = False
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
        """New models from the scenario, the current levers and structure, and the seed."""
        for side in self.sides:
            values = {**self.scenario.params.model_dump(), **side.structure, **side.levers}
            params = make_params(values, where="dashboard")
            side.model = KommuneModel(rng=self.seed, params=params, events=self.scenario.events)
            side.rows = []

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

    def set_lever(self, name: str, value: Any, side: int = 0) -> None:
        """Move a lever on one side; a running model feels it from the next month."""
        if name not in LEVERS:
            raise ValueError(f"unknown lever '{name}'; levers: {', '.join(LEVERS)}")
        spec = SPEC_BY_NAME[name]
        value = type(spec.default)(value)
        self.sides[side].levers[name] = value
        self.sides[side].model.set_levers(**{name: value})

    def set_structure(self, name: str, value: Any, side: int = 0) -> None:
        """Change how the network is built; takes effect at the next reset."""
        if name not in STRUCTURE:
            raise ValueError(f"unknown setting '{name}'; settings: {', '.join(STRUCTURE)}")
        make_params({name: value}, where="dashboard")  # checked now, used at reset
        self.sides[side].structure[name] = value

    def set_compare(self, on: bool) -> None:
        """Compare mode on: B starts afresh beside A, and both restart to run in step."""
        self.compare = on
        self.reset()

    def trigger(self, kind: str, share: float = CUT_SHARE) -> None:
        """An event now, on every active side (the same shock for A and B)."""
        if kind not in LIVE_EVENTS:
            raise ValueError(f"unknown event '{kind}'; events: {', '.join(LIVE_EVENTS)}")
        for side in self.active:
            apply_event(side.model, Event(side.model.month + 1, kind, share=share))

    def series(self, indicator: str, side: int = 0) -> list[float]:
        if indicator not in INDICATORS:
            raise ValueError(f"unknown indicator '{indicator}'")
        return [row[indicator] for row in self.sides[side].rows]
