"""What a calibration fits: statistics, targets, the simulator of one particle, the distance.

A particle is a set of values for the calibrated parameters. ``Simulator`` runs it: the
base scenario's parameters with the particle's values on top, every condition of every
selected pattern (its changes relative to those parameters) and, for observations, the
base scenario itself with its events, each with the calibration's seeds (the same seeds
for every particle: common random numbers). It returns the summary statistics; the
``Distance`` turns them into one number (see the package docstring for the formula).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats

from sim.indicators import INDICATORS
from sim.mechanisms.events import Event
from sim.params import make_params
from sim.runs.runner import run

SE_FLOOR = 1e-9
"""A claim whose contrast is the same for every seed has no spread; its standard error is
taken as this, so a claim that fails for certain gets a very large, finite distance."""


# --- statistics an observation can name -------------------------------------------------------
@dataclass(frozen=True)
class Statistic:
    name: str
    meaning: str
    unit: str  # "share", "count", "hours" or "ratio", as for indicators
    monthly: Callable[[pd.DataFrame], pd.Series]


def _ratio(part: str, whole: str = "members") -> Callable[[pd.DataFrame], pd.Series]:
    return lambda t: t[part] / t[whole].clip(lower=1)


DERIVED: dict[str, Statistic] = {
    s.name: s
    for s in (
        Statistic(
            "volunteer_share",
            "Share of the members that are volunteer initiatives (active_volunteers / members)",
            "share",
            _ratio("active_volunteers"),
        ),
        Statistic(
            "carrier_share",
            "Share of the members that are carriers (active_carriers / members)",
            "share",
            _ratio("active_carriers"),
        ),
        Statistic(
            "administration_share",
            "Share of the members that are administration "
            "departments (active_administration / members)",
            "share",
            _ratio("active_administration"),
        ),
        Statistic(
            "meeting_hours_per_member",
            "Meeting hours per member and month (meeting_time / members)",
            "hours",
            _ratio("meeting_time"),
        ),
    )
}
"""Statistics derived from the indicators, computed month by month (members counted at
least 1), then averaged like an indicator."""

STATISTICS: dict[str, Statistic] = {
    **{
        name: Statistic(name, i.en, i.unit, lambda t, name=name: t[name])
        for name, i in INDICATORS.items()
    },
    **DERIVED,
}
"""Everything an observation can name: every indicator, and the derived statistics."""


def statistic_value(table: pd.DataFrame, name: str, months: int) -> float:
    """Mean of statistic ``name`` over the last ``months`` months of a run's table."""
    return float(STATISTICS[name].monthly(table).iloc[-months:].mean())


# --- targets -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Observation:
    """One observed quantity of the municipality: a row of the observations file."""

    statistic: str
    value: float
    sd: float
    months: int = 12
    row: int = 0  # where it stands in the file, for messages

    @property
    def key(self) -> str:
        return f"{self.statistic}.last{self.months}"

    @property
    def label(self) -> str:
        return f"{self.statistic} (last {self.months} months)"

    def term(self, x: dict) -> float:
        """((simulated mean - value) / sd)^2."""
        return ((x[f"{self.key}.mean"] - self.value) / self.sd) ** 2


@dataclass(frozen=True)
class ClaimTarget:
    """A checked claim of a pattern: it should hold with its margin."""

    pattern: int
    index: int  # 1-based position among the pattern's claims
    text: str
    margin: float
    replications: int

    @property
    def key(self) -> str:
        return f"pattern{self.pattern}.claim{self.index}"

    @property
    def label(self) -> str:
        return f"pattern {self.pattern}, claim {self.index}: {self.text}"

    @cached_property
    def t_crit(self) -> float:
        """The t quantile of the claim's 95 % interval (as ``sim.validation.patterns``)."""
        return float(stats.t.ppf(0.975, self.replications - 1))

    def shortfall(self, mean: float, se: float) -> float:
        """How many standard errors the claim lacks to hold: 0 when the lower end of its
        95 % interval is above the margin."""
        return max(0.0, self.t_crit - (mean - self.margin) / max(se, SE_FLOOR))

    def holds(self, mean: float, se: float) -> bool:
        return self.shortfall(mean, se) == 0.0

    def term(self, x: dict) -> float:
        return self.shortfall(x[f"{self.key}.mean"], x[f"{self.key}.se"]) ** 2


Target = ClaimTarget | Observation


