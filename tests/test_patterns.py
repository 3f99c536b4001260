"""The patterns (1-7, docs/ODD.md section 8), each over replications with a statistical
margin.

Every claim is a per-seed contrast between conditions run with the same seeds (common
random numbers); it holds when the lower end of its 95 % confidence interval exceeds the
claim's margin. Ten seeds keep the intervals of most claims off their margins; patterns 6
and 7 get twenty. In pattern 6 volunteer retention is a share of a dozen volunteers and
its paired difference varies by about 0.23 from seed to seed (mean +0.16 over twenty
seeds, whose 95 % interval ends 0.05 above zero; ten seeds leave it at the mercy of one
seed). Pattern 7 compares governance modes in networks of 9 to 57 members, where one exit
moves effectiveness by a point or more; its first claim (nine members) is judged over ten
times the seeds (``Claim.seeds_factor``, its reason beside it).
A claim the model is known not to reproduce is listed in KNOWN_DIVERGENCES with its
reason, and checked to still diverge.
"""

from __future__ import annotations

import pytest

from sim.validation.patterns import (
    PATTERNS,
    Claim,
    Pattern,
    VerdictChange,
    diff,
    evaluate,
    final,
)

SEEDS = range(10)
MORE_SEEDS = {6: range(20), 7: range(20)}

KNOWN_DIVERGENCES: set[tuple[int, int]] = set()  # (pattern, claim index): none at present

# The 'nette Runde' verdict must not hang on its assumed thresholds: when one moves by
# ±0.1, the end verdict may change in at most this share of runs (docs/ODD.md 7.11)
VERDICT_CHANGES_AT_MOST = 0.2


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: f"pattern{p.number}")
def test_pattern_is_reproduced(pattern):
    verdicts = evaluate(pattern, MORE_SEEDS.get(pattern.number, SEEDS))
    failed, diverging = [], []
    for k, v in enumerate(verdicts):
        text = (
            f"{v.claim.text}: mean {v.mean:+.3f}, 95% CI [{v.ci_low:+.3f}, "
            f"{v.ci_high:+.3f}] not above {v.claim.margin:+.3f}"
        )
        if isinstance(v.claim.contrast, VerdictChange) and v.mean > VERDICT_CHANGES_AT_MOST:
            failed.append(f"{v.claim.text}: {v.mean:.0%} of runs, more than one in five")
        if (pattern.number, k) in KNOWN_DIVERGENCES:
            diverging.append((v.holds, text))
        elif not v.holds:
            failed.append(text)
    assert not failed, f"pattern {pattern.number} ({pattern.title}):\n" + "\n".join(failed)
    for holds, text in diverging:
        assert not holds, f"a known divergence now holds; take it off the list: {text}"


def test_a_noisy_claim_gets_more_seeds_for_its_own_conditions_only():
    """``seeds_factor`` runs the claim's two conditions on the next seeds, nothing else, and
    judges the claim over all of them; the other claims keep the pattern's seeds."""
    short = {"months": 12, "spinup_months": 0, "n_carriers": 4, "n_volunteers": 2}
    pattern = Pattern(
        0,
        "test",
        "-",
        conditions={"a": dict(short), "b": dict(short, coordinator_hours=0.0), "c": dict(short)},
        claims=(
            Claim("a - c", diff("a", "c", final("effectiveness"))),
            Claim("a - b", diff("a", "b", final("effectiveness")), seeds_factor=3),
        ),
    )
    assert pattern.extra_seeds(range(2)) == {"a": [2, 3, 4, 5], "b": [2, 3, 4, 5]}
    assert pattern.runs(2) == 3 * 2 + 2 * 4
    steps = []
    same, noisy = evaluate(pattern, range(2), workers=1, progress=steps.append)
    assert (same.n, noisy.n, sum(steps)) == (2, 6, pattern.runs(2))
    assert same.mean == 0.0  # a and c are the same condition with the same seeds
    with pytest.raises(ValueError, match="more seeds need a diff"):
        Claim("x", lambda t: 0.0, seeds_factor=2)
