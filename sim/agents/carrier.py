"""Carrier (freier Träger): a welfare association or a course provider.

Carriers depend on municipal funds for part of their capacity and compete with carriers in
the same field for those funds and for the same clients [001, 002 These 1, 004]. That
competition is felt as ``pressure``: it grows with the overlap of services, with the
dependency on funds, with the share of the budget given out competitively and with the
number of competitors. Unless open communication resolves it, it erodes motivation for as
long as it lasts [002 These 1: "Wird dieser Widerspruch im Netzwerk nicht durch offene
Kommunikation aufgelöst, ist eine nachlassende Motivation im Netzwerk die Folge"]. Overlap
also wastes own work, because two carriers chase the same simple need. Carriers, too, want
to meet the administration at eye level [001 "aufrichtige Begegnung auf Augenhöhe"].
"""

from __future__ import annotations

from sim.agents.actor import Actor
from sim.mechanisms import players


class Carrier(Actor):
    kind = "carrier"

    def __init__(
        self, model, fields, capacity, goal, motivation, slope, overlap, dependency, sensitivity
    ):
        super().__init__(model, fields, capacity, goal, motivation, slope)
        self.base_capacity = float(capacity)
        self.overlap = float(overlap)
        self.dependency = float(dependency)
        self.sensitivity = float(sensitivity)  # how much missing eye level hurts
        self.self_interest = self.dependency  # who lives on funds needs its own visible output
        self.reference_funding = self.dependency * self.base_capacity  # status quo, 1 per hour
        self.funding = self.reference_funding
        self.expected = self.reference_funding  # what it counts on this funding year
        self.granted = 0.0  # this year's grant, being decided
        self.visible_output = 0.0  # own output that found clients, this funding year
        self.joint_hours_year = 0.0  # hours given to joint work, this funding year

    def competitors(self) -> int:
        return self.model.competitors_in(self)

    def pressure(self) -> float:
        """(1 - joint funding) x overlap x dependency, growing with the number of
        competitors k as k / (k + 1): one rival halves it, many make it full. Computed once
        while membership and levers stay as they are (``KommuneModel.pressures``)."""
        known = self.model.pressures()
        value = known.get(self)
        if value is None:
            k = self.competitors()
            value = known[self] = (
                0.0
                if k == 0
                else (1.0 - self.model.p.joint_funding_share)
                * self.overlap
                * self.dependency
                * (k / (k + 1.0))
            )
        return value

    def efficiency(self) -> float:
        if self.competitors() == 0:
            return 1.0
        return 1.0 - self.model.p.overlap_waste * self.overlap

    def strain(self) -> float:
        """Undefused competition, funding lost against what it had before this year's
        decision round (interim funding, cuts, losing in competition) and missing eye level
        erode motivation."""
        m = self.model
        openness = self.openness()
        if m.choices:  # where a member keeps information to itself, less is defused
            openness *= players.open_share(self, m.choices)
        competition = m.p.competition_strength * self.pressure() * (1.0 - openness)
        lost = max(0.0, 1.0 - self.funding / self.expected) if self.expected > 0 else 0.0
        return competition + self.dependency * lost + self.sensitivity * (1.0 - self.eye)

    def adjust_capacity(self) -> None:
        """Funded hours follow the funding; at most ``capacity_cap`` times the base."""
        if self.reference_funding > 0:
            funded = 1.0 - self.dependency + self.funding / self.base_capacity
            self.capacity = self.base_capacity * min(self.model.p.capacity_cap, funded)

    def receive_grant(self, amount: float) -> None:
        """The year's grant arrives; until the next decision round it is measured against
        what the carrier had before that round (``expected``), then counted on."""
        self.funding = amount
        self.adjust_capacity()

    def work_outside(self) -> None:
        """A carrier outside the network: all its hours go to its own services."""
        self.start_month()
        self.do_own_work()

    def rejoin(self, motivation: float) -> None:
        """Back in the network: the same organisation (its goals, its reciprocity), with a
        newcomer's motivation and expectations (onboarding shapes them)."""
        self.active = True
        self.motivation = motivation
        self.expectation = self.model.p.initial_expectation
        self.benefit = self.model.p.initial_benefit

    def new_funding_year(self) -> None:
        self.visible_output = 0.0
        self.joint_hours_year = 0.0
