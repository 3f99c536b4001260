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
    layer's groups at once as arrays over their memberships. What no group's work changes
    this month (members' motivation, goals, free hours, pressure; the groups' momentum and
    meetings) is read once for all layers (``_Month``); what a layer changes (expectations,
    hours left, ties) is read again by the next."""
    outputs = [NOTHING] * len(groups)
    order = layers(groups)
    if not order:
        return outputs
    month = _Month([groups[g] for layer in order for g in layer], model)
    g0 = r0 = q0 = 0  # the layer's first group, membership row and pair
    for layer in order:
        g1 = g0 + len(layer)
        r1 = r0 + int(month.sizes[g0:g1].sum())
        q1 = q0 + int(month.pair_counts[g0:g1].sum())
        done = _work_layer(month, slice(g0, g1), slice(r0, r1), slice(q0, q1), model)
        for g, out in zip(layer, done, strict=True):
            outputs[g] = out
        g0, r0, q0 = g1, r1, q1
    return outputs


class _Month:
    """A month's working groups (in layer order) and their memberships, one row each, with
    what stays fixed while they work: row ``r`` is member ``members[r]`` in group ``of[r]``;
    pairs run group by group, each group's pairs row by row (``upper_pairs``)."""

    def __init__(self, groups: list[Body], model: Network) -> None:
        p = model.p
        self.groups = groups
        self.members = members = [m for g in groups for m in g.members]
        self.sizes = sizes = np.array([len(g.members) for g in groups])
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        self.of = of = np.repeat(np.arange(len(groups)), sizes)  # each row's group
        translation = model.effects["translation"]
        (
            self.motivation,
            self.slope,
            self.pressure,
            self.free,
            self.spread,
            self.eye,
            self.self_interest,
            self.lift,
        ) = np.array(  # what each member brings this month, read in one pass
            [
                (
                    m.motivation,
                    m.slope,
                    m.pressure(),
                    m.free,
                    len(m.working_groups),
                    m.eye if m.kind == "volunteer" else 0.0,
                    m.self_interest,
                    mean_over(translation, m.fields),
                )
                for m in members
            ]
        ).T
        goals = np.array([m.goal for m in members])
        centre = np.add.reduceat(goals, starts, axis=0) / sizes[:, None]
        self.gaps = np.abs(goals - centre[of]).mean(axis=1)  # goals.distance to the centre
        self.shared_goal = goal_share(self.gaps)
        openness = np.array([model.openness[g.field] for g in groups])[of]
        if model.choices:  # open talk takes everyone: a member keeping information to itself
            kept = np.array([group_open_share(g, model.choices) for g in groups])[of]
            openness = openness * kept  # takes its part away in its group (players)
        self.openness = openness
        self.momentum = np.array([g.momentum(model.clock, p.meeting_momentum) for g in groups])[of]
        self.engaged = np.minimum(1.0, self.motivation / p.engaged_motivation)  # [002 These 1]
        self.kind = np.array([KIND_INDEX[m.kind] for m in members])
        self.clarity = np.array([model.clarity[g.field] for g in groups])
        misalignment = np.minimum(
            1.0, np.bincount(of, self.gaps, minlength=len(groups)) / sizes / RANDOM_GAP
        )
        self.alignment = 1.0 - p.misalignment_cost * (1.0 - model.mode.authority) * misalignment
        self.meeting_cost = np.array([g.meeting_cost for g in groups])
        met = np.array([g.last_met == model.clock for g in groups])
        attended = np.array(
            [g.attended[m] if g.last_met == model.clock else 0 for g in groups for m in g.members],
            dtype=float,
        )
        self.meeting_part = np.where(met[of], p.meeting_hours * attended, 0.0)
        self.pairs: list[tuple[int, int]] = []  # every pair of each group, and its two rows
        rows = []
        for g, start in zip(groups, starts.tolist(), strict=True):
            a, b = upper_pairs(len(g.members))
            rows.append((a + start, b + start))
            ids = [m.unique_id for m in g.members]
            self.pairs.extend((ids[i], ids[j]) for i, j in zip(a.tolist(), b.tolist(), strict=True))
        self.ra = np.concatenate([r[0] for r in rows])
        self.rb = np.concatenate([r[1] for r in rows])
        self.pair_counts = sizes * (sizes - 1) // 2


