"""Volunteer initiative (Ehrenamt): small time budgets, a way to people others miss.

Volunteers reach target groups the professionals do not (older migrants, [002 These 3]),
but only if paid staff meet them at eye level and accept their ways of working; otherwise
they feel not taken seriously and leave. Their time is short: giving more than
``burnout_threshold`` of it, month after month, burns them out and they drop out
(DESIGN §2, §8).
"""

from __future__ import annotations

from sim.agents.actor import Actor

LOAD_MEMORY = 1.0 / 6.0  # the load a volunteer feels remembers about half a year
VOICE = 0.25  # a seat in the steering group closes this share of the eye-level gap [003]


class Volunteer(Actor):
    kind = "volunteer"

    def __init__(self, model, fields, capacity, goal, motivation, slope, sensitivity):
        super().__init__(model, fields, capacity, goal, motivation, slope)
        self.sensitivity = float(sensitivity)  # how much a lack of eye level hurts
        self.load = 0.0  # smoothed share of its time given to the network

    def eye_level(self) -> float:
        """Eye level it experiences: staff attitude, weakened by undefused hierarchy."""
        m = self.model
        hierarchy = m.p.hierarchy * m.mode.hierarchy_weight * (1.0 - m.openness)
        eye = m.p.eye_level * (1.0 - 0.5 * hierarchy)
        if any(b.kind == "steering" for b in self.bodies):
            eye += VOICE * (1.0 - eye)
        return eye

    def strain(self) -> float:
        return self.sensitivity * (1.0 - self.eye_level())

    def update_motivation(self) -> None:
        given = (self.meeting_time + self.joint_time) / self.capacity
        self.load += LOAD_MEMORY * (given - self.load)
        super().update_motivation()

    def wants_to_leave(self) -> bool:
        burned_out = self.load > self.model.p.burnout_threshold
        return burned_out or super().wants_to_leave()
