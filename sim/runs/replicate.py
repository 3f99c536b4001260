"""Replications with common random numbers, in parallel over the cores.

Every condition runs with the same seeds, so differences between conditions are paired
and do not mix model differences with luck of the draw. Seeds come from numpy's
``SeedSequence``: replicate k of root seed r always gets the same seed, however many
replicates are asked for. Runs go to the project's executor (``sim.runs.executor``: local
processes or a cluster) and come back as they finish; the collected result is ordered by
condition and seed, so it does not depend on how many workers ran or in which order they
finished.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.files.actors import ActorList
from sim.mechanisms.events import Event
from sim.params import Params
from sim.runs.executor import Workers, local
from sim.runs.runner import run


@dataclass(frozen=True)
class Condition:
    """One arm of a comparison: parameters and events."""

    params: Params
    events: tuple[Event, ...] = ()
    actors: ActorList | None = None  # the real network's actors (sim.files.actors)


def seeds_for(root: int, n: int) -> list[int]:
    """n reproducible, independent seeds derived from one root seed."""
    return [int(child.generate_state(1)[0]) for child in np.random.SeedSequence(root).spawn(n)]


def _one(task: tuple[Condition, int]) -> pd.DataFrame:
    condition, seed = task
    return run(condition.params, seed, condition.events, actors=condition.actors).table


def runs(
    conditions: dict[str, Condition],
    seeds: list[int],
    workers: int | Workers | None = None,
    skip: Collection[tuple[str, int]] = (),
) -> Iterator[tuple[str, int, pd.DataFrame]]:
    """(condition, replicate index, table) for every run not in ``skip`` (runs a resumed
    comparison has already), in the order they finish. ``workers``: a number of local
    processes (default: one per core) or ``Workers`` opened by the caller (a cluster)."""
    tasks = [(name, k) for name in conditions for k in range(len(seeds)) if (name, k) not in skip]
    if isinstance(workers, Workers):
        opened = contextlib.nullcontext(workers)
    else:
        opened = local(1 if len(tasks) <= 1 else workers)
    with opened as pool:
        arms = [(conditions[name], seeds[k]) for name, k in tasks]
        for index, table in pool.unordered(_one, arms):
            name, k = tasks[index]
            yield name, k, table


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
