"""Final indicators of every shipped scenario over 30 seeds, from the core of a given tree.

The equivalence test of the model's core (tests/test_core.py) compares the current core
with these numbers. They were first written by the core before the tie arrays (issue 14,
commit a0c4115), and written again by commit 066681a, which made meetings nobody convenes
lapse (baseline and coordinator_ends changed; the other twelve scenarios agreed with
a0c4115's numbers to 5e-16). They are regenerated only to move the reference on purpose:

    git worktree add --detach /tmp/reference <commit>
    PYTHONPATH=/tmp/reference uv run python tests/core_reference.py tests/data/core_reference.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SEEDS = range(30)
FINAL_MONTHS = 12


def finals(scenarios: list[str], seeds=SEEDS) -> dict[str, list[dict[str, float]]]:
    """Per scenario and seed, every indicator's mean over the last ``FINAL_MONTHS`` months
    (all runs in one pool of worker processes)."""
    from sim.files.scenario import load
    from sim.runs.replicate import Condition, replicate

    arms = {name: Condition(load(name).params, load(name).events) for name in scenarios}
    tables = replicate(arms, seeds)
    return {
        name: [
            {k: float(v) for k, v in t.drop(columns="month").tail(FINAL_MONTHS).mean().items()}
            for t in runs
        ]
        for name, runs in tables.items()
    }


if __name__ == "__main__":
    import subprocess

    import sim
    from sim.files.scenario import load_all

    tree = str(Path(sim.__file__).resolve().parent.parent)  # the core being recorded
    commit = subprocess.run(
        ["git", "-C", tree, "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    out = {
        "commit": commit,
        "seeds": f"0-{len(SEEDS) - 1}",
        "final_months": FINAL_MONTHS,
        "scenarios": finals([s.name for s in load_all()]),
    }
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(out, f, indent=0)
    print(f"{len(out['scenarios'])} scenarios written to {sys.argv[1]}")
