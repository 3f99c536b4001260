"""Experiments: a base scenario, factors, a design, replications, and what to record.

An experiment file (TOML, in ``experiments/``)::

    [experiment]
    title = "Which conditions keep networks effective?"
    description = "..."
    scenario = "default"        # base scenario: built-in name or path (relative to this file)
    months = 120                # optional, default: the scenario's
    replications = 2
    seed = 2026                 # root seed of the runs' seeds
    record = "final"            # "final": one row per run, each indicator's mean over the
                                #   last 12 months; "monthly": a row every `every` months
    every = 12
    retries = 2                 # a run that raises is tried again this often

    [design]
    kind = "sobol"              # factorial | lhs | sobol | morris
    samples = 64                # lhs: points; sobol: N (N x (D + 2) points); morris: trajectories
    seed = 7                    # the sampler's seed
    levels = 4                  # morris: grid levels

    [factors]
    coordinator_hours = { range = [0, 240] }
    governance = { levels = ["shared", "lead", "nao"] }
    coordinator_ends_month = { levels = [0, 49] }    # an event as a factor (0 = none)

    [analysis]
    kind = "sensitivity"        # sensitivity | grid | governance | sustainability
    outcome = "effectiveness"

Factors are parameters (``kommune params``) or events: ``<event>_month`` for each event kind
(0 = the event does not happen) and ``funding_cut_share``. Ranges are sampled continuously
(whole numbers rounded); levels are sampled as categories (``floor(u * k)``). A factorial
design needs levels, or a range with ``steps``.

A screening over every parameter need not list them all::

    [factors]
    all = "numeric"                              # every numeric parameter, whole range
    exclude = ["n_carriers", "n_volunteers"]     # ... but these
    initial_duplicates = { range = [0, 20] }     # a factor given by name overrides its range

``all = "numeric"`` stands for every parameter that is a number or a whole number (not
the choices, not true/false, not the run group: months, spinup_months), each over its
whole allowed range, in the order of ``SPECS``; factors named beside it replace its entry
or add to it (events, choices).

Every design point is checked against the parameter definition before anything runs, so
an impossible combination is reported at once. Run ids (``p000012-r001``) and seeds depend
only on the experiment: the same experiment always gives the same runs. Replicate r uses the
same seed at every point (common random numbers across the design).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.files.scenario import Scenario, ScenarioError, line_of, load, locate
from sim.files.tomlfile import as_written, file_problem, read_toml
from sim.indicators import INDICATORS
from sim.mechanisms.events import CUT_SHARE, Event
from sim.mechanisms.events import KINDS as EVENT_KINDS
from sim.params import SPEC_BY_NAME, SPECS, ParameterError, Params, Spec, make_params, suggest
from sim.runs.replicate import seeds_for

# Runs an experiment may have without --large: a default run takes about half a second of a
# core, so 100 000 runs keep 2 cores busy for about 7 hours. Beyond LARGEST even --large
# does not help: the design itself would not fit in memory; split the experiment.
MAX_RUNS = 100_000
MAX_STEPS = 1000  # values of one factor in a factorial grid
LARGEST = 20_000_000


DESIGNS = ("factorial", "lhs", "sobol", "morris")
ANALYSES = ("sensitivity", "grid", "governance", "sustainability")
ANALYSIS_KEYS = {  # [analysis] keys beyond kind, outcome and threshold, per kind
    "sensitivity": (),
    "grid": ("x", "y"),  # the factors on the heat map's axes
    "governance": ("size", "trust", "consensus", "competence"),  # contingency -> factor
    "sustainability": (),
}
ANALYSIS_FACTORS = {  # factors an analysis kind cannot do without
    "governance": ("governance",),
    "sustainability": ("coordinator_hours", "coordinator_ends_month"),
}
RECORDS = ("final", "monthly")
EVENT_FACTORS = {f"{kind}_month": kind for kind in EVENT_KINDS}
EXTRA_FACTORS = ("funding_cut_share",)
EXPERIMENT_KEYS = (
    "title",
    "description",
    "scenario",
    "months",
    "replications",
    "seed",
    "record",
    "every",
    "retries",
)
DESIGN_KEYS = ("kind", "samples", "seed", "levels")
TOP_KEYS = ("experiment", "design", "factors", "analysis")
SHORTCUTS = ("all", "exclude")  # [factors] all = "numeric", exclude = [...]


EXPERIMENT_DIR = Path(__file__).resolve().parents[2] / "experiments"


class ExperimentError(ScenarioError):
    """An experiment that cannot be run, phrased as one line for the user."""


@dataclass(frozen=True)
class Factor:
    """One dimension of a design: a continuous range or a list of levels."""

    name: str
    low: float | None = None
    high: float | None = None
    levels: tuple | None = None
    steps: int | None = None
    integer: bool = False

    @property
    def bounds(self) -> list[float]:
        """Bounds in the sampler's space: the range, or [0, number of levels]."""
        return [0.0, float(len(self.levels))] if self.levels else [self.low, self.high]

    def value(self, x: float) -> Any:
        """A sampled coordinate turned into the factor's value."""
        if self.levels:
            return self.levels[min(int(np.floor(x)), len(self.levels) - 1)]
        if self.integer:
            return int(round(x))
        return float(x)

    def grid(self) -> tuple:
        """Values for a factorial design."""
        if self.levels:
            return self.levels
        values = np.linspace(self.low, self.high, self.steps)
        return tuple(int(round(v)) if self.integer else float(v) for v in values)


