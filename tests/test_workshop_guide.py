"""The trainer's guide (docs/workshop-leitfaden.md) tells the room what it will see. These
tests keep it true when the model changes: the guide's directions over replications, and
the story of the guide's own run (scenario "default", seed 42, as the dashboard starts),
driven through the dashboard's Session exactly as a trainer's clicks would.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from sim.dashboard.session import Session

SEEDS = range(12)


def run(
    seed: int, months: int, levers: dict | None = None, events: dict[int, str] | None = None
) -> Session:
    session = Session("default", seed=seed)
    for name, value in (levers or {}).items():
        session.set_lever(name, value)
    for month in range(1, months + 1):
        if month in (events or {}):
            session.trigger(events[month])
        session.step()
    return session


def late(session: Session, indicator: str) -> float:
    """Mean of months 49-60: a year after the guide's interventions at month 36."""
    return float(np.mean(session.series(indicator)[48:60]))


WAY_OUT = {
    "competition_intensity": 0.1,
    "joint_funding_share": 0.8,
    "eye_level": 0.9,
    "hierarchy": 0.1,
}


CASES = [
    (WAY_OUT, None, "joint_coverage", +1),  # act 2
    (WAY_OUT, None, "effectiveness", +1),  # act 2
    (WAY_OUT, None, "nette_runde", -1),  # act 2
    ({"coordinator_hours": 0.0}, None, "joint_coverage", -1),  # act 3
    ({"coordinator_hours": 0.0}, None, "members", -1),  # act 3
    (None, {36: "coordinator_ends"}, "coverage_complex", -1),  # act 4
    ({"eye_level": 0.9, "hierarchy": 0.1}, None, "coverage_hard_to_reach", +1),  # variant
    ({"competition_intensity": 0.9, "joint_funding_share": 0.0}, None, "effectiveness", -1),
    (None, {36: "funding_cut"}, "coverage_simple", -1),  # things to try
]
USED = sorted({indicator for _, _, indicator, _ in CASES})


def _late_values(job: tuple) -> dict[str, float]:
    seed, levers, events = job
    session = run(seed, 60, levers, events)
    return {indicator: late(session, indicator) for indicator in USED}


def in_pool(levers: dict | None, events: dict | None) -> list[dict[str, float]]:
    """The guide's run on every seed, two at a time (each run is a whole dashboard
    session: the spin-up and 60 months)."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_late_values, [(seed, levers, events) for seed in SEEDS]))


@pytest.fixture(scope="module")
def default_runs():
    return in_pool(None, None)


@pytest.mark.parametrize(("levers", "events", "indicator", "sign"), CASES)
def test_the_guides_directions_hold_over_replications(
    default_runs, levers, events, indicator, sign
):
    """Paired by seed (as compare mode is): the mean difference lies beyond three
    standard errors in the direction the guide states."""
    diffs = np.array(
        [
            changed[indicator] - base[indicator]
            for changed, base in zip(in_pool(levers, events), default_runs, strict=True)
        ]
    )
    se = diffs.std(ddof=1) / np.sqrt(len(diffs))
    assert sign * diffs.mean() > 3 * se, (diffs.mean(), se)


def test_the_guides_own_run_tells_the_story_it_promises():
    """Act 1: the default network is a nette Runde from month 1 on. Act 2: with the four
    levers moved, B leaves it within three years and does more jointly; A stays in it.
    Act 3: without a coordinator, fewer members and less joint work by month 60. Act 4: a
    year after the position ends, less complex need is served than at month 36 and than
    without the end."""
    a = run(42, 60)
    assert all(flag == 1.0 for flag in a.series("nette_runde")[:36])
    b = run(42, 60, WAY_OUT)
    off = b.series("nette_runde").index(0.0) + 1
    assert 18 <= off <= 36
    assert b.series("joint_coverage")[35] > a.series("joint_coverage")[35] + 0.1
    assert b.series("effectiveness")[35] > a.series("effectiveness")[35] + 0.05
    none = run(42, 60, {"coordinator_hours": 0.0})
    assert none.series("members")[59] < a.series("members")[59]
    assert none.series("joint_coverage")[59] < a.series("joint_coverage")[59] - 0.05
    ends = run(42, 60, events={36: "coordinator_ends"})
    assert late(ends, "coverage_complex") < ends.series("coverage_complex")[35]
    assert late(ends, "coverage_complex") < late(a, "coverage_complex") - 0.05
