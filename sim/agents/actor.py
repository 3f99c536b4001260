"""What every network member shares: time, goals, motivation, memory of partners.

A member's month has a fixed order (the model calls the phases): it starts with its full
``capacity`` in hours, spends some in meetings, gives a share of what is left to joint
work, and puts the rest into its own services. Afterwards it weighs what the network gave
it against what it cost and adjusts its motivation, slowly (persistence).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import mesa
import numpy as np

if TYPE_CHECKING:
    from sim.bodies import Body
    from sim.model import KommuneModel

# Weights of what members value in a network; they sum to one, so a member who gets full
# benefit, strong ties and fair partners has a motivation target of 1.
W_BENEFIT, W_SOCIAL, W_FAIR = 0.5, 0.3, 0.2


class Actor(mesa.Agent):
    """A network member: an administration department, a carrier or a volunteer initiative."""

    model: KommuneModel
    kind: ClassVar[str] = "actor"
    leaves_when_unmotivated: ClassVar[bool] = True
    self_interest: float = 0.0  # how much joint output that carries no own name is discounted

    def __init__(
        self,
        model: KommuneModel,
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
        self.benefit = 0.5  # perceived benefit of joint work, remembered
        self.social = 0.0  # mean tie strength to the members of its groups
        self.fairness = 1.0  # did partners give at least what it gave?
        self.share = 0.0  # share of free hours given to joint work this month
        self.active = True
        self.bodies: list[Body] = []
        self.low_months = 0
        self.joined = int(model.time)
        self.start_month()

    # --- the month, phase by phase ---------------------------------------------------------
    def start_month(self) -> None:
        self.month_hours = self.capacity  # this month's time (funding may change capacity later)
        self.hours_left = self.capacity
        self.meeting_time = 0.0
        self.joint_time = 0.0
        self.own_output = 0.0
        self.free = 0.0  # hours left for joint and own work once meetings are over
        self._signals: list[float] = []
        self._social: list[float] = []
        self._fairness: list[float] = []
        self.shares: list[float] = []  # contribution share in each working group, this month

    def end_meetings(self) -> None:
        self.free = self.hours_left

    def attends(self, hours: float) -> bool:
        """Come to a meeting? Needs the time, then out of duty or motivation."""
        if self.hours_left < hours:
            return False
        norm = self.model.p.attendance_norm
        return self.model.rng.random() < norm + (1.0 - norm) * self.motivation

    def spend_meeting(self, hours: float) -> None:
        self.hours_left -= hours
        self.meeting_time += hours

    def give(self, hours: float) -> float:
        """Take ``hours`` (at most what is left) out of this month's time."""
        hours = max(0.0, min(hours, self.hours_left))
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
        """Note what a group's joint work was worth this month, as this member sees it.

        ``own`` is what it got against what it gave (credited output / (credited + hours));
        ``whole`` the same for the group as a whole. Members with self-interest discount
        joint output that carries no own name unless funding rewards joint work [001, 002].
        Advantage translation (Vorteilsübersetzung [001]) lifts a member towards what the
        group achieved, so those who gain least gain most, and nothing comes from nothing.
        """
        m = self.model
        seen = own * (1.0 - self.self_interest * (1.0 - m.p.joint_funding_share))
        seen += m.effects["translation"] * m.mode.neutrality * max(0.0, whole - seen)
        self._signals.append(seen)

    def note_group(self, social: float | None = None, fairness: float | None = None,
                   share: float | None = None) -> None:
        """Remember this month's ties to a group, its own contribution share there, and
        whether partners matched its effort."""
        if social is not None:
            self._social.append(social)
        if fairness is not None:
            self._fairness.append(fairness)
        if share is not None:
            self.shares.append(share)

    def strain(self) -> float:
        """Kind-specific burdens that lower motivation (competition, eye level ...)."""
        return 0.0

    def update_motivation(self) -> None:
        """Move motivation towards what the network is worth to this member now."""
        keep = self.model.p.persistence  # Durchhaltevermögen: judgements change slowly [003]
        if self._signals:
            seen = sum(self._signals) / len(self._signals)
            self.benefit = keep * self.benefit + (1.0 - keep) * seen
        if self._social:
            self.social = sum(self._social) / len(self._social)
        if self._fairness:
            self.fairness = sum(self._fairness) / len(self._fairness)
        target = W_BENEFIT * self.benefit + W_SOCIAL * self.social + W_FAIR * self.fairness
        target = min(1.0, max(0.0, target - self.strain()))
        self.motivation = keep * self.motivation + (1.0 - keep) * target
        low = self.motivation < self.model.p.exit_threshold
        self.low_months = self.low_months + 1 if low else 0

    def wants_to_leave(self) -> bool:
        return self.leaves_when_unmotivated and self.low_months >= self.model.p.exit_patience

    def leave(self) -> None:
        """Leave the network: out of every body; ties stay and fade without contact."""
        self.active = False
        for body in list(self.bodies):
            body.discard(self)
