"""What each lever does, measured.

``LEVERS`` is one table, one row per claim about a lever: move ``parameter`` from ``low``
to ``high`` in a shipped ``scenario`` (plus ``extra`` parameter changes for both settings)
and ``indicator`` should move in the direction ``sign`` (+1 raises, -1 lowers), as the
``source`` says. ``check`` runs both settings with the same seeds (common random numbers,
``sim.runs.replicate``) and judges the paired difference of the indicator's final value (mean
of the last 12 months, ``sim.indicators.final_values``):

* ``"direction"``: the mean paired difference lies beyond 2 standard errors in the stated
  direction;
* ``"sd"`` (the rule for every lever the workshop dashboard shows, ``sim.dashboard.session``
  LEVERS and STRUCTURE): in addition, it exceeds one seed-SD of the indicator (the pooled
  standard deviation across seeds of both settings): a lever a trainer moves in front of a
  room must make a difference larger than the luck of the draw.

A row for a dashboard lever may ask for less than "sd" only with a ``note`` saying why.

``kommune validate`` (``sim.validation.page``) runs the docking checks
(``sim.validation.docking``), every pattern claim (``sim.validation.patterns``) and every
lever row, and writes ``docs/validation.md`` with the same numbers as CSV in
``docs/validation/`` (``docking.csv``, ``patterns.csv``,
``levers.csv``) and the run's facts in ``docs/validation/run.json``. The page is rendered
from those CSV files alone, so ``tests/test_validation.py`` can check that the page, the
CSV files and the definitions in the code are in step.

To edit the table: change, add or remove a ``Lever(...)`` row below, then regenerate the
page (``uv run kommune validate``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from sim.files.scenario import SCENARIO_DIR, Scenario, load
from sim.indicators import FINAL_MONTHS, INDICATORS
from sim.params import SPEC_BY_NAME, make_params
from sim.runs.replicate import Condition, replicate

REQUIREMENTS = ("sd", "direction")
LEVER_SEED = 42
"""Root seed of the lever checks' seeds (``seeds_for(LEVER_SEED, n)``, as ``kommune compare``)."""


def dashboard_settings() -> tuple[str, ...]:
    """Every parameter the workshop dashboard shows: its levers and its structure settings."""
    from sim.dashboard import session

    return tuple(session.LEVERS) + tuple(session.STRUCTURE)


@dataclass(frozen=True, eq=False)
class Lever:
    """One lever check: parameter, where, which two settings, what should move, and why."""

    parameter: str
    scenario: str
    low: Any
    high: Any
    indicator: str
    sign: int  # +1: the indicator rises from low to high; -1: it falls
    source: str
    extra: dict[str, Any] = field(default_factory=dict)  # changed in both settings
    required: str | None = None  # None: "sd" for dashboard levers, "direction" for others
    note: str = ""  # why a dashboard lever asks for less than "sd"

    @property
    def id(self) -> str:
        return f"{self.parameter} -> {self.indicator} ({self.scenario})"

    @property
    def shown(self) -> bool:
        """Whether the workshop dashboard shows this parameter (a lever or a structure)."""
        return self.parameter in dashboard_settings()

    @property
    def requirement(self) -> str:
        if self.required is not None:
            return self.required
        return "sd" if self.shown else "direction"

    def condition(self, setting: Any) -> Condition:
        """The scenario with ``extra`` and the lever at ``setting``."""
        scenario = _scenario(self.scenario)
        values = {**scenario.params.model_dump(), **self.extra, self.parameter: setting}
        return Condition(make_params(values, where=f"lever {self.id}"), scenario.events)

    def definition(self) -> dict[str, str]:
        """The row as text, exactly as ``levers.csv`` records it."""
        return {
            "id": self.id,
            "parameter": self.parameter,
            "scenario": self.scenario,
            "low": json.dumps(self.low),
            "high": json.dumps(self.high),
            "extra": json.dumps(self.extra, sort_keys=True),
            "indicator": self.indicator,
            "sign": f"{self.sign:+d}",
            "required": self.requirement,
            "shown": "yes" if self.shown else "no",
            "source": self.source,
            "note": self.note,
        }


@cache
def _scenario(name: str) -> Scenario:
    return load(str(SCENARIO_DIR / f"{name}.toml"))


# --- the table (edit here; then `uv run kommune validate`) -----------------------------------

DUPLICATES_ARISING = {"initial_duplicates": 8, "duplicate_emergence": 3.0}