def _work_layer(
    month: _Month, gs: slice, rs: slice, qs: slice, model: Network
) -> list[GroupOutput]:
    """Joint work of groups that share no member (``month``'s groups ``gs``, rows ``rs``,
    pairs ``qs``): one row per membership."""
    p, ties = model.p, model.ties
    groups, members = month.groups[gs], month.members[rs]
    sizes = month.sizes[gs]
    of = month.of[rs] - gs.start
    motivation, slope, pressure = month.motivation[rs], month.slope[rs], month.pressure[rs]
    free, spread, momentum = month.free[rs], month.spread[rs], month.momentum[rs]
    expectation, left = np.array([(m.expectation, m.hours_left) for m in members]).T
    pairs = month.pairs[qs]
    ra, rb = month.ra[qs] - rs.start, month.rb[qs] - rs.start
    slots, weights = ties.gather(pairs)
    count = len(members)
    trust = (
        np.bincount(ra, weights, minlength=count) + np.bincount(rb, weights, minlength=count)
    ) / (sizes[of] - 1)  # mean tie to the others in its group

    held_up = support(p.support_strength, month.shared_goal[rs], trust, motivation)
    s = contribution(
        expectation, slope, held_up, pressure, month.openness[rs], p.competition_strength
    )
    s = s * momentum  # what the group can use of it, given how lately it met
    s = s * month.engaged[rs]  # [002 These 1]
    if model.choices:  # played members give the share their players chose
        s = joint_shares(s, [m.unique_id for m in members], model.choices, momentum, model.by_rule)
    h = bounded(s * free / spread, left)  # Actor.give, for all

    per_group = len(groups)
    total = np.bincount(of, h, minlength=per_group)
    kind = month.kind[rs]
    by_kind = np.bincount(of * KINDS + kind, h, minlength=per_group * KINDS).reshape(-1, KINDS)
    mixed = (by_kind > p.min_joint_hours).sum(axis=1) >= 2
    safe = np.where(total > 0, total, 1.0)
    blau = np.where(total > 0, 1.0 - ((by_kind / safe[:, None]) ** 2).sum(axis=1), 0.0)
    mix = np.minimum(1.0, blau / BLAU_MAX)
    clarity, alignment = month.clarity[gs], month.alignment[gs]
    output = p.synergy * total * alignment * (1.0 - p.friction * mix * (1.0 - clarity))
    per_hour = np.where(total > 0, output / safe, 0.0)  # the group's output per joint hour
    reach = (
        p.volunteer_reach
        * (1.0 + p.voice_reach * model.voice)
        * per_hour
        * np.bincount(of, h * month.eye[rs], minlength=per_group)
    )

    # what members learn: expectations, fairness, reciprocity ties, perceived benefit
    others = (np.bincount(of, s, minlength=per_group)[of] - s) / (sizes[of] - 1)
    expectation = update_expectation(expectation, others, p.belief_update, p.persistence)
    fairness = 1.0 - np.maximum(0.0, s - others)
    ties.reciprocate_pairs(pairs, slots, weights, s[ra], s[rb], p.tie_growth)
    cost_of = total + month.meeting_cost[gs]
    cost = h + month.meeting_part[rs]
    credited = np.where(total[of] > 0, output[of] * h / safe[of], 0.0)
    gives = (cost > 0) & (cost_of[of] > 0)  # a member who neither met nor gave learns nothing
    whole = np.where(cost_of > 0, output / np.where(cost_of > 0, output + cost_of, 1.0), 0.0)
    seen = seen_benefit(
        credited / np.where(gives, credited + cost, 1.0),
        whole[of],
        month.self_interest[rs],
        month.lift[rs],
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
