"""What a planner builds on the "Planung" page: the municipality, its variants, a comparison.

A plan is a small folder of ordinary scenario files, written as the planner fills in the
page, so that what the page compares is exactly what ``kommune compare`` compares with the
files it offers for download:

- ``ausgangslage.toml`` (the municipality as it is, the reference): extends the chosen
  built-in scenario or an uploaded scenario file, names an uploaded actor list
  (``actors = ...``) and sets what the planner changed in the form;
- ``variante-1.toml``, ``variante-2.toml``, ... ("was wäre, wenn"): each extends
  ``ausgangslage.toml`` with its own changes and events on a timeline.

Every value the planner types is checked the way ``kommune run --set`` checks it (the
same one-line messages), and every file is read back through the scenario loader, so the
page cannot build a scenario the command line would refuse. The comparison is the
project's (``sim.runs.compare``: common random numbers, intervals, verdicts), run on a
pool of worker processes the server keeps for all its pages (``page_workers``).
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
import os
import re
import shutil
import tempfile
import threading
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sim.files.actors import FIXED, template, template_xlsx
from sim.files.scenario import Scenario, ScenarioError, load
from sim.files.tomlfile import as_written
from sim.mechanisms.events import CUT_SHARE, SHOCKS
from sim.params import G_ASM, SPEC_BY_NAME, SPECS, ParameterError, Spec, make_params
from sim.runs.compare import Comparison, compare

REFERENCE = "ausgangslage"
"""The file (and scenario name) of the municipality as it is."""
UPLOADS = (".toml", ".csv", ".xlsx")
MAX_UPLOAD = 5 * 1024 * 1024  # bytes: an actor list of a big city is well below 1 MB
MAX_VARIANTS = 6
DEFAULT_REPLICATIONS = 20  # intervals of about +-0.03 on effectiveness at the defaults
MAX_REPLICATIONS = 200

SECTIONS: dict[str, tuple[str, ...]] = {
    # how a planner thinks about the municipality, not how the model is built; every
    # parameter is in exactly one section (tested), the model's assumptions last
    "structure": (
        "n_administration",
        "n_carriers",
        "n_volunteers",
        "n_fields",
        "multi_field_share",
        "field_degree",
        "cross_field_degree",
        "administration_hours",
        "carrier_hours",
        "volunteer_hours",
        "steering_group_size",
        "steering_interval",
        "volunteers_in_steering",
        "working_group_size",
        "working_group_interval",
        "meeting_hours",
        "initial_duplicates",
        "duplicate_emergence",
        "duplicate_overlap",
    ),
    "needs": (
        "need_pressure",
        "complex_share",
        "hard_to_reach_share",
        "synergy",
        "volunteer_reach",
        "overlap_waste",
    ),
    "coordination": (
        "governance",
        "coordinator_hours",
        "coordinator_competence",
        "leadership_support",
        "coordinator_cost_share",
        "shared_coordination_hours",
    ),
    "funding": (
        "joint_funding_share",
        "competition_intensity",
        "competitive_fields",
        "funding_dependency",
    ),
    "culture": (
        "eye_level",
        "hierarchy",
        "bureaucratic_delay",
        "persistence",
        "tolerance",
        "goal_dimensions",
        "goal_heterogeneity",
        "role_clarity",
        "friction",
        "misalignment_cost",
        "burnout_threshold",
        "convergence",
        "reciprocity",
        "support_strength",
        "competition_strength",
        "initial_expectation",
        "belief_update",
        "exit_threshold",
        "exit_rate",
        "attendance_norm",
        "tie_growth",
        "tie_decay",
        "entry_rate",
    ),
    "run": ("months", "spinup_months"),
    "assumptions": tuple(s.name for s in SPECS if s.group == G_ASM),
}

UNITS_DE = {
    "departments": "Fachbereiche",
    "fields": "Handlungsfelder",
    "hours/month": "Std./Monat",
    "hours": "Std.",
    "months": "Monate",
    "organisations": "Organisationen",
    "initiatives": "Initiativen",
    "share": "Anteil",
    "probability": "Wahrscheinlichkeit",
    "members": "Mitglieder",
    "groups": "Gruppen",
    "seats": "Sitze",
    "groups/year": "Gruppen/Jahr",
    "hours/body": "Std./Gremium",
    "hours/group": "Std./Gruppe",
    "hours/member": "Std./Mitglied",
    "hours/field": "Std./Handlungsfeld",
    "funded hours": "geförderte Std.",
    "share/month": "Anteil/Monat",
    "1/month": "1/Monat",
    "dimensions": "Dimensionen",
    "goal distance": "Zielabstand",
    "hours/hour": "Std./Std.",
    "log-sd": "log-SD",
    "motivation": "Motivation",
    "share of time": "Zeitanteil",
    "share/contact": "Anteil/Kontakt",
    "slope": "Steigung",
    "ties/actor": "Beziehungen/Akteur",
    "units/hour": "Einheiten/Std.",
    "x base": "× Grundwert",
    "x capacity": "× Kapazität",
}

EVENT_KINDS = SHOCKS  # what can happen to the municipality in a variant
PARTNERS = ("carrier", "volunteer")


class PlanError(ParameterError):
    """A value, a file or a setting the page cannot use, as the one line to show.

    Messages of the page's own (``key``: their entry in ``sim.i18n``, with ``fields``) are
    shown in the page's language; the others are the command line's, in its words."""

    def __init__(self, text: str, key: str | None = None, **fields: Any) -> None:
        super().__init__(text)
        self.key, self.fields = key, fields

    def said(self, lang: str) -> str:
        from sim.i18n import t

        return t(self.key, lang).format(**self.fields) if self.key else str(self)


def unit(spec: Spec, lang: str) -> str:
    if spec.unit in ("-", ""):
        return ""
    return UNITS_DE.get(spec.unit, spec.unit) if lang == "de" else spec.unit


def label(spec: Spec, lang: str) -> str:
    """The form's label: the short label where the parameter has one, else its meaning."""
    short = spec.short_de if lang == "de" else spec.short_en
    return short or spec.meaning(lang)


