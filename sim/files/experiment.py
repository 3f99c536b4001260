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

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from sim.files.actors import FIXED, ActorList
from sim.files.messages import checked_table, located
from sim.files.models import (
    ANALYSIS_KEYS,
    CUT_SHARE_FACTOR,
    EVENT_FACTORS,
    EXPERIMENT_TOP_KEYS,
    FACTOR_KEYS,
    AnalysisSpec,
    DesignSpec,
    ExperimentMeta,
    FactorSpec,
    numeric_parameters,
)
from sim.files.scenario import Scenario, ScenarioError, load, locate
from sim.files.tomlfile import as_written, file_problem, read_toml
from sim.mechanisms.events import CUT_SHARE, Event
from sim.params import SPEC_BY_NAME, ParameterError, Params, make_params, suggest
from sim.runs.provenance import fingerprint as provenance_fingerprint
from sim.runs.replicate import seeds_for

# Runs an experiment may have without --large: a default run takes about half a second of a
# core, so 100 000 runs keep 2 cores busy for about 7 hours. Beyond LARGEST even --large
# does not help: the design itself would not fit in memory; split the experiment.
MAX_RUNS = 100_000
LARGEST = 20_000_000


EXTRA_FACTORS = (CUT_SHARE_FACTOR,)
SHORTCUTS = ("all", "exclude")  # [factors] all = "numeric", exclude = [...]
ANALYSIS_FACTORS = {  # factors an analysis kind cannot do without
    "governance": ("governance",),
    "sustainability": ("coordinator_hours", "coordinator_ends_month"),
}


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
    actors: ActorList | None = None  # the base scenario's actor list, if it names one


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
                    actors=self.scenario.actors,
                )

    @property
    def total_runs(self) -> int:
        return self.design.size * self.replications

    def fingerprint(self) -> str:
        """A hash of everything that decides the results (not titles or descriptions)."""
        content = {
            "scenario": self.scenario.params.model_dump(),
            "scenario_events": [e.record() for e in self.scenario.events],
            **({"actors": self.scenario.actors.digest} if self.scenario.actors else {}),
            "months": self.months,
            "replications": self.replications,
            "seed": self.seed,
            "record": self.record,
            "every": self.every,
            "design": self.design.describe(),
        }
        return provenance_fingerprint(content)

    def describe(self) -> dict[str, Any]:
        """The experiment as recorded in a manifest."""
        return {
            "name": self.name,
            "path": str(self.path),
            "title": self.title,
            "description": self.description,
            "scenario": self.scenario.name,
            "actors": self.scenario.actors.record() if self.scenario.actors else None,
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
# The keys, types and limits of each table are the file models' (sim.files.models); what
# follows checks what depends on more than one key (a factor's bounds are its parameter's,
# an analysis names factors) and says each problem in one line.
def _factor_bounds(name: str) -> tuple[float, float, bool]:
    """Lowest and highest value a factor may take, and whether it is a whole number."""
    if name in EVENT_FACTORS:
        return 0, SPEC_BY_NAME["months"].high, True
    if name in EXTRA_FACTORS:
        return 0.01, 1.0, False
    p = SPEC_BY_NAME[name]
    return p.low, p.high, isinstance(p.default, int) and not isinstance(p.default, bool)


def _factor(name: str, spec: Any, path: Path, text: str, design: str) -> Factor:
    at = located(path, text, "factors", name)
    shape = _factor_shape(name, spec, at)
    p = SPEC_BY_NAME.get(name)
    low, high, integer = _factor_bounds(name)
    if shape.levels is not None:
        for value in shape.levels:
            _check_value(name, value, p, low, high, integer, at)
        return Factor(name, levels=tuple(shape.levels), integer=integer)
    if p is not None and (p.choices or isinstance(p.default, bool)):
        raise ExperimentError(
            f"{at}: {name} takes levels, not a range (allowed values: {p.allowed()})"
        )
    if not low <= shape.range[0] < shape.range[1] <= high:
        raise ExperimentError(_RANGE.format(at=at, name=name, low=low, high=high))
    if design == "factorial" and shape.steps is None:
        raise ExperimentError(
            f"{at}: a factorial design needs levels for {name}, or a range with steps = 2 or more"
        )
    low, high = shape.range
    return Factor(name, low=float(low), high=float(high), steps=shape.steps, integer=integer)


_RANGE = "{at}: range of {name} must be [low, high] with {low:g} <= low < high <= {high:g}"


def _factor_shape(name: str, spec: Any, at: str) -> FactorSpec:
    """A factor is a known name with a table of range (and steps) or levels, each of the
    shape ``FactorSpec`` gives; problems said in the factor's own terms."""
    known = name in SPEC_BY_NAME or name in EVENT_FACTORS or name in EXTRA_FACTORS
    if not known:
        allowed = [*SPEC_BY_NAME, *EVENT_FACTORS, *EXTRA_FACTORS]
        raise ExperimentError(
            f"{at}: unknown factor '{name}'{suggest(name, allowed)}; "
            "factors are parameters (kommune params) or "
            f"{', '.join([*EVENT_FACTORS, *EXTRA_FACTORS])}"
        )
    unknown = [k for k in spec if k not in FACTOR_KEYS] if isinstance(spec, dict) else []
    if unknown:  # a misspelt key says which, before anything is missing because of it
        raise ExperimentError(
            f"{at}: unknown key '{unknown[0]}' in factor {name}"
            f"{suggest(unknown[0], FACTOR_KEYS)}; allowed: {', '.join(FACTOR_KEYS)}"
        )
    if not isinstance(spec, dict) or not ({"range", "levels"} & set(spec)):
        raise ExperimentError(
            f"{at}: factor {name} needs {{ range = [low, high] }} or {{ levels = [...] }}"
        )
    try:
        return FactorSpec.model_validate(spec)
    except ValidationError as error:
        problem = min(error.errors(), key=lambda e: list(spec).index(e["loc"][0]))
    key = problem["loc"][0]  # (an unknown key was refused above)
    if key == "levels":
        raise ExperimentError(f"{at}: levels of {name} must be a non-empty list")
    if key == "steps":
        raise ExperimentError(
            f"{at}: steps = {as_written(spec[key])} for {name} is not allowed; "
            f"allowed: {FactorSpec.model_fields['steps'].description}"
        )
    p = SPEC_BY_NAME.get(name)
    if p is not None and (p.choices or isinstance(p.default, bool)):
        raise ExperimentError(
            f"{at}: {name} takes levels, not a range (allowed values: {p.allowed()})"
        )
    low, high, _ = _factor_bounds(name)
    raise ExperimentError(_RANGE.format(at=at, name=name, low=low, high=high))


def _expand(factors: dict, path: Path, text: str) -> dict:
    """``all = "numeric"`` (and ``exclude``) turned into one factor per numeric parameter
    over its whole range; factors named beside it replace their entry or are added."""
    if "all" not in factors:
        if "exclude" in factors:
            raise ExperimentError(
                f"{located(path, text, 'factors', 'exclude')}: exclude works "
                'with all = "numeric" in [factors]'
            )
        return factors
    if factors["all"] != "numeric":
        raise ExperimentError(
            f"{located(path, text, 'factors', 'all')}: all = "
            f"{as_written(factors['all'])} "
            'is not allowed; allowed: "numeric" (every numeric parameter '
            "over its whole range)"
        )
    numeric = [s.name for s in numeric_parameters()]
    exclude = factors.get("exclude", [])
    at = located(path, text, "factors", "exclude")
    if not isinstance(exclude, list) or not all(isinstance(n, str) for n in exclude):
        raise ExperimentError(f"{at}: exclude must be a list of parameter names")
    for name in exclude:
        if name not in numeric:
            raise ExperimentError(
                f"{at}: exclude: '{name}' is not a numeric parameter{suggest(name, numeric)}"
            )
    named = {k: v for k, v in factors.items() if k not in SHORTCUTS}
    both = [name for name in exclude if name in named]
    if both:
        raise ExperimentError(
            f"{at}: {both[0]} is excluded and given as a factor; do one or the other"
        )
    expanded = {}
    for spec in numeric_parameters():
        if spec.name in named:
            expanded[spec.name] = named[spec.name]
        elif spec.name not in exclude:
            expanded[spec.name] = {"range": [spec.low, spec.high]}
    return {**expanded, **{k: v for k, v in named.items() if k not in expanded}}


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_value(name, value, spec, low, high, integer, at) -> None:
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
            f"{at}: level {as_written(value)} of {name} is not allowed; allowed: {allowed}"
        )


