"""Ties and trust: a weighted, undirected relation between actors.

A tie's weight in (0, 1] is how much two actors know and trust each other. Ties grow with
encounters in meetings (Begegnung [003]) and with fair joint work (reciprocity [002 These
1]), and every tie fades a little each month (a network needs maintenance [002 These 2]):
a tie holds where contact renews it faster than it fades. The coordinator's contact
maintenance (Kontaktpflege) slows the fading.

Held in arrays, one slot per tie (``Ties``), so every operation costs in proportion to the
ties touched, never to the square of the number of actors.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import networkx as nx
import numpy as np


def random_pairs(rng: np.random.Generator, n: int, m: int | None, p: float) -> np.ndarray:
    """Each possible pair independently with probability ``p``, in time linear in the pairs
    drawn (not in all possible pairs).

    ``m is None``: pairs (i, j), i < j, among n items; otherwise pairs (i, j) between n
    items and m other items. Returns an array of shape (k, 2).
    """
    total = n * (n - 1) // 2 if m is None else n * m
    k = int(rng.binomial(total, min(1.0, max(0.0, p)))) if total else 0
    if k == 0:
        return np.zeros((0, 2), dtype=np.int64)
    idx = rng.choice(total, size=k, replace=False)
    if m is not None:
        return np.column_stack((idx // m, idx % m))
    # index -> (i, j) in the row-major upper triangle without the diagonal
    i = n - 2 - np.floor(np.sqrt(-8.0 * idx + 4.0 * n * (n - 1) - 7) / 2.0 - 0.5).astype(np.int64)
    j = idx + i + 1 - n * (n - 1) // 2 + (n - i) * ((n - i) - 1) // 2
    return np.column_stack((i, j))


@functools.cache
def upper_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of every pair (a < b) among n, row by row (numpy's triu_indices,
    kept: it costs more than the arithmetic on a working group's few dozen pairs)."""
    a, b = np.triu_indices(n, 1)
    a.flags.writeable = b.flags.writeable = False
    return a, b


def reciprocated(w, amount, fairness, growth: float):
    """Joint work: a tie moves towards how evenly its two ends shared the work,
    ``w + growth * amount * (fairness - w)``, amount = the larger of the two shares and
    fairness = 1 - |difference|: equal effort pulls it towards 1, one-sided effort towards
    0, and how far it moves scales with how much work there was to judge (nothing done,
    nothing learned: callers leave out pairs where neither gave anything)."""
    return w + growth * amount * (fairness - w)


