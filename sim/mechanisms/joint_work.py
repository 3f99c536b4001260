"""Joint work in a working group: contributions, output, and what members learn from it.

Every month each member decides what share of its free hours to give (conditional
cooperation, ``sim.mechanisms.cooperation``); it gives all of it only while its motivation
is at least ``engaged_motivation``, proportionally less below ("Ansonsten fehlt die nötige
Motivation, sich zeitlich ... einzubringen" [002 These 1]); the group uses the hours as far
as it has met lately (``Body.momentum``: joint work is agreed in meetings [003 Begegnung]).
The group's output is

    output  = synergy * hours * alignment * (1 - friction * mix * (1 - clarity))
    alignment = 1 - misalignment_cost * (1 - authority) * misalignment

``misalignment`` (0..1) is the members' mean goal distance to the group's centre relative
to that of random goals [002 These 1]; ``mix`` (0..1) is the diversity of the kinds who
contributed, by hours (Blau index normalised by its largest value for three kinds), which
brings friction between different working speeds unless roles are clear [003 Akzeptanz,
Konkrete Aufgaben]. Diversity is also what makes output able to serve complex need (two or
more kinds) and hard-to-reach need (volunteers involved: each volunteer hour, weighted by
the eye level it meets, opens ``volunteer_reach`` hours' worth of the group's output to
hard-to-reach people, and more when volunteers have a voice in the steering group).

Afterwards members update what they expect of partners, judge fairness, adjust ties by
reciprocity, and perceive the benefit: what each gets (its credited share of the output,
in proportion to the hours it gave) against what it gave (its hours and its meeting time),
so a member who only sits in meetings gets nothing out of them, and a group that meets a
lot and produces little feels pointless. The coordinator's advantage translation lifts
members who gain least towards what the group as a whole achieved (``Actor.perceive``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms.cooperation import contribution, support, update_expectation
from sim.mechanisms.goals import RANDOM_GAP, goal_share
from sim.mechanisms.needs import GroupOutput

if TYPE_CHECKING:
    from sim.mechanisms.bodies import Body
    from sim.mechanisms.network import Network

KINDS = 3  # administration, carriers, volunteers
BLAU_MAX = 1.0 - 1.0 / KINDS  # the largest Blau index three kinds can have
NOTHING = GroupOutput(output=0.0, mixed=False, reach=0.0)


def work(group: Body, model: Network) -> GroupOutput:
    p, ties = model.p, model.ties
    members = group.members
    n = len(members)
    if n < 2:
        return NOTHING
    ids = [m.unique_id for m in members]
    goals = np.array([m.goal for m in members])
    gaps = np.abs(goals - goals.mean(axis=0)).mean(axis=1).tolist()  # goals.distance, at once
    field = group.field
    openness = float(model.openness[field])
    momentum = group.momentum(model.clock, p.meeting_momentum)
    pairs, slots, among = ties.block(ids)  # the group's ties, read once
    trusts = ties.mean_within(among).tolist()

    shares, hours = [], []
    for m, gap, trust in zip(members, gaps, trusts, strict=True):
        held_up = support(p.support_strength, goal_share(gap), trust, m.motivation)
        s = contribution(
            m.expectation, m.slope, held_up, m.pressure(), openness, p.competition_strength
        )
        s *= momentum  # what the group can use of it, given how lately it met
        s *= min(1.0, m.motivation / p.engaged_motivation)  # [002 These 1]
        h = m.give(s * m.free / len(m.working_groups))
        m.joint_time += h
        m.note_group(social=trust, share=s)
        shares.append(s)
        hours.append(h)

    total = sum(hours)
    by_kind: dict[str, float] = {}
    for m, h in zip(members, hours, strict=True):
        by_kind[m.kind] = by_kind.get(m.kind, 0.0) + h
    mixed = sum(h > p.min_joint_hours for h in by_kind.values()) >= 2
    blau = 1.0 - sum((h / total) ** 2 for h in by_kind.values()) if total > 0 else 0.0
    mix = min(1.0, blau / BLAU_MAX)
    clarity = float(model.clarity[field])
    misalignment = min(1.0, sum(gaps) / n / RANDOM_GAP)
    alignment = 1.0 - p.misalignment_cost * (1.0 - model.mode.authority) * misalignment
    output = p.synergy * total * alignment * (1.0 - p.friction * mix * (1.0 - clarity))
    per_hour = output / total if total > 0 else 0.0  # the group's output per joint hour
    reach = (
        p.volunteer_reach
        * (1.0 + p.voice_reach * model.voice)
        * per_hour
        * sum(h * m.eye for m, h in zip(members, hours, strict=True) if m.kind == "volunteer")
    )

    # what members learn: expectations, fairness, reciprocity ties, perceived benefit
    all_shares = sum(shares)
    for m, s in zip(members, shares, strict=True):
        others = (all_shares - s) / (n - 1)
        m.expectation = update_expectation(m.expectation, others, p.belief_update, p.persistence)
        m.note_group(fairness=1.0 - max(0.0, s - others))
    ties.reciprocate_block(pairs, slots, among, np.array(shares), p.tie_growth)
    group_cost = total + group.meeting_cost
    if group_cost > 0:
        whole = output / (output + group_cost)
        met = group.last_met == model.clock
        for m, h in zip(members, hours, strict=True):
            cost = h + (p.meeting_hours * group.attended[m] if met else 0.0)
            if cost > 0:
                credited = output * h / total if total > 0 else 0.0
                m.perceive(credited / (credited + cost), whole)
    group.output, group.mix = output, mix
    return GroupOutput(output=output, mixed=mixed, reach=reach)
