"""How fast is the model's core, against the core it replaces, and how does a step scale?

Prints, for the current core and for a reference core (the tree of an earlier commit,
checked out into a temporary git worktree and run in its own process, so both are measured
on the same machine in the same run):

* the wall time of one default run (36-month spin-up plus 120 months of the built-in
  default scenario), median of several repeats; the target is "well under a second";
* the time per step at 1x, 10x and 100x the default number of actors (first months,
  before members leave; actors and ties counted at the start), per (actor + tie), and the
  ratio reference / current per size. Targets (issue 14): at least 3x faster at 100x, at
  least 1.8x at 1x, and a step that costs in proportion to actors plus ties: the 100x step
  at most 11 times the 10x step;
* the peak memory of a 100x network run for 120 months (current core; target < 1 GB);
* where a month's time goes at the default size, phase by phase, for both cores (the
  month's phases timed by wrapping them; the rest is bookkeeping and data collection).

The two cores are measured in alternating rounds (a fresh process each), and each figure
is the best over the rounds: on a shared machine other work can only add time, and
alternating keeps a slow spell from falling on one core only.

Run:  uv run python benchmarks/bench_model.py [--reference COMMIT] [--rounds N] [--no-memory]

``--reference`` defaults to the last commit with the dictionary-based ties (a0c4115); pass
``--reference none`` to measure the current core alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REFERENCE = "a0c4115"  # the core before the tie arrays (issue 14)
SIZES = ((1, 20), (10, 10), (100, 5))  # (times the default size, steps timed)
TARGETS = {1: 1.8, 100: 3.0}
SCALING_LIMIT = 11.0
MEMORY_LIMIT_MB = 1024.0


def measure(repeats: int) -> dict:
    """Figures of the core importable as ``sim`` (run in the process that imports it)."""
    from sim.model import KommuneModel
    from sim.params import make_params
    from sim.runs.runner import run

    params = make_params()
    run(params, seed=0)  # warm up imports and caches
    times = []
    for seed in range(repeats):
        started = time.perf_counter()
        run(params, seed=seed)
        times.append(time.perf_counter() - started)
    steps = {}
    for scale, count in SIZES:
        model = KommuneModel(
            rng=1,
            n_administration=params.n_administration * scale,
            n_carriers=params.n_carriers * scale,
            n_volunteers=params.n_volunteers * scale,
            spinup_months=0,
        )  # the step's cost, not the spin-up's
        actors, ties = len(model.member_list), len(model.ties)
        started = time.perf_counter()
        model.run_for(count)
        seconds = (time.perf_counter() - started) / count
        steps[scale] = {"actors": actors, "ties": ties, "seconds": seconds}
    return {"run": times, "steps": steps}


PHASES = ("coordinate", "meet", "serve", "turnover", "restructure", "fund")
"""The model's methods timed as phases (both cores have them); joint work, the field state
and the indicators are module functions the model calls, timed where the model finds them."""


def phases(runs: int) -> dict[str, float]:
    """Milliseconds per month of each phase at the default size (best over ``runs`` runs
    of spin-up plus 120 months)."""
    import collections

    from mesa.agentset import AgentSet

    import sim.model as mo

    spent: collections.Counter = collections.Counter()

    def timed(owner, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - started

        setattr(owner, name, wrapper)

    for name in PHASES:
        timed(mo.KommuneModel, name, name)
    for name, label in (("work_all", "joint work"), ("work", "joint work")):
        if hasattr(mo, name):
            timed(mo, name, label)
    timed(mo, "_field_state", "field state")
    timed(mo, "measure", "indicators")
    do = AgentSet.do

    def members_do(self, method, *args, **kwargs):
        started = time.perf_counter()
        try:
            return do(self, method, *args, **kwargs)
        finally:
            spent[f"members: {method}"] += time.perf_counter() - started

    AgentSet.do = members_do
    best: dict[str, float] = {}
    for seed in range(runs):
        model = mo.KommuneModel(rng=seed)
        spent.clear()  # the 120 reported months, not the spin-up
        started = time.perf_counter()
        model.run_for(120)
        spent["whole month"] = time.perf_counter() - started
        for label, seconds in spent.items():
            best[label] = min(best.get(label, float("inf")), seconds / 120 * 1e3)
    return best


def report_phases(current: dict[str, float], reference: dict[str, float] | None) -> None:
    print("\nwhere a month goes at the default size (ms per month, best of the runs):")
    print(f"{'phase':>28} {'current':>8}" + (f" {'reference':>10}" if reference else ""))
    for label in sorted(current, key=lambda k: -current[k]):
        row = f"{label:>28} {current[label]:>8.3f}"
        if reference:
            row += f" {reference.get(label, float('nan')):>10.3f}"
        print(row)


def memory(months: int) -> float:
    """Peak resident memory (MB) of a 100x network run for ``months`` months."""
    from sim.model import KommuneModel
    from sim.params import make_params

    p = make_params()
    model = KommuneModel(
        rng=1,
        n_administration=p.n_administration * 100,
        n_carriers=p.n_carriers * 100,
        n_volunteers=p.n_volunteers * 100,
    )
    model.run_for(months)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def in_process(tree: Path | None, call: str) -> object:
    """Run ``call`` (an expression on this module) in a fresh interpreter that imports
    ``sim`` from ``tree`` (None: the current checkout) and return its JSON result."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    code = (
        f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
        f"import bench_model as b; print(json.dumps(b.{call}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tree
    )
    if out.returncode != 0:
        raise SystemExit(f"bench_model: {call} failed in {tree or 'this checkout'}:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def best_of(rounds: list[dict]) -> dict:
    """All rounds' default runs, and each size's best step time over the rounds."""
    steps = {
        scale: min((r["steps"][scale] for r in rounds), key=lambda s: s["seconds"])
        for scale in rounds[0]["steps"]
    }
    return {"run": [t for r in rounds for t in r["run"]], "steps": steps}


def reference_tree(commit: str, into: Path) -> Path:
    """Check ``commit`` out into a temporary worktree of this repository."""
    top = Path(__file__).resolve().parent.parent
    tree = into / "reference"
    done = subprocess.run(
        ["git", "-C", str(top), "worktree", "add", "--detach", "--force", str(tree), commit],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench_model: cannot check out reference {commit}: {done.stderr.strip()}")
    return tree


def report(current: dict, reference: dict | None) -> None:
    run, best = statistics.median(current["run"]), min(current["run"])
    line = (
        f"default run, 36 + 120 months: median {run:.3f} s, best {best:.3f} s "
        f"over {len(current['run'])} runs"
    )
    if reference:
        old, old_best = statistics.median(reference["run"]), min(reference["run"])
        line += f"; reference {old:.3f} s, best {old_best:.3f} s; {old_best / best:.2f}x (best)"
    print(line)
    print()
    head = f"{'scale':>5} {'actors':>7} {'ties':>7} {'ms/step':>9} {'us/(actor+tie)':>15}"
    if reference:
        head += f" {'ref ms/step':>12} {'speed-up':>9} {'target':>7}"
    print(head)
    for scale, _ in SIZES:
        s = current["steps"][str(scale)]
        ms = s["seconds"] * 1e3
        row = (
            f"{scale:>4}x {s['actors']:>7} {s['ties']:>7} {ms:>9.1f} "
            f"{s['seconds'] / (s['actors'] + s['ties']) * 1e6:>15.2f}"
        )
        if reference:
            old = reference["steps"][str(scale)]["seconds"] * 1e3
            target = TARGETS.get(scale)
            verdict = (
                ""
                if target is None
                else f"{target:.1f}x " + ("met" if old / ms >= target else "NOT met")
            )
            row += f" {old:>12.1f} {old / ms:>8.2f}x {verdict:>7}"
        print(row)
    big, ten = current["steps"]["100"]["seconds"], current["steps"]["10"]["seconds"]
    verdict = "met" if big / ten <= SCALING_LIMIT else "NOT met"
    print(
        f"\nscaling: a 100x step costs {big / ten:.1f} times a 10x step "
        f"(at most {SCALING_LIMIT:.0f}: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", default=REFERENCE, help="commit, or 'none'")
    parser.add_argument("--repeats", type=int, default=3, help="default runs per round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per core")
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()

    rounds: dict[str, list[dict]] = {"current": [], "reference": []}
    with tempfile.TemporaryDirectory() as scratch:
        tree = None if args.reference == "none" else reference_tree(args.reference, Path(scratch))
        try:
            for _ in range(args.rounds):  # alternate, so that both see the same machine
                rounds["current"].append(in_process(None, f"measure({args.repeats})"))
                if tree is not None:
                    rounds["reference"].append(in_process(tree, f"measure({args.repeats})"))
            split = in_process(None, "phases(5)"), tree and in_process(tree, "phases(5)")
        finally:
            if tree is not None:
                top = Path(__file__).resolve().parent.parent
                subprocess.run(
                    ["git", "-C", str(top), "worktree", "remove", "--force", str(tree)],
                    capture_output=True,
                )
    report(best_of(rounds["current"]), best_of(rounds["reference"]) if tree else None)
    report_phases(*split)
    if not args.no_memory:
        peak = in_process(None, "memory(120)")
        verdict = "met" if peak < MEMORY_LIMIT_MB else "NOT met"
        print(f"memory: a 100x network over 120 months peaks at {peak:.0f} MB (< 1 GB: {verdict})")


if __name__ == "__main__":
    main()