@dataclass(frozen=True)
class Design:
    """A design over some factors: which points to run, in which order."""

    kind: str
    samples: int
    seed: int
    levels: int
    factors: tuple[Factor, ...]

    def problem(self) -> dict[str, Any]:
        """The factors as a SALib problem."""
        return {
            "num_vars": len(self.factors),
            "names": [f.name for f in self.factors],
            "bounds": [f.bounds for f in self.factors],
        }

    @property
    def size(self) -> int:
        """Number of design points, computed without drawing them (a design may be huge)."""
        if self.kind == "factorial":
            return math.prod(len(f.grid()) for f in self.factors)
        per_sample = {"lhs": 1, "sobol": len(self.factors) + 2, "morris": len(self.factors) + 1}
        return self.samples * per_sample[self.kind]

    def sample(self) -> np.ndarray:
        """Design coordinates, one row per point, in the sampler's order (deterministic)."""
        problem = self.problem()
        if self.kind == "factorial":
            grid = itertools.product(*(range(len(f.grid())) for f in self.factors))
            return np.array(
                [
                    [
                        i + 0.5 if f.levels else float(f.grid()[i])
                        for f, i in zip(self.factors, combo, strict=True)
                    ]
                    for combo in grid
                ],
                dtype=float,
            )
        if self.kind == "lhs":
            from SALib.sample import latin

            return latin.sample(problem, self.samples, seed=self.seed)
        if self.kind == "sobol":
            from SALib.sample import sobol

            return sobol.sample(problem, self.samples, calc_second_order=False, seed=self.seed)
        from SALib.sample import morris

        return morris.sample(problem, self.samples, num_levels=self.levels, seed=self.seed)

    def points(self) -> pd.DataFrame:
        """point_id and the factor values of every design point."""
        rows = [
            {
                f.name: (f.grid()[int(x)] if self.kind == "factorial" and f.levels else f.value(x))
                for f, x in zip(self.factors, xs, strict=True)
            }
            for xs in self.sample()
        ]
        table = pd.DataFrame(rows, columns=[f.name for f in self.factors])
        table.insert(0, "point_id", range(len(table)))
        return table

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "samples": self.samples,
            "seed": self.seed,
            "levels": self.levels,
            "factors": [
                {k: (list(v) if isinstance(v, tuple) else v) for k, v in f.__dict__.items()}
                for f in self.factors
            ],
        }

    @classmethod
    def from_description(cls, data: dict[str, Any]) -> Design:
        factors = tuple(
            Factor(**{**f, "levels": tuple(f["levels"]) if f["levels"] else None})
            for f in data["factors"]
        )
        return cls(data["kind"], data["samples"], data["seed"], data["levels"], factors)


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run; small and picklable."""

    run_id: str
    point_id: int
    replicate: int
    seed: int
    params: Params
    events: tuple[Event, ...]
    factors: dict[str, Any]
    record: str
    every: int


@dataclass(frozen=True)
class Experiment:
    name: str
    path: Path
    title: str
    description: str
    scenario: Scenario
    months: int
    replications: int
    seed: int
    record: str
    every: int
    retries: int
    design: Design
    analysis: dict[str, Any] = field(default_factory=dict)

    @property
    def factors(self) -> tuple[Factor, ...]:
        return self.design.factors

    def points(self) -> pd.DataFrame:
        return self.design.points()

    def seeds(self) -> list[int]:
        return seeds_for(self.seed, self.replications)

    def resolve(self, values: dict[str, Any]) -> tuple[Params, tuple[Event, ...]]:
        """Parameters and events of one design point."""
        params = {k: v for k, v in values.items() if k in SPEC_BY_NAME}
        shown = values if len(values) <= 8 else f"over {len(values)} factors"
        resolved = make_params(
            {**self.scenario.params.model_dump(), "months": self.months, **params},
            where=f"{self.path}: design point {shown}",
        )
        events = list(self.scenario.events)
        share = float(values.get("funding_cut_share", CUT_SHARE))
        for name, kind in EVENT_FACTORS.items():
            month = values.get(name, 0)
            if month:
                events.append(Event(int(month), kind, share=share))
        return resolved, tuple(sorted(events, key=lambda e: e.month))

    def tasks(self, points: pd.DataFrame | None = None):
        """Every run of the experiment, point by point, replicate by replicate."""
        points = self.points() if points is None else points
        seeds = self.seeds()
        for row in points.to_dict("records"):
            point_id = int(row.pop("point_id"))
            params, events = self.resolve(row)
            for r, seed in enumerate(seeds):
                yield RunTask(
                    run_id=run_id(point_id, r),
                    point_id=point_id,
                    replicate=r,
                    seed=seed,
                    params=params,
                    events=events,
                    factors=row,
                    record=self.record,
                    every=self.every,
                )

    @property
    def total_runs(self) -> int:
        return self.design.size * self.replications

    def fingerprint(self) -> str:
        """A hash of everything that decides the results (not titles or descriptions)."""
        content = {
            "scenario": self.scenario.params.model_dump(),
            "scenario_events": [e.__dict__ for e in self.scenario.events],
            "months": self.months,
            "replications": self.replications,
            "seed": self.seed,
            "record": self.record,
            "every": self.every,
            "design": self.design.describe(),
        }
        text = json.dumps(content, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def describe(self) -> dict[str, Any]:
        """The experiment as recorded in a manifest."""
        return {
            "name": self.name,
            "path": str(self.path),
            "title": self.title,
            "description": self.description,
            "scenario": self.scenario.name,
            "months": self.months,
            "replications": self.replications,
            "seed": self.seed,
            "record": self.record,
            "every": self.every,
            "retries": self.retries,
            "design": self.design.describe(),
            "analysis": self.analysis,
            "fingerprint": self.fingerprint(),
        }


def run_id(point_id: int, replicate: int) -> str:
    return f"p{point_id:06d}-r{replicate:03d}"


# --- loading ---------------------------------------------------------------------------------
def _at(path: Path, text: str, section: str | None, key: str) -> str:
    line = line_of(text, section, key)
    return f"{path}, line {line}" if line else str(path)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _factor_bounds(name: str) -> tuple[float, float, bool]:
    """Lowest and highest value a factor may take, and whether it is a whole number."""
    if name in EVENT_FACTORS:
        return 0, SPEC_BY_NAME["months"].high, True
    if name in EXTRA_FACTORS:
        return 0.01, 1.0, False
    p = SPEC_BY_NAME[name]
    return p.low, p.high, isinstance(p.default, int) and not isinstance(p.default, bool)


def _factor(name: str, spec: Any, path: Path, text: str, design: str) -> Factor:
    where = _at(path, text, "factors", name)
    _check_factor_keys(name, spec, where)
    p = SPEC_BY_NAME.get(name)
    low, high, integer = _factor_bounds(name)
    if "levels" in spec:
        levels = spec["levels"]
        if not isinstance(levels, list) or not levels:
            raise ExperimentError(f"{where}: levels of {name} must be a non-empty list")
        for value in levels:
            _check_value(name, value, p, low, high, integer, where)
        return Factor(name, levels=tuple(levels), integer=integer)
    if p is not None and (p.choices or isinstance(p.default, bool)):
        raise ExperimentError(
            f"{where}: {name} takes levels, not a range (allowed values: {p.allowed()})"
        )
    rng = spec["range"]
    if (
        not isinstance(rng, list)
        or len(rng) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in rng)
        or not low <= rng[0] < rng[1] <= high
    ):
        raise ExperimentError(
            f"{where}: range of {name} must be [low, high] with {low:g} <= low < high <= {high:g}"
        )
    steps = spec.get("steps")
    if design == "factorial" and not (_whole(steps) and steps >= 2):
        raise ExperimentError(
            f"{where}: a factorial design needs levels for {name}, or a "
            "range with steps = 2 or more"
        )
    if steps is not None and not (_whole(steps) and 2 <= steps <= MAX_STEPS):
        raise ExperimentError(
            f"{where}: steps = {as_written(steps)} for {name} is not "
            f"allowed; allowed: whole number from 2 to {MAX_STEPS}"
        )
    return Factor(name, low=float(rng[0]), high=float(rng[1]), steps=steps, integer=integer)


def _check_factor_keys(name: str, spec: Any, where: str) -> None:
    """A factor is a known name with a table of range (and steps) or levels."""
    known = name in SPEC_BY_NAME or name in EVENT_FACTORS or name in EXTRA_FACTORS
    if not known:
        allowed = [*SPEC_BY_NAME, *EVENT_FACTORS, *EXTRA_FACTORS]
        raise ExperimentError(
            f"{where}: unknown factor '{name}'{suggest(name, allowed)}; "
            "factors are parameters (kommune params) or "
            f"{', '.join([*EVENT_FACTORS, *EXTRA_FACTORS])}"
        )
    if not isinstance(spec, dict) or not ({"range", "levels"} & set(spec)):
        raise ExperimentError(
            f"{where}: factor {name} needs {{ range = [low, high] }} or {{ levels = [...] }}"
        )
    extra = set(spec) - {"range", "levels", "steps"}
    if extra:
        key = sorted(extra)[0]
        raise ExperimentError(
            f"{where}: unknown key '{key}' in factor {name}"
            f"{suggest(key, ('range', 'levels', 'steps'))}; "
            "allowed: range, levels, steps"
        )


def numeric_parameters() -> tuple[Spec, ...]:
    """What ``[factors] all = "numeric"`` varies: every parameter that is a number or a whole
    number, except the run group (months, spinup_months), in the order of ``SPECS``."""
    return tuple(s for s in SPECS if s.group != "run" and not s.choices and s.kind in (int, float))


def _expand(factors: dict, path: Path, text: str) -> dict:
    """``all = "numeric"`` (and ``exclude``) turned into one factor per numeric parameter
    over its whole range; factors named beside it replace their entry or are added."""
    if "all" not in factors:
        if "exclude" in factors:
            raise ExperimentError(
                f"{_at(path, text, 'factors', 'exclude')}: exclude works "
                'with all = "numeric" in [factors]'
            )
        return factors
    if factors["all"] != "numeric":
        raise ExperimentError(
            f"{_at(path, text, 'factors', 'all')}: all = "
            f"{as_written(factors['all'])} "
            'is not allowed; allowed: "numeric" (every numeric parameter '
            "over its whole range)"
        )
    numeric = [s.name for s in numeric_parameters()]
    exclude = factors.get("exclude", [])
    where = _at(path, text, "factors", "exclude")
    if not isinstance(exclude, list) or not all(isinstance(n, str) for n in exclude):
        raise ExperimentError(f"{where}: exclude must be a list of parameter names")
    for name in exclude:
        if name not in numeric:
            raise ExperimentError(
                f"{where}: exclude: '{name}' is not a numeric parameter{suggest(name, numeric)}"
            )
    named = {k: v for k, v in factors.items() if k not in SHORTCUTS}
    both = [name for name in exclude if name in named]
    if both:
        raise ExperimentError(
            f"{where}: {both[0]} is excluded and given as a factor; do one or the other"
        )
    expanded = {}
    for spec in numeric_parameters():
        if spec.name in named:
            expanded[spec.name] = named[spec.name]
        elif spec.name not in exclude:
            expanded[spec.name] = {"range": [spec.low, spec.high]}
    return {**expanded, **{k: v for k, v in named.items() if k not in expanded}}


def _check_value(name, value, spec, low, high, integer, where) -> None:
    if spec is not None and spec.choices:
        ok = value in spec.choices
    elif spec is not None and isinstance(spec.default, bool):
        ok = isinstance(value, bool)
    elif integer:
        ok = _whole(value) and low <= value <= high
    else:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
    if not ok:
        allowed = spec.allowed() if spec is not None else f"number from {low:g} to {high:g}"
        raise ExperimentError(
            f"{where}: level {as_written(value)} of {name} is not allowed; allowed: {allowed}"
        )


def _table(raw: dict, key: str, allowed: tuple, path: Path, text: str) -> dict:
    section = raw.get(key, {})
    if not isinstance(section, dict):
        raise ExperimentError(f"{_at(path, text, None, key)}: '{key}' must be a table [{key}]")
    for name in section:
        if allowed and name not in allowed:
            raise ExperimentError(
                f"{_at(path, text, key, name)}: unknown key '{name}' in "
                f"[{key}]{suggest(name, allowed)}; allowed: "
                f"{', '.join(allowed)}"
            )
    return section


def _int(section: dict, key: str, default: int, low: int, high: int, where: str) -> int:
    value = section.get(key, default)
    if not _whole(value) or not low <= value <= high:
        raise ExperimentError(
            f"{where}: {key} = {as_written(value)}"
            " is not allowed; allowed: whole "
            f"number from {low} to {high}"
        )
    return value


def _choice(section: dict, key: str, default: str, allowed: tuple, where: str) -> str:
    value = section.get(key, default)
    if value not in allowed:
        raise ExperimentError(
            f"{where}: {key} = {as_written(value)} is not allowed"
            f"{suggest(str(value), allowed)}; allowed: {', '.join(allowed)}"
        )
    return value


def _analysis(section: dict, factors: list[str], path: Path, text: str) -> dict:
    """Check [analysis] now, so a typo there is found before the sweep, not after it."""
    kind = _choice(section, "kind", "sensitivity", ANALYSES, _at(path, text, "analysis", "kind"))
    allowed = ("kind", "outcome", "threshold", *ANALYSIS_KEYS[kind])
    _table({"analysis": section}, "analysis", allowed, path, text)
    settings = {"kind": kind, "outcome": "effectiveness", **section}
    _choice(
        settings,
        "outcome",
        "effectiveness",
        tuple(INDICATORS),
        _at(path, text, "analysis", "outcome"),
    )
    threshold = settings.get("threshold", 0.0)
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not math.isfinite(threshold)
    ):
        raise ExperimentError(
            f"{_at(path, text, 'analysis', 'threshold')}: threshold = "
            f"{as_written(threshold)}"
            " is not allowed; allowed: a number (the outcome "
            "level a network must reach)"
        )
    for key in ANALYSIS_KEYS[kind]:
        if key in settings:
            name = str(settings[key]).removeprefix("-")  # '-name': low values favour
            _choice({key: name}, key, name, tuple(factors), _at(path, text, "analysis", key))
    missing = [f for f in ANALYSIS_FACTORS.get(kind, ()) if f not in factors]
    if missing:
        raise ExperimentError(
            f"{_at(path, text, 'analysis', 'kind')}: a {kind} analysis needs "
            f"the factor(s) {', '.join(missing)} in [factors]"
        )
    if kind == "governance" and not any(k in settings for k in ANALYSIS_KEYS[kind]):
        raise ExperimentError(
            f"{_at(path, text, 'analysis', 'kind')}: a governance analysis "
            "needs at least one contingency: "
            f'{", ".join(ANALYSIS_KEYS[kind])} = "a factor"'
        )
    return settings


def _read_experiment(ref: str) -> tuple[Path, dict, str]:
    """The file ``ref`` names (a path, or a name in ``experiments/``), read, with only known
    top-level tables."""
    path = Path(ref)
    if not path.suffix and not path.exists():  # a name: ./experiments, then the project's
        local = Path("experiments") / f"{ref}.toml"
        path = local if local.is_file() else EXPERIMENT_DIR / f"{ref}.toml"
    if file_problem(path) == "no such file":
        raise ExperimentError(f"{ref}: no such experiment file")
    raw, text = read_toml(path, ExperimentError)
    if "calibration" in raw:
        raise ExperimentError(
            f"{path}: is a calibration file; run it with: kommune calibrate {ref}"
        )
    for key in raw:
        if key not in TOP_KEYS:
            raise ExperimentError(
                f"{_at(path, text, None, key)}: unknown key '{key}'"
                f"{suggest(key, TOP_KEYS)}; allowed: {', '.join(TOP_KEYS)}"
            )
    return path, raw, text


def _base_scenario(exp: dict, path: Path, text: str) -> Scenario:
    """The scenario the experiment varies (a name or a file relative to the experiment)."""
    base = exp.get("scenario", "default")
    if not isinstance(base, str):
        raise ExperimentError(
            f"{_at(path, text, 'experiment', 'scenario')}: scenario = "
            f"{as_written(base)}"
            " is not allowed; allowed: a scenario name or the path "
            "of a .toml file"
        )
    try:
        return load(str(locate(base, relative_to=path.parent)))
    except ScenarioError as error:
        raise ExperimentError(
            f"{_at(path, text, 'experiment', 'scenario')}: scenario: {error}"
        ) from None


def load_experiment(ref: str, max_runs: int = MAX_RUNS) -> Experiment:
    """Load and check an experiment file (a path, or a name in ``experiments/``).

    A design with more than ``max_runs`` runs is refused with its size before anything is
    drawn, so that a typo (levels = 100 over six factors) cannot start a year-long sweep.
    """
    path, raw, text = _read_experiment(ref)
    exp = _table(raw, "experiment", EXPERIMENT_KEYS, path, text)
    design = _table(raw, "design", DESIGN_KEYS, path, text)
    factors = _table(raw, "factors", (), path, text)
    analysis = _table(raw, "analysis", (), path, text)
    if not str(exp.get("title", "")).strip():
        raise ExperimentError(f"{path}: [experiment] needs a title")
    scenario = _base_scenario(exp, path, text)
    kind = _choice(design, "kind", "factorial", DESIGNS, _at(path, text, "design", "kind"))
    if not factors:
        raise ExperimentError(
            f"{path}: [factors] is empty; an experiment varies at least one factor"
        )
    factors = _expand(factors, path, text)
    built = tuple(_factor(name, spec, path, text, kind) for name, spec in factors.items())
    analysis = _analysis(analysis, [f.name for f in built], path, text)
    months_spec = SPEC_BY_NAME["months"]
    experiment = Experiment(
        name=path.stem,
        path=path,
        title=str(exp["title"]).strip(),
        description=" ".join(str(exp.get("description", "")).split()),
        scenario=scenario,
        months=_int(
            exp,
            "months",
            scenario.params.months,
            1,
            int(months_spec.high),
            _at(path, text, "experiment", "months"),
        ),
        replications=_int(
            exp, "replications", 1, 1, 10_000, _at(path, text, "experiment", "replications")
        ),
        seed=_int(exp, "seed", 0, 0, 2**63 - 1, _at(path, text, "experiment", "seed")),
        record=_choice(exp, "record", "final", RECORDS, _at(path, text, "experiment", "record")),
        every=_int(
            exp, "every", 12, 1, SPEC_BY_NAME["months"].high, _at(path, text, "experiment", "every")
        ),
        retries=_int(exp, "retries", 2, 0, 100, _at(path, text, "experiment", "retries")),
        design=Design(
            kind=kind,
            samples=_int(design, "samples", 16, 1, 1_000_000, _at(path, text, "design", "samples")),
            seed=_int(design, "seed", 0, 0, 2**32 - 1, _at(path, text, "design", "seed")),
            levels=_int(design, "levels", 4, 2, 100, _at(path, text, "design", "levels")),
            factors=built,
        ),
        analysis=analysis,
    )
    samples = experiment.design.samples
    if kind == "sobol" and samples & (samples - 1):
        raise ExperimentError(
            f"{_at(path, text, 'design', 'samples')}: a Sobol design needs "
            f"samples = a power of 2 (e.g. 64), not {samples}"
        )
    runs = experiment.total_runs
    if runs > min(max_runs, LARGEST):
        hint = (
            "split it into smaller experiments"
            if runs > LARGEST
            else "if that is meant, run it with: kommune sweep --large"
        )
        raise ExperimentError(
            f"{_at(path, text, 'design', 'kind')}: the design has "
            f"{runs:,} runs ({experiment.design.size:,} points x "
            f"{experiment.replications} replications), more than "
            f"{min(max_runs, LARGEST):,}; {hint}"
        )
    try:
        for row in experiment.points().drop(columns="point_id").to_dict("records"):
            experiment.resolve(row)
    except ParameterError as error:
        raise ExperimentError(str(error)) from None
    return experiment
