"""Administration department (Verwaltung: youth office, social office, integration office).

The administration funds the carriers of its fields once a year, competitively or with a
share for joint work [001, 004]. Its steering style (``hierarchy``) lowers others' sense of
eye level; its leadership's support gives the coordinator a mandate and shortens decisions
(both read from the parameters where they act). A department cannot leave the network: its
statutory duty (Zuständigkeit) keeps it there, if only on paper.
"""

from __future__ import annotations

from sim import funding
from sim.agents.actor import Actor


class Administration(Actor):
    kind = "administration"
    leaves_when_unmotivated = False
    self_interest = 0.2  # departments guard their own remit (Zuständigkeiten) [004]

    def distribute_funding(self) -> None:
        """Give this department's share of each of its fields' budgets to the carriers."""
        m = self.model
        for field in self.fields:
            budget = m.field_budget[field] * m.budget_factor / m.departments_in(field)
            shares = funding.allocate(budget, m.p.joint_funding_share, m.carriers_in(field))
            for carrier, amount in shares.items():
                carrier.funding += amount
