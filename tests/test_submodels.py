"""Each submodel on its own: the rules its docstring states, on hand-made cases."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from sim.agents.actor import approach
from sim.mechanisms import coordination, decisions, funding, goals, governance
from sim.mechanisms import governance as governance_module
from sim.mechanisms.bodies import Bodies, Body, duplicates, encounter_pairs, merge
from sim.mechanisms.cooperation import update_expectation
from sim.mechanisms.events import Event, apply_event, key_person
from sim.mechanisms.needs import GroupOutput, Need, serve
from sim.mechanisms.ties import Ties, random_pairs
from sim.model import KommuneModel
from sim.params import make_params


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


def test_contact_maintenance_shields_ties_at_both_ends():
    t = Ties()
    for i, j in ((1, 2), (3, 4), (5, 6)):
        t.set(i, j, 0.5)
    t.decay(0.1, contact={1: 1.0, 2: 1.0, 3: 1.0})
    assert t.weight(1, 2) == pytest.approx(0.5)  # fully maintained
    assert t.weight(3, 4) == pytest.approx(0.5 * (1 - 0.1 * 0.5))  # one end maintained
    assert t.weight(5, 6) == pytest.approx(0.45)


def test_reciprocating_a_whole_group_equals_pair_by_pair():
    one, all_ = Ties(), Ties()
    for t in (one, all_):
        for i, j in itertools.combinations(range(4), 2):
            t.set(i, j, 0.1 * (i + j + 1))
    shares = [0.6, 0.0, 0.3, 0.9]
    for a, b in itertools.combinations(range(4), 2):
        one.reciprocate(a, b, shares[a], shares[b], 0.2)
    all_.reciprocate_all(list(range(4)), shares, 0.2)
    for a, b in itertools.combinations(range(4), 2):
        assert all_.weight(a, b) == pytest.approx(one.weight(a, b))


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
    body = Body("working", field, 1.0, 0.0)
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
    found = duplicates([original, duplicate, other_field, split], threshold=0.5)
    assert found == [(duplicate, original)]
    merge(duplicate, original)
    assert people[9] in original.members and not duplicate.members
    assert duplicate not in people[9].bodies and original in people[9].bodies


def test_bodies_recompute_duplicates_after_any_change_even_one_made_through_a_body():
    """The cache of duplicate pairs follows every change of who sits where: founding,
    folding, and a member joining or leaving through the body itself."""
    people = [_Member() for _ in range(10)]
    bodies = Bodies()
    original = bodies.found(Body("working", 0, 1.0, 0.0), people[:6])
    spare = bodies.found(Body("working", 0, 1.0, 0.0), people[6:9])
    assert bodies.duplicates(0.5) == []
    for m in people[:3]:  # newcomers seated through the body: it becomes a duplicate
        spare.add(m)
    assert bodies.duplicates(0.5) == [(spare, original)]
    for m in people[:3]:  # and members leaving through the body end that
        spare.discard(m)
    assert bodies.duplicates(0.5) == []
    bodies.fold(spare, original)
    assert spare not in bodies and len(original.members) == 9 and bodies.working == [original]
    assert spare.on_change is None  # an ended body no longer reports


@pytest.mark.parametrize(
    ("interval", "per_year"), [(0.25, 48), (0.5, 24), (1.0, 12), (1.5, 8), (3.0, 4), (12.0, 1)]
)
def test_meetings_follow_the_interval_also_below_a_month(interval, per_year):
    body = Body("working", 0, interval, offset=2.0)
    held = [body.meetings(month) for month in range(3, 3 + 48)]
    assert sum(held) == 4 * per_year
    assert max(held) == max(1, round(1 / interval))


def test_momentum_fades_per_month_without_a_meeting():
    body = Body("working", 0, 3.0, offset=0.0)
    body.last_met = 9
    assert body.momentum(9, 0.7) == 1.0
    assert body.momentum(11, 0.7) == pytest.approx(0.49)


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
    served = serve(
        need, own=0, groups=[GroupOutput(output=10, mixed=True, reach=10)], targeting=1.0
    )
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
P = make_params()


def _field(**over) -> coordination.FieldSituation:
    values = dict(
        members=9.5,
        bodies=2.25,
        working_groups=2,
        duplicates=0,
        trust=0.4,
        benefit=0.4,
        pressure=0.3,
        consensus=0.5,
        cooperation=0.3,
        joint_coverage=0.4,
        output=100.0,
        mix=0.6,
        openness=0.1,
        clarity=0.5,
        targeting=0.6,
    )
    return coordination.FieldSituation(**{**values, **over})


SITUATION = coordination.Situation(fields=(_field(),) * 4, trust=0.4, consensus=0.5)
UNEVEN = coordination.Situation(
    fields=(_field(duplicates=4, pressure=0.9),) + (_field(),) * 3, trust=0.4, consensus=0.5
)


@pytest.mark.parametrize("task", coordination.TASKS)
def test_task_effects_have_diminishing_returns(task):
    e = [
        coordination.effects(
            {t: np.full(len(v), h) for t, v in coordination.loads(SITUATION, P).items()},
            dict.fromkeys(coordination.TASKS, 1.0),
            SITUATION,
            P,
        )[task][0]
        for h in (0, 5, 10, 20, 40)
    ]
    gains = np.diff(e) / np.diff([0, 5, 10, 20, 40])
    assert e[0] == 0 and np.all(gains > 0) and np.all(np.diff(gains) < 0)
    assert all(v < 1 for v in e)


def test_competence_and_mandate_raise_the_quality_of_an_hour():
    def quality(competence, support):
        return governance.coordinator_quality(
            competence, make_params({"leadership_support": support})
        )

    assert quality(0.9, 0.5) > quality(0.1, 0.5)
    assert quality(0.5, 1.0) > quality(0.5, 0.0) > 0


@pytest.mark.parametrize("strategy", ["equal", "adaptive"])
@pytest.mark.parametrize("situation", [SITUATION, UNEVEN], ids=["even", "uneven"])
def test_plans_spend_exactly_the_hours_and_every_task_its_share(strategy, situation):
    plan = coordination.plan(80.0, situation, P, strategy=strategy)
    assert sum(float(v.sum()) for v in plan.values()) == pytest.approx(80.0)
    for task in coordination.TASKS:
        assert plan[task].sum() == pytest.approx(80.0 / len(coordination.TASKS))
        assert np.all(plan[task] >= 0)


def test_the_probe_goes_where_the_shoe_pinches_and_spreads_where_it_does_not():
    even = coordination.plan(80.0, SITUATION, P)
    for task in ("contact", "moderation", "roles", "monitoring"):
        assert np.allclose(even[task], even[task][0])  # even problems: an even split
    uneven = coordination.plan(80.0, UNEVEN, P)
    assert uneven["transparency"][0] == pytest.approx(80.0 / 7)  # duplicates only there
    assert uneven["moderation"][0] > uneven["moderation"][1]  # competition there


def test_water_filling_beats_any_other_split_of_the_same_hours():
    load, urgency = np.array([4.0, 6.0, 2.0]), np.array([0.9, 0.3, 0.5])
    best = coordination.fill(10.0, load, urgency, 0.8)
    assert best.sum() == pytest.approx(10.0)

    def value(h):
        return float((urgency * (1 - np.exp(-0.8 * h / load))).sum())

    rng = np.random.default_rng(0)
    for _ in range(200):
        other = rng.dirichlet(np.ones(3)) * 10.0
        assert value(best) >= value(other) - 1e-9


def test_water_filling_with_a_vanishing_quality_or_hours_stays_finite():
    """A quality of 1e-308 (pooled hours when members lack all competence) must not
    overflow load / quality into NaN hours, and 1e-127 hours (too few to move the level
    in floating point) must still be spent (both found by tests/test_invariants.py)."""
    load, urgency = np.array([4.0, 6.0, 2.0]), np.array([0.9, 0.3, 0.5])
    for quality in (1e-308, 1e-13, 1e-11):
        split = coordination.fill(10.0, load, urgency, quality)
        assert np.isfinite(split).all() and split.sum() == pytest.approx(10.0), quality
    for hours in (1e-127, 1e-300, 1e-17):
        split = coordination.fill(hours, load, urgency, 0.8)
        assert np.isfinite(split).all() and split.sum() == pytest.approx(hours, rel=1e-9)


def test_load_ratio_is_zero_without_hours_and_capped():
    assert coordination.load_ratio(0.0, SITUATION, P) == 0.0
    assert coordination.load_ratio(1e-300, SITUATION, P) == coordination.LOAD_CAP


# --- governance and decisions ------------------------------------------------------------------
def test_the_same_money_buys_different_hours_in_each_mode():
    p = make_params({"coordinator_hour_cost": 1.2, "nao_overhead": 0.2})
    lead, nao, shared = (governance.mode(m, p) for m in ("lead", "nao", "shared"))
    assert governance.coordinator_hours(60.0, lead, p) == pytest.approx(60.0)
    assert governance.coordinator_hours(60.0, nao, p) == pytest.approx(50.0)
    assert governance.coordinator_hours(60.0, shared, p) == pytest.approx(72.0)
    assert governance.monthly_cost(60.0, p) == pytest.approx(72.0)
    assert governance.monthly_cost(60.0, make_params({"coordinator_cost_share": 0.0})) == 0.0


def test_shared_coordination_loses_efficiency_with_the_square_of_size():
    p = make_params({"shared_size_scale": 10.0})
    assert governance.shared_hours(100.0, 10, p) == pytest.approx(50.0)
    assert governance.shared_hours(100.0, 20, p) == pytest.approx(20.0)
    q = governance.shared_quality(0.8, 0.6, p)
    assert q["contact"] == pytest.approx(p.shared_quality * 0.7)
    need = 1.0 - p.complex_share * (1.0 - p.shared_competence)
    assert q["monitoring"] == pytest.approx(q["contact"] * need)


def test_pooled_hours_lack_competence_as_far_as_the_work_needs_it():
    """Provan & Kenis: the need for network-level competencies is a contingency of its own;
    a network whose need is simple loses little on network-level tasks, one whose need is
    mostly complex loses most."""

    def network_task(complex_share: float) -> float:
        p = make_params({"complex_share": complex_share, "shared_competence": 0.3})
        q = governance.shared_quality(0.8, 0.8, p)
        return q["transparency"] / q["contact"]

    assert network_task(0.0) == pytest.approx(1.0)
    assert network_task(0.15) > network_task(0.55) + 0.25
    assert network_task(0.8) == pytest.approx(1.0 - 0.8 * 0.7)


def test_an_office_is_accepted_as_far_as_members_trust_each_other_a_lead_whatever_they_do():
    """Provan & Kenis: an NAO is monitored by its members and needs a moderate density of
    trust among them; a lead organisation works with sparse trust centred on the lead."""
    p = make_params({"nao_neutrality": 0.9, "lead_neutrality": 0.5, "nao_trust_needed": 0.5})
    nao, lead = governance.mode("nao", p), governance.mode("lead", p)
    assert governance.acceptance(nao, 0.6, p) == pytest.approx(0.9)  # enough trust: neutral
    assert governance.acceptance(nao, 0.25, p) == pytest.approx(0.45)  # below: in proportion
    assert governance.acceptance(nao, 0.25, p) < governance.acceptance(lead, 0.25, p)
    assert governance.acceptance(lead, 0.05, p) == governance.acceptance(lead, 0.9, p) == 0.5
    assert governance.acceptance(governance.mode("shared", p), 0.1, p) == 1.0


def test_decisions_take_longer_with_bureaucracy_and_hierarchy_and_less_with_support():
    def months(**over):
        return decisions.delay(make_params({"decision_months": 6.0, **over}))

    assert months(bureaucratic_delay=0.0) == 0.0
    assert months(bureaucratic_delay=1.0, hierarchy=1.0) > months(
        bureaucratic_delay=1.0, hierarchy=0.0
    )
    assert months(bureaucratic_delay=1.0, leadership_support=1.0) < months(
        bureaucratic_delay=1.0, leadership_support=0.0
    )


def test_merges_wait_for_the_steering_group_and_then_for_the_decision():
    book = decisions.MergeDecisions()
    a, b = object(), object()
    book.find(a, b)
    assert book.due(100) == [] and book.pending == 1  # found, not yet decided
    book.decide(clock=10, months=3)
    assert book.due(12) == [] and book.due(13) == [(a, b)] and book.pending == 0
    book.find(a, b)
    book.forget(b)
    assert book.pending == 0


# --- persistence ----------------------------------------------------------------------------------
def test_persistence_slows_losing_heart_never_regaining_it():
    assert approach(0.5, 1.0, 0.8, 0.9) == pytest.approx(0.6)
    assert approach(0.5, 0.0, 0.8, 0.0) == pytest.approx(0.4)
    assert approach(0.5, 0.0, 0.8, 0.5) == pytest.approx(0.45)
    assert update_expectation(0.5, 0.1, 0.5, persistence=0.5) == pytest.approx(0.4)
    assert update_expectation(0.5, 0.9, 0.5, persistence=0.5) == pytest.approx(0.7)


# --- events ------------------------------------------------------------------------------
def test_events_act_on_the_model():
    model = KommuneModel(rng=2)
    model.run_for(12)
    funded = sum(c.funding for c in model.all_carriers())
    apply_event(model, Event(13, "funding_cut", share=0.5))
    assert sum(c.funding for c in model.all_carriers()) == pytest.approx(0.5 * funded)
    assert model.budget_factor == pytest.approx(0.5)

    person = key_person(model)
    assert person.kind != "administration"
    apply_event(model, Event(13, "key_person_leaves"))
    assert not person.active and person not in model.member_list
    if person.kind == "carrier":  # it leaves the network, not the municipality
        assert person in model.outside and person in model.carriers_in(person.fields[0])

    before = len(model.member_list)
    apply_event(model, Event(13, "new_partner", partner="volunteer", field=2))
    newcomer = model.member_list[-1]
    assert len(model.member_list) == before + 1
    assert newcomer.kind == "volunteer" and newcomer.fields == (2,)
    assert any(b.kind == "working" and b.field == 2 for b in newcomer.bodies)

    assert model.coordinator.active and model.mode.name == "lead"
    apply_event(model, Event(13, "coordinator_ends"))
    assert not model.coordinator.active and model.mode.name == "shared"
    assert model.coordination_cost() == 0.0
    assert set(model.steering.members) == set(model.member_list)  # the plenary
    model.run_for(1)
    given = model.current["coordination_hours"]  # now the members' own hours
    assert (
        0
        < given
        == pytest.approx(len(model.member_list) * model.p.shared_coordination_hours, rel=0.2)
    )


@pytest.mark.parametrize("governance", ["nao", "lead"])
def test_a_coordinator_hired_after_a_gap_starts_afresh_in_the_network_as_built(governance):
    """The position funded again (a Förderlücke ends): the governance the network was
    built with, the steering group seated as at the start, a new person who knows only
    that group; a second hire while one works changes nothing."""
    model = KommuneModel(rng=5, governance=governance, months=24)
    model.run_for(12)
    first = model.coordinator
    seated = set(model.steering.members)
    apply_event(model, Event(13, "coordinator_ends"))
    model.run_for(6)
    assert set(model.steering.members) == set(model.member_list) != seated  # the plenary
    apply_event(model, Event(19, "coordinator_hired"))
    new = model.coordinator
    assert new is not first and new.active and not first.active
    assert model.mode.name == governance and model.coordination_funded
    active = set(model.member_list)
    steering = set(model.steering.members)
    assert steering <= active and len(steering) <= model.p.steering_group_size < len(active)
    knows = {m for m in active if model.ties.strength(new.unique_id, {m.unique_id}) > 0}
    assert knows == steering  # a new person: the steering group only
    model.run_for(1)
    assert model.current["coordination_hours"] == pytest.approx(
        governance_hours := governance_module.coordinator_hours(
            model.p.coordinator_hours, model.mode, model.p
        )
    )
    assert governance_hours > 0
    apply_event(model, Event(21, "coordinator_hired"))
    assert model.coordinator is new


def test_a_hire_under_shared_governance_funds_the_members_hours_again():
    model = KommuneModel(rng=5, governance="shared", coordinator_hours=0.0, months=6)
    apply_event(model, Event(1, "coordinator_hired"))  # no hours funded: nothing happens
    assert model.coordinator is None and model.funded_hours() == 0.0
    model = KommuneModel(rng=5, governance="shared", coordinator_hours=60.0, months=6)
    apply_event(model, Event(1, "coordinator_ends"))
    assert model.funded_hours() == 0.0
    apply_event(model, Event(1, "coordinator_hired"))
    assert model.coordinator is None and model.mode.name == "shared"
    assert model.funded_hours() == 60.0


def test_scheduled_events_take_effect_at_their_month():
    events = (Event(6, "funding_cut", share=0.5),)
    model = KommuneModel(rng=4, events=events, months=12)
    model.run_for(4)
    assert model.budget_factor == 1.0
    model.run_for(1)  # month 5 done: the cut is in place before month 6 starts
    assert model.month == 5 and model.budget_factor == pytest.approx(0.5)


@pytest.mark.parametrize(
    "bad",
    [
        dict(month=0, kind="funding_cut"),
        dict(month=3, kind="meteor"),
        dict(month=3, kind="funding_cut", share=1.5),
    ],
)
def test_bad_events_are_refused(bad):
    with pytest.raises(ValueError):
        Event(**bad)


class DictTies:
    """The ties as they were kept before the arrays (a symmetric dict of dicts), the
    reference the array-backed ``Ties`` must follow operation by operation."""

    def __init__(self, floor: float) -> None:
        self.floor, self.adj = floor, {}

    def weight(self, i, j):
        return self.adj.get(i, {}).get(j, 0.0)

    def set(self, i, j, w):
        if i == j:
            return
        if w < self.floor:
            self.adj.get(i, {}).pop(j, None)
            self.adj.get(j, {}).pop(i, None)
        else:
            self.adj.setdefault(i, {})[j] = w
            self.adj.setdefault(j, {})[i] = w

    def meet(self, i, j, growth):
        if i != j:
            w = self.weight(i, j)
            self.set(i, j, w + growth * (1.0 - w))

    def reciprocate_all(self, ids, shares, growth):
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                amount = max(shares[a], shares[b])
                if amount > 0.0:
                    w = self.weight(ids[a], ids[b])
                    fair = 1.0 - abs(shares[a] - shares[b])
                    self.set(ids[a], ids[b], w + growth * amount * (fair - w))

    def decay(self, rate, contact):
        for i, nbrs in self.adj.items():
            for j in list(nbrs):
                if i < j:
                    w = nbrs[j] * (
                        1.0 - rate * (1.0 - 0.5 * (contact.get(i, 0.0) + contact.get(j, 0.0)))
                    )
                    self.set(i, j, w)


def test_array_ties_follow_the_dictionary_ties_operation_by_operation():
    """Random encounters, joint work, fading with contact and forgetting below the floor,
    on few actors so that slots are freed and reused: the arrays hold exactly the ties
    (and weights) a plain dictionary would, in the same order per actor."""
    rng = np.random.default_rng(5)
    arrays, plain = Ties(floor=0.05, capacity=1), DictTies(floor=0.05)
    for _ in range(400):
        op = rng.integers(4)
        ids = rng.choice(12, size=int(rng.integers(2, 7)), replace=False).tolist()
        if op == 0:
            i, j = int(rng.integers(12)), int(rng.integers(12))  # itself now and then
            arrays.meet(i, j, 0.3)
            plain.meet(i, j, 0.3)
        elif op == 1:
            shares = rng.choice([0.0, 0.2, 0.9], size=len(ids)).tolist()
            arrays.reciprocate_all(ids, shares, 0.4)
            plain.reciprocate_all(ids, shares, 0.4)
        elif op == 2:
            contact = {i: float(rng.random()) for i in ids}
            arrays.decay(0.3, contact)
            plain.decay(0.3, contact)
        else:
            w = float(rng.random()) * 0.1  # often below the floor
            arrays.set(ids[0], ids[1], w)
            plain.set(ids[0], ids[1], w)
        for i in range(12):
            assert arrays.neighbours(i) == pytest.approx(plain.adj.get(i, {}), rel=1e-12)
            assert list(arrays.neighbours(i)) == list(plain.adj.get(i, {}))
    assert len(arrays) == sum(len(n) for n in plain.adj.values()) // 2
    assert sorted((i, j) for i, j, _ in arrays.edges()) == sorted(
        (i, j) for i, n in plain.adj.items() for j in n if i < j
    )