LEVERS: tuple[Lever, ...] = (
    Lever(
        "coordinator_hours",
        "default",
        0.0,
        160.0,
        "effectiveness",
        +1,
        "[000] jemand, der das Netzwerk koordiniert; [002] These 2",
    ),
    Lever(
        "coordinator_competence",
        "coordinated",
        0.0,
        1.0,
        "effectiveness",
        +1,
        "[004] Fortbildung der Koordination",
    ),
    Lever(
        "leadership_support",
        "coordinated",
        0.0,
        1.0,
        "effectiveness",
        +1,
        "[004] Führungskräfte; [001] Unterstützung der Verwaltungsspitze",
    ),
    Lever("joint_funding_share", "default", 0.0, 0.8, "cooperation", +1, "[001], [002] These 1"),
    Lever("competition_intensity", "default", 0.1, 0.9, "carrier_motivation", -1, "[002] These 1"),
    Lever("eye_level", "default", 0.1, 0.9, "coverage_hard_to_reach", +1, "[002] These 3"),
    Lever("eye_level", "default", 0.1, 0.9, "volunteer_retention", +1, "[002] These 3"),
    Lever(
        "hierarchy",
        "default",
        0.0,
        1.0,
        "volunteer_retention",
        -1,
        "[004] Hierarchien vs heterarchische Netzwerkarbeit",
    ),
    Lever(
        "hierarchy",
        "default",
        0.0,
        1.0,
        "coverage_hard_to_reach",
        -1,
        "[004] Hierarchien vs heterarchische Netzwerkarbeit",
    ),
    Lever("persistence", "coordinator_ends", 0.0, 0.9, "members", +1, "[003] Durchhaltevermögen"),
    Lever("governance", "default", "shared", "nao", "effectiveness", +1, "Provan & Kenis 2008"),
    Lever(
        "volunteers_in_steering",
        "default",
        False,
        True,
        "coverage_hard_to_reach",
        +1,
        "[003] Zielgruppen in der Steuerungsgruppe; [002] These 3",
    ),
    Lever(
        "n_volunteers",
        "default",
        4,
        30,
        "coverage_hard_to_reach",
        +1,
        "[002] These 3 (Ehrenamt erreicht neue Zielgruppen); [003]",
    ),
    Lever(
        "n_carriers",
        "competitive_funding",
        8,
        40,
        "carrier_motivation",
        -1,
        "[001] Sprachkursträger; [002] These 1 (more competitors)",
    ),
    # duplicates that keep arising (3 ad-hoc groups a year): how many stand at a time is
    # how fast they arise times how long a merge takes, so slow decisions show
    Lever(
        "bureaucratic_delay",
        "transparency",
        0.0,
        1.0,
        "duplicate_structures",
        +1,
        "[001] schädliche Prozessdauer",
        extra=DUPLICATES_ARISING,
    ),
    Lever(
        "steering_interval",
        "transparency",
        1,
        12,
        "duplicate_structures",
        +1,
        "[003] Steuerungsgruppe: richtungsweisende Entscheidungen",
        extra=DUPLICATES_ARISING,
    ),
    Lever(
        "working_group_interval",
        "default",
        1,
        6,
        "effectiveness",
        -1,
        "[003] Begegnung; regelmäßiges Treffen",
    ),
    Lever(
        "coordinator_cost_share",
        "coordinated",
        0.0,
        1.0,
        "coverage_simple",
        -1,
        "Provan & Kenis 2008 (equal resources)",
    ),
    Lever("tolerance", "default", 0.05, 0.4, "goal_consensus", +1, "Deffuant et al. 2000"),
)


def check_definitions(levers: Iterable[Lever]) -> None:
    """Names, directions and requirements of every row; a typo fails at import, not a run.
    (Whether each row's settings are allowed values is checked by building its conditions,
    in tests/test_validation.py.)"""
    ids = set()
    for lever in levers:
        where = f"sim.validation.LEVERS: {lever.id}"
        if lever.parameter not in SPEC_BY_NAME:
            raise ValueError(f"{where}: unknown parameter '{lever.parameter}'")
        wrong = [k for k in lever.extra if k not in SPEC_BY_NAME or k == lever.parameter]
        if wrong:
            raise ValueError(f"{where}: extra must set other, known parameters, not {wrong}")
        if not (SCENARIO_DIR / f"{lever.scenario}.toml").is_file():
            raise ValueError(f"{where}: no shipped scenario '{lever.scenario}'")
        if lever.indicator not in INDICATORS:
            raise ValueError(f"{where}: unknown indicator '{lever.indicator}'")
        if lever.sign not in (1, -1):
            raise ValueError(f"{where}: sign must be +1 or -1")
        if lever.required not in (None, *REQUIREMENTS):
            raise ValueError(f"{where}: required must be one of {REQUIREMENTS}")
        if lever.shown and lever.requirement != "sd" and not lever.note:
            raise ValueError(
                f"{where}: the dashboard shows {lever.parameter}, so it requires "
                "'sd' unless a note says why not"
            )
        if lever.low == lever.high:
            raise ValueError(f"{where}: low and high are the same setting")
        if lever.id in ids:
            raise ValueError(f"{where}: a second row with the same id")
        ids.add(lever.id)


