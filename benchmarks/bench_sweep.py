"""Throughput of `kommune sweep` against `mesa.batch_run`, and parallel efficiency.

Both run the same model (the default scenario, 120 months) with the same seeds and the
same number of processes, end to end (starting the workers included; the sweep also
writes its Parquet dataset and manifest, batch_run keeps its results in memory).

Prints runs per second for each, the ratio (target: sweep faster than batch_run, ratio
above 1), the sweep's parallel efficiency on 2 workers, T(1 worker) / (2 x T(2 workers))
(target: at least 0.8), and the same sweep on a Dask cluster of 2 single-threaded worker
processes on this machine, and the project's executor there with 1 and 8 runs per task: its
overhead per run, 2 x T(Dask) / N minus a run's time inside the worker, as a share of that
time (target: below 5 % at the default runs per task; the cluster's start is not counted).

Run:  uv run python benchmarks/bench_sweep.py [--runs N] [--no-dask]
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
import time
import warnings
from pathlib import Path

from sim.files.experiment import load_experiment
from sim.model import KommuneModel
from sim.params import make_params
from sim.runs import executor
from sim.runs.replicate import seeds_for
from sim.runs.runner import run
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


def time_sweep(folder: Path, runs: int, workers: int = 0, scheduler: str | None = None) -> float:
    label = scheduler.rsplit(":", 1)[-1] + f"-{executor.DASK_CHUNK}" if scheduler else workers
    path = folder / f"bench-{label}.toml"
    path.write_text(EXPERIMENT.format(runs=runs))
    experiment = load_experiment(str(path))
    started = time.perf_counter()
    if scheduler:
        summary = sweep(experiment, folder / f"out-{label}", scheduler=scheduler)
    else:
        summary = sweep(experiment, folder / f"out-{label}", workers=workers)
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


def timed_run(seed: int) -> float:
    """A default run's seconds, measured where it runs."""
    started = time.perf_counter()
    run(make_params(), seed)
    return time.perf_counter() - started


def time_dask(folder: Path, runs: int) -> dict[str, float]:
    """On a local Dask cluster of 2 single-threaded workers (started and warmed up before
    timing): the sweep end to end, and the executor alone, one run per task and
    ``DASK_CHUNK`` runs per task. The executor's overhead per run is what a run costs on
    the cluster beyond its own time in the worker: 2 x wall / N - mean in-worker time."""
    from distributed import Client, LocalCluster

    out: dict[str, float] = {}
    seeds = seeds_for(7, runs)
    chunk = executor.DASK_CHUNK
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(importlib.import_module, "sim.runs.sweep")  # the workers' start, not counted
        client.gather(client.map(timed_run, [1, 2], pure=False))
        out["sweep"] = time_sweep(folder, runs, scheduler=cluster.scheduler_address)
        for executor.DASK_CHUNK in (1, 8):
            with executor.dask(cluster.scheduler_address) as workers:
                started = time.perf_counter()
                inner = workers.map(timed_run, seeds)
                wall = time.perf_counter() - started
            out[f"inner-{executor.DASK_CHUNK}"] = sum(inner) / runs
            out[f"overhead-{executor.DASK_CHUNK}"] = 2 * wall / runs - sum(inner) / runs
    executor.DASK_CHUNK = chunk
    out["in-process"] = sum(timed_run(s) for s in seeds[:10]) / 10
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=120)
    parser.add_argument("--no-dask", action="store_true", help="leave out the Dask line")
    args = parser.parse_args()
    n = args.runs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one = time_sweep(folder, n, 1)
        two = time_sweep(folder, n, 2)
        dask = {} if args.no_dask else time_dask(folder, n)
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
    if dask:
        sweep_dask = dask["sweep"]
        print(
            f"  kommune sweep on Dask, 2 workers: {sweep_dask:7.2f} s  {n / sweep_dask:6.2f} runs/s"
        )
        base = dask["in-process"]
        for chunk in (1, 8):
            inner, overhead = dask[f"inner-{chunk}"], dask[f"overhead-{chunk}"]
            print(
                f"Dask executor, {chunk} run(s) per task: overhead per run "
                f"{1000 * overhead:+.1f} ms = {overhead / inner:+.1%} of a run"
                + ("  (the default; target: below 5 %)" if chunk == executor.DASK_CHUNK else "")
            )
        print(
            f"a run inside a Dask worker: {1000 * inner:.0f} ms, in one process "
            f"{1000 * base:.0f} ms ({inner / base - 1:+.0%}: the worker's profiler and event "
            "loop share its process; distributed.worker.profile.enabled: false saves part)"
        )


if __name__ == "__main__":
    main()
