"""Calibration files (TOML) and observation files (CSV or Excel), checked strictly.

Every problem is one line naming the file (and line or row), the key or column, and what is
allowed, with a "did you mean" for near misses; nothing is used from a file with an error.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.files.experiment import ExperimentError, base_scenario, locate_in_experiments
from sim.files.messages import checked_table, explain, inline_table, located
from sim.files.models import RunMeta
from sim.files.scenario import Scenario
from sim.files.tables import number_in, read_rows
from sim.files.tomlfile import read_toml
from sim.params import SPEC_BY_NAME, ParameterError, make_params, suggest
from sim.runs.provenance import fingerprint as provenance_fingerprint
from sim.runs.replicate import seeds_for

from .targets import STATISTICS, ClaimTarget, Observation, Target, claim_targets


class CalibrationError(ExperimentError):
    """A calibration that cannot be run, phrased as one line for the user."""


TOP_KEYS = ("calibration", "parameters", "targets")
OBSERVATION_COLUMNS = ("statistic", "value", "sd", "months", "note")
REQUIRED_COLUMNS = ("statistic", "value", "sd")
MAX_CORNERS = 1024


class Settings(RunMeta):
    """[calibration]; each field's description is what the messages call allowed."""

    replications: int = Field(4, ge=1, le=1000, description="whole number from 1 to 1000")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="whole number from 0 to 2^63 - 1")
    particles: int = Field(60, ge=2, le=100_000, description="whole number from 2 to 100000")
    generations: int = Field(5, ge=1, le=1000, description="whole number from 1 to 1000")
    min_epsilon: float = Field(0.0, ge=0, description="number from 0 up")
    max_evaluations: int = Field(
        0, ge=0, le=10_000_000, description="whole number from 0 (no limit) to 10000000"
    )
    min_acceptance: float = Field(0.0, ge=0, le=1, description="number from 0 to 1")
    kernel_scaling: float = Field(2.0, gt=0, le=10, description="number above 0, at most 10")
    predictive_draws: int = Field(20, ge=0, le=10_000, description="whole number from 0 to 10000")


