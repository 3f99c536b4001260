"""The patterns (1-7, docs/ODD.md section 8), each over replications with a statistical
margin.

Every claim is a per-seed contrast between conditions run with the same seeds (common
random numbers); it holds when the lower end of its 95 % confidence interval exceeds the
claim's margin. Ten seeds keep the intervals of most claims off their margins; patterns 6
and 7 get twenty. In pattern 6 volunteer retention is a share of a dozen volunteers and
its paired difference varies by about 0.23 from seed to seed (mean +0.16 over twenty
seeds, whose 95 % interval ends 0.05 above zero; ten seeds leave it at the mercy of one
seed). Pattern 7 compares governance modes in networks of 9 to 57 members, where one exit
moves effectiveness by a point or more.
A claim the model is known not to reproduce is listed in KNOWN_DIVERGENCES with its
reason, and checked to still diverge.
"""

from __future__ import annotations

import pytest

from sim.validation.patterns import PATTERNS, evaluate

SEEDS = range(10)
MORE_SEEDS = {6: range(20), 7: range(20)}

KNOWN_DIVERGENCES = {
    # Provan & Kenis' small, trusting, consensual network: shared governance now does
    # better than the independent office on average (+0.029 over these 20 seeds, +0.018
    # over seeds 20-39), but the interval stays too wide to show it (lower end -0.053): in
    # a network of nine members one exit moves effectiveness by several points
    # (docs/ODD.md section 11). It stays listed until the claim can be shown; the test
    # fails when it starts to hold, so that the list cannot go stale.
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
