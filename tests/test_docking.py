"""Docking: two submodels on their own reproduce the literature they come from.

* Goal alignment (bounded confidence) in the degenerate setting - uniform goals in one
  dimension, one body where everyone meets everyone - gives about 1/(2d) clusters, as in
  Deffuant, Neau, Amblard & Weisbuch (2000), at several thresholds d.
* Conditional cooperation with no supporting mechanism gives contributions that decline
  over ten rounds, as in repeated public-goods experiments (Fehr & Gächter 2000;
  Fischbacher, Gächter & Fehr 2001), every round within 0.05 of the reference curve (their
  round means fall roughly evenly from about 0.45 to about 0.11 of the endowment);
  supports hold them up.

Both use the very functions the model's meetings and working groups call; the helpers
live in ``sim.validation.docking``, which also states these checks as rows for ``kommune validate``.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.validation.docking import (
    FEHR_TOLERANCE,
    HELD_SUPPORT,
    deffuant_clusters,
    public_goods,
    reference_curve,
)


@pytest.mark.parametrize("d", [0.1, 0.15, 0.2, 0.3])
def test_bounded_confidence_gives_about_one_over_2d_clusters(d):
    counts = [deffuant_clusters(d, seed) for seed in range(5)]
    assert abs(np.median(counts) - 1 / (2 * d)) <= 1.0, counts
    assert all(abs(c - 1 / (2 * d)) <= 1.5 for c in counts), counts


def test_wider_tolerance_gives_fewer_clusters():
    narrow = np.mean([deffuant_clusters(0.1, s) for s in range(3)])
    wide = np.mean([deffuant_clusters(0.25, s) for s in range(3)])
    assert narrow >= wide + 2


def test_bare_conditional_cooperation_declines_over_ten_rounds():
    runs = public_goods(groups=300, size=4, rounds=10, support=0.0, seed=3)
    mean = runs.mean(axis=0)
    assert np.all(np.diff(mean) < 0), mean  # falls every round
    assert 0.3 <= mean[0] <= 0.6  # first rounds: 40-60 % in experiments, within a margin
    assert mean[-1] < 0.5 * mean[0], mean  # less than half by round 10
    drop = runs[:, 0] - runs[:, -1]
    low = drop.mean() - stats.t.ppf(0.975, len(drop) - 1) * drop.std(ddof=1) / np.sqrt(len(drop))
    assert low > 0.15


def test_bare_conditional_cooperation_follows_the_experiments_round_by_round():
    mean = public_goods(groups=300, size=4, rounds=10, support=0.0, seed=3).mean(axis=0)
    assert np.abs(mean - reference_curve()).max() <= FEHR_TOLERANCE, mean


def test_supporting_mechanisms_hold_contributions_up():
    bare = public_goods(groups=200, size=4, rounds=10, support=0.0, seed=4).mean(axis=0)
    held = public_goods(groups=200, size=4, rounds=10, support=HELD_SUPPORT, seed=4).mean(axis=0)
    assert held[-1] > 0.9 * held[0]
    assert held[-1] > bare[-1] + 0.3
