"""Replications with common random numbers, in parallel over the cores.

Every condition runs with the same seeds, so differences between conditions are paired
and do not mix model differences with luck of the draw. Seeds come from numpy's
``SeedSequence``: replicate k of root seed r always gets the same seed, however many
replicates are asked for. Runs go to worker processes and come back as they finish; the
collected result is ordered by condition and seed, so it does not depend on how many
workers ran or in which order they finished.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.mechanisms.events import Event
from sim.params import Params
from sim.runs.interrupts import end_with_parent, shielded
from sim.runs.runner import run


@dataclass(frozen=True)
class Condition:
    """One arm of a comparison: parameters and events."""

    params: Params
    events: tuple[Event, ...] = ()


def seeds_for(root: int, n: int) -> list[int]:
    """n reproducible, independent seeds derived from one root seed."""
    return [int(child.generate_state(1)[0]) for child in np.random.SeedSequence(root).spawn(n)]


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _ignore_interrupt(parent: int) -> None:
    """Workers leave Ctrl-C to the main process, which stops the pool cleanly, and end
    when the main process is killed outright."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent(parent)


# Python warns on any fork() of a process with threads. Ours are OpenBLAS's workers,
# jemalloc's background thread (pyarrow) and Arrow's thread pools, all of which register
# fork handlers, and rich's progress-bar thread, whose lock no worker ever touches.
warnings.filterwarnings(
    "ignore",
    message=r"This process \(pid=\d+\) is multi-threaded, use of "
    r"fork\(\) may lead to deadlocks",
    category=DeprecationWarning,
)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes that start at once with the model already imported.

    On Linux the workers are forked from this process: importing pandas and Mesa afresh
    costs a new worker about 3 seconds, which would dominate short sweeps. Elsewhere (no
    safe fork) they come from a fork server that imports the model once.
    """
    if sys.platform == "linux":
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sim.runs.runner"])
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_ignore_interrupt, initargs=(os.getpid(),)
    )


def _one(task: tuple[Condition, int]) -> pd.DataFrame:
    condition, seed = task
    return run(condition.params, seed, condition.events).table


def runs(
    conditions: dict[str, Condition],
    seeds: list[int],
    workers: int | None = None,
    skip: Collection[tuple[str, int]] = (),
) -> Iterator[tuple[str, int, pd.DataFrame]]:
    """(condition, replicate index, table) for every run not in ``skip`` (runs a resumed
    comparison has already), in the order they finish."""
    tasks = [(name, k) for name in conditions for k in range(len(seeds)) if (name, k) not in skip]
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(tasks) <= 1:
        for name, k in tasks:
            yield name, k, _one((conditions[name], seeds[k]))
        return
    pool = process_pool(workers)
    try:
        pending = {pool.submit(_one, (conditions[name], seeds[k])): (name, k) for name, k in tasks}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                name, k = pending.pop(future)
                yield name, k, future.result()
    finally:
        with shielded():
            pool.shutdown(wait=True, cancel_futures=True)


def replicate(
    conditions: dict[str, Condition],
    seeds: Iterable[int],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, list[pd.DataFrame]]:
    """Tables per condition, one per seed, in seed order."""
    seeds = list(seeds)
    out: dict[str, list[pd.DataFrame | None]] = {name: [None] * len(seeds) for name in conditions}
    for name, k, table in runs(conditions, seeds, workers):
        out[name][k] = table
        if progress:
            progress(1)
    return out  # type: ignore[return-value]
