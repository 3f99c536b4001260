"""What every network member shares: time, goals, motivation, memory of partners.

A member's month has a fixed order (the model calls the phases): it starts with its full
``capacity`` in hours, spends some in meetings, gives a share of what is left to joint
work, and puts the rest into its own services. Afterwards it weighs what the network gave
it against what it cost and adjusts its motivation, slowly, and more slowly still when the
news is bad (persistence). A member with low motivation may leave.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar

import mesa
import numpy as np

from sim.mechanisms.cooperation import bounded
from sim.mechanisms.coordination import mean_over
from sim.mechanisms.joint_work import seen_benefit

if TYPE_CHECKING:
    from sim.mechanisms.bodies import Body
    from sim.mechanisms.network import Network


def approach(value: float, target: float, inertia: float, persistence: float) -> float:
    """Move ``value`` a share ``1 - inertia`` of the way to ``target``; a fall only a share
    ``1 - persistence`` of that: Durchhaltevermögen [003], "durch Komplikationen nicht
    entmutigen lassen", slows losing heart, never regaining it."""
    step = (1.0 - inertia) * (target - value)
    if step < 0.0:
        step *= 1.0 - persistence
    return value + step


class Actor(mesa.Agent):
    """A network member: an administration department, a carrier or a volunteer initiative."""

    model: Network
    kind: ClassVar[str] = "actor"
    leaves_when_unmotivated: ClassVar[bool] = True
    self_interest: float = 0.0  # how much joint output that carries no own name is discounted
    name: str | None = None  # its name in an actor list (sim.files.actors); drawn ones have none

    def __init__(
        self,
        model: Network,
        fields: tuple[int, ...],
        capacity: float,
        goal: np.ndarray,
        motivation: float,
        slope: float,
    ) -> None:
        super().__init__(model)
        self.fields = tuple(fields)
        self.capacity = float(capacity)
        self.goal = goal
        self.motivation = float(motivation)
        self.slope = float(slope)  # reciprocity: how closely it matches expected effort
        self.expectation = model.p.initial_expectation
        self.benefit = model.p.initial_benefit  # perceived benefit of joint work, remembered
        self.social = 0.0  # mean tie strength to the members of its groups
        self.fairness = 1.0  # did partners give at least what it gave?
        self.eye = 1.0  # eye level it experiences this month
        self.active = True
        self.bodies: list[Body] = []
        self.start_month()

    # --- the month, phase by phase ---------------------------------------------------------
    def start_month(self) -> None:
        self.month_hours = self.capacity  # this month's time (funding may change capacity later)
        self.hours_left = self.capacity
        self.meeting_time = 0.0
        self.coordination_time = 0.0  # shared governance: its own coordination hours
        self.joint_time = 0.0
        self.own_output = 0.0
        self.free = 0.0  # hours left for joint and own work once meetings are over
        self._signals: list[float] = []
        self._social: list[float] = []
        self._fairness: list[float] = []
        self.shares: list[float] = []  # contribution share in each working group, this month

    def feel_eye_level(self) -> None:
        """Take in this month's eye level (after the coordinator's moderation is known)."""
        self.eye = self.eye_level()

    def eye_level(self) -> float:
        """Eye level this member experiences with the administration: a hierarchical steering
        style takes it away unless open communication shields it [004, 002 These 1]."""
        return self.model.hierarchy_factor(self)

    def openness(self) -> float:
        """Open communication in its fields (the coordinator's moderation)."""
        return mean_over(self.model.openness, self.fields)

    def end_meetings(self) -> None:
        self.free = self.hours_left

    def spend_meeting(self, hours: float) -> None:
        self.hours_left -= hours
        self.meeting_time += hours

    def give_coordination(self, hours: float) -> float:
        """Under shared governance: coordination hours out of what the meetings left."""
        given = self.give(hours)
        self.coordination_time += given
        return given

    def give(self, hours: float) -> float:
        """Take ``hours`` (at most what is left) out of this month's time."""
        hours = float(bounded(hours, self.hours_left))
        self.hours_left -= hours
        return hours

    @property
    def working_groups(self) -> list[Body]:
        return [b for b in self.bodies if b.kind == "working"]

    def pressure(self) -> float:
        """Competition for the same funds and clients, in [0, 1]; only carriers feel it."""
        return 0.0

    def efficiency(self) -> float:
        """Need units one hour of own work serves."""
        return 1.0

    def do_own_work(self) -> None:
        self.own_output = self.hours_left * self.efficiency()
        self.hours_left = 0.0

    def perceive(self, own: float, whole: float) -> None:
        """Note what a group's joint work was worth this month, as this member sees it
        (``seen_benefit``; joint work computes it for a whole group at once)."""
        m = self.model
        translation = mean_over(m.effects["translation"], self.fields)
        seen = seen_benefit(own, whole, self.self_interest, translation, m.acceptance, m.p)
        self._signals.append(float(seen))

    def note_work(
        self,
        given: float,
        social: float,
        share: float,
        expectation: float,
        fairness: float,
        benefit: float,
    ) -> None:
        """What a month's joint work in one group leaves with this member (joint work
        computes it for all members at once): the hours it gave, its mean tie to the group,
        its contribution share, what it now expects of partners, whether they matched it,
        and what the work was worth to it (nan: it neither met nor gave, so it learnt
        nothing of that)."""
        self.hours_left -= given
        self.joint_time += given
        self._social.append(social)
        self.shares.append(share)
        self.expectation = expectation
        self._fairness.append(fairness)
        if benefit == benefit:  # not nan
            self._signals.append(benefit)

    def strain(self) -> float:
        """Burdens that lower motivation: missing eye level for all, competition and lost
        funding for carriers (see the subclasses)."""
        return 0.0

    def steers(self) -> bool:
        """Did it take part in the steering group's last meeting (shaping the goal)?"""
        return self in self.model.steering.present_members

    def motivation_target(self) -> float:
        p = self.model.p
        fair = 1.0 - p.weight_benefit - p.weight_ties
        target = (
            p.weight_benefit * self.benefit
            + p.weight_ties * self.social
            + fair * self.fairness
            - self.strain()
        )
        if self.steers():  # ownership: shaping the goal [000], diluted in a crowd
            target += p.ownership * self.model.voice_weight
        return min(1.0, max(0.0, target))

    def update_motivation(self) -> None:
        """Move motivation towards what the network is worth to this member now."""
        p = self.model.p
        if self._signals:
            seen = sum(self._signals) / len(self._signals)
            self.benefit = approach(self.benefit, seen, p.motivation_inertia, p.persistence)
        if self._social:
            self.social = sum(self._social) / len(self._social)
        if self._fairness:
            self.fairness = sum(self._fairness) / len(self._fairness)
        self.motivation = approach(
            self.motivation, self.motivation_target(), p.motivation_inertia, p.persistence
        )

    def leave_chance(self) -> float:
        """Chance of leaving this month: rises smoothly as motivation falls below
        ``exit_threshold`` [002 These 1: "Ansonsten fehlt die nötige Motivation"]."""
        if not self.leaves_when_unmotivated:
            return 0.0
        p = self.model.p
        z = (self.motivation - p.exit_threshold) / p.exit_spread
        return p.exit_rate / (1.0 + math.exp(min(z, 50.0)))

    def leave(self) -> None:
        """Leave the network: out of every body; ties stay and fade without contact."""
        self.active = False
        for body in list(self.bodies):
            body.discard(self)
