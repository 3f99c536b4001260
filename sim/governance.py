"""Governance modes after Provan & Kenis (2008): who coordinates, and with what standing.

=========  ==============================  ==========  =========  ===============================
mode       who does the coordination       neutrality  authority  quality of a coordination hour
=========  ==============================  ==========  =========  ===============================
shared     the members themselves, each    1.0         0.0        0.7 x trust among members
           ``shared_coordination_hours``                          (no broker: works as far as
           (Selbststeuerung)                                       peers trust each other)
lead       a coordinator employed by the   0.5         0.4        (0.5 + competence) x mandate
           administration (federführend)
nao        an independent office           0.9         0.2        (0.5 + competence) x mandate
           (Geschäftsstelle)
=========  ==============================  ==========  =========  ===============================

``neutrality`` scales the tasks that need an honest broker (moderation, advantage
translation): members discount a broker who works for one of them. ``authority`` is how far
the coordinating body can settle direction without consensus; it lowers what goal
misalignment costs a working group, and in the lead mode the lead's hierarchy weighs fully
on others' eye level. ``mandate = 0.5 + 0.5 x leadership_support`` [004].

Under shared governance the members' pooled hours lose efficiency with size,
``1 / (1 + n / 12)``, because every member has to align with every other; this is the
mechanism behind Provan & Kenis' claim that shared governance suits few members. The values
of the table are assumptions chosen to express the paper's qualitative claims; experiment
"governance modes" (issue 4) checks what they produce against the paper.
"""

from __future__ import annotations

from dataclasses import dataclass

SHARED_SIZE_SCALE = 12.0


@dataclass(frozen=True)
class Mode:
    name: str
    has_coordinator: bool
    neutrality: float
    authority: float
    hierarchy_weight: float


MODES = {
    "shared": Mode("shared", has_coordinator=False, neutrality=1.0, authority=0.0,
                   hierarchy_weight=0.6),
    "lead": Mode("lead", has_coordinator=True, neutrality=0.5, authority=0.4,
                 hierarchy_weight=1.0),
    "nao": Mode("nao", has_coordinator=True, neutrality=0.9, authority=0.2,
                hierarchy_weight=0.6),
}


def mandate(leadership_support: float) -> float:
    """Leadership support gives the coordinator a mandate [004]."""
    return 0.5 + 0.5 * leadership_support


def coordinator_quality(competence: float, leadership_support: float) -> float:
    """Effect of one coordinator hour: competence times mandate."""
    return (0.5 + competence) * mandate(leadership_support)


def shared_quality(trust: float) -> float:
    """Effect of one pooled member hour when nobody is the broker."""
    return 0.7 * trust


def shared_hours(given: float, n_members: int) -> float:
    """Effective coordination hours when ``n_members`` pool ``given`` hours without a broker."""
    return given / (1.0 + n_members / SHARED_SIZE_SCALE)
