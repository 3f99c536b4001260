"""Administration department (Verwaltung: youth office, social office, integration office).

The administration funds the carriers of its fields once a year, competitively or with a
share for joint work [001, 004]. Its steering style (``hierarchy``) lowers others' sense of
eye level; its leadership's support gives the coordinator a mandate and shortens decisions
(both read from the parameters where they act). A department cannot leave the network: its
statutory duty (Zuständigkeit) keeps it there, if only on paper.
"""

from __future__ import annotations

from sim.agents.actor import Actor
from sim.mechanisms import funding


class Administration(Actor):
    kind = "administration"
    leaves_when_unmotivated = False

    def __init__(self, model, fields, capacity, goal, motivation, slope):
        super().__init__(model, fields, capacity, goal, motivation, slope)
        self.self_interest = model.p.administration_self_interest  # its remit [004]

    def eye_level(self) -> float:
        """The administration sets the tone; it does not look up to anyone in the network."""
        return 1.0

    def distribute_funding(self, budgets: dict[int, float]) -> None:
        """Grant this department's share of each of its fields' budgets to the carriers."""
        m = self.model
        for field in self.fields:
            budget = budgets[field] / m.departments_in(field)
            shares = funding.allocate(budget, m.p.joint_funding_share, m.carriers_in(field))
            for carrier, amount in shares.items():
                carrier.granted += amount
