"""Replications with common random numbers, in parallel over the cores.

Every condition runs with the same seeds, so differences between conditions are paired
and do not mix model differences with luck of the draw. Runs go to worker processes; the
tables come back in seed order, so the result does not depend on how many workers ran.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import pandas as pd

from sim.events import Event
from sim.params import Params
from sim.runner import run


@dataclass(frozen=True)
class Condition:
    """One arm of a comparison: parameters and events."""

    params: Params
    events: tuple[Event, ...] = ()


def _one(task: tuple[Condition, int]) -> pd.DataFrame:
    condition, seed = task
    return run(condition.params, seed, condition.events).table


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def process_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes from a fork server that has imported the model once.

    Plain fork() copies a process that may already run threads (numpy, pyarrow), which can
    deadlock the child; spawning fresh interpreters would import Mesa again per worker.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["sim.runner"])
    return ProcessPoolExecutor(workers, mp_context=context)


def replicate(
    conditions: dict[str, Condition],
    seeds: Iterable[int],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, list[pd.DataFrame]]:
    """Tables per condition, one per seed, in seed order.

    ``progress`` is called with 1 after each finished run (for a progress bar).
    """
    seeds = list(seeds)
    tasks = [(name, seed) for name in conditions for seed in seeds]
    workers = default_workers() if workers is None else workers
    payload = [(conditions[name], seed) for name, seed in tasks]
    tables: list[pd.DataFrame] = []
    if workers <= 1:
        for item in payload:
            tables.append(_one(item))
            if progress:
                progress(1)
    else:
        with process_pool(workers) as pool:
            for table in pool.map(_one, payload, chunksize=max(1, len(payload) // (8 * workers))):
                tables.append(table)
                if progress:
                    progress(1)
    out: dict[str, list[pd.DataFrame]] = {name: [] for name in conditions}
    for (name, _), table in zip(tasks, tables, strict=True):
        out[name].append(table)
    return out