check_definitions(LEVERS)


# --- checking -----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class LeverResult:
    lever: Lever
    n: int
    low_mean: float
    high_mean: float
    diff: float  # mean paired difference, high - low
    se: float  # its standard error
    seed_sd: float  # pooled SD of the indicator across seeds (both settings)

    @property
    def ratio(self) -> float:
        """diff / seed-SD (signed)."""
        if self.seed_sd > 0:
            return self.diff / self.seed_sd
        return float(np.sign(self.diff)) * np.inf if self.diff else float("nan")

    @property
    def verdict(self) -> str:
        """holds; below 1 SD (right direction, clear, but smaller than the seeds' spread);
        unclear (within 2 standard errors); reversed (clearly the other way)."""
        toward = self.lever.sign * self.diff
        if toward <= 2 * self.se:
            return "reversed" if -toward > 2 * self.se else "unclear"
        if self.lever.requirement == "sd" and toward <= self.seed_sd:
            return "below 1 SD"
        return "holds"

    @property
    def holds(self) -> bool:
        return self.verdict == "holds"

    def explain(self) -> str:
        lever = self.lever
        return (
            f"{lever.id}: {lever.parameter} {json.dumps(lever.low)} -> "
            f"{json.dumps(lever.high)} moves {lever.indicator} by {self.diff:+.4f} "
            f"(SE {self.se:.4f}, seed-SD {self.seed_sd:.4f}, n = {self.n}); expected "
            f"{'+' if lever.sign > 0 else '-'}, required '{lever.requirement}': "
            f"{self.verdict}"
        )


def _key(condition: Condition) -> str:
    return json.dumps(
        [condition.params.model_dump(), [repr(e) for e in condition.events]],
        sort_keys=True,
        default=str,
    )


def lever_conditions(levers: Sequence[Lever]) -> tuple[dict[str, Condition], list[tuple]]:
    """The distinct conditions the rows need (rows that share a setting share its runs) and,
    per row, the names of its low and high condition."""
    by_key: dict[str, str] = {}
    conditions: dict[str, Condition] = {}
    pairs = []
    for lever in levers:
        pair = []
        for setting in (lever.low, lever.high):
            condition = lever.condition(setting)
            key = _key(condition)
            if key not in by_key:
                by_key[key] = f"c{len(by_key)}"
                conditions[by_key[key]] = condition
            pair.append(by_key[key])
        pairs.append(tuple(pair))
    return conditions, pairs


def check_all(
    levers: Sequence[Lever],
    seeds: Iterable[int],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[LeverResult]:
    """Check every row, all runs in one pool (``progress(1)`` after each run)."""
    seeds = list(seeds)
    if len(seeds) < 2:
        raise ValueError("a lever check needs at least 2 seeds")
    conditions, pairs = lever_conditions(levers)
    tables = replicate(conditions, seeds, workers=workers, progress=progress)
    results = []
    for lever, (low, high) in zip(levers, pairs, strict=True):
        a = np.array([float(t[lever.indicator].iloc[-FINAL_MONTHS:].mean()) for t in tables[low]])
        b = np.array([float(t[lever.indicator].iloc[-FINAL_MONTHS:].mean()) for t in tables[high]])
        d = b - a
        results.append(
            LeverResult(
                lever,
                len(seeds),
                float(a.mean()),
                float(b.mean()),
                float(d.mean()),
                float(d.std(ddof=1) / np.sqrt(len(d))),
                float(np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)),
            )
        )
    return results


def check(lever: Lever, seeds: Iterable[int], workers: int | None = None) -> LeverResult:
    """Run both settings of ``lever`` with the same ``seeds`` and judge the difference."""
    return check_all([lever], seeds, workers)[0]


def lever_runs(levers: Sequence[Lever], n: int) -> int:
    return len(lever_conditions(levers)[0]) * n
