"""Optimisation files (TOML), checked strictly: what a recommendation is asked for.

An optimisation file names a base scenario, the levers the planner may move (each with its
range, an optional step and a cost per unit), and the target: an indicator's final value
that at least a share of the seeds must reach. Every problem is one line naming the file,
the line, the key and what is allowed; nothing is run from a file with an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from sim.files.actors import FIXED
from sim.files.experiment import ExperimentError, base_scenario, locate_in_experiments
from sim.files.messages import checked_table, inline_table, located
from sim.files.models import RunMeta
from sim.files.scenario import Scenario
from sim.files.tomlfile import read_toml
from sim.indicators import INDICATORS
from sim.params import SPEC_BY_NAME, ParameterError, make_params, suggest
from sim.runs.provenance import fingerprint as provenance_fingerprint
from sim.runs.replicate import seeds_for


class OptimizationError(ExperimentError):
    """An optimisation that cannot be run, phrased as one line for the user."""


TOP_KEYS = ("optimization", "levers")
# what a unit of a lever costs when the file does not say: the parameter whose value is
# the cost of one unit (coordinator hours cost coordinator_hour_cost funded hours each)
COST_FROM = {"coordinator_hours": "coordinator_hour_cost"}
BOUNDED = {"share": (0.0, 1.0)}  # indicator units whose values lie in a known range


DEFAULT_UNIT = "funded hours per month"  # what costs are counted in unless a file says


class Settings(RunMeta):
    """[optimization]; each field's description is what the messages call allowed."""

    indicator: str = Field("effectiveness", description="an indicator's name (kommune run)")
    at_least: float | None = Field(None, description="a number")
    at_most: float | None = Field(None, description="a number")
    share: float = Field(0.9, gt=0, le=1, description="number above 0, at most 1")
    replications: int = Field(20, ge=2, le=1000, description="whole number from 2 to 1000")
    check_replications: int = Field(40, ge=2, le=10_000, description="whole number from 2 to 10000")
    trials: int = Field(40, ge=2, le=10_000, description="whole number from 2 to 10000")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="whole number from 0 to 2^63 - 1")
    unit: str = Field(DEFAULT_UNIT, description="text in quotes")


class LeverSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    low: float | int | None = Field(None, description="a number")
    high: float | int | None = Field(None, description="a number")
    step: float | int | None = Field(None, gt=0, description="a number above 0")
    cost: float | int | None = Field(None, ge=0, description="a number from 0 up")


@dataclass(frozen=True)
class Lever:
    """A lever the optimiser may move: its range, its step (None: continuous) and what one
    unit of it costs."""

    name: str
    low: float
    high: float
    step: float | None
    cost: float
    integer: bool

    def cost_of(self, value: float) -> float:
        return self.cost * value


@dataclass(frozen=True)
class Evaluation:
    """A setting run over seeds: its cost, the share of seeds reaching the target, and the
    final values."""

    values: dict[str, float]
    cost: float
    share: float
    finals: tuple[float, ...]

    @property
    def mean(self) -> float:
        return float(np.mean(self.finals))


@dataclass(frozen=True)
class Optimization:
    name: str
    path: Path
    title: str
    description: str
    scenario: Scenario
    months: int
    indicator: str
    threshold: float
    direction: int  # +1: at least the threshold, -1: at most
    share: float
    replications: int
    check_replications: int
    trials: int
    seed: int
    unit: str
    levers: tuple[Lever, ...]

    @property
    def base(self) -> dict[str, Any]:
        return {**self.scenario.params.model_dump(), "months": self.months}

    def seeds(self) -> list[int]:
        """The seeds every setting runs (common random numbers across trials)."""
        return seeds_for(self.seed, self.replications)

    def check_seeds(self) -> list[int]:
        """Fresh seeds for checking the recommendation: never the optimisation's."""
        every = seeds_for(self.seed, self.replications + self.check_replications)
        return every[self.replications :]

    def cost(self, values: dict[str, float]) -> float:
        return sum(lever.cost_of(values[lever.name]) for lever in self.levers)

    def reaches(self, value: float) -> bool:
        """Does one run's final value meet the target?"""
        return value >= self.threshold if self.direction > 0 else value <= self.threshold

    @property
    def target_text(self) -> str:
        sign = ">=" if self.direction > 0 else "<="
        return f"{self.indicator} {sign} {self.threshold:g} in {self.share:.0%} of the seeds"

    def fingerprint(self) -> str:
        """What decides the trials' results (not the title, nor how many trials to run)."""
        content = {
            "scenario": self.scenario.params.model_dump(),
            "events": [e.record() for e in self.scenario.events],
            "actors": self.scenario.actors.digest if self.scenario.actors else None,
            "months": self.months,
            "indicator": self.indicator,
            "threshold": self.threshold,
            "direction": self.direction,
            "share": self.share,
            "replications": self.replications,
            "seed": self.seed,
            "levers": [lever.__dict__ for lever in self.levers],
        }
        return provenance_fingerprint(content)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "title": self.title,
            "scenario": self.scenario.name,
            "actors": self.scenario.actors.record() if self.scenario.actors else None,
            "months": self.months,
            "target": self.target_text,
            "replications": self.replications,
            "check_replications": self.check_replications,
            "trials": self.trials,
            "seed": self.seed,
            "unit": self.unit,
            "levers": {lever.name: lever.__dict__ for lever in self.levers},
            "fingerprint": self.fingerprint(),
        }