class Ties:
    """Symmetric weighted ties between actors; ties weaker than ``floor`` are forgotten
    (removed), which keeps the structure sparse.

    Held as arrays, one slot per tie (its two ends and its weight), so that the month's
    fading, a group's trust and reciprocity and the indicators are vector operations over
    the ties concerned; a slot freed by a forgotten tie is reused. ``_slot[i][j]`` finds
    the slot of the tie between ``i`` and ``j`` (both directions), so every operation
    costs in proportion to the ties touched, never to the square of the number of actors.
    """

    def __init__(self, floor: float = 0.01, capacity: int = 64) -> None:
        self.floor = floor
        self._slot: dict[int, dict[int, int]] = {}
        self._a = np.full(capacity, -1, dtype=np.int64)  # the ends of the tie in each slot
        self._b = np.full(capacity, -1, dtype=np.int64)
        self._w = np.zeros(capacity)  # its weight (0 in a free slot)
        self._free: list[int] = []  # slots below ``_top`` that a forgotten tie left
        self._top = 0  # slots from here on have never been used
        self._largest = 0  # the largest actor id ever tied

    def __len__(self) -> int:
        return self._top - len(self._free)

    @property
    def largest(self) -> int:
        """The largest actor id ever tied (arrays indexed by id need one more entry)."""
        return self._largest

    # --- single ties ------------------------------------------------------------------
    def weight(self, i: int, j: int) -> float:
        k = self._slot.get(i, {}).get(j)
        return 0.0 if k is None else float(self._w[k])

    def neighbours(self, i: int) -> dict[int, float]:
        w = self._w
        return {j: float(w[k]) for j, k in self._slot.get(i, {}).items()}

    def set(self, i: int, j: int, w: float) -> None:
        if i == j:
            return
        k = self._slot.get(i, {}).get(j)
        if w < self.floor:
            if k is not None:
                self._forget(k)
        elif k is None:
            self._new(i, j, w)
        else:
            self._w[k] = w

    def meet(self, i: int, j: int, growth: float) -> None:
        """``meet_pairs`` for one encounter."""
        self.meet_pairs([(i, j)], growth)

    def meet_pairs(self, pairs: list[tuple[int, int]], growth: float) -> None:
        """Encounters (each pair at most once, as in one meeting): each tie closes a share
        ``growth`` of its gap to full trust. Nobody is tied to itself."""
        pairs = [(i, j) for i, j in pairs if i != j]
        slots, weights = self.gather(pairs)
        self.scatter(pairs, slots, weights + growth * (1.0 - weights))

    def _new(self, i: int, j: int, w: float) -> None:
        self._new_many([(i, j)], np.array([w]))

    def _new_many(self, pairs: list[tuple[int, int]], weights: np.ndarray) -> None:
        """Ties for ``pairs`` that have none yet: freed slots first, then fresh ones."""
        count = len(pairs)
        reused = [self._free.pop() for _ in range(min(count, len(self._free)))]
        fresh = count - len(reused)
        while self._top + fresh > len(self._w):  # full: double the arrays
            size = max(len(self._w), 1)
            self._a = np.concatenate((self._a, np.full(size, -1, dtype=np.int64)))
            self._b = np.concatenate((self._b, np.full(size, -1, dtype=np.int64)))
            self._w = np.concatenate((self._w, np.zeros(size)))
        slots = reused + list(range(self._top, self._top + fresh))
        self._top += fresh
        ends = np.array(pairs, dtype=np.int64).reshape(count, 2)
        self._a[slots], self._b[slots], self._w[slots] = ends[:, 0], ends[:, 1], weights
        self._largest = max(self._largest, int(ends.max()))
        table = self._slot
        for (i, j), k in zip(pairs, slots, strict=True):
            table.setdefault(i, {})[j] = k
            table.setdefault(j, {})[i] = k

    def _forget(self, k: int) -> None:
        i, j = int(self._a[k]), int(self._b[k])
        del self._slot[i][j], self._slot[j][i]
        self._a[k] = self._b[k] = -1
        self._w[k] = 0.0
        self._free.append(k)

    def gather(self, pairs: list[tuple[int, int]]) -> tuple[list[int], np.ndarray]:
        """Slots (-1: no tie) and weights (0) of ``pairs``, to be changed and handed back to
        ``scatter`` before any other change to the ties (a slot may be reused)."""
        slot = self._slot
        slots = [slot.get(i, {}).get(j, -1) for i, j in pairs]
        index = np.array(slots, dtype=np.int64)
        return slots, np.where(index >= 0, self._w[index], 0.0) if slots else np.zeros(0)

    def scatter(self, pairs: list[tuple[int, int]], slots: list[int], weights: np.ndarray):
        """Write ``weights`` back to ``pairs`` (as ``gather`` gave them; each pair at most
        once): kept, made or forgotten (below the floor)."""
        if not slots:
            return
        index = np.array(slots, dtype=np.int64)
        known, strong = index >= 0, weights >= self.floor
        keep = known & strong
        self._w[index[keep]] = weights[keep]
        if keep.all():
            return
        for n in np.flatnonzero(known & ~strong).tolist():  # fallen below the floor
            self._forget(slots[n])
        new = np.flatnonzero(~known & strong)
        if new.size:
            self._new_many([pairs[n] for n in new.tolist()], weights[new])

    # --- a group at once -----------------------------------------------------------------
    def reciprocate(self, i: int, j: int, share_i: float, share_j: float, growth: float) -> None:
        """``reciprocate_all`` for one pair."""
        self.reciprocate_all([i, j], [share_i, share_j], growth)

    def reciprocate_all(self, ids: list[int], shares: list[float], growth: float) -> None:
        """Joint work in one group (``reciprocate_pairs`` for all its pairs)."""
        a, b = upper_pairs(len(ids))
        s = np.asarray(shares, dtype=float)
        pairs = [(ids[i], ids[j]) for i, j in zip(a.tolist(), b.tolist(), strict=True)]
        slots, weights = self.gather(pairs)
        self.reciprocate_pairs(pairs, slots, weights, s[a], s[b], growth)

    def reciprocate_pairs(
        self,
        pairs: list[tuple[int, int]],
        slots: list[int],
        weights: np.ndarray,
        share_a: np.ndarray,
        share_b: np.ndarray,
        growth: float,
    ) -> None:
        """Joint work: ``reciprocated`` for each pair (as ``gather`` gave them) in which
        someone gave (joint work does this for many groups at once)."""
        amount = np.maximum(share_a, share_b)
        moved = amount > 0.0
        fairness = 1.0 - np.abs(share_a - share_b)
        if not moved.all():
            keep = np.flatnonzero(moved).tolist()
            pairs, slots = [pairs[k] for k in keep], [slots[k] for k in keep]
        new = reciprocated(weights[moved], amount[moved], fairness[moved], growth)
        self.scatter(pairs, slots, new)

    # --- every tie at once ---------------------------------------------------------------
    def decay(self, rate: float, contact: dict[int, float] | None = None) -> None:
        """End of month: every tie loses a share ``rate``, less where contact maintenance
        reaches its two ends (``contact``: the effect at each actor, the tie gets the mean);
        the faintest are forgotten."""
        if rate <= 0.0:
            return
        top = self._top
        a, b, w = self._a[:top], self._b[:top], self._w[:top]
        at = np.zeros(max(self._largest, *(contact or (0,))) + 2)  # [-1]: a free slot's end
        if contact:
            at[list(contact)] = list(contact.values())
        w *= 1.0 - rate * (1.0 - 0.5 * (at[a] + at[b]))
        for k in np.flatnonzero((a >= 0) & (w < self.floor)).tolist():
            self._forget(k)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Both ends and the weight of every tie (copies)."""
        live = np.flatnonzero(self._a[: self._top] >= 0)
        return self._a[live], self._b[live], self._w[live]

    def strength(self, i: int, among: set[int] | None = None) -> float:
        """Sum of i's tie weights (to ``among`` only, if given): how embedded it is."""
        row, w = self._slot.get(i, {}), self._w
        return sum(float(w[k]) for j, k in row.items() if among is None or j in among)

    def edges(self) -> Iterable[tuple[int, int, float]]:
        a, b, w = self.arrays()
        for i, j, x in zip(a.tolist(), b.tolist(), w.tolist(), strict=True):
            yield (i, j, x) if i < j else (j, i, x)

    def to_networkx(self, nodes: Iterable[int] = ()) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(nodes)
        graph.add_weighted_edges_from(self.edges())
        return graph
