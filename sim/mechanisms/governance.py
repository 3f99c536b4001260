"""Governance modes after Provan & Kenis (2008): who coordinates, with what standing, at
what cost.

=========  ===============================  ==========================================
mode       who coordinates                  what sets it apart in the model
=========  ===============================  ==========================================
shared     the members themselves: the      * every member sits in the steering group
           money for ``coordinator_hours``    (the plenary, Selbststeuerung): shaping the
           pays members' coordination         goal together gives ownership [000]
           time (at a carrier hour's rate),
           plus ``shared_coordination_
           hours`` each from their own time
                                            * an hour works as far as members trust each
                                              other and share a goal; on network-level
                                              tasks (transparency, onboarding, impact) it
                                              falls short as far as the work needs
                                              network-level competence (the complex share
                                              of need): ``shared_competence`` of it where
                                              all need were complex
                                            * pooled hours lose efficiency with the
                                              square of the size (every pair must align)
                                            * no broker to pay (the money buys more
                                              hours), none to lose; neutral
lead       a coordinator employed by one    * ``lead_interest`` of its hours serve the
           member, the administration         lead's own remit first (its own services)
           (federführend)                   * members accept it as a broker only as far as
                                              ``lead_neutrality``; it can settle direction
                                              without consensus (``lead_authority``)
nao        an independent office            * neutral (``nao_neutrality``), less authority
           (Geschäftsstelle, network          (``nao_authority``)
           administrative organisation)     * accepted only as far as its members trust
                                              each other enough to govern it together
                                              (``nao_trust_needed``): a lead's standing
                                              rests on trust centred on the lead instead
                                            * an office costs: ``nao_overhead`` of the
                                              money goes to running it, not to coordinating
=========  ===============================  ==========================================

The funded ``coordinator_hours`` stand for the same money in every mode,
``coordinator_hours x coordinator_hour_cost``: it pays a lead organisation's coordinator, an
office (whose overhead leaves ``coordinator_hours / (1 + nao_overhead)`` hours of
coordination), or members' coordination time at a carrier hour's rate. So the modes are
compared at equal resources [Provan & Kenis 2008]. A coordinator's hour works with quality
``(quality_untrained + competence) x mandate``, ``mandate = mandate_without_support +
(1 - mandate_without_support) x leadership_support`` [004]. The money is paid from the
municipal budget that funds the carriers in the share ``coordinator_cost_share`` (the rest
by an outside programme). The broker's acceptance (``acceptance``: neutrality, for an
office also its members' trust) scales the tasks that need an honest broker (moderation's
routine, advantage translation); authority lowers what goal misalignment costs a working
group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.mechanisms.coordination import TASKS

if TYPE_CHECKING:
    from sim.params import Params

NETWORK_TASKS = ("transparency", "onboarding", "monitoring")
"""Tasks that need network-level competence rather than good relations."""


@dataclass(frozen=True)
class Mode:
    name: str
    has_coordinator: bool
    neutrality: float
    authority: float
    interest: float = 0.0  # share of coordination hours that serve the lead's own remit
    overhead: float = 0.0  # extra cost per coordination hour (an office)


def mode(name: str, p: Params) -> Mode:
    """The governance mode ``name`` with the standing the parameters give it."""
    if name == "shared":
        return Mode("shared", has_coordinator=False, neutrality=1.0, authority=0.0)
    if name == "lead":
        return Mode("lead", True, p.lead_neutrality, p.lead_authority, interest=p.lead_interest)
    if name == "nao":
        return Mode("nao", True, p.nao_neutrality, p.nao_authority, overhead=p.nao_overhead)
    raise ValueError(f"unknown governance mode {name!r}")


def acceptance(m: Mode, trust: float, p: Params) -> float:
    """How far members accept this month's broker as an honest one (scales moderation's
    routine and advantage translation).

    Provan & Kenis (2008) tie the two brokered modes to different kinds of trust: a lead
    organisation works where trust is sparse but centred on the lead (members trust the
    lead, a central member holding resources, not each other), so its standing is its
    ``lead_neutrality`` whatever members think of each other; an office is *monitored by
    its members* and needs a moderate density of trust among them, so members accept it
    only as far as network trust (mean tie strength among working partners) reaches
    ``nao_trust_needed``. Nobody brokers under shared governance: 1."""
    if m.name == "nao":
        return m.neutrality * min(1.0, trust / p.nao_trust_needed)
    return m.neutrality


def mandate(p: Params) -> float:
    """Leadership support gives the coordinator a mandate [004]."""
    return p.mandate_without_support + (1.0 - p.mandate_without_support) * p.leadership_support


def coordinator_quality(competence: float, p: Params) -> float:
    """Effect of one coordinator hour: competence (training [004]) times mandate."""
    return (p.quality_untrained + competence) * mandate(p)


def coordinator_hours(funded: float, m: Mode, p: Params) -> float:
    """Hours of coordination the money for ``funded`` coordinator hours buys in mode ``m``:
    an office spends part of it on running itself; under shared governance it pays
    members' time, at a carrier hour's rate (1 funded hour) instead of a coordinator's."""
    if not m.has_coordinator:
        return funded * p.coordinator_hour_cost
    return funded / (1.0 + m.overhead)


def shared_quality(trust: float, consensus: float, p: Params) -> dict[str, float]:
    """Effect of one pooled member hour, per task, when nobody is the broker: peers
    coordinate as far as they trust each other and agree on the goal (Provan & Kenis).

    Network-level tasks need competence members do not bring along, but only as far as
    the network's work needs it: Provan & Kenis name the *need for network-level
    competencies* as a contingency of its own, high where the task needs several kinds of
    actor to work together. The model reads it off the complex share of need: a pooled
    hour on those tasks is worth ``1 - complex_share x (1 - shared_competence)`` of a
    relational one, so a small network with simple tasks loses little and one whose need
    is mostly complex loses most."""
    relational = p.shared_quality * 0.5 * (trust + consensus)
    network = 1.0 - p.complex_share * (1.0 - p.shared_competence)
    return {task: relational * (network if task in NETWORK_TASKS else 1.0) for task in TASKS}


def shared_hours(given: float, n_members: int, p: Params) -> float:
    """Effective coordination hours when ``n_members`` pool ``given`` hours without a broker:
    every member has to align with every other, so the effort grows with the number of
    pairs and efficiency is 1 / (1 + (n / shared_size_scale)^2): half at
    ``shared_size_scale`` members."""
    return given / (1.0 + (n_members / p.shared_size_scale) ** 2)


def monthly_cost(funded_hours: float, p: Params) -> float:
    """What the funded coordination costs the carriers' budget per month, in funded carrier
    hours: the same in every mode (equal resources)."""
    return funded_hours * p.coordinator_hour_cost * p.coordinator_cost_share
