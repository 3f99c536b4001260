"""A run starts from a state the network could be in, and no indicator is stuck at a bound.

Every simulation starts from values nobody observed (founding motivations, expectations,
ties drawn at random); the spin-up (ODD 5) runs them off before the reported months, so
that a run's first months are not a spike and ``kommune run``'s change column reports the
network's dynamics, not the model's start. Over replications of the default scenario: the
first month lies within the spread of the months that follow, and no indicator sits at
its bound for most of a run unless that is the point (ODD 7.11 names those).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.files.scenario import load
from sim.indicators import INDICATORS, SHARES
from sim.runs.replicate import Condition, replicate

SEEDS = range(10)
# meetings_held is 1 wherever someone is paid to convene, as in the default network; it
# moves only where nobody is (tests/test_meetings.py: about 0.75 there)
AT_A_BOUND_BY_DESIGN = (
    "active_administration",
    "nette_runde",
    "duplicate_structures",
    "meetings_held",
)
HEADLINE = (
    "effectiveness",
    "coverage_simple",
    "coverage_complex",
    "coverage_hard_to_reach",
    "cooperation",
    "trust",
    "goal_consensus",
    "motivation",
    "attendance",
    "members",
)


@pytest.fixture(scope="module")
def default_runs():
    scenario = load("default")
    return replicate({"default": Condition(scenario.params, tuple(scenario.events))}, SEEDS)[
        "default"
    ]


@pytest.mark.parametrize("indicator", HEADLINE)
def test_the_first_month_is_no_spike(default_runs, indicator):
    """Month 1 moves into month 13 no more than any later month moves into the same month of
    the next year, and the first year changes no faster than the later ones.

    The year has a rhythm of its own (the funding round decides grants at its start, and
    carriers wait for them on interim money, ODD 7.9), so month 1 is compared with the same
    month a year later, paired by seed: a start transient makes that first year-on-year
    change stand out (beyond the largest later one plus three standard errors); a slow
    trend of the network itself (trust growing over a decade) does not."""
    same_month = np.array([t[indicator].to_numpy(dtype=float)[::12] for t in default_runs])
    changes = np.diff(same_month, axis=1)  # seeds x years: month 1 -> 13, 13 -> 25, ...
    first = changes[:, 0]
    se = first.std(ddof=1) / np.sqrt(len(first))
    later = np.abs(changes[:, 1:].mean(axis=0)).max()
    assert abs(first.mean()) <= later + 3.0 * se, (first.mean(), later, se)
    years = np.array(
        [[t[indicator].iloc[12 * y : 12 * (y + 1)].mean() for y in range(10)] for t in default_runs]
    ).mean(axis=0)
    steps = np.abs(np.diff(years))
    floor = 1e-3 * max(1.0, abs(years.mean()))
    assert steps[0] <= 3.0 * max(steps[1:].mean(), floor), years


def test_no_indicator_sits_at_its_bound_for_most_of_a_run(default_runs):
    stuck = {}
    for name in INDICATORS:
        if name in AT_A_BOUND_BY_DESIGN:
            continue
        shares = []
        for table in default_runs:
            values = table[name].to_numpy(dtype=float)
            at_bound = np.isclose(values, 0.0)
            if name in SHARES:
                at_bound |= np.isclose(values, 1.0)
            shares.append(at_bound.mean())
        if np.mean(shares) >= 0.5:
            stuck[name] = float(np.mean(shares))
    assert not stuck, f"at a bound for most of the run: {stuck}"
