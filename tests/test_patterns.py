"""The patterns of DESIGN §6 (1-6), each over replications with a statistical margin.

Every claim is a per-seed contrast between conditions run with the same seeds (common
random numbers); it holds when the lower end of its 95 % confidence interval exceeds the
claim's margin. Ten seeds are enough: on three disjoint seed sets every claim held with
room to spare (docs/ODD.md, "Pattern-oriented validation"), and fewer would let the
confidence intervals of the weaker claims (pattern 6) reach their margin.
"""

from __future__ import annotations

import pytest

from sim.patterns import PATTERNS, evaluate

SEEDS = range(10)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: f"pattern{p.number}")
def test_pattern_is_reproduced(pattern):
    verdicts = evaluate(pattern, SEEDS)
    failed = [f"{v.claim.text}: mean {v.mean:+.3f}, 95% CI [{v.ci_low:+.3f}, {v.ci_high:+.3f}]"
              f" not above {v.claim.margin:+.3f}" for v in verdicts if not v.holds]
    assert not failed, f"pattern {pattern.number} ({pattern.title}):\n" + "\n".join(failed)
