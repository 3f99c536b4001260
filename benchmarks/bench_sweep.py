"""Throughput of `kommune sweep` against `mesa.batch_run`, and parallel efficiency.

Both run the same model (the default scenario, 120 months) with the same seeds and the
same number of processes, end to end (starting the workers included; the sweep also
writes its Parquet dataset and manifest, batch_run keeps its results in memory).

Prints runs per second for each, the ratio (target: sweep faster than batch_run, ratio
above 1) and the sweep's parallel efficiency on 2 workers, T(1 worker) / (2 x T(2 workers))
(target: at least 0.8).

Run:  uv run python benchmarks/bench_sweep.py [--runs N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

from sim.files.experiment import load_experiment
from sim.model import KommuneModel
from sim.runs.replicate import seeds_for
from sim.runs.sweep import sweep

EXPERIMENT = """[experiment]
title = "benchmark"
scenario = "default"
months = 120
replications = {runs}
seed = 99

[design]
kind = "factorial"

[factors]
governance = {{ levels = ["lead"] }}
"""


def time_sweep(folder: Path, runs: int, workers: int) -> float:
    path = folder / f"bench-{workers}.toml"
    path.write_text(EXPERIMENT.format(runs=runs))
    experiment = load_experiment(str(path))
    started = time.perf_counter()
    summary = sweep(experiment, folder / f"out-{workers}", workers=workers)
    elapsed = time.perf_counter() - started
    assert summary.done == runs
    return elapsed


def time_batch_run(runs: int, processes: int) -> float | None:
    try:
        from mesa import batch_run
    except ImportError:
        return None
    seeds = seeds_for(99, runs)  # the very seeds the sweep's replicates use
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = batch_run(
            KommuneModel,
            parameters={"months": 120},
            rng=seeds,
            number_processes=processes,
            max_steps=120,
            data_collection_period=-1,
            display_progress=False,
        )
    elapsed = time.perf_counter() - started
    assert len(results) == runs
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=120)
    args = parser.parse_args()
    n = args.runs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one = time_sweep(folder, n, 1)
        two = time_sweep(folder, n, 2)
    batch = time_batch_run(n, 2)
    print(f"{n} runs of the default scenario, 120 months each")
    print(f"  kommune sweep, 1 worker:      {one:7.2f} s  {n / one:6.2f} runs/s")
    print(f"  kommune sweep, 2 workers:     {two:7.2f} s  {n / two:6.2f} runs/s")
    if batch is None:
        print("  mesa.batch_run: not available in this Mesa version")
    else:
        print(f"  mesa.batch_run, 2 processes:  {batch:7.2f} s  {n / batch:6.2f} runs/s")
        print(
            f"throughput, sweep / batch_run (2 processes each): {batch / two:.2f}  "
            "(target: above 1)"
        )
    print(
        f"parallel efficiency of the sweep on 2 workers: {one / (2 * two):.2f}  "
        "(target: at least 0.8)"
    )


if __name__ == "__main__":
    main()
