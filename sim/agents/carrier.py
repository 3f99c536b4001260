"""Carrier (freier Träger): a welfare association or a course provider.

Carriers depend on municipal funds for part of their capacity and compete with carriers in
the same field for those funds and for the same clients [001, 002 These 1, 004]. That
competition is felt as ``pressure``: it grows with the overlap of services, with the
dependency on funds, and with the share of the budget given out competitively. Overlap also
wastes own work, because two carriers chase the same simple need.
"""

from __future__ import annotations

from sim.agents.actor import Actor


class Carrier(Actor):
    kind = "carrier"

    def __init__(self, model, fields, capacity, goal, motivation, slope, overlap, dependency):
        super().__init__(model, fields, capacity, goal, motivation, slope)
        self.base_capacity = float(capacity)
        self.overlap = float(overlap)
        self.dependency = float(dependency)
        self.self_interest = self.dependency  # who lives on funds needs its own visible output
        self.reference_funding = self.dependency * self.base_capacity  # status quo, 1 per hour
        self.funding = self.reference_funding
        self.visible_output = 0.0  # own output that found clients, this funding year
        self.joint_hours_year = 0.0  # hours given to joint work, this funding year

    def has_competitors(self) -> bool:
        return self.model.competitors_in(self) > 0

    def pressure(self) -> float:
        if not self.has_competitors():
            return 0.0
        return (1.0 - self.model.p.joint_funding_share) * self.overlap * self.dependency

    def efficiency(self) -> float:
        if not self.has_competitors():
            return 1.0
        return 1.0 - self.model.p.overlap_waste * self.overlap

    def strain(self) -> float:
        """Undefused competition and lost funding erode motivation [002 These 1]."""
        m = self.model
        competition = m.p.competition_strength * self.pressure() * (1.0 - m.openness)
        lost = (max(0.0, 1.0 - self.funding / self.reference_funding)
                if self.reference_funding else 0.0)
        return competition + self.dependency * lost

    def adjust_capacity(self) -> None:
        """Funded hours follow the funding; at most twice the original capacity."""
        if self.reference_funding > 0:
            funded = 1.0 - self.dependency + self.funding / self.base_capacity
            self.capacity = self.base_capacity * min(2.0, funded)

    def new_funding_year(self) -> None:
        self.visible_output = 0.0
        self.joint_hours_year = 0.0
