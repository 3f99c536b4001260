"""The patterns (1-7, docs/ODD.md section 8), each over replications with a statistical
margin.

Every claim is a per-seed contrast between conditions run with the same seeds (common
random numbers); it holds when the lower end of its 95 % confidence interval exceeds the
claim's margin. Ten seeds keep the intervals of most claims off their margins; pattern 6
gets twenty, because volunteer retention is a share of a dozen volunteers and its paired
difference varies by about 0.27 from seed to seed (mean +0.16 over twenty seeds, whose
95 % interval ends 0.05 above zero; ten seeds leave it at the mercy of one seed).
A claim the model is known not to reproduce is listed in KNOWN_DIVERGENCES with its
reason, and checked to still diverge.
"""

from __future__ import annotations

import pytest

from sim.patterns import PATTERNS, evaluate

SEEDS = range(10)
MORE_SEEDS = {6: range(20)}

KNOWN_DIVERGENCES = {
    # Provan & Kenis' small, trusting, consensual network: at the current defaults shared
    # governance trails the independent office (0.017 over these 10 seeds, 0.010 over the
    # validation page's 20; docs/ODD.md section 11). It
    # stays listed until a mechanism (not a constant) closes the gap; the test fails when
    # it starts to hold, so that the list cannot go stale.
    (7, 0),
}


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: f"pattern{p.number}")
def test_pattern_is_reproduced(pattern):
    verdicts = evaluate(pattern, MORE_SEEDS.get(pattern.number, SEEDS))
    failed, diverging = [], []
    for k, v in enumerate(verdicts):
        text = (
            f"{v.claim.text}: mean {v.mean:+.3f}, 95% CI [{v.ci_low:+.3f}, "
            f"{v.ci_high:+.3f}] not above {v.claim.margin:+.3f}"
        )
        if (pattern.number, k) in KNOWN_DIVERGENCES:
            diverging.append((v.holds, text))
        elif not v.holds:
            failed.append(text)
    assert not failed, f"pattern {pattern.number} ({pattern.title}):\n" + "\n".join(failed)
    for holds, text in diverging:
        assert not holds, f"a known divergence now holds; take it off the list: {text}"