def claim_targets(numbers: tuple[int, ...], replications: int) -> tuple[ClaimTarget, ...]:
    """The checked claims of the patterns ``numbers`` (as ``sim.validation.patterns.PATTERNS``
    has them now)."""
    from sim.validation.patterns import PATTERNS

    by_number = {p.number: p for p in PATTERNS}
    return tuple(
        ClaimTarget(n, k, claim.text, claim.margin, replications)
        for n in numbers
        for k, claim in enumerate(by_number[n].claims, start=1)
        if claim.checked
    )


# --- one particle --------------------------------------------------------------------------------
@dataclass
class Outcome:
    """Everything one particle's runs give: per claim the contrast of every seed, per
    observation the value of every run."""

    contrasts: dict[str, np.ndarray] = field(default_factory=dict)
    values: dict[str, np.ndarray] = field(default_factory=dict)

    def summary(self) -> dict[str, float]:
        """The summary statistics pyabc stores: a claim's mean and standard error, an
        observation's simulated mean."""
        out: dict[str, float] = {}
        for key, values in self.contrasts.items():
            n = len(values)
            out[f"{key}.mean"] = float(values.mean())
            out[f"{key}.se"] = float(values.std(ddof=1) / np.sqrt(n)) if n > 1 else np.inf
        for key, values in self.values.items():
            out[f"{key}.mean"] = float(values.mean())
        return out


@dataclass(frozen=True)
class Simulator:
    """The model as pyabc sees it: a particle's parameter values -> summary statistics.

    Small and picklable (it names patterns by number and looks them up where it runs), so
    it can go to worker processes and Dask workers alike. Runs one model after the other:
    the parallelism is over particles.
    """

    base: dict  # the base scenario's parameters, with the calibration's months
    events: tuple[Event, ...]  # the base scenario's events (observation runs only)
    patterns: tuple[int, ...]
    observations: tuple[Observation, ...]
    seeds: tuple[int, ...]

    def params(self, theta: dict) -> dict:
        """Parameter values of a particle: the base with the particle's values on top."""
        return {**self.base, **{k: float(v) for k, v in theta.items()}}

    def outcome(self, theta: dict, seeds: tuple[int, ...] | list[int] | None = None) -> Outcome:
        parts = self.parts(theta, seeds)
        outcome = next(parts)  # one Outcome, filled further at each part
        for _ in parts:
            pass
        return outcome

    def parts(
        self, theta: dict, seeds: tuple[int, ...] | list[int] | None = None
    ) -> Iterator[Outcome]:
        """The particle's outcome as it grows: after each pattern's runs, and after the
        observation runs (one ``Outcome``, filled further each time). Early rejection
        (``sim.runs.calibration.model``) stops when what is known already rules it out."""
        from sim.validation.patterns import PATTERNS

        seeds = list(self.seeds if seeds is None else seeds)
        values = self.params(theta)
        outcome = Outcome()
        yield outcome  # nothing run yet (a particle without targets)
        by_number = {p.number: p for p in PATTERNS}
        for number in self.patterns:
            pattern = by_number[number]
            conditions = {name: pattern.condition(name, values) for name in pattern.conditions}
            tables = {
                name: [run(c.params, seed, c.events).table for seed in seeds]
                for name, c in conditions.items()
            }
            for k, claim in enumerate(pattern.claims, start=1):
                if not claim.checked:
                    continue
                # exactly as sim.validation.patterns.evaluate: the contrast of each seed's tables
                outcome.contrasts[f"pattern{number}.claim{k}"] = np.array(
                    [
                        claim.contrast({name: tables[name][i] for name in tables})
                        for i in range(len(seeds))
                    ],
                    dtype=float,
                )
            yield outcome
        if self.observations:
            params = make_params(values, where="calibration particle")
            tables = [run(params, seed, self.events).table for seed in seeds]
            for obs in self.observations:
                outcome.values[obs.key] = np.array(
                    [statistic_value(t, obs.statistic, obs.months) for t in tables]
                )
            yield outcome

    def __call__(self, parameter) -> dict[str, float]:
        return self.outcome(dict(parameter)).summary()


@dataclass(frozen=True)
class Distance:
    """The calibration's distance: the sum of every target's term (deterministic)."""

    targets: tuple[Target, ...]

    def terms(self, x: dict) -> dict[str, float]:
        return {t.key: float(t.term(x)) for t in self.targets}

    def __call__(self, x: dict, x_0: dict | None = None) -> float:
        total = float(sum(self.terms(x).values()))
        return total if np.isfinite(total) else float("inf")

    def known(self, x: dict) -> float:
        """The distance so far: the terms of the targets ``x`` already has. Every term is a
        square, so the full distance is at least this."""
        total = float(sum(t.term(x) for t in self.targets if f"{t.key}.mean" in x))
        return total if np.isfinite(total) else float("inf")
