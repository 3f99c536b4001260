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

from sim.indicators import INDICATORS, SHARES
from sim.replicate import Condition, replicate
from sim.scenario import load

SEEDS = range(10)
AT_A_BOUND_BY_DESIGN = ("active_administration", "nette_runde", "duplicate_structures")
HEADLINE = ("effectiveness", "coverage_simple", "coverage_complex", "coverage_hard_to_reach",
            "cooperation", "trust", "goal_consensus", "motivation", "attendance", "members")


@pytest.fixture(scope="module")
def default_runs():
    scenario = load("default")
    return replicate({"default": Condition(scenario.params, tuple(scenario.events))},
                     SEEDS)["default"]


@pytest.mark.parametrize("indicator", HEADLINE)
def test_the_first_month_is_no_spike(default_runs, indicator):
    """Month 1 lies within the month-to-month spread of months 2-36 (per seed: at most
    three of that spread away from their mean, and on average not more than one), and the
    first year is no outlier among the run's ten years."""
    gaps = []
    for table in default_runs:
        series = table[indicator].to_numpy(dtype=float)
        rest = series[1:36]
        spread = max(rest.std(ddof=1), 1e-3 * max(1.0, abs(rest.mean())))
        gaps.append((series[0] - rest.mean()) / spread)
    gaps = np.array(gaps)
    assert np.all(np.abs(gaps) < 3.0), gaps
    assert abs(gaps.mean()) < 1.0, gaps
    years = np.array([[t[indicator].iloc[12 * y:12 * (y + 1)].mean() for y in range(10)]
                      for t in default_runs]).mean(axis=0)
    later = years[1:]
    spread = max(later.std(ddof=1), 1e-3 * max(1.0, abs(later.mean())))
    assert abs(years[0] - later.mean()) < 3.0 * spread, years


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
