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

from sim.mechanisms.cooperation import bounded, contribution, support, update_expectation
from sim.mechanisms.coordination import mean_over
from sim.mechanisms.goals import RANDOM_GAP, goal_share
from sim.mechanisms.needs import GroupOutput
from sim.mechanisms.players import group_open_share, joint_shares
from sim.mechanisms.ties import upper_pairs

if TYPE_CHECKING:
    from sim.mechanisms.bodies import Body
    from sim.mechanisms.network import Network

KINDS = 3  # administration, carriers, volunteers
BLAU_MAX = 1.0 - 1.0 / KINDS  # the largest Blau index three kinds can have
KIND_INDEX = {"administration": 0, "carrier": 1, "volunteer": 2}  # sim.agents.KINDS' order
NOTHING = GroupOutput(output=0.0, mixed=False, reach=0.0)


def seen_benefit(own, whole, self_interest, translation, acceptance: float, p):
    """What a group's joint work was worth this month to a member (arrays: to each member).

    ``own`` is what it got against what it gave (credited output / (credited + hours));
    ``whole`` the same for the group as a whole. Members with self-interest discount joint
    output that carries no own name unless funding rewards joint work [001, 002]. Advantage
    translation (Vorteilsübersetzung [001]) lifts a member towards what the group achieved,
    so those who gain least gain most, and nothing comes from nothing.
    """
    seen = own * (1.0 - self_interest * (1.0 - p.joint_funding_share))
    return seen + translation * acceptance * np.maximum(0.0, whole - seen)


def work(group: Body, model: Network) -> GroupOutput:
    """One group's joint work this month (``work_all`` for one group)."""
    return work_all([group], model)[0]


def layers(groups: list[Body]) -> list[list[int]]:
    """The groups (by index) in layers whose groups share no member, every group in a later
    layer than each earlier group it shares a member with. Worked layer by layer, the month
    comes out as if the groups worked one after the other: a member of two groups gives to
    the second with the expectations and ties the first left it."""
    last: dict[int, int] = {}  # member -> the last layer it works in
    out: list[list[int]] = []
    for g, group in enumerate(groups):
        if len(group.members) < 2:
            continue
        layer = max((last.get(id(m), -1) for m in group.members), default=-1) + 1
        if layer == len(out):
            out.append([])
        out[layer].append(g)
        for m in group.members:
            last[id(m)] = layer
    return out


def work_all(groups: list[Body], model: Network) -> list[GroupOutput]:
    """The month's joint work in ``groups``, in the order given (see ``layers``), each
    layer's groups at once as arrays over their memberships."""
    outputs = [NOTHING] * len(groups)
    for layer in layers(groups):
        for g, out in zip(layer, _work_layer([groups[g] for g in layer], model), strict=True):
            outputs[g] = out
    return outputs