def _analysis(raw: dict, factors: list[str], path: Path, text: str) -> dict:
    """Check [analysis] now, so a typo there is found before the sweep, not after it: its
    keys and values against ``AnalysisSpec``, then the keys its kind takes and the factors
    they name."""
    spec = checked_table(raw, "analysis", AnalysisSpec, ExperimentError, path, text)
    section = raw.get("analysis", {})
    allowed = ("kind", "outcome", "threshold", *ANALYSIS_KEYS[spec.kind])
    for key in section:
        if key not in allowed:
            raise ExperimentError(
                f"{located(path, text, 'analysis', key)}: unknown key '{key}' in [analysis] "
                f"for kind = {as_written(spec.kind)}{suggest(key, allowed)}; allowed: "
                f"{', '.join(allowed)}"
            )
    for key in ANALYSIS_KEYS[spec.kind]:
        name = getattr(spec, key)
        if name is not None and name.removeprefix("-") not in factors:  # '-name': low favours
            raise ExperimentError(
                f"{located(path, text, 'analysis', key)}: {key} = {as_written(name)} is not "
                f"allowed{suggest(name.removeprefix('-'), factors)}; allowed: "
                f"{', '.join(factors)}"
            )
    at = located(path, text, "analysis", "kind")
    missing = [f for f in ANALYSIS_FACTORS.get(spec.kind, ()) if f not in factors]
    if missing:
        raise ExperimentError(
            f"{at}: a {spec.kind} analysis needs the factor(s) {', '.join(missing)} in [factors]"
        )
    if spec.kind == "governance" and not any(k in section for k in ANALYSIS_KEYS[spec.kind]):
        raise ExperimentError(
            f"{at}: a governance analysis needs at least one contingency: "
            f'{", ".join(ANALYSIS_KEYS[spec.kind])} = "a factor"'
        )
    return {"kind": spec.kind, "outcome": spec.outcome, **section}


