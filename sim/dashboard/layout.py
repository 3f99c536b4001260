"""A network drawing that stays put: positions are computed once and then only added to.

At the start, actors sit around the centre of their field (so the pillars of the
pillarised system are visible [004]) and a short spring layout of their ties spreads them
out; the coordinator starts in the middle. A newcomer is placed next to the partners it is
tied to. Nobody else moves, so a workshop sees ties grow and fade between fixed points.
The layout draws its own random numbers (seeded by the actor's id), never the model's,
so drawing a network cannot change how it runs.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

SPREAD = 0.35  # how far from its field's centre an actor starts
MARGIN = 0.15  # room around the first drawing for newcomers


class NetworkLayout:
    def __init__(self, model) -> None:
        self.pos: dict[int, np.ndarray] = {}
        fields = max(1, model.p.n_fields)
        centres = {
            f: np.array([math.cos(2 * math.pi * f / fields), math.sin(2 * math.pi * f / fields)])
            if fields > 1
            else np.zeros(2)
            for f in range(fields)
        }
        start = {}
        for agent in model.everyone():
            rng = np.random.default_rng(agent.unique_id)
            if agent.kind == "coordinator":
                start[agent.unique_id] = rng.normal(0, 0.05, 2)
            else:
                start[agent.unique_id] = centres[agent.fields[0]] + rng.normal(0, SPREAD, 2)
        graph = model.ties.to_networkx(start)
        spread = nx.spring_layout(
            graph, pos=start, iterations=30, seed=1, k=1.5 / math.sqrt(max(1, len(graph)))
        )
        self.pos = {node: np.asarray(xy) for node, xy in spread.items()}
        xy = np.array(list(self.pos.values())) if self.pos else np.zeros((1, 2))
        pad = (xy.max(axis=0) - xy.min(axis=0)) * MARGIN + 1e-6
        self.low, self.high = xy.min(axis=0) - pad, xy.max(axis=0) + pad

    def positions(self, model) -> dict[int, np.ndarray]:
        """Positions of every agent now; newcomers get one next to their partners."""
        for agent in model.everyone():
            if agent.unique_id in self.pos:
                continue
            rng = np.random.default_rng(agent.unique_id)
            partners = [
                self.pos[j] for j in model.ties.neighbours(agent.unique_id) if j in self.pos
            ]
            anchor = np.mean(partners, axis=0) if partners else np.zeros(2)
            spot = anchor + rng.normal(0, 0.12, 2)
            self.pos[agent.unique_id] = np.clip(spot, self.low, self.high)  # stay in frame
        return self.pos