def _lever_spec(name: str, spec: dict, where: str) -> LeverSpec:
    return inline_table(LeverSpec, spec, OptimizationError, where, f"the lever {name}")


def _step(name: str, step: float | None, low: float, high: float, integer: bool, where: str):
    """The lever's step (None: continuous; whole numbers move by whole steps)."""
    if integer and step is None:
        step = 1.0
    if step is None:
        return None
    if integer and step != int(step):
        raise OptimizationError(f"{where}: {name} is a whole number; its step must be one too")
    if step > high - low:
        raise OptimizationError(
            f"{where}: step = {step:g} of {name} is larger than its range ({low:g} to {high:g})"
        )
    if abs((high - low) / step - round((high - low) / step)) > 1e-9:
        raise OptimizationError(
            f"{where}: {name} from {low:g} to {high:g} is not a whole number of steps of "
            f"{step:g}; make high - low a multiple of step"
        )
    return step


def _lever(name: str, spec: Any, base: dict, where: str) -> Lever:
    p = SPEC_BY_NAME.get(name)
    if p is None:
        raise OptimizationError(
            f"{where}: unknown parameter '{name}'{suggest(name)}; see: kommune params"
        )
    if p.choices or isinstance(p.default, bool):
        raise OptimizationError(
            f"{where}: {name} is {'a choice' if p.choices else 'true or false'} (allowed: "
            f"{p.allowed()}); only number parameters can be levers of an optimisation "
            "(compare the others with kommune compare)"
        )
    if not isinstance(spec, dict):
        raise OptimizationError(
            f"{where}: {name} needs a table, e.g. {{ low = 0, high = 160, cost = 1 }}"
        )
    lever = _lever_spec(name, spec, where)
    low = float(p.low if lever.low is None else lever.low)
    high = float(p.high if lever.high is None else lever.high)
    unit = f" {p.unit}" if p.unit not in ("", "-") else ""
    if not p.low <= low < high <= p.high:
        raise OptimizationError(
            f"{where}: {name} from {low:g} to {high:g} is not allowed; allowed: "
            f"{p.low:g} <= low < high <= {p.high:g}{unit}"
        )
    integer = isinstance(p.default, int)
    step = _step(name, None if lever.step is None else float(lever.step), low, high, integer, where)
    if lever.cost is not None:
        cost = float(lever.cost)
    elif name in COST_FROM:
        cost = float(base[COST_FROM[name]])
    else:
        raise OptimizationError(
            f"{where}: {name} needs a cost = (what one unit{unit} costs; 0 if it costs nothing)"
        )
    return Lever(name, low, high, step, cost, integer)