def _work_layer(groups: list[Body], model: Network) -> list[GroupOutput]:
    """Joint work of groups that share no member: one row per membership."""
    p, ties = model.p, model.ties
    members = [m for g in groups for m in g.members]
    sizes = np.array([len(g.members) for g in groups])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    of = np.repeat(np.arange(len(groups)), sizes)  # each row's group
    translation = model.effects["translation"]
    (motivation, expectation, slope, pressure, free, spread, left, eye, self_interest, lift) = (
        np.array(  # what each member brings this month, read in one pass
            [
                (
                    m.motivation,
                    m.expectation,
                    m.slope,
                    m.pressure(),
                    m.free,
                    len(m.working_groups),
                    m.hours_left,
                    m.eye if m.kind == "volunteer" else 0.0,
                    m.self_interest,
                    mean_over(translation, m.fields),
                )
                for m in members
            ]
        ).T
    )
    goals = np.array([m.goal for m in members])
    centre = np.add.reduceat(goals, starts, axis=0) / sizes[:, None]
    gaps = np.abs(goals - centre[of]).mean(axis=1)  # goals.distance to the group's centre
    openness = np.array([model.openness[g.field] for g in groups])[of]
    if model.choices:  # open talk takes everyone: a member keeping information to itself
        kept = np.array([group_open_share(g, model.choices) for g in groups])[of]
        openness = openness * kept  # takes its part away in its group (players)
    momentum = np.array([g.momentum(model.clock, p.meeting_momentum) for g in groups])[of]
    pairs, rows = [], []  # every pair of each group, and its two rows
    for g, start in zip(groups, starts.tolist(), strict=True):
        n = len(g.members)
        a, b = upper_pairs(n)
        rows.append((a + start, b + start))
        ids = [m.unique_id for m in g.members]
        pairs.extend((ids[i], ids[j]) for i, j in zip(a.tolist(), b.tolist(), strict=True))
    ra, rb = np.concatenate([r[0] for r in rows]), np.concatenate([r[1] for r in rows])
    slots, weights = ties.gather(pairs)
    count = len(members)
    trust = (
        np.bincount(ra, weights, minlength=count) + np.bincount(rb, weights, minlength=count)
    ) / (sizes[of] - 1)  # mean tie to the others in its group

    held_up = support(p.support_strength, goal_share(gaps), trust, motivation)
    s = contribution(expectation, slope, held_up, pressure, openness, p.competition_strength)
    s = s * momentum  # what the group can use of it, given how lately it met
    s = s * np.minimum(1.0, motivation / p.engaged_motivation)  # [002 These 1]
    if model.choices:  # played members give the share their players chose
        s = joint_shares(s, [m.unique_id for m in members], model.choices, momentum, model.by_rule)
    h = bounded(s * free / spread, left)  # Actor.give, for all

    per_group = len(groups)
    total = np.bincount(of, h, minlength=per_group)
    kind = np.array([KIND_INDEX[m.kind] for m in members])
    by_kind = np.bincount(of * KINDS + kind, h, minlength=per_group * KINDS).reshape(-1, KINDS)
    mixed = (by_kind > p.min_joint_hours).sum(axis=1) >= 2
    safe = np.where(total > 0, total, 1.0)
    blau = np.where(total > 0, 1.0 - ((by_kind / safe[:, None]) ** 2).sum(axis=1), 0.0)
    mix = np.minimum(1.0, blau / BLAU_MAX)
    clarity = np.array([model.clarity[g.field] for g in groups])
    misalignment = np.minimum(1.0, np.bincount(of, gaps, minlength=per_group) / sizes / RANDOM_GAP)
    alignment = 1.0 - p.misalignment_cost * (1.0 - model.mode.authority) * misalignment
    output = p.synergy * total * alignment * (1.0 - p.friction * mix * (1.0 - clarity))
    per_hour = np.where(total > 0, output / safe, 0.0)  # the group's output per joint hour
    reach = (
        p.volunteer_reach
        * (1.0 + p.voice_reach * model.voice)
        * per_hour
        * np.bincount(of, h * eye, minlength=per_group)
    )

    # what members learn: expectations, fairness, reciprocity ties, perceived benefit
    others = (np.bincount(of, s, minlength=per_group)[of] - s) / (sizes[of] - 1)
    expectation = update_expectation(expectation, others, p.belief_update, p.persistence)
    fairness = 1.0 - np.maximum(0.0, s - others)
    ties.reciprocate_pairs(pairs, slots, weights, s[ra], s[rb], p.tie_growth)
    cost_of = total + np.array([g.meeting_cost for g in groups])
    met = np.array([g.last_met == model.clock for g in groups])
    attended = np.array(
        [g.attended[m] if g.last_met == model.clock else 0 for g in groups for m in g.members],
        dtype=float,
    )
    cost = h + np.where(met[of], p.meeting_hours * attended, 0.0)
    credited = np.where(total[of] > 0, output[of] * h / safe[of], 0.0)
    gives = (cost > 0) & (cost_of[of] > 0)  # a member who neither met nor gave learns nothing
    whole = np.where(cost_of > 0, output / np.where(cost_of > 0, output + cost_of, 1.0), 0.0)
    seen = seen_benefit(
        credited / np.where(gives, credited + cost, 1.0),
        whole[of],
        self_interest,
        lift,
        model.acceptance,
        p,
    )
    learnt = zip(
        h.tolist(),
        trust.tolist(),
        s.tolist(),
        expectation.tolist(),
        fairness.tolist(),
        np.where(gives, seen, np.nan).tolist(),
        strict=True,
    )  # a member who neither met nor gave learns nothing of benefit (nan)
    for m, row in zip(members, learnt, strict=True):
        m.note_work(*row)
    for g, out, blend in zip(groups, output.tolist(), mix.tolist(), strict=True):
        g.output, g.mix = out, blend
    return [
        GroupOutput(output=o, mixed=x, reach=r)
        for o, x, r in zip(output.tolist(), mixed.tolist(), reach.tolist(), strict=True)
    ]
