"""The model's core may be rewritten for speed (issue 14: ties in arrays, vector operations)
but must stay the same model: reproducible bit for bit from (scenario, seed), and in
distribution the same as the core it replaced.

The reference is tests/data/core_reference.json: for every shipped scenario and seeds
0-29, every indicator's mean over the last 12 months, written by the core before the tie
arrays (commit a0c4115; tests/core_reference.py says how to regenerate it).

Stated tolerance, for every shipped scenario and headline indicator (8 x 14 = 112
comparisons of 30 runs against 30):
* the two-sample Kolmogorov-Smirnov test does not reject equal distributions at
  p < 0.0001 (over 112 comparisons of truly equal distributions a false alarm has a chance
  of about 1 %), and
* the means differ by at most half the reference's seed-to-seed standard deviation (or
  1e-9 where it does not vary).
A core that only sums in another order passes with identical numbers; one that changes the
order of the month's operations (all groups' joint work at once, say) must pass on
distribution alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ks_2samp

from sim.files.scenario import load_all
from sim.indicators import HEADLINE
from sim.runs.replicate import Condition, replicate
from sim.runs.runner import run
from tests.core_reference import SEEDS, finals

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "core_reference.json").read_text(encoding="utf-8")
)
KS_P = 1e-4
MEAN_SDS = 0.5


def test_every_shipped_scenario_has_a_reference():
    assert sorted(REFERENCE["scenarios"]) == sorted(s.name for s in load_all())
    assert all(len(runs) == len(SEEDS) for runs in REFERENCE["scenarios"].values())


@pytest.fixture(scope="module")
def current() -> dict[str, list[dict[str, float]]]:
    """The current core's final indicators for every reference run."""
    return finals(sorted(REFERENCE["scenarios"]))


@pytest.mark.parametrize("scenario", sorted(REFERENCE["scenarios"]))
def test_the_core_agrees_in_distribution_with_the_reference(current, scenario):
    now = current[scenario]
    before = REFERENCE["scenarios"][scenario]
    failed = []
    for name in HEADLINE:
        x = np.array([r[name] for r in before])
        y = np.array([r[name] for r in now])
        sd = float(x.std(ddof=1))
        gap = abs(float(y.mean() - x.mean()))
        if gap > max(MEAN_SDS * sd, 1e-9):
            failed.append(f"{name}: mean {y.mean():.4f} against {x.mean():.4f} (SD {sd:.4f})")
        if sd > 0 or y.std() > 0:
            p = ks_2samp(x, y, method="asymp").pvalue
            if p < KS_P:
                failed.append(f"{name}: Kolmogorov-Smirnov p = {p:.2g}")
    assert not failed, f"{scenario}: " + "; ".join(failed)


def test_the_core_is_reproducible_bit_for_bit():
    """Two runs of one (scenario, seed), in this process and in a worker process, give
    identical tables, to the last bit."""
    sc = load_all()[0]
    arms = {"a": Condition(sc.params, sc.events), "b": Condition(sc.params, sc.events)}
    here = run(sc.params, 7, sc.events).table
    there = replicate(arms, [7], workers=2)
    for table in there.values():
        pd.testing.assert_frame_equal(table[0], here, check_exact=True)