def locate_in_experiments(ref: str, error: type[Exception], what: str) -> Path:
    """The file ``ref`` names: a path, or a name in ./experiments, then in the project's
    experiments/ (experiment, calibration and optimisation files alike)."""
    path = Path(ref)
    if not path.suffix and not path.exists():
        local = Path("experiments") / f"{ref}.toml"
        path = local if local.is_file() else EXPERIMENT_DIR / f"{ref}.toml"
    if file_problem(path) == "no such file":
        raise error(f"{ref}: no such {what} file")
    return path


def _read_experiment(ref: str) -> tuple[Path, dict, str]:
    """The file ``ref`` names (a path, or a name in ``experiments/``), read, with only known
    top-level tables."""
    path = locate_in_experiments(ref, ExperimentError, "experiment")
    raw, text = read_toml(path, ExperimentError)
    if "calibration" in raw:
        raise ExperimentError(
            f"{path}: is a calibration file; run it with: kommune calibrate {ref}"
        )
    if "optimization" in raw:
        raise ExperimentError(
            f"{path}: is an optimisation file; run it with: kommune optimize {ref}"
        )
    for key in raw:
        if key not in EXPERIMENT_TOP_KEYS:
            raise ExperimentError(
                f"{located(path, text, None, key)}: unknown key '{key}'"
                f"{suggest(key, EXPERIMENT_TOP_KEYS)}; allowed: {', '.join(EXPERIMENT_TOP_KEYS)}"
            )
    return path, raw, text