def shown(value: Any, lang: str) -> str:
    """A value as the form shows it (a decimal comma in German)."""
    if isinstance(value, bool):
        return ("ja" if value else "nein") if lang == "de" else ("yes" if value else "no")
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "de" else text
    return str(value)


def parsed(name: str, text: Any) -> Any:
    """What the planner typed, as ``--set`` would take it: German "0,5" is 0.5, "ja" is
    true; everything else is left to the parameter model, which says what is allowed."""
    if not isinstance(text, str):
        return text
    text = text.strip()
    spec = SPEC_BY_NAME[name]
    if spec.kind is bool:
        return {"ja": "true", "nein": "false"}.get(text.lower(), text)
    if spec.kind in (int, float) and re.fullmatch(r"-?\d+,\d*", text):
        return text.replace(",", ".")
    return text


@dataclass
class Variant:
    """One "was wäre, wenn": a name, parameter changes on top of the municipality and
    events on a timeline (``kind``, ``month``, and a cut's ``share`` or a new partner's
    kind)."""

    title: str
    changes: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)


def _write(path: Path, data: bytes | str) -> None:
    """Write a file whole or not at all: the page draws (and reads the files) while a
    comparison in the background reads them too."""
    temporary = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
    temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(temporary, path)


def _bare(value: Any) -> bool:
    """A reference an uploaded file may make: a built-in scenario's name or a file beside
    it, never a path (which would let a visitor have the server read any file)."""
    return isinstance(value, str) and not any(c in value for c in "/\\:") and value[:1] != "."


