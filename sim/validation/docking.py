"""Docking: two submodels on their own reproduce the literature they come from.

* Goal alignment (bounded confidence) in the degenerate setting - uniform goals in one
  dimension, one body where everyone meets everyone - gives about 1/(2d) clusters, as in
  Deffuant, Neau, Amblard & Weisbuch (2000), at several thresholds d.
* Conditional cooperation with no supporting mechanism gives contributions that decline
  over ten rounds, as in repeated public-goods experiments (Fehr & Gächter 2000;
  Fischbacher, Gächter & Fehr 2001); supports hold them up.

Both use the very functions the model's meetings and working groups call.
``tests/test_docking.py`` asserts these; ``DOCKING`` states the same checks as rows for
``kommune validate`` (what, source, measured, tolerance, verdict).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import stats

from sim.mechanisms.bodies import encounter_pairs
from sim.mechanisms.cooperation import contribution, draw_slope, update_expectation
from sim.mechanisms.goals import align, count_clusters
from sim.params import make_params

N = 500
MEETINGS = 200  # each meeting: every member meets two others (the model's ring)


def deffuant_clusters(d: float, seed: int, mu: float = 0.5) -> int:
    """Major clusters after ``MEETINGS`` meetings of ``N`` members with uniform 1-d goals."""
    rng = np.random.default_rng(seed)
    goals = [rng.random(1) for _ in range(N)]
    members = list(range(N))
    for _ in range(MEETINGS):
        for a, b in encounter_pairs(members, rng):
            align(goals[a], goals[b], d, mu)
    return count_clusters(np.array(goals)[:, 0])


def public_goods(groups: int, size: int, rounds: int, support: float, seed: int) -> np.ndarray:
    """Mean contribution per round for ``groups`` groups, the model's defaults for the rest."""
    p = make_params()
    rng = np.random.default_rng(seed)
    trajectory = np.zeros((groups, rounds))
    for g in range(groups):
        slopes = [draw_slope(rng, p.reciprocity) for _ in range(size)]
        expect = [p.initial_expectation] * size
        for r in range(rounds):
            shares = [contribution(expect[i], slopes[i], support) for i in range(size)]
            total = sum(shares)
            expect = [
                update_expectation(expect[i], (total - shares[i]) / (size - 1), p.belief_update)
                for i in range(size)
            ]
            trajectory[g, r] = np.mean(shares)
    return trajectory


# --- the checks as rows (the same settings and criteria as tests/test_docking.py) ------------
THRESHOLDS = (0.1, 0.15, 0.2, 0.3)
CLUSTER_SEEDS = 5


@dataclass(frozen=True)
class DockingCheck:
    name: str
    what: str
    source: str
    tolerance: str
    measure: Callable[[dict], tuple[float, bool]]  # from the shared results: value, holds
    jobs: tuple[tuple[float, int], ...] = ()  # (d, seed) cluster runs it needs


def _clusters(d: float, seeds: int) -> tuple[tuple[float, int], ...]:
    return tuple((d, s) for s in range(seeds))


@cache
def _bare() -> np.ndarray:
    return public_goods(groups=300, size=4, rounds=10, support=0.0, seed=3)


HELD_SUPPORT = 0.25
"""A support as large as the gap conditional cooperators leave at the start,
(1 - reciprocity) x initial_expectation, so that it can hold contributions level."""

FEHR_FIRST, FEHR_LAST, FEHR_TOLERANCE = 0.45, 0.11, 0.05
"""The reference curve: the no-punishment round means of Fehr & Gächter (2000) fall
roughly evenly from just under half to about a tenth of the endowment over ten rounds; the
straight line between 0.45 and 0.11, and how close every round's mean must come to it."""


def reference_curve(rounds: int = 10) -> np.ndarray:
    return np.linspace(FEHR_FIRST, FEHR_LAST, rounds)


@cache
def _pair() -> tuple[np.ndarray, np.ndarray]:
    bare = public_goods(groups=200, size=4, rounds=10, support=0.0, seed=4).mean(axis=0)
    held = public_goods(groups=200, size=4, rounds=10, support=HELD_SUPPORT, seed=4).mean(axis=0)
    return bare, held


def _median_clusters(d: float) -> Callable[[dict], tuple[float, bool]]:
    def measure(counts: dict) -> tuple[float, bool]:
        found = [counts[(d, s)] for s in range(CLUSTER_SEEDS)]
        median = float(np.median(found))
        return median, (
            abs(median - 1 / (2 * d)) <= 1.0 and all(abs(c - 1 / (2 * d)) <= 1.5 for c in found)
        )

    return measure


def _wider(counts: dict) -> tuple[float, bool]:
    gap = np.mean([counts[(0.1, s)] for s in range(3)]) - np.mean(
        [counts[(0.25, s)] for s in range(3)]
    )
    return float(gap), bool(gap >= 2)


def _first_round(_: dict) -> tuple[float, bool]:
    first = float(_bare().mean(axis=0)[0])
    return first, 0.3 <= first <= 0.6


