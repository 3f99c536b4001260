"""Goal alignment: bounded confidence (Deffuant, Neau, Amblard & Weisbuch 2000).

Two members who meet compare their goal positions. If they are closer than a tolerance
``d`` they each move a share ``mu`` of the way towards the other; otherwise neither moves,
because people do not take seriously a partner whose aims seem too far away. Open
communication widens ``d`` (the model passes a wider tolerance when the coordinator
moderates), which is how moderation lets a network find common goals [002 These 1].

Goals are points in [0,1]^k. The distance is the mean absolute difference over the k
priorities, so it lies in [0,1] whatever k, equals Deffuant's |x - x'| for k = 1, and lets
the network-wide mean distance be computed exactly in O(n log n) (``mean_pairwise_distance``).
"""

from __future__ import annotations

import numpy as np

RANDOM_GAP = 0.25
"""Mean distance of a uniformly random goal to the centre of the goal space: the yardstick
for "as far apart as strangers" when shared goals are scored."""


def goal_share(gap: float) -> float | np.ndarray:
    """How much a member shares its group's goal, from its distance to the group's centre:
    1 at the centre, 0 at the distance a random goal would have."""
    return np.maximum(0.0, 1.0 - gap / RANDOM_GAP)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Goal distance in [0, 1]: mean absolute difference over the priorities."""
    return float(np.abs(a - b).mean())


def align(
    a: np.ndarray, b: np.ndarray, tolerance: float, mu: float, gap: float | None = None
) -> bool:
    """One encounter: move both goals (in place) towards each other if close enough.

    ``gap``: their distance, if the caller has it already (a meeting computes those of all
    its encounters at once). Returns whether they moved, so callers can count agreements.
    """
    if (distance(a, b) if gap is None else gap) >= tolerance:
        return False
    shift = mu * (b - a)
    a += shift
    b -= shift
    return True


def distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``distance`` row by row for two n x k arrays of goals."""
    return np.abs(a - b).mean(axis=1)


def mean_pairwise_distance(goals: np.ndarray) -> float:
    """Exact mean distance over all pairs of rows in ``goals`` (n x k), in O(k n log n).

    For sorted values x_(1) <= ... <= x_(n) the sum of all pairwise |x_i - x_j| is
    sum_i x_(i) * (2i - n - 1) (1-based i); the distance is its mean over priorities.
    """
    n = len(goals)
    if n < 2:
        return 0.0
    ordered = np.sort(goals, axis=0)
    weights = 2.0 * np.arange(1, n + 1) - n - 1
    pair_sums = weights @ ordered  # one sum of |x_i - x_j| per priority
    return float(pair_sums.mean() / (n * (n - 1) / 2))


def consensus(goals: np.ndarray) -> float:
    """Goal consensus in [0, 1]: 1 - mean pairwise distance over the largest mean distance
    n goals can have (half of them at each end of every priority), so 1 is one shared goal
    and 0 is a network split into two opposite camps, whatever its size."""
    n = len(goals)
    if n < 2:
        return 1.0
    widest = (n // 2) * (n - n // 2) / (n * (n - 1) / 2)
    return max(0.0, 1.0 - mean_pairwise_distance(goals) / widest)


def count_clusters(values: np.ndarray, gap: float = 0.05, min_share: float = 0.02) -> int:
    """Number of opinion clusters in one dimension, as in Deffuant et al. (2000).

    Sorted values are split wherever neighbours are more than ``gap`` apart; clusters
    holding less than ``min_share`` of the population are the minor extreme clusters
    Deffuant et al. leave out of their count of major clusters.
    """
    ordered = np.sort(np.asarray(values, dtype=float).ravel())
    if ordered.size == 0:
        return 0
    breaks = np.flatnonzero(np.diff(ordered) > gap)
    sizes = np.diff(np.concatenate(([0], breaks + 1, [ordered.size])))
    return int((sizes >= min_share * ordered.size).sum())
