"""How fast is the model, and how does a step scale with the number of actors?

Prints
* the wall time of one default run (120 months after the 36-month spin-up, the built-in
  default scenario), as the median and best of several repeats - the target is "well
  under a second";
* the time per step at 1x, 10x and 100x the default number of actors (over the first
  months, before members leave; actors and ties counted at the start), per actor and per
  (actor + tie) - the target is that a step costs in proportion to actors plus ties, so
  the last column stays roughly flat while the network grows a hundredfold.

Run:  uv run python benchmarks/bench_model.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from sim.model import KommuneModel
from sim.params import make_params
from sim.runs.runner import run


def default_run(repeats: int) -> list[float]:
    params = make_params()
    run(params, seed=0)  # warm up imports and caches
    times = []
    for seed in range(repeats):
        started = time.perf_counter()
        run(params, seed=seed)
        times.append(time.perf_counter() - started)
    return times


def step_time(scale: int, steps: int) -> tuple[int, int, float]:
    p = make_params()
    model = KommuneModel(
        rng=1,
        n_administration=p.n_administration * scale,
        n_carriers=p.n_carriers * scale,
        n_volunteers=p.n_volunteers * scale,
        spinup_months=0,
    )  # the step's cost, not the spin-up's
    actors, ties = len(model.member_list), len(model.ties)
    started = time.perf_counter()
    model.run_for(steps)  # the first months, before members start to leave
    per_step = (time.perf_counter() - started) / steps
    return actors, ties, per_step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    times = default_run(args.repeats)
    print(
        f"default run, 36 + 120 months: median {statistics.median(times):.3f} s, "
        f"best {min(times):.3f} s over {len(times)} runs"
    )
    print()
    print(
        f"{'scale':>5} {'actors':>7} {'ties':>7} {'ms/step':>9} {'us/actor':>9} "
        f"{'us/(actor+tie)':>15} {'vs 1x':>6}"
    )
    base = None
    for scale, steps in ((1, 10), (10, 10), (100, 5)):
        actors, ties, per_step = step_time(scale, steps)
        unit = per_step / (actors + ties) * 1e6
        base = base or unit
        print(
            f"{scale:>4}x {actors:>7} {ties:>7} {per_step * 1e3:>9.1f} "
            f"{per_step / actors * 1e6:>9.1f} {unit:>15.2f} {unit / base:>6.2f}"
        )


if __name__ == "__main__":
    main()