def _target(settings: Settings, path: Path, where) -> tuple[float, int]:
    """The target's threshold and direction (+1: at least, -1: at most), checked against
    the indicator: its name, its range, and which way is better."""
    indicator = INDICATORS.get(settings.indicator)
    if indicator is None:
        raise OptimizationError(
            f"{where('indicator')}: unknown indicator '{settings.indicator}'"
            f"{suggest(settings.indicator, tuple(INDICATORS))}; allowed: "
            f"{', '.join(INDICATORS)}"
        )
    if (settings.at_least is None) == (settings.at_most is None):
        raise OptimizationError(
            f"{path}: [optimization] needs the target as at_least = ... or at_most = ... "
            f"(one of them), e.g. at_least = 0.6 for {settings.indicator}"
        )
    key, threshold, direction = (
        ("at_least", settings.at_least, +1)
        if settings.at_least is not None
        else ("at_most", settings.at_most, -1)
    )
    bounds = BOUNDED.get(indicator.unit)
    if bounds is not None and not bounds[0] < threshold < bounds[1]:
        raise OptimizationError(
            f"{where(key)}: {key} = {threshold:g} cannot be a target for "
            f"{settings.indicator} (a share from 0 to 1); allowed: a number between 0 and 1"
        )
    if bounds is None and threshold < 0:
        raise OptimizationError(
            f"{where(key)}: {key} = {threshold:g} cannot be a target for "
            f"{settings.indicator} ({indicator.unit}, never below 0); allowed: a number from 0 up"
        )
    if indicator.better and indicator.better != direction:
        better = "higher" if indicator.better > 0 else "lower"
        raise OptimizationError(
            f"{where(key)}: for {settings.indicator} {better} is better, so the target is "
            f"{'at_least' if indicator.better > 0 else 'at_most'} = ..., not {key}"
        )
    return float(threshold), direction


def _levers(levers_raw: Any, scenario: Scenario, base: dict, path: Path, text: str):
    if not isinstance(levers_raw, dict) or not levers_raw:
        raise OptimizationError(
            f"{path}: [levers] is missing or empty; name at least one lever, e.g. "
            "coordinator_hours = { low = 0, high = 160, step = 10 }"
        )
    if scenario.actors is not None:
        for count in FIXED:
            if count in levers_raw:
                raise OptimizationError(
                    f"{located(path, text, 'levers', count)}: {count} is given by the actor "
                    f"list of the scenario ({scenario.actors.path.name}); it cannot be a lever"
                )
    return tuple(
        _lever(name, spec, base, located(path, text, "levers", name))
        for name, spec in levers_raw.items()
    )


def locate_optimization(ref: str) -> Path:
    """A path, or a name in ./experiments or the project's experiments/."""
    return locate_in_experiments(ref, OptimizationError, "optimisation")


def _check_top(raw: dict, path: Path, text: str, ref: str) -> None:
    for kind, command in (("experiment", "sweep"), ("calibration", "calibrate")):
        if kind in raw:
            raise OptimizationError(
                f"{path}: is a {kind} file; run it with: kommune {command} {ref}"
            )
    for key in raw:
        if key not in TOP_KEYS:
            raise OptimizationError(
                f"{located(path, text, None, key)}: unknown key '{key}'"
                f"{suggest(key, TOP_KEYS)}; allowed: {', '.join(TOP_KEYS)}"
            )


def load_optimization(ref: str) -> Optimization:
    """Load and check an optimisation file and its scenario."""
    path = locate_optimization(ref)
    raw, text = read_toml(path, OptimizationError)
    _check_top(raw, path, text, ref)
    section = raw.get("optimization")
    if not isinstance(section, dict):
        raise OptimizationError(f"{path}: the [optimization] table is missing (it needs a title)")
    settings = checked_table(raw, "optimization", Settings, OptimizationError, path, text)

    def where(key: str) -> str:
        return located(path, text, "optimization", key)

    scenario = base_scenario(settings.scenario, path, text, "optimization", OptimizationError)
    months = scenario.params.months if settings.months is None else settings.months
    threshold, direction = _target(settings, path, where)
    base = {**scenario.params.model_dump(), "months": months}
    levers = _levers(raw.get("levers"), scenario, base, path, text)
    for corner in (
        {lever.name: lever.low for lever in levers},
        {lever.name: lever.high for lever in levers},
    ):
        try:
            make_params({**base, **corner}, where="")
        except ParameterError as error:
            shown = ", ".join(f"{k} = {v:g}" for k, v in corner.items())
            raise OptimizationError(
                f"{path}: [levers]: at {shown} the model cannot run "
                f"({str(error).removeprefix(': ')}); narrow the ranges"
            ) from None
    return Optimization(
        name=path.stem,
        path=path,
        title=settings.title,
        description=settings.description,
        scenario=scenario,
        months=months,
        indicator=settings.indicator,
        threshold=float(threshold),
        direction=direction,
        share=settings.share,
        replications=settings.replications,
        check_replications=settings.check_replications,
        trials=settings.trials,
        seed=settings.seed,
        unit=settings.unit,
        levers=levers,
    )