def _falls_every_round(_: dict) -> tuple[float, bool]:
    falling = int(np.sum(np.diff(_bare().mean(axis=0)) < 0))
    return float(falling), falling == 9


def _last_over_first(_: dict) -> tuple[float, bool]:
    mean = _bare().mean(axis=0)
    ratio = float(mean[-1] / mean[0])
    return ratio, ratio < 0.5


def _drop_lower_bound(_: dict) -> tuple[float, bool]:
    runs = _bare()
    drop = runs[:, 0] - runs[:, -1]
    low = drop.mean() - stats.t.ppf(0.975, len(drop) - 1) * drop.std(ddof=1) / np.sqrt(len(drop))
    return float(low), bool(low > 0.15)


def _round_by_round(_: dict) -> tuple[float, bool]:
    gap = float(np.abs(_bare().mean(axis=0) - reference_curve()).max())
    return gap, gap <= FEHR_TOLERANCE


def _held(_: dict) -> tuple[float, bool]:
    _, held = _pair()
    ratio = float(held[-1] / held[0])
    return ratio, ratio > 0.9


def _held_over_bare(_: dict) -> tuple[float, bool]:
    bare, held = _pair()
    gap = float(held[-1] - bare[-1])
    return gap, gap > 0.3


DEFFUANT = "Deffuant et al. 2000"
FEHR = "Fehr & Gächter 2000; Fischbacher, Gächter & Fehr 2001"

DOCKING: tuple[DockingCheck, ...] = (
    *(
        DockingCheck(
            f"clusters_d{d:g}",
            f"bounded confidence, d = {d:g}: median number of major goal clusters "
            f"({N} members, uniform goals, {CLUSTER_SEEDS} seeds)",
            DEFFUANT,
            f"within 1 of 1/(2d) = {1 / (2 * d):.3g}, every seed within 1.5",
            _median_clusters(d),
            _clusters(d, CLUSTER_SEEDS),
        )
        for d in THRESHOLDS
    ),
    DockingCheck(
        "clusters_wider",
        "wider tolerance gives fewer clusters: mean clusters at d = 0.1 minus at "
        "d = 0.25 (3 seeds)",
        DEFFUANT,
        "at least 2",
        _wider,
        _clusters(0.1, 3) + _clusters(0.25, 3),
    ),
    DockingCheck(
        "pg_first_round",
        "bare conditional cooperation: mean first-round contribution (300 groups of 4)",
        FEHR,
        "0.3 to 0.6 (experiments: 40-60 %, with a margin)",
        _first_round,
    ),
    DockingCheck(
        "pg_falls",
        "... rounds (of 9) in which the mean contribution falls",
        FEHR,
        "all 9",
        _falls_every_round,
    ),
    DockingCheck(
        "pg_last_over_first",
        "... round 10 relative to round 1",
        FEHR,
        "below 0.5",
        _last_over_first,
    ),
    DockingCheck(
        "pg_drop",
        "... drop from round 1 to round 10, lower end of its 95 % interval",
        FEHR,
        "above 0.15",
        _drop_lower_bound,
    ),
    DockingCheck(
        "pg_round_by_round",
        "... largest distance of a round's mean from the "
        f"reference curve (straight line {FEHR_FIRST} to {FEHR_LAST})",
        FEHR,
        f"at most {FEHR_TOLERANCE}",
        _round_by_round,
    ),
    DockingCheck(
        "pg_supported",
        f"supports ({HELD_SUPPORT}) hold contributions up: round 10 "
        "relative to round 1 (200 groups of 4)",
        FEHR,
        "above 0.9",
        _held,
    ),
    DockingCheck(
        "pg_supported_gap",
        "... supported minus bare contribution in round 10",
        FEHR,
        "above 0.3",
        _held_over_bare,
    ),
)


def _cluster_job(job: tuple[float, int]) -> tuple[tuple[float, int], int]:
    return job, deffuant_clusters(*job)


def evaluate_docking(
    checks: tuple[DockingCheck, ...] = DOCKING,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[DockingCheck, float, bool]]:
    """(check, measured value, holds) for every check; the cluster runs go to ``workers``
    processes. ``progress(1)`` after each cluster run and each check."""
    jobs = sorted({job for check in checks for job in check.jobs})
    counts: dict[tuple[float, int], int] = {}
    from sim.runs.executor import local

    with local(workers if len(jobs) > 1 else 1) as pool:
        for job, count in pool.map(_cluster_job, jobs, done=progress):
            counts[job] = count
    out = []
    for check in checks:
        value, holds = check.measure(counts)
        out.append((check, value, bool(holds)))
        if progress:
            progress(1)
    return out


def docking_steps(checks: tuple[DockingCheck, ...] = DOCKING) -> int:
    """How many times ``evaluate_docking`` calls ``progress``."""
    return len({job for check in checks for job in check.jobs}) + len(checks)
