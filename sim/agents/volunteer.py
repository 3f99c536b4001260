"""Volunteer initiative (Ehrenamt): small time budgets, a way to people others miss.

Volunteers reach target groups the professionals do not (older migrants, [002 These 3]),
but only if paid staff meet them at eye level and accept their ways of working; otherwise
they feel not taken seriously and leave. Their voice at the steering table raises the eye
level all volunteers feel [003: "Auch Menschen aus den vor Ort definierten Zielgruppen sind
... in den Steuerungsgruppen vertreten"]. Their time is short: the load they feel is the
share of their time the network takes, lightened by clear roles ("konkrete Aufgaben"
[003]) and by staff who accept their pace ("andere Herangehensweisen akzeptieren" [002
These 3], "unterschiedlich schnell arbeiten" [003 Akzeptanz]); a felt load above
``burnout_threshold`` wears their motivation down until they drop out (docs/ODD.md §2, §5).
"""

from __future__ import annotations

from sim.agents.actor import Actor
from sim.mechanisms.coordination import mean_over


class Volunteer(Actor):
    kind = "volunteer"

    def __init__(self, model, fields, capacity, goal, motivation, slope, sensitivity):
        super().__init__(model, fields, capacity, goal, motivation, slope)
        self.sensitivity = float(sensitivity)  # how much a lack of eye level hurts
        self.load = 0.0  # smoothed share of its time the network takes, as felt

    def eye_level(self) -> float:
        """Staff's attitude (``eye_level``), weakened by undefused hierarchy, raised by the
        volunteers' voice in the steering group."""
        m = self.model
        eye = m.p.eye_level * m.hierarchy_factor(self)
        return eye + m.p.voice_eye * m.voice * (1.0 - eye)

    def strain(self) -> float:
        """Missing eye level, and overload: the felt load beyond ``burnout_threshold``, as a
        share of the room left above it (1 when the network takes all its time)."""
        p = self.model.p
        overload = max(0.0, self.load - p.burnout_threshold) / (1.0 - p.burnout_threshold)
        return self.sensitivity * (1.0 - self.eye) + overload

    def felt_load(self) -> float:
        """Share of its time given in meetings, coordination and joint work, as it feels it:
        clear roles and eye level take off up to ``overload_protection`` of it."""
        p = self.model.p
        given = (self.meeting_time + self.coordination_time + self.joint_time) / self.capacity
        clarity = mean_over(self.model.clarity, self.fields)
        return given * (1.0 - p.overload_protection * 0.5 * (clarity + self.eye))

    def update_motivation(self) -> None:
        self.load += (self.felt_load() - self.load) / self.model.p.load_memory
        super().update_motivation()
