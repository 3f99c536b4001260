"""Coordinator (Netzwerkmanager/in, Koordinationsstelle).

Splits its monthly hours over the seven coordination tasks (``sim.mechanisms.coordination``), either
equally or adaptively, sensing where the shoe pinches [001]. Its competence (training
[004]) and the mandate from leadership support set how much an hour achieves. It is the
contact point for newcomers [002 These 2]: onboarding ties them to the coordinator and to
their working group. It is not a member that serves need itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.mechanisms import coordination, governance, players

if TYPE_CHECKING:
    from sim.mechanisms.network import Network


class Coordinator(mesa.Agent):
    model: Network
    kind = "coordinator"

    def __init__(self, model: Network, hours: float, competence: float):
        super().__init__(model)
        self.hours = float(hours)
        self.competence = float(competence)
        self.active = True
        self.fields: tuple[int, ...] = ()
        self.motivation = 1.0
        self.plan: dict[str, np.ndarray] = {}

    def quality(self) -> float:
        return governance.coordinator_quality(self.competence, self.model.p)

    def network_hours(self) -> float:
        """Hours that go into the network: a lead organisation's coordinator serves its own
        remit first (``lead_interest``)."""
        return self.hours * (1.0 - self.model.mode.interest)

    def work(self, situation: coordination.Situation) -> dict[str, np.ndarray]:
        """Plan the month and return the effect of each task in each field."""
        p = self.model.p
        quality = dict.fromkeys(coordination.TASKS, self.quality())
        chosen = self.model.choices.get(self.unique_id) if self.model.choices else None
        hours = players.task_hours(chosen, self.network_hours())
        if chosen is not None:  # the rule: every task the same hours (the seven are the job)
            players.note(self.model.by_rule, self.unique_id, "tasks", 1.0 / len(coordination.TASKS))
        if hours is None:
            self.plan = coordination.plan(self.network_hours(), situation, p, quality)
        else:  # played in the room: the player's split over the tasks
            self.plan = coordination.plan_tasks(hours, situation, p, quality)
        return coordination.effects(self.plan, quality, situation, p)

    def leave(self) -> None:
        """The position ends (funding period over)."""
        self.active = False
        self.hours = 0.0
