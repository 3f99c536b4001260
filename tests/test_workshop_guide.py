"""The trainer's guide (docs/workshop-leitfaden.md) tells the room what it will see. These
tests keep it true when the model changes: the guide's directions over replications, and
the story of the guide's own run (scenario "default", seed 42, as the dashboard starts),
driven through the dashboard's Session exactly as a trainer's clicks would.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.dashboard.session import Session

SEEDS = range(12)


def run(seed: int, months: int, levers: dict | None = None,
        events: dict[int, str] | None = None) -> Session:
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


@pytest.fixture(scope="module")
def default_runs():
    return [run(seed, 60) for seed in SEEDS]


@pytest.mark.parametrize(("levers", "events", "indicator", "sign"), [
    ({"coordinator_hours": 0.0}, None, "effectiveness", -1),                        # act 3
    (None, {36: "coordinator_ends"}, "effectiveness", -1),                          # act 2
    ({"competition_intensity": 0.9, "joint_funding_share": 0.0}, None, "effectiveness", -1),
    ({"eye_level": 0.9, "hierarchy": 0.1}, None, "coverage_hard_to_reach", +1),     # act 4
    (None, {36: "funding_cut"}, "members", -1),                               # things to try
])
def test_the_guides_directions_hold_over_replications(default_runs, levers, events,
                                                      indicator, sign):
    """Paired by seed (as compare mode is): the mean difference lies beyond three
    standard errors in the direction the guide states."""
    diffs = np.array([late(run(seed, 60, levers, events), indicator) - late(base, indicator)
                      for seed, base in zip(SEEDS, default_runs, strict=True)])
    se = diffs.std(ddof=1) / np.sqrt(len(diffs))
    assert sign * diffs.mean() > 3 * se, (diffs.mean(), se)


def test_the_guides_own_run_tells_the_story_it_promises():
    """Act 1: the nette-Runde warning comes in the first year and a half and is gone by
    month 36. Act 2: a year after the coordinator leaves, effectiveness and hard-to-reach
    coverage are lower and the warning is back."""
    act1 = run(42, 36)
    flags = act1.series("nette_runde")
    first = flags.index(1.0) + 1
    assert 10 <= first <= 18
    assert flags[-1] == 0.0
    act2 = run(42, 60, events={36: "coordinator_ends"})
    assert late(act2, "effectiveness") < act1.series("effectiveness")[35] - 0.05
    assert late(act2, "coverage_hard_to_reach") < act1.series("coverage_hard_to_reach")[35]
    assert 1.0 in act2.series("nette_runde")[36:60]