@dataclass(frozen=True)
class Snapshot:
    """What a comparison ran: the command that repeats it and the files it ran from."""

    command: str
    files: dict[str, bytes]

    def zip(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files.items():
                archive.writestr(name, data)
        return out.getvalue()


class Plan:
    """The planner's municipality and variants, kept as scenario files in ``folder``.

    One lock guards the folder: the page's drawing, a comparison and a recommendation in
    the background and a download all read or write its files."""

    def __init__(self, folder: Path | None = None, base: str = "default") -> None:
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="kommune-plan-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.base_ref = base  # a built-in name or an uploaded file in the folder
        self.actors_file: str | None = None  # an uploaded actor list in the folder
        self.changes: dict[str, Any] = {}
        self.variants: list[Variant] = []
        self.replications = DEFAULT_REPLICATIONS
        self.seed = 42
        self.last: Snapshot | None = None  # what the last comparison ran
        self._base = load(base)
        self._lock = threading.RLock()
        self._cache: tuple[str, Scenario] | None = None  # ausgangslage.toml as last read
        self._made = 0  # variants made so far (their default names count on)

    # --- the municipality ---------------------------------------------------------------
    @property
    def base(self) -> Scenario:
        """The scenario the municipality starts from (built-in or uploaded)."""
        return self._base

    def choose(self, base: str) -> None:
        """Start from a built-in scenario: the form's changes and the variants stay, as
        far as they still fit (a change the new base refuses is dropped)."""
        scenario = load(base)
        with self._lock:
            self._base, self.base_ref = scenario, base
            self.actors_file = None
            self._cache = None
            self._keep_fitting()

    def upload(self, name: str, data: bytes | None) -> str:
        """Take an uploaded file: a scenario (.toml) becomes the base, an actor list (.csv,
        .xlsx) the municipality's actors. Returns the name it is kept under; a file that
        cannot be used raises ``PlanError`` and changes nothing (``data`` None: the file
        was too large to read)."""
        stem = Path(name).name
        suffix = Path(stem).suffix.lower()
        if suffix not in UPLOADS:
            raise PlanError(
                f"{stem}: not a scenario (.toml) or actor list (.csv, .xlsx) file",
                "plan_not_a_file",
                file=stem,
            )
        if data is None or len(data) > MAX_UPLOAD:
            size = MAX_UPLOAD // 2**20
            raise PlanError(
                f"{stem}: larger than {size} MB; is it the right file?",
                "plan_too_large",
                file=stem,
                size=size,
            )
        if stem.lower().startswith((REFERENCE, "variante-", RECOMMENDATION, ".")):
            stem = f"upload-{stem.lstrip('.')}"  # never overwrite a file the page writes
        if suffix == ".toml":
            self._check_references(stem, data)
        with self._lock:
            target = self.folder / stem
            kept = (self._base, self.base_ref, self.actors_file, dict(self.changes))
            kept_variants = [replace(v, changes=dict(v.changes)) for v in self.variants]
            previous = target.read_bytes() if target.exists() else None
            try:
                _write(target, data)
                if suffix == ".toml":
                    self._base, self.base_ref = load(str(target)), str(target)
                    self.actors_file = None
                else:
                    self._check_reference(actors=stem)
                    self.actors_file = stem
                self._cache = None
                self._keep_fitting()
                self.scenarios()  # the files as they now stand load (no cycle, no clash)
                return stem
            except (ParameterError, OSError) as error:
                self._base, self.base_ref, self.actors_file, self.changes = kept
                self.variants, self._cache = kept_variants, None
                with contextlib.suppress(OSError):
                    if previous is None:
                        target.unlink(missing_ok=True)
                    else:
                        _write(target, previous)
                text = error.strerror if isinstance(error, OSError) else str(error)
                raise PlanError(
                    f"{stem}: {text}" if isinstance(error, OSError) else self._short(text)
                ) from None

    def _short(self, message: str) -> str:
        return message.replace(str(self.folder) + "/", "")

    @staticmethod
    def _check_references(stem: str, data: bytes) -> None:
        """An uploaded scenario may extend a built-in scenario or a file uploaded beside
        it, and name an uploaded actor list, but not reach into the server's folders."""
        try:
            raw = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            return  # the loader says what is wrong with it, in its words
        meta = raw.get("scenario") if isinstance(raw.get("scenario"), dict) else {}
        for key, value in (("extends", raw.get("extends")), ("actors", meta.get("actors"))):
            if value is not None and not _bare(value):
                raise PlanError(
                    f"{stem}: {key} = {value!r} is not allowed here; allowed: the name of a "
                    "built-in scenario or of a file uploaded beside it, without a folder",
                    "plan_outside",
                    file=stem,
                    setting=key,
                    value=repr(value),
                )

    def fixed(self) -> tuple[str, ...]:
        """Parameters the actor list gives (they cannot be set on the page)."""
        return FIXED if self.actors_file or self.base.actors else ()

    def value(self, name: str) -> Any:
        """A parameter's value for the municipality."""
        return self.municipality().params.model_dump()[name]

    def set(self, name: str, text: Any) -> None:
        """Set a parameter of the municipality from what was typed; ``PlanError`` with the
        command line's message if it is not allowed (nothing changes then)."""
        self.changes = self._checked(self.changes, name, text, self.base)

    def _checked(self, changes: dict, name: str, text: Any, under: Scenario) -> dict:
        if name in self.fixed():
            raise PlanError(f"{name} is given by the actor list; change the list instead")
        value = parsed(name, text)
        values = {**under.params.model_dump(), **changes, name: value}
        try:
            params = make_params(values, where="form")
        except ParameterError as error:  # the command line's line, without its "--set: "
            raise PlanError(str(error).removeprefix("form: ")) from None
        out = {**changes, name: getattr(params, name)}
        base_value = under.params.model_dump()[name]
        if out[name] == base_value:
            del out[name]  # back at the base's value: no change to write
        return out

    # --- variants -----------------------------------------------------------------------
    def add_variant(self, title: str | None = None, word: str = "Variante") -> Variant:
        if len(self.variants) >= MAX_VARIANTS:
            raise PlanError(f"at most {MAX_VARIANTS} variants", "plan_most", most=MAX_VARIANTS)
        self._made += 1
        variant = Variant(title or f"{word} {self._made}")
        self.variants.append(variant)
        return variant

    def remove_variant(self, index: int) -> None:
        if index < len(self.variants):  # a second click on a button already gone
            del self.variants[index]

    def set_in_variant(self, index: int, name: str, text: Any) -> None:
        variant = self.variants[index]
        variant.changes = self._checked(variant.changes, name, text, self.municipality())

    def unset_in_variant(self, index: int, name: str) -> None:
        self.variants[index].changes.pop(name, None)

    def add_event(
        self,
        index: int,
        kind: str,
        month: int,
        share: float = CUT_SHARE,
        partner: str = "carrier",
    ) -> None:
        """An event in month ``month`` of variant ``index``; checked as a scenario file's
        event is (month within the run, a cut's share above 0 and at most 1)."""
        if kind not in EVENT_KINDS:
            raise PlanError(f"event '{kind}' is not allowed; allowed: {', '.join(EVENT_KINDS)}")
        event: dict[str, Any] = {"kind": kind, "month": int(month)}
        if kind == "funding_cut":
            event["share"] = float(share)
        if kind == "new_partner":
            if partner not in PARTNERS:
                raise PlanError(f"partner '{partner}' is not allowed; allowed: carrier, volunteer")
            event["partner"] = partner
        variant = self.variants[index]
        trial = replace(variant, events=[*variant.events, event])
        scenario = self._load_variant(trial, index)  # the loader's messages, if it refuses
        months = scenario.params.months
        if not 1 <= event["month"] <= months:
            self._load_variant(variant, index)
            raise PlanError(
                f"month = {month} is not allowed; allowed: whole number from 1 to {months} "
                "(the months of the run)",
                "plan_month",
                month=month,
                months=months,
            )
        variant.events.append(event)
        variant.events.sort(key=lambda e: e["month"])

    def remove_event(self, index: int, position: int) -> None:
        if index < len(self.variants) and position < len(self.variants[index].events):
            del self.variants[index].events[position]

    def _keep_fitting(self) -> None:
        """After a new base: drop the changes it refuses (say, a count an actor list now
        gives, or a value outside what the new base allows together with it)."""
        kept: dict[str, Any] = {}
        for name, value in self.changes.items():
            try:
                kept = self._checked(kept, name, value, self.base)
            except ParameterError:
                continue
        self.changes = kept
        for variant in self.variants:
            fitting: dict[str, Any] = {}
            for name, value in variant.changes.items():
                try:
                    fitting = self._checked(fitting, name, value, self.municipality())
                except ParameterError:
                    continue
            variant.changes = fitting

    # --- the files ----------------------------------------------------------------------
    def _extends(self) -> str:
        path = Path(self.base_ref)
        if path.suffix == ".toml" and path.parent == self.folder:
            return path.name
        return self.base_ref  # a built-in scenario, by name

    def reference_text(self, actors: str | None = "_") -> str:
        """``ausgangslage.toml``: the municipality as a scenario file."""
        actors = self.actors_file if actors == "_" else actors
        base = self.base
        lines = [
            "# The municipality as it is (Ausgangslage), made on the Planung page of",
            "# kommune dashboard. Compare it with the variants: kommune compare "
            "ausgangslage.toml variante-1.toml ...",
            f"extends = {as_written(self._extends())}",
            "",
            "[scenario]",
            'title_de = "Ausgangslage"',
            'title_en = "The municipality as it is"',
            f"description_de = {as_written('Ausgangslage auf Grundlage von: ' + base.title_de)}",
            f"description_en = {as_written('The municipality, based on: ' + base.title_en)}",
        ]
        if actors:
            lines.append(f"actors = {as_written(actors)}")
        lines += ["", "[parameters]", *_assignments(self.changes)]
        return "\n".join(lines) + "\n"

    def variant_text(self, index: int, variant: Variant | None = None) -> str:
        """``variante-N.toml``: a variant as a scenario file extending the municipality."""
        variant = variant or self.variants[index]
        lines = [
            f"# A variant of the municipality (was wäre, wenn): {variant.title}",
            f'extends = "{REFERENCE}.toml"',
            "",
            "[scenario]",
            f"title_de = {as_written(variant.title)}",
            f"title_en = {as_written(variant.title)}",
            "",
            "[parameters]",
            *_assignments(variant.changes),
        ]
        for event in variant.events:
            lines += ["", "[[events]]"]
            lines += [f"{k} = {as_written(v)}" for k, v in event.items()]
        return "\n".join(lines) + "\n"

    def _check_reference(self, actors: str | None) -> Scenario:
        path = self.folder / f"{REFERENCE}.check.toml"
        path.write_text(self.reference_text(actors=actors), encoding="utf-8")
        try:
            return load(str(path))
        finally:
            path.unlink(missing_ok=True)

    def municipality(self) -> Scenario:
        """The municipality as the scenario loader reads it from ``ausgangslage.toml``
        (read again only when the file would change: the page asks for every field)."""
        with self._lock:
            text = self.reference_text()
            if self._cache is not None and self._cache[0] == text:
                return self._cache[1]
            path = self.folder / f"{REFERENCE}.toml"
            _write(path, text)
            scenario = replace(self._load(path), name=REFERENCE)
            self._cache = (text, scenario)
            return scenario

    def _load_variant(self, variant: Variant, index: int) -> Scenario:
        with self._lock:
            self.municipality()  # the file the variant extends, as it stands
            path = self.folder / f"variante-{index + 1}.toml"
            previous = path.read_text(encoding="utf-8") if path.exists() else None
            _write(path, self.variant_text(index, variant))
            try:
                return replace(self._load(path), name=f"variante-{index + 1}")
            except ParameterError:
                if previous is None:
                    path.unlink()
                else:
                    _write(path, previous)
                raise

    def _load(self, path: Path) -> Scenario:
        try:
            return load(str(path))
        except ScenarioError as error:
            raise PlanError(str(error).replace(str(self.folder) + "/", "")) from None

    def scenarios(self) -> list[Scenario]:
        """The municipality first (the reference), then every variant, as files; an event
        that the run, as long as it now is, would never reach is refused."""
        with self._lock:
            for stale in self.folder.glob("variante-*.toml"):
                stale.unlink()
            out = [self.municipality()]
            for index, variant in enumerate(self.variants):
                scenario = self._load_variant(variant, index)
                months = scenario.params.months
                late = [e for e in variant.events if e["month"] > months]
                if late:
                    raise PlanError(
                        f"{variant.title}: month = {late[0]['month']} is after the end of the "
                        f"run ({months} months); remove the event or lengthen the run",
                        "plan_late",
                        variant=variant.title,
                        month=late[0]["month"],
                        months=months,
                    )
                out.append(scenario)
            return out

    def files(self) -> dict[str, bytes]:
        """Every file the comparison needs, by name: the scenarios and everything uploaded
        that they may name (a parent scenario, an actor list), so that the download runs
        anywhere; the recommendation's file too, once there is one."""
        with self._lock:
            self.scenarios()
            return {
                path.name: path.read_bytes()
                for path in sorted(self.folder.iterdir())
                if path.is_file()
                and path.suffix.lower() in UPLOADS
                and not path.name.startswith(".")
                and not path.name.endswith(".check.toml")
            }

    def zip(self) -> bytes:
        return Snapshot("", self.files()).zip()

    # --- the comparison -----------------------------------------------------------------
    def set_replications(self, text: Any) -> None:
        value = _whole(text, "replications", 2, MAX_REPLICATIONS)
        self.replications = value

    def set_seed(self, text: Any) -> None:
        self.seed = _whole(text, "seed", 0, 2**63 - 1)

    def command(self) -> str:
        """The command that repeats the comparison from the downloaded files."""
        files = " ".join(f"{s.name}.toml" for s in self.scenarios())
        return f"kommune compare {files} --replications {self.replications} --seed {self.seed}"

    def compare(
        self,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        workers=None,
    ) -> Comparison:
        """Run the municipality and its variants ``replications`` times each with common
        random numbers. ``cancelled`` is asked after every run; when it says yes the
        comparison stops (``Cancelled``) and the runs still queued never start."""
        with self._lock:  # what runs, and the files and command that repeat it
            scenarios = self.scenarios()
            if len(scenarios) < 2:
                raise PlanError(
                    "add at least one variant to compare with the municipality", "no_variants"
                )
            self.last = Snapshot(self.command(), self.files())

        def advance(n: int) -> None:
            if cancelled():
                raise Cancelled
            if progress:
                progress(n)

        return compare(scenarios, self.replications, self.seed, page_workers(workers), advance)

    # --- the recommendation ------------------------------------------------------------
    def goal_text(self, goal: Goal) -> str:
        """``empfehlung.toml``: the question as a ``kommune optimize`` file."""
        lines = [
            "# The cheapest setting that keeps the municipality effective, asked on the",
            "# Planung page. The same search again: kommune optimize empfehlung.toml",
            "[optimization]",
            'title = "Was ist das Mindeste?"',
            f'scenario = "{REFERENCE}.toml"',
            f"indicator = {as_written(goal.indicator)}",
            f"at_least = {as_written(float(goal.at_least))}",
            f"share = {as_written(float(goal.share))}",
            f"replications = {goal.replications}",
            f"check_replications = {goal.check_replications}",
            f"trials = {goal.trials}",
            f"seed = {self.seed}",
            "",
            "[levers]",
        ]
        for name, cost in goal.levers.items():
            low, high, step = LEVER_RANGES[name]
            priced = "" if cost == COORDINATOR_COST else f", cost = {as_written(float(cost))}"
            lines.append(f"{name} = {{ low = {low:g}, high = {high:g}, step = {step:g}{priced} }}")
        return "\n".join(lines) + "\n"

    def recommend(
        self,
        goal: Goal,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        workers=None,
    ):
        """Search the cheapest setting (``sim.runs.optimize``: Optuna, common random numbers,
        the recommendation checked on fresh seeds) into ``empfehlung/``; its result, with
        ``front.png``, ``summary.md``, ``recommended.toml`` and ``trials.csv`` there. A
        target the command line would refuse is refused here with its message."""
        from sim.runs.optimize.config import load_optimization
        from sim.runs.optimize.engine import optimize

        if not goal.levers:
            raise PlanError("choose at least one lever for the recommendation", "plan_no_lever")
        unknown = [name for name in goal.levers if name not in LEVER_RANGES]
        if unknown:
            raise PlanError(
                f"lever '{unknown[0]}' is not allowed; allowed: {', '.join(LEVER_RANGES)}"
            )
        with self._lock:
            self.municipality()
            path = self.folder / f"{RECOMMENDATION}.toml"
            _write(path, self.goal_text(goal))
            try:
                opt = load_optimization(str(path))
            except ParameterError as error:
                raise PlanError(self._short(str(error))) from None
        out = self.folder / RECOMMENDATION
        shutil.rmtree(out, ignore_errors=True)

        def advance(n: int) -> None:
            if cancelled():
                raise Cancelled
            if progress:
                progress(n)

        return opt, optimize(opt, out, page_workers(workers), progress=advance)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class Goal:
    """The recommendation's question ("Was ist das Mindeste?"): the cheapest setting of
    ``levers`` (name -> cost per unit) whose runs reach ``indicator`` >= ``at_least`` in at
    least ``share`` of the seeds; small settings, so that the page answers in a minute or
    two (``kommune optimize`` takes the same file for a longer search)."""

    indicator: str = "effectiveness"
    at_least: float = 0.55
    share: float = 0.8
    levers: dict[str, float] = field(
        default_factory=lambda: {"coordinator_hours": COORDINATOR_COST, "joint_funding_share": 0.0}
    )
    trials: int = 20
    replications: int = 10
    check_replications: int = 20

    def set(self, name: str, text: Any) -> None:
        """Set the threshold, the share (typed in percent) or the trials from the page."""
        low, high, scale = GOAL_LIMITS[name]
        try:
            value = float(str(text).replace(",", ".").replace("%", "").strip()) / scale
        except ValueError:
            value = None
        whole = name != "trials" or (value is not None and value == int(value))
        if value is None or not whole or not low <= value <= high:
            kind = "whole number" if name == "trials" else "number"
            raise PlanError(
                f"{name} = {text} is not allowed; allowed: {kind} from {low * scale:g} to "
                f"{high * scale:g}" + (" %" if scale == 100 else "")
            )
        setattr(self, name, int(value) if name == "trials" else value)

    def choose(self, name: str, on: bool) -> None:
        if name not in LEVER_RANGES:
            raise PlanError(f"lever '{name}' is not allowed; allowed: {', '.join(LEVER_RANGES)}")
        if on:
            self.levers[name] = COORDINATOR_COST if name == "coordinator_hours" else 0.0
        else:
            self.levers.pop(name, None)

    def price(self, name: str, text: Any) -> None:
        try:
            cost = float(str(text).replace(",", ".").strip())
        except ValueError:
            cost = -1.0
        if not math.isfinite(cost) or cost < 0:
            raise PlanError(f"cost = {text} is not allowed; allowed: a number from 0 up")
        self.levers[name] = cost


COORDINATOR_COST = -1.0  # coordinator hours cost what coordinator_hour_cost says (the default)
LEVER_RANGES = {  # the levers the page offers, with the ranges and steps it searches
    "coordinator_hours": (0.0, 320.0, 10.0),
    "joint_funding_share": (0.0, 0.8, 0.05),
    "coordinator_competence": (0.1, 1.0, 0.05),
    "leadership_support": (0.0, 1.0, 0.05),
    "eye_level": (0.0, 1.0, 0.05),
}
RECOMMENDATION = "empfehlung"
GOAL_LIMITS = {  # what the page lets a planner ask: (lowest, highest, shown as value x scale)
    "at_least": (0.01, 0.99, 1.0),
    "share": (0.01, 1.0, 100.0),  # typed in percent
    "trials": (2, 200, 1.0),
}


class Cancelled(Exception):
    """The planner pressed cancel: the comparison stopped."""


def recommendation_text(opt, result, lang: str) -> str:
    """The recommendation in one plain paragraph: the setting, its cost, and how often it
    reached the target on fresh seeds (with the 95 % interval of that share)."""
    from sim.i18n import number, percent, t
    from sim.indicators import INDICATORS
    from sim.runs.optimize.report import wilson

    target = t("goal_text", lang).format(
        indicator=INDICATORS[opt.indicator].label(lang),
        threshold=number(f"{opt.threshold:g}", lang),
        share=percent(opt.share, lang),
    )
    if result.check is None:
        return t("goal_unreachable", lang).format(target=target, trials=len(result.trials))
    check = result.check
    setting = ", ".join(
        f"{label(SPEC_BY_NAME[lever.name], lang)} {shown(float(check.values[lever.name]), lang)}"
        f" {unit(SPEC_BY_NAME[lever.name], lang)}".rstrip()
        for lever in opt.levers
    )
    hits = round(check.share * len(check.finals))
    low, high = wilson(hits, len(check.finals))
    return t("goal_reached", lang).format(
        target=target,
        setting=setting,
        cost=number(f"{check.cost:g}", lang),
        unit=opt.unit,
        runs=len(check.finals),
        share=percent(check.share, lang),
        low=percent(low, lang),
        high=percent(high, lang),
        mean=number(f"{check.mean:.2f}", lang),
    )


def _assignments(changes: dict[str, Any]) -> list[str]:
    return [f"{k} = {as_written(v)}" for k, v in changes.items()]


def _whole(text: Any, name: str, low: int, high: int) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise PlanError(
            f"{name} = {text} is not allowed; allowed: whole number from {low} to {high}"
        )
    return value


def actor_template(lang: str, excel: bool) -> bytes:
    """The actor list to fill in (``kommune scenarios template-actors``), as CSV or Excel."""
    return template_xlsx(lang) if excel else template(lang).encode("utf-8")


_pool_lock = threading.Lock()


@functools.cache
def _shared_pool(workers: int):
    from sim.runs.executor import Workers, process_pool

    return Workers(
        process_pool(workers, fork=False),
        f"page:{workers}",
        cores=workers,
        restart=lambda: process_pool(workers, fork=False),
    )


def page_workers(workers=None):
    """The server's worker processes for the pages' comparisons, started once and shared
    (the runs of several pages' comparisons interleave). They come from a fork server,
    never forked from the web server itself, whose threads may hold locks at a fork.
    ``workers``: 1 runs in this process (tests); an executor is used as it is."""
    from sim.runs.executor import Workers, default_workers, local

    if isinstance(workers, Workers):
        return workers
    count = default_workers() if workers is None else workers
    if count <= 1:
        return local(1)
    with _pool_lock:
        return _shared_pool(count)
