"""Ties and trust: a weighted, undirected relation between actors.

A tie's weight in (0, 1] is how much two actors know and trust each other. Ties grow with
encounters in meetings (Begegnung [003]) and with fair joint work (reciprocity [002 These
1]), and every tie fades a little each month (a network needs maintenance [002 These 2]):
a tie holds where contact renews it faster than it fades. The coordinator's contact
maintenance (Kontaktpflege) slows the fading.

Stored as a symmetric dict of dicts keyed by ``unique_id``, so every operation costs in
proportion to the ties touched, never to the square of the number of actors.
"""

from __future__ import annotations

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


class Ties:
    """Symmetric weighted ties between actors; ties weaker than ``floor`` are forgotten
    (removed), which keeps the structure sparse."""

    def __init__(self, floor: float = 0.01) -> None:
        self.floor = floor
        self._adj: dict[int, dict[int, float]] = {}

    def __len__(self) -> int:
        return sum(len(nbrs) for nbrs in self._adj.values()) // 2

    def weight(self, i: int, j: int) -> float:
        return self._adj.get(i, {}).get(j, 0.0)

    def neighbours(self, i: int) -> dict[int, float]:
        return self._adj.get(i, {})

    def set(self, i: int, j: int, w: float) -> None:
        if i == j:
            return
        if w < self.floor:
            self._adj.get(i, {}).pop(j, None)
            self._adj.get(j, {}).pop(i, None)
            return
        self._adj.setdefault(i, {})[j] = w
        self._adj.setdefault(j, {})[i] = w

    def meet(self, i: int, j: int, growth: float) -> None:
        """An encounter: the tie closes a share ``growth`` of its gap to full trust."""
        w = self.weight(i, j)
        self.set(i, j, w + growth * (1.0 - w))

    def reciprocate(self, i: int, j: int, share_i: float, share_j: float, growth: float) -> None:
        """Joint work: trust moves towards how evenly the two shared the work.

        Equal effort pulls the tie towards 1, one-sided effort towards 0; how far it moves
        scales with how much work there was to judge (nothing done, nothing learned).
        """
        amount = max(share_i, share_j)
        if amount <= 0.0:
            return
        fairness = 1.0 - abs(share_i - share_j)
        w = self.weight(i, j)
        self.set(i, j, w + growth * amount * (fairness - w))

    def reciprocate_all(self, ids: list[int], shares: list[float], growth: float) -> None:
        """``reciprocate`` for every pair of a group at once (the month's joint work)."""
        n = len(ids)
        for a in range(n):
            sa, ia = shares[a], ids[a]
            for b in range(a + 1, n):
                sb = shares[b]
                amount = sa if sa > sb else sb
                if amount <= 0.0:
                    continue
                w = self.weight(ia, ids[b])
                fairness = 1.0 - abs(sa - sb)
                self.set(ia, ids[b], w + growth * amount * (fairness - w))

    def decay(self, rate: float, contact: dict[int, float] | None = None) -> None:
        """End of month: every tie loses a share ``rate``, less where contact maintenance
        reaches its two ends (``contact``: the effect at each actor, the tie gets the mean);
        the faintest are forgotten."""
        if rate <= 0.0:
            return
        contact = contact or {}
        adj, floor, forgotten = self._adj, self.floor, []
        for i, nbrs in adj.items():
            ci = contact.get(i, 0.0)
            for j, w in nbrs.items():
                if i < j:
                    w *= 1.0 - rate * (1.0 - 0.5 * (ci + contact.get(j, 0.0)))
                    if w < floor:
                        forgotten.append((i, j))
                    else:
                        nbrs[j] = adj[j][i] = w
        for i, j in forgotten:
            del adj[i][j], adj[j][i]

    def mean_to(self, i: int, others: Iterable[int]) -> float:
        """Mean weight from ``i`` to ``others`` (itself excluded, missing ties count 0)."""
        nbrs = self._adj.get(i, {})
        total, count = 0.0, 0
        for j in others:
            if j != i:
                total += nbrs.get(j, 0.0)
                count += 1
        return total / count if count else 0.0

    def strength(self, i: int, among: set[int] | None = None) -> float:
        """Sum of i's tie weights (to ``among`` only, if given): how embedded it is."""
        nbrs = self._adj.get(i, {})
        if among is None:
            return sum(nbrs.values())
        return sum(w for j, w in nbrs.items() if j in among)

    def edges(self) -> Iterable[tuple[int, int, float]]:
        for i, nbrs in self._adj.items():
            for j, w in nbrs.items():
                if i < j:
                    yield i, j, w

    def to_networkx(self, nodes: Iterable[int] = ()) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(nodes)
        graph.add_weighted_edges_from(self.edges())
        return graph