def base_scenario(
    base: str, path: Path, text: str, section: str = "experiment", error=ExperimentError
) -> Scenario:
    """The scenario a file runs (a name, or a file relative to the file naming it)."""
    try:
        return load(str(locate(base, relative_to=path.parent)))
    except ScenarioError as problem:
        raise error(f"{located(path, text, section, 'scenario')}: scenario: {problem}") from None


def _factors(raw: dict, kind: str, path: Path, text: str) -> tuple[Factor, ...]:
    factors = raw.get("factors", {})
    if not isinstance(factors, dict):
        raise ExperimentError(f"{located(path, text, None, 'factors')}: 'factors' must be a table")
    if not factors:
        raise ExperimentError(
            f"{path}: [factors] is empty; an experiment varies at least one factor"
        )
    factors = _expand(factors, path, text)
    return tuple(_factor(name, spec, path, text, kind) for name, spec in factors.items())


def load_experiment(ref: str, max_runs: int = MAX_RUNS) -> Experiment:
    """Load and check an experiment file (a path, or a name in ``experiments/``).

    A design with more than ``max_runs`` runs is refused with its size before anything is
    drawn, so that a typo (levels = 100 over six factors) cannot start a year-long sweep.
    """
    path, raw, text = _read_experiment(ref)
    meta: ExperimentMeta = checked_table(
        raw, "experiment", ExperimentMeta, ExperimentError, path, text
    )
    spec: DesignSpec = checked_table(raw, "design", DesignSpec, ExperimentError, path, text)
    scenario = base_scenario(meta.scenario, path, text)
    built = _factors(raw, spec.kind, path, text)
    if scenario.actors is not None:  # the list fixes how many actors of each kind there are
        for factor in built:
            if factor.name in FIXED:
                raise ExperimentError(
                    f"{located(path, text, 'factors', factor.name)}: {factor.name} is given "
                    f"by the actor list of the scenario ({scenario.actors.path.name}); it "
                    "cannot be a factor"
                )
    analysis = _analysis(raw, [f.name for f in built], path, text)
    if spec.kind == "sobol" and spec.samples & (spec.samples - 1):
        raise ExperimentError(
            f"{located(path, text, 'design', 'samples')}: a Sobol design needs "
            f"samples = a power of 2 (e.g. 64), not {spec.samples}"
        )
    experiment = Experiment(
        name=path.stem,
        path=path,
        title=meta.title.strip(),
        description=" ".join(meta.description.split()),
        scenario=scenario,
        months=scenario.params.months if meta.months is None else meta.months,
        replications=meta.replications,
        seed=meta.seed,
        record=meta.record,
        every=meta.every,
        retries=meta.retries,
        design=Design(spec.kind, spec.samples, spec.seed, spec.levels, built),
        analysis=analysis,
    )
    _check_size(experiment, max_runs, located(path, text, "design", "kind"))
    try:
        for row in experiment.points().drop(columns="point_id").to_dict("records"):
            experiment.resolve(row)
    except ParameterError as error:
        raise ExperimentError(str(error)) from None
    return experiment


def _check_size(experiment: Experiment, max_runs: int, at: str) -> None:
    runs = experiment.total_runs
    if runs > min(max_runs, LARGEST):
        hint = (
            "split it into smaller experiments"
            if runs > LARGEST
            else "if that is meant, run it with: kommune sweep --large"
        )
        raise ExperimentError(
            f"{at}: the design has {runs:,} runs ({experiment.design.size:,} points x "
            f"{experiment.replications} replications), more than "
            f"{min(max_runs, LARGEST):,}; {hint}"
        )