class Prior(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    low: float | None = Field(None, description="a number")
    high: float | None = Field(None, description="a number")


class Targets(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    patterns: list[int] | str | None = Field(
        None, description='a list of pattern numbers, e.g. [1, 2], or "all"'
    )
    observations: str | None = Field(None, description="the path of a .csv or .xlsx file in quotes")


@dataclass(frozen=True)
class Parameter:
    """A calibrated parameter with its uniform prior [low, high]."""

    name: str
    low: float
    high: float

    @property
    def unit(self) -> str:
        return SPEC_BY_NAME[self.name].unit


@dataclass(frozen=True)
class Calibration:
    name: str
    path: Path
    title: str
    description: str
    scenario: Scenario
    months: int
    replications: int
    seed: int
    particles: int
    generations: int
    min_epsilon: float
    max_evaluations: int  # particles evaluated in all, the prior sample included (0: any)
    min_acceptance: float  # stop after a generation that accepted a smaller share
    kernel_scaling: float  # width of pyabc's perturbation kernel, times Silverman's rule
    predictive_draws: int
    parameters: tuple[Parameter, ...]
    patterns: tuple[int, ...]
    observations: tuple[Observation, ...]
    observations_path: Path | None

    @property
    def base(self) -> dict[str, Any]:
        """Parameter values every particle starts from: the scenario's, with its months."""
        return {**self.scenario.params.model_dump(), "months": self.months}

    def seeds(self) -> list[int]:
        """The seeds every particle runs (common random numbers)."""
        return seeds_for(self.seed, self.replications)

    def predictive_seeds(self, draw: int) -> list[int]:
        """Fresh seeds for posterior-predictive draw ``draw``: never the calibration's."""
        r = self.replications
        return seeds_for(self.seed, r * (draw + 2))[r * (draw + 1) :]

    @property
    def claims(self) -> tuple[ClaimTarget, ...]:
        return claim_targets(self.patterns, self.replications)

    @property
    def targets(self) -> tuple[Target, ...]:
        return (*self.claims, *self.observations)

    def fingerprint(self) -> str:
        """A hash of everything that decides the generations' results. Not the title, nor
        how far to go (generations, min_epsilon, max_evaluations, min_acceptance) or the
        posterior-predictive draws: those may change between sessions of one calibration."""
        content = {
            "scenario": self.scenario.params.model_dump(),
            "scenario_events": [e.record() for e in self.scenario.events],
            "months": self.months,
            "replications": self.replications,
            "seed": self.seed,
            "particles": self.particles,
            "kernel_scaling": self.kernel_scaling,
            "parameters": [p.__dict__ for p in self.parameters],
            "claims": [c.__dict__ for c in self.claims],
            "observations": [
                {k: v for k, v in o.__dict__.items() if k != "row"} for o in self.observations
            ],
        }
        return provenance_fingerprint(content)

    def describe(self) -> dict[str, Any]:
        """The calibration as recorded in a manifest."""
        return {
            "name": self.name,
            "path": str(self.path),
            "title": self.title,
            "description": self.description,
            "scenario": self.scenario.name,
            "months": self.months,
            "replications": self.replications,
            "seed": self.seed,
            "particles": self.particles,
            "generations": self.generations,
            "min_epsilon": self.min_epsilon,
            "max_evaluations": self.max_evaluations,
            "min_acceptance": self.min_acceptance,
            "kernel_scaling": self.kernel_scaling,
            "predictive_draws": self.predictive_draws,
            "parameters": {p.name: [p.low, p.high] for p in self.parameters},
            "patterns": list(self.patterns),
            "claims": [c.label for c in self.claims],
            "observations": None
            if self.observations_path is None
            else {
                "file": str(self.observations_path),
                "rows": [
                    {k: v for k, v in o.__dict__.items() if k != "row"} for o in self.observations
                ],
            },
            "fingerprint": self.fingerprint(),
        }


# --- messages ------------------------------------------------------------------------------
def _table(raw: dict, key: str, path: Path, text: str) -> dict:
    section = raw.get(key, {})
    if not isinstance(section, dict):
        raise CalibrationError(f"{located(path, text, None, key)}: '{key}' must be a table [{key}]")
    return section


# --- the parts of a calibration file -------------------------------------------------------
def _parameters(raw: Any, path: Path, text: str) -> tuple[Parameter, ...]:
    listed = isinstance(raw, list)
    if listed:  # parameters = ["a", "b"]: whole ranges
        where = located(path, text, None, "parameters")
        if not all(isinstance(name, str) for name in raw):
            raise CalibrationError(
                f"{where}: parameters must be names in quotes, e.g. "
                '["support_strength", "tie_decay"]'
            )
        if len(set(raw)) != len(raw):
            raise CalibrationError(f"{where}: a parameter is named twice in parameters")
        raw = {name: {} for name in raw}
    elif not isinstance(raw, dict):
        raise CalibrationError(
            f"{located(path, text, None, 'parameters')}: parameters must be a "
            "table [parameters] or a list of names"
        )
    if not raw:
        raise CalibrationError(
            f"{path}: [parameters] is empty; name at least one number "
            "parameter to calibrate (kommune params lists them)"
        )
    return tuple(
        _parameter(
            name,
            spec,
            located(path, text, None, "parameters")
            if listed
            else located(path, text, "parameters", name),
        )
        for name, spec in raw.items()
    )


def _parameter(name: str, spec: Any, where: str) -> Parameter:
    """One calibrated parameter: a continuous number parameter and its uniform prior (its
    whole range unless low or high narrow it)."""
    p = SPEC_BY_NAME.get(name)
    if p is None:
        raise CalibrationError(
            f"{where}: unknown parameter '{name}'{suggest(name)}; see: kommune params"
        )
    if p.choices or not isinstance(p.default, float):
        kind = (
            "a choice"
            if p.choices
            else "true or false"
            if isinstance(p.default, bool)
            else "a whole number"
        )
        raise CalibrationError(
            f"{where}: {name} is {kind} (allowed: {p.allowed()}); only "
            "number parameters with a continuous range can be "
            "calibrated (vary the others in a sweep)"
        )
    if not isinstance(spec, dict):
        raise CalibrationError(
            f"{where}: {name} needs {{}} (its whole range) or {{ low = ..., high = ... }}"
        )
    prior = inline_table(Prior, spec, CalibrationError, where, f"the prior of {name}")
    low = p.low if prior.low is None else prior.low
    high = p.high if prior.high is None else prior.high
    if not p.low <= low < high <= p.high:
        unit = f" {p.unit}" if p.unit not in ("", "-") else ""
        raise CalibrationError(
            f"{where}: prior of {name} from {low:g} to {high:g} is not "
            f"allowed; allowed: {p.low:g} <= low < high <= {p.high:g}"
            f"{unit}"
        )
    return Parameter(name, float(low), float(high))


def _patterns(value: Any, where: str) -> tuple[int, ...]:
    from sim.validation.patterns import PATTERNS

    known = [p.number for p in PATTERNS]
    allowed = f'allowed: {", ".join(map(str, known))} or "all" (kommune patterns)'
    if value == "all":
        numbers = known
    elif isinstance(value, str):
        raise CalibrationError(f"{where}: patterns = {json.dumps(value)} is not allowed; {allowed}")
    else:
        numbers = list(value)
        for n in numbers:
            if n not in known:
                raise CalibrationError(f"{where}: pattern {n} does not exist; {allowed}")
        if len(set(numbers)) != len(numbers):
            raise CalibrationError(f"{where}: a pattern is named twice in patterns")
    if not numbers:
        raise CalibrationError(f"{where}: patterns is empty; {allowed}")
    by_number = {p.number: p for p in PATTERNS}
    for n in numbers:
        if not any(c.checked for c in by_number[n].claims):
            raise CalibrationError(
                f"{where}: pattern {n} has no checked claim to calibrate against"
            )
    return tuple(numbers)


def _check_corners(
    base: dict, parameters: tuple[Parameter, ...], patterns: tuple[int, ...], path: Path
) -> None:
    """Every particle must give valid parameters, also inside every pattern condition: the
    only joint limits are sums, so checking the corners of the prior box suffices."""
    from sim.validation.patterns import PATTERNS

    conditions = [(p, name) for p in PATTERNS if p.number in patterns for name in p.conditions]
    corners = itertools.product(*((p.low, p.high) for p in parameters))
    for corner in itertools.islice(corners, MAX_CORNERS):
        values = {**base, **{p.name: v for p, v in zip(parameters, corner, strict=True)}}
        shown = ", ".join(f"{p.name} = {v:g}" for p, v in zip(parameters, corner, strict=True))
        try:
            make_params(values, where="")
            for pattern, name in conditions:
                pattern.condition(name, values)
        except ParameterError as error:
            reason = str(error).removeprefix(": ")
            raise CalibrationError(
                f"{path}: [parameters]: at {shown} the model cannot run "
                f"({reason}); narrow the priors"
            ) from None


# --- loading ----------------------------------------------------------------------------------
def locate_calibration(ref: str) -> Path:
    """A path, or a name in ./experiments or the project's experiments/."""
    return locate_in_experiments(ref, CalibrationError, "calibration")


def _read_calibration(ref: str) -> tuple[Path, dict, str, Settings]:
    """The file ``ref`` names, read, with only known tables and valid [calibration]
    settings."""
    path = locate_calibration(ref)
    raw, text = read_toml(path, CalibrationError)
    if "experiment" in raw:
        raise CalibrationError(f"{path}: is an experiment file; run it with: kommune sweep {ref}")
    for key in raw:
        if key not in TOP_KEYS:
            raise CalibrationError(
                f"{located(path, text, None, key)}: unknown key '{key}'"
                f"{suggest(key, TOP_KEYS)}; allowed: "
                f"{', '.join(TOP_KEYS)}"
            )
    if "calibration" not in raw:
        raise CalibrationError(f"{path}: the [calibration] table is missing (it needs a title)")
    settings = checked_table(raw, "calibration", Settings, CalibrationError, path, text)
    return path, raw, text, settings


def _targets(raw: dict, path: Path, text: str) -> Targets:
    section = _table(raw, "targets", path, text)
    try:
        targets = Targets.model_validate(section)
    except ValidationError as error:
        raise CalibrationError(explain(error, Targets, section, path, text, "targets")) from None
    if targets.patterns is None and targets.observations is None:
        raise CalibrationError(
            f'{path}: [targets] needs patterns = [1, 2, ...] and/or observations = "file.csv"'
        )
    return targets


def _observations_path(name: str, path: Path, text: str) -> Path:
    """The observations file, relative to the calibration file unless absolute."""
    found = Path(name)
    if not found.is_absolute():
        found = path.parent / found
    if not found.is_file():
        raise CalibrationError(
            f"{located(path, text, 'targets', 'observations')}: {found}: no such observations file"
        )
    return found


def load_calibration(ref: str) -> Calibration:
    """Load and check a calibration file, its scenario and its observations."""
    path, raw, text, settings = _read_calibration(ref)
    scenario = base_scenario(settings.scenario, path, text, "calibration", CalibrationError)
    if scenario.actors is not None:
        raise CalibrationError(
            f"{located(path, text, 'calibration', 'scenario')}: scenario {scenario.name} "
            f"starts from an actor list ({scenario.actors.path.name}); calibrations start from "
            "counts of actors (a scenario without actors = ...)"
        )
    months = scenario.params.months if settings.months is None else settings.months
    if "parameters" not in raw:
        raise CalibrationError(
            f"{path}: [parameters] is missing; name the parameters to "
            "calibrate, e.g. support_strength = {}"
        )
    parameters = _parameters(raw["parameters"], path, text)
    targets = _targets(raw, path, text)
    patterns: tuple[int, ...] = ()
    if targets.patterns is not None:
        patterns = _patterns(targets.patterns, located(path, text, "targets", "patterns"))
        if settings.replications < 2:
            raise CalibrationError(
                f"{located(path, text, 'calibration', 'replications')}: "
                "pattern claims need replications = 2 or more (a claim is "
                "judged by its interval over the seeds)"
            )
    observations: tuple[Observation, ...] = ()
    observations_path = None
    if targets.observations is not None:
        observations_path = _observations_path(targets.observations, path, text)
        observations = load_observations(observations_path, months)
    base = {**scenario.params.model_dump(), "months": months}
    _check_corners(base, parameters, patterns, path)
    return Calibration(
        name=path.stem,
        path=path,
        title=settings.title.strip(),
        description=" ".join(settings.description.split()),
        scenario=scenario,
        months=months,
        replications=settings.replications,
        seed=settings.seed,
        particles=settings.particles,
        generations=settings.generations,
        min_epsilon=float(settings.min_epsilon),
        max_evaluations=settings.max_evaluations,
        min_acceptance=float(settings.min_acceptance),
        kernel_scaling=float(settings.kernel_scaling),
        predictive_draws=settings.predictive_draws,
        parameters=parameters,
        patterns=patterns,
        observations=observations,
        observations_path=observations_path,
    )


# --- observation files ---------------------------------------------------------------------------
def _rows(path: Path) -> tuple[list[tuple[int, list[Any]]], bool]:
    return read_rows(path, CalibrationError, "observations")


def load_observations(path: Path, months: int) -> tuple[Observation, ...]:
    """Observed quantities, one a row: statistic, value, sd (and months, note). All rows are
    checked before any is used."""
    if not path.is_file():
        raise CalibrationError(f"{path}: no such observations file")
    rows, comma = _rows(path)
    if not rows:
        raise CalibrationError(
            f"{path}: no rows; the first row names the columns "
            f"{', '.join(REQUIRED_COLUMNS)} (optional: months, note)"
        )
    header_row, header = rows[0]
    index = _columns(header, f"{path}, row {header_row}")
    seen: dict[tuple[str, int], int] = {}
    out = []
    for n, cells in rows[1:]:
        found = _observation(
            {c: cells[k] if k < len(cells) else None for c, k in index.items()},
            f"{path}, row {n}",
            n,
            comma,
            months,
        )
        key = (found.statistic, found.months)
        if key in seen:
            raise CalibrationError(
                f"{path}, row {n}: {found.statistic} over the last {found.months} months "
                f"is given already in row {seen[key]}"
            )
        seen[key] = n
        out.append(found)
    if not out:
        raise CalibrationError(f"{path}: no observations below the header row")
    return tuple(out)


def _columns(header: list[Any], where: str) -> dict[str, int]:
    """Column name -> position, from the header row: known names, the required ones, none
    twice."""
    columns = ["" if c is None else str(c).strip().lower() for c in header]
    for column in columns:
        if column and column not in OBSERVATION_COLUMNS:
            raise CalibrationError(
                f"{where}: unknown column '{column}'"
                f"{suggest(column, OBSERVATION_COLUMNS)}; allowed: "
                f"{', '.join(OBSERVATION_COLUMNS)}"
            )
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            raise CalibrationError(
                f"{where}: column '{column}' is missing; "
                f"the columns are {', '.join(REQUIRED_COLUMNS)} (optional: "
                "months, note)"
            )
    named = [c for c in columns if c]
    if len(set(named)) != len(named):
        raise CalibrationError(f"{where}: a column is named twice")
    return {c: k for k, c in enumerate(columns) if c}


def _observation(
    cell: dict[str, Any], where: str, row: int, comma: bool, months: int
) -> Observation:
    """One row: a known statistic, a value in its range, an uncertainty above 0 and the
    months it is averaged over (the last 12, or the run, if shorter, unless given)."""
    name = "" if cell.get("statistic") is None else str(cell["statistic"]).strip()
    if name not in STATISTICS:
        shown = f"'{name}'" if name else "empty"
        raise CalibrationError(
            f"{where}, column statistic: {shown} is not a statistic"
            f"{suggest(name, STATISTICS) if name else ''}; allowed: "
            f"{', '.join(STATISTICS)}"
        )
    value = number_in(cell.get("value"), comma)
    if value is None:
        raise CalibrationError(
            f"{where}, column value: {cell.get('value')!r}"
            " is not a number; "
            "allowed: a number (a decimal comma only in a file separated "
            "by ';')"
        )
    if STATISTICS[name].unit == "share" and not 0 <= value <= 1:
        raise CalibrationError(
            f"{where}, column value: {name} = {value:g} is not allowed; "
            "allowed: a share from 0 to 1"
        )
    if value < 0:
        raise CalibrationError(
            f"{where}, column value: {name} = {value:g} is not allowed; allowed: a number from 0 up"
        )
    sd = number_in(cell.get("sd"), comma)
    if sd is None or sd <= 0:
        raise CalibrationError(
            f"{where}, column sd: {cell.get('sd')!r} is not allowed; "
            "allowed: a number above 0 (the uncertainty of the value)"
        )
    raw_months = cell.get("months")
    if raw_months is None or str(raw_months).strip() == "":
        return Observation(name, value, sd, min(12, months), row)
    number = number_in(raw_months, comma)
    if number is None or number != int(number) or not 1 <= number <= months:
        raise CalibrationError(
            f"{where}, column months: {raw_months!r}"
            " is not allowed; "
            f"allowed: whole number from 1 to {months} (the run's "
            "length)"
        )
    return Observation(name, value, sd, int(number), row)
