"""Coordinator effort: seven tasks, diminishing returns, competence and mandate.

Each month the coordinator (or, under shared governance, the members together) splits its
hours over seven tasks. A task's effect in [0, 1) saturates with the hours put in:

    effect = 1 - exp(-quality * hours / load)

``load`` is the hours the task needs to reach about two thirds of its full effect; it grows
with what there is to coordinate (members, bodies, fields), so the same coordinator does
less per member in a bigger network. ``quality`` is competence times mandate (see
``governance``). The exponential gives the diminishing returns the design asks for: the
first hours of contact maintenance matter most, the fortieth hardly at all.

=============  =========================  ========================================  ==========
task           German                     effect in the model                       source
=============  =========================  ========================================  ==========
contact        Kontaktpflege              ties decay slower                         [002] Th.2
translation    Vorteilsübersetzung        raises perceived benefit, most for those  [001]
                                          who gain least
moderation     Moderation                 openness: defuses competition, widens     [002] Th.1
                                          goal tolerance, lifts eye level
transparency   Transparenz                finds and merges duplicate bodies         [001]
onboarding     Netzwerkerweiterung        attracts and binds newcomers              [002] Th.2,
                                                                                    [003]
roles          Rollenklärung              role clarity: less friction in mixed      [003]
                                          groups                                    
monitoring     Wirkungsorientierung       joint work aims at unmet complex and      [000]
                                          hard-to-reach need instead of drifting
                                          to what is easy
=============  =========================  ========================================  ==========

Allocation "equal" gives every task the same hours; "adaptive" weights each task's load by
how much it pinches now (the coordinator as a probe that learns where the shoe pinches
[001]).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

TASKS = ("contact", "translation", "moderation", "transparency", "onboarding", "roles",
         "monitoring")

TASKS_DE = ("Kontaktpflege", "Vorteilsübersetzung", "Moderation", "Transparenz",
            "Netzwerkerweiterung", "Rollenklärung", "Wirkungsorientierung")


@dataclass(frozen=True)
class Situation:
    """What a coordinator can see of the network at the start of a month."""

    members: int
    bodies: int
    working_groups: int
    fields: int
    duplicates: int
    trust: float
    benefit: float
    pressure: float
    goal_consensus: float
    cooperation: float
    effectiveness: float
    shrinkage: float


def loads(s: Situation) -> dict[str, float]:
    """Hours each task needs for about two thirds of its full effect."""
    return {
        "contact": 1.0 * s.members,
        "translation": 0.5 * s.members,
        "moderation": 2.0 * s.bodies,
        "transparency": 2.0 * s.bodies,
        "onboarding": 8.0,
        "roles": 2.0 * s.working_groups,
        "monitoring": 4.0 * s.fields,
    }


def pinch(s: Situation) -> dict[str, float]:
    """How urgently each task is needed now, in [0, 1]."""
    return {
        "contact": 1.0 - s.trust,
        "translation": 1.0 - s.benefit,
        "moderation": 0.5 * (s.pressure + 1.0 - s.goal_consensus),
        "transparency": min(1.0, s.duplicates / 2.0),
        "onboarding": 0.2 + 0.8 * s.shrinkage,
        "roles": 1.0 - s.cooperation,
        "monitoring": 1.0 - s.effectiveness,
    }


def plan(hours: float, strategy: str, s: Situation) -> dict[str, float]:
    """Split ``hours`` over the tasks."""
    if strategy == "equal":
        weights = dict.fromkeys(TASKS, 1.0)
    else:
        need, urgency = loads(s), pinch(s)
        weights = {t: need[t] * urgency[t] for t in TASKS}
    total = sum(weights.values())
    if total <= 0.0:
        weights, total = dict.fromkeys(TASKS, 1.0), float(len(TASKS))
    return {t: hours * w / total for t, w in weights.items()}


def effects(hours_by_task: dict[str, float], quality: float, s: Situation) -> dict[str, float]:
    """Effect in [0, 1) of each task, with diminishing returns in hours."""
    need = loads(s)
    return {
        t: 1.0 - math.exp(-quality * hours_by_task.get(t, 0.0) / need[t]) if need[t] > 0 else 0.0
        for t in TASKS
    }


LOAD_CAP = 10.0


def load_ratio(hours: float, s: Situation) -> float:
    """Coordinator load: hours the tasks need over hours available (above 1 = overloaded).

    0 when nobody coordinates; capped at ``LOAD_CAP`` (ten times too much is hopeless
    enough, and a vanishing number of hours must not make the indicator infinite).
    """
    if hours <= 0:
        return 0.0
    return min(LOAD_CAP, sum(loads(s).values()) / hours)


NO_EFFECTS = dict.fromkeys(TASKS, 0.0)
