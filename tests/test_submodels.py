"""Each submodel on its own: the rules its docstring states, on hand-made cases."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from sim import coordination, funding, goals
from sim.bodies import Body, duplicates, encounter_pairs, merge
from sim.events import Event, apply_event, key_person
from sim.model import KommuneModel
from sim.needs import GroupOutput, Need, serve
from sim.ties import FLOOR, Ties, random_pairs


# --- goals -------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [1, 2, 3])
def test_mean_pairwise_distance_matches_brute_force(k):
    g = np.random.default_rng(k).random((40, k))
    brute = np.mean([goals.distance(a, b) for a, b in itertools.combinations(g, 2)])
    assert goals.mean_pairwise_distance(g) == pytest.approx(brute, rel=1e-12)


def test_consensus_spans_zero_to_one():
    assert goals.consensus(np.full((10, 2), 0.3)) == pytest.approx(1.0)
    camps = np.array([[0.0, 0.0]] * 5 + [[1.0, 1.0]] * 5)
    assert goals.consensus(camps) == pytest.approx(0.0)
    assert goals.consensus(np.array([[0.0], [1.0]])) == pytest.approx(0.0)  # tiny networks too
    uniform = np.random.default_rng(1).random((2000, 1))
    assert goals.consensus(uniform) == pytest.approx(1 / 3, abs=0.02)


def test_align_moves_both_by_mu_only_within_tolerance():
    a, b = np.array([0.4]), np.array([0.6])
    assert goals.align(a, b, tolerance=0.3, mu=0.25)
    assert a[0] == pytest.approx(0.45) and b[0] == pytest.approx(0.55)
    c, d = np.array([0.1]), np.array([0.9])
    assert not goals.align(c, d, tolerance=0.3, mu=0.25)
    assert c[0] == 0.1 and d[0] == 0.9


def test_goal_share_is_one_at_centre_and_zero_at_random_distance():
    assert goals.goal_share(0.0) == 1.0
    assert goals.goal_share(goals.RANDOM_GAP) == 0.0
    assert goals.goal_share(0.5) == 0.0


# --- ties --------------------------------------------------------------------------------
def test_ties_grow_with_encounters_and_fade_without():
    t = Ties()
    for _ in range(20):
        t.meet(1, 2, growth=0.1)
    assert t.weight(1, 2) == pytest.approx(1 - 0.9**20)
    assert t.weight(2, 1) == t.weight(1, 2)
    before = t.weight(1, 2)
    t.decay(0.1)
    assert t.weight(1, 2) == pytest.approx(0.9 * before)
    for _ in range(200):
        t.decay(0.1)
    assert t.weight(1, 2) == 0.0 and len(t) == 0  # forgotten below the floor
    assert FLOOR > 0


def test_reciprocity_rewards_even_effort_and_punishes_free_riding():
    t = Ties()
    t.set(1, 2, 0.5)
    t.set(3, 4, 0.5)
    t.reciprocate(1, 2, 0.8, 0.8, growth=0.5)
    t.reciprocate(3, 4, 0.8, 0.0, growth=0.5)
    assert t.weight(1, 2) > 0.5 > t.weight(3, 4)
    t.reciprocate(1, 2, 0.0, 0.0, growth=0.5)  # nothing done, nothing learned
    assert t.weight(1, 2) > 0.5


def test_random_pairs_are_distinct_and_about_as_many_as_expected():
    rng = np.random.default_rng(0)
    for n in (2, 3, 7):
        everything = {tuple(map(int, p)) for p in random_pairs(rng, n, None, 1.0)}
        assert everything == set(itertools.combinations(range(n), 2))
    pairs = random_pairs(rng, 400, None, 0.02)
    assert len({tuple(p) for p in pairs.tolist()}) == len(pairs)
    assert all(0 <= i < j < 400 for i, j in pairs.tolist())
    expected = 0.02 * 400 * 399 / 2
    assert abs(len(pairs) - expected) < 5 * math.sqrt(expected)
    across = random_pairs(rng, 30, 50, 0.1)
    assert all(0 <= i < 30 and 0 <= j < 50 for i, j in across.tolist())
    assert len(random_pairs(rng, 30, 50, 0.0)) == 0


# --- meetings and bodies ------------------------------------------------------------------
def test_encounters_form_a_ring_with_two_encounters_each():
    rng = np.random.default_rng(3)
    people = list("abcdefg")
    pairs = encounter_pairs(people, rng)
    assert len(pairs) == len(people)
    counts = {p: 0 for p in people}
    for a, b in pairs:
        assert a != b
        counts[a] += 1
        counts[b] += 1
    assert set(counts.values()) == {2}
    assert encounter_pairs(["x"], rng) == []
    assert len(encounter_pairs(["x", "y"], rng)) == 1


class _Member:
    def __init__(self):
        self.bodies = []


def _group(field, members):
    body = Body("working", field, 1, 0)
    for m in members:
        body.members.append(m)
        m.bodies.append(body)
    return body


def test_duplicates_are_same_field_groups_sharing_most_members():
    people = [_Member() for _ in range(10)]
    original = _group(0, people[:6])
    duplicate = _group(0, [*people[:4], people[9]])  # 4 of 5 shared
    other_field = _group(1, people[:6])
    split = _group(0, people[6:9])  # same field, different people: a split, not a duplicate
    found = duplicates([original, duplicate, other_field, split])
    assert found == [(duplicate, original)]
    merge(duplicate, original)
    assert people[9] in original.members and not duplicate.members
    assert duplicate not in people[9].bodies and original in people[9].bodies


# --- needs -------------------------------------------------------------------------------
def test_own_work_serves_only_simple_need():
    need = Need(simple=10, complex=10, hard_to_reach=10)
    served = serve(need, own=25, groups=[], targeting=1.0)
    assert (served.simple, served.complex, served.hard_to_reach) == (10, 0, 0)
    assert served.own_used == pytest.approx(10 / 25)


def test_joint_work_serves_the_hardest_need_it_can():
    need = Need(simple=10, complex=10, hard_to_reach=10)
    mixed_with_volunteers = GroupOutput(output=12, mixed=True, reach=4)
    served = serve(need, own=10, groups=[mixed_with_volunteers], targeting=1.0)
    assert served.hard_to_reach == 4  # as far as the volunteers open the door
    assert served.complex == 8
    single_kind = GroupOutput(output=12, mixed=False, reach=4)
    served = serve(need, own=0, groups=[single_kind], targeting=1.0)
    assert (served.complex, served.hard_to_reach, served.simple) == (0, 0, 10)


def test_without_targeting_joint_work_drifts_to_simple_need():
    need = Need(simple=10, complex=10, hard_to_reach=0)
    group = GroupOutput(output=10, mixed=True, reach=0)
    aimed = serve(need, own=0, groups=[group], targeting=1.0)
    drifting = serve(need, own=0, groups=[group], targeting=0.5)
    assert aimed.complex == 10 and drifting.complex == 5 and drifting.simple == 5


def test_overflow_goes_to_the_next_easier_need():
    need = Need(simple=10, complex=2, hard_to_reach=2)
    served = serve(need, own=0, groups=[GroupOutput(output=10, mixed=True, reach=10)],
                   targeting=1.0)
    assert (served.hard_to_reach, served.complex, served.simple) == (2, 2, 6)


# --- funding -----------------------------------------------------------------------------
class _Carrier:
    def __init__(self, visible, joint, fields=(0,)):
        self.visible_output, self.joint_hours_year, self.fields = visible, joint, fields


def test_allocation_follows_visible_output_or_joint_work():
    a, b = _Carrier(visible=30, joint=0), _Carrier(visible=10, joint=10)
    competitive = funding.allocate(100, 0.0, [a, b])
    assert competitive[a] == pytest.approx(75) and competitive[b] == pytest.approx(25)
    joint = funding.allocate(100, 1.0, [a, b])
    assert joint[a] == pytest.approx(0) and joint[b] == pytest.approx(100)
    mixed = funding.allocate(100, 0.5, [a, b])
    assert sum(mixed.values()) == pytest.approx(100)
    nothing = funding.allocate(100, 0.0, [_Carrier(0, 0), _Carrier(0, 0)])
    assert list(nothing.values()) == pytest.approx([50, 50])


def test_gini():
    assert funding.gini([5, 5, 5, 5]) == pytest.approx(0.0)
    assert funding.gini([0, 0, 0, 10]) == pytest.approx(0.75)
    assert funding.gini([]) == 0.0


# --- coordination ------------------------------------------------------------------------
SITUATION = coordination.Situation(
    members=38, bodies=7, working_groups=6, fields=4, duplicates=0, trust=0.4, benefit=0.4,
    pressure=0.3, goal_consensus=0.5, cooperation=0.3, effectiveness=0.6, shrinkage=0.0)


@pytest.mark.parametrize("task", coordination.TASKS)
def test_task_effects_have_diminishing_returns(task):
    e = [coordination.effects(dict.fromkeys(coordination.TASKS, h), 1.0, SITUATION)[task]
         for h in (0, 5, 10, 20, 40)]
    gains = np.diff(e) / np.diff([0, 5, 10, 20, 40])
    assert e[0] == 0 and np.all(gains > 0) and np.all(np.diff(gains) < 0)
    assert all(v < 1 for v in e)


def test_competence_and_mandate_multiply_every_effect():
    from sim.governance import coordinator_quality

    hours = dict.fromkeys(coordination.TASKS, 10.0)
    trained = coordination.effects(hours, coordinator_quality(0.9, 0.5), SITUATION)
    untrained = coordination.effects(hours, coordinator_quality(0.1, 0.5), SITUATION)
    backed = coordination.effects(hours, coordinator_quality(0.5, 1.0), SITUATION)
    unbacked = coordination.effects(hours, coordinator_quality(0.5, 0.0), SITUATION)
    for task in coordination.TASKS:
        assert trained[task] > untrained[task] and backed[task] > unbacked[task]


def test_plans_spend_exactly_the_hours():
    for strategy in ("equal", "adaptive"):
        plan = coordination.plan(80.0, strategy, SITUATION)
        assert sum(plan.values()) == pytest.approx(80.0)
    adaptive = coordination.plan(80.0, "adaptive", SITUATION)
    assert adaptive["transparency"] == 0.0  # nothing to merge, no time spent on it
    assert coordination.load_ratio(0.0, SITUATION) == 0.0
    assert coordination.load_ratio(1e-300, SITUATION) == coordination.LOAD_CAP


# --- events ------------------------------------------------------------------------------
def test_events_act_on_the_model():
    model = KommuneModel(rng=2)
    model.run_for(12)
    funded = sum(c.funding for c in model.carriers())
    apply_event(model, Event(13, "funding_cut", share=0.5))
    assert sum(c.funding for c in model.carriers()) == pytest.approx(0.5 * funded)
    assert model.budget_factor == pytest.approx(0.5)

    person = key_person(model)
    assert person.kind != "administration"
    apply_event(model, Event(13, "key_person_leaves"))
    assert not person.active and person not in model.member_list

    before = len(model.member_list)
    apply_event(model, Event(13, "new_partner", partner="volunteer", field=2))
    newcomer = model.member_list[-1]
    assert len(model.member_list) == before + 1
    assert newcomer.kind == "volunteer" and newcomer.fields == (2,)
    assert any(b.kind == "working" and b.field == 2 for b in newcomer.bodies)

    assert model.coordinator.active and model.mode.name == "lead"
    apply_event(model, Event(13, "coordinator_ends"))
    assert not model.coordinator.active and model.mode.name == "shared"
    model.run_for(1)
    given = model.current["coordination_hours"]  # now the members' own hours
    assert 0 < given == pytest.approx(len(model.member_list) * model.p.shared_coordination_hours,
                                      rel=0.2)


def test_scheduled_events_take_effect_at_their_month():
    events = (Event(6, "funding_cut", share=0.5),)
    model = KommuneModel(rng=4, events=events, months=12)
    model.run_for(4)
    assert model.budget_factor == 1.0
    model.run_for(1)  # month 5 done: the cut is in place before month 6 starts
    assert model.month == 5 and model.budget_factor == pytest.approx(0.5)


@pytest.mark.parametrize("bad", [dict(month=0, kind="funding_cut"),
                                 dict(month=3, kind="meteor"),
                                 dict(month=3, kind="funding_cut", share=1.5)])
def test_bad_events_are_refused(bad):
    with pytest.raises(ValueError):
        Event(**bad)
