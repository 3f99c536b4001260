"""The model's mechanisms on a real model, state set by hand (ODD 7.2-7.11).

Each test sets up a small network at its founding (no spin-up) and checks one mechanism's
rule in both directions; the directions over replications are in tests/test_patterns.py
and tests/test_validation.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.indicators import NetteRundeWatch
from sim.mechanisms import coordination, governance
from sim.mechanisms.joint_work import work
from sim.model import KommuneModel


def fresh(**values) -> KommuneModel:
    """A one-field network at its founding, no duplicates, no newcomers."""
    defaults = dict(
        n_fields=1,
        n_administration=1,
        n_carriers=4,
        n_volunteers=3,
        initial_duplicates=0,
        duplicate_emergence=0.0,
        entry_rate=0.0,
        spinup_months=0,
    )
    return KommuneModel(rng=3, **{**defaults, **values})


def prepared(model: KommuneModel):
    """Start a month by hand and return the (only) working group."""
    model.members.do("start_month")
    model.members.do("feel_eye_level")
    model.members.do("end_meetings")
    return model.working_groups[0]


def volunteers(model: KommuneModel):
    return [m for m in model.member_list if m.kind == "volunteer"]


# --- joint work ---------------------------------------------------------------------------
def test_joint_output_rewards_alignment_and_role_clarity():
    outputs = {}
    for label, spread, clarity in (("aligned", 0.0, 1.0), ("split", 1.0, 0.0)):
        model = fresh(goal_heterogeneity=spread, role_clarity=clarity, friction=0.5)
        group = prepared(model)
        for m in group.members:
            m.expectation, m.slope, m.motivation = 0.5, 1.0, 1.0
        outputs[label] = work(group, model)
    assert outputs["aligned"].output > outputs["split"].output > 0
    assert outputs["aligned"].mixed  # administration, carriers and volunteers contributed


def test_hard_to_reach_reach_needs_volunteers_and_grows_with_eye_level_and_voice():
    reach = {}
    for eye, voice in ((0.2, 0.0), (0.9, 0.0), (0.9, 1.0)):
        model = fresh(eye_level=eye)
        group = prepared(model)
        model.voice = voice
        for m in group.members:
            m.expectation, m.slope, m.motivation = 0.6, 1.0, 1.0
        reach[eye, voice] = work(group, model).reach
    assert reach[0.9, 1.0] > reach[0.9, 0.0] > reach[0.2, 0.0] > 0
    no_volunteers = fresh(n_volunteers=0)
    assert work(prepared(no_volunteers), no_volunteers).reach == 0


def test_contributions_fall_under_undefused_competition():
    given = {}
    for intensity in (0.0, 1.0):
        model = fresh(
            competition_intensity=intensity,
            funding_dependency=0.9,
            joint_funding_share=0.0,
            competition_strength=1.0,
            governance="shared",
            coordinator_hours=0.0,
            shared_coordination_hours=0.0,
        )
        group = prepared(model)
        work(group, model)
        given[intensity] = np.mean([m.shares[0] for m in group.members if m.kind == "carrier"])
    assert given[1.0] < given[0.0] - 0.1


def test_members_without_motivation_give_less_time():
    shares = {}
    for motivation in (0.1, 0.9):
        model = fresh()
        group = prepared(model)
        for m in group.members:
            m.expectation, m.slope, m.motivation = 0.6, 1.0, motivation
        work(group, model)
        shares[motivation] = np.mean([m.shares[0] for m in group.members])
    assert shares[0.9] > 2 * shares[0.1]


def test_a_group_that_has_not_met_works_less():
    shares = {}
    for months in (0, 3):
        model = fresh()
        group = prepared(model)
        group.last_met = model.clock - months
        for m in group.members:
            m.expectation, m.slope, m.motivation = 0.6, 1.0, 1.0
        work(group, model)
        shares[months] = np.mean([m.shares[0] for m in group.members])
    assert shares[3] == pytest.approx(shares[0] * fresh().p.meeting_momentum ** 3, rel=0.05)


def test_members_learn_expectations_fairness_and_perceive_per_member():
    model = fresh()
    group = prepared(model)
    lazy, busy = group.members[0], group.members[1]
    for m in group.members:
        m.expectation, m.slope, m.benefit, m.motivation = 0.5, 1.0, 0.5, 1.0
    lazy.slope, lazy.motivation = 0.0, 0.0  # gives nothing
    work(group, model)
    assert lazy.shares[0] == pytest.approx(0.0, abs=0.2)
    assert busy.shares[0] > lazy.shares[0]
    assert busy.expectation != 0.5  # learnt from what partners gave
    assert busy._fairness[0] <= 1.0 and lazy._fairness[0] == pytest.approx(1.0)
    assert busy._signals and busy._signals[0] > 0
    assert not lazy._signals or lazy._signals[0] < busy._signals[0]


def test_advantage_translation_lifts_those_who_gain_least():
    model = fresh()
    model.effects = {**coordination.no_effects(1), "translation": np.ones(1)}
    model.mode = governance.mode("nao", model.p)
    carrier = next(m for m in model.member_list if m.kind == "carrier")
    carrier.perceive(own=0.1, whole=0.5)
    carrier.perceive(own=0.9, whole=0.5)
    low, high = carrier._signals
    assert 0.1 < low <= 0.5  # lifted towards the group's level
    assert high == pytest.approx(0.9 * (1 - carrier.self_interest * 0.8))  # nobody pulled down
    model.effects = coordination.no_effects(1)
    carrier.perceive(own=0.0, whole=0.0)
    assert carrier._signals[-1] == 0.0  # nothing from nothing


# --- motivation, strain, exit --------------------------------------------------------------
def test_motivation_falls_slowly_with_persistence_and_rises_as_fast():
    for persistence in (0.0, 0.8):
        model = fresh(persistence=persistence, motivation_inertia=0.5)
        member = next(m for m in model.member_list if m.kind == "administration")
        member.start_month()
        member.motivation, member.benefit = 0.9, 0.0
        member._social, member._fairness = [0.0], [0.0]
        member.social, member.fairness = 0.0, 0.0
        target = member.motivation_target()
        member.update_motivation()
        fall = 0.5 * (target - 0.9) * (1 - persistence)
        assert member.motivation == pytest.approx(0.9 + fall)
        member.motivation, member.benefit = 0.0, 1.0
        member._signals, member._social, member._fairness = [1.0], [1.0], [1.0]
        member.social, member.fairness = 1.0, 1.0
        target = member.motivation_target()
        member.update_motivation()
        assert member.motivation == pytest.approx(0.5 * target)  # rising: not slowed


def test_hierarchy_takes_eye_level_from_volunteers_and_carriers_unless_moderated():
    low, high = fresh(eye_level=0.5, hierarchy=0.0), fresh(eye_level=0.5, hierarchy=1.0)
    for model in (low, high):
        prepared(model)
    for kind in ("volunteer", "carrier"):
        flat = next(m for m in low.member_list if m.kind == kind)
        steep = next(m for m in high.member_list if m.kind == kind)
        assert steep.eye < flat.eye and steep.strain() > flat.strain()
    high.openness = np.ones(1)  # open talk shields it
    prepared(high)
    steep = next(m for m in high.member_list if m.kind == "volunteer")
    assert steep.eye == pytest.approx(0.5)


def test_volunteers_voice_at_the_steering_table_raises_every_volunteers_eye_level():
    model = fresh(eye_level=0.5, volunteers_in_steering=True, n_volunteers=8)
    model.steering.present_members = set(model.steering.members)
    model.coordinate()
    assert model.voice > 0
    seated = fresh(eye_level=0.5, n_volunteers=8)
    seated.coordinate()
    assert seated.voice == 0
    prepared(model)
    prepared(seated)
    assert volunteers(model)[-1].eye > volunteers(seated)[-1].eye


def test_overload_wears_volunteers_down_and_clear_roles_and_eye_level_protect():
    strain = {}
    for label, clarity, eye in (("unprotected", 0.0, 0.0), ("protected", 1.0, 1.0)):
        model = fresh(burnout_threshold=0.3, role_clarity=clarity, eye_level=eye, hierarchy=0.0)
        volunteer = volunteers(model)[0]
        for _ in range(36):
            volunteer.start_month()
            volunteer.feel_eye_level()
            volunteer.joint_time = volunteer.capacity  # everything, month after month
            volunteer.update_motivation()
        strain[label] = volunteer.strain() - volunteer.sensitivity * (1 - volunteer.eye)
    assert strain["unprotected"] > strain["protected"] >= 0


def test_the_chance_of_leaving_rises_as_motivation_falls_and_departments_stay():
    model = fresh()
    carrier = next(m for m in model.member_list if m.kind == "carrier")
    department = next(m for m in model.member_list if m.kind == "administration")
    chances = []
    for motivation in (0.9, 0.5, 0.25, 0.0):
        carrier.motivation = department.motivation = motivation
        chances.append(carrier.leave_chance())
        assert department.leave_chance() == 0.0
    assert np.all(np.diff(chances) > 0) and chances[-1] <= model.p.exit_rate
    assert chances[2] == pytest.approx(model.p.exit_rate / 2)  # half at the threshold


def test_a_leaving_carrier_stays_in_the_municipality_and_keeps_competing():
    model = fresh(n_carriers=4)
    carrier = next(m for m in model.member_list if m.kind == "carrier")
    rival = next(m for m in model.member_list if m.kind == "carrier" and m is not carrier)
    before = rival.competitors()
    model.remove_member(carrier)
    assert not carrier.active and carrier.bodies == [] and model.exits["carrier"] == 1
    assert carrier in model.outside and rival.competitors() == before
    model.run_for(1)
    assert carrier.own_output > 0  # still serving its clients
    back = model.add_member("carrier", carrier.fields[0])
    assert back is carrier and carrier.active and carrier not in model.outside


def test_a_leaving_volunteer_leaves_mesas_registry_and_is_remembered():
    """Agent sets hold only who still acts (Mesa's agents_by_type, select, agg); the
    dashboard still draws the leaver as a grey node (everyone)."""
    from sim.agents import Volunteer

    model = fresh(n_volunteers=3)
    volunteer = next(m for m in model.member_list if m.kind == "volunteer")
    model.remove_member(volunteer)
    assert volunteer not in model.agents and volunteer in model.departed
    assert volunteer in model.everyone() and not volunteer.active
    assert set(model.agents_by_type[Volunteer]) == {
        m for m in model.member_list if m.kind == "volunteer"
    }
    model.run_for(2)  # the model goes on without it
    assert volunteer not in model.agents and model.exits["volunteer"] >= 1


def test_carriers_feel_funding_lost_against_what_they_had_and_then_count_on_it():
    model = fresh(funding_dependency=0.5)
    carrier = next(m for m in model.member_list if m.kind == "carrier")
    prepared(model)
    calm = carrier.strain()
    carrier.funding = 0.5 * carrier.expected
    assert carrier.strain() > calm
    carrier.adjust_capacity()
    expected = carrier.base_capacity * (
        1 - carrier.dependency + carrier.funding / carrier.base_capacity
    )
    assert carrier.capacity == pytest.approx(expected) and carrier.capacity < carrier.base_capacity
    carrier.receive_grant(carrier.funding)
    assert carrier.strain() > calm  # a lower grant is felt for the funding year ...
    carrier.expected = carrier.funding  # ... until the next decision round (``fund``)
    assert carrier.strain() == pytest.approx(calm)
    carrier.funding = 100 * carrier.reference_funding
    carrier.adjust_capacity()
    assert carrier.capacity == pytest.approx(model.p.capacity_cap * carrier.base_capacity)


def test_late_grants_mean_interim_funding_until_they_are_decided():
    slow = fresh(
        bureaucratic_delay=1.0,
        hierarchy=0.0,
        leadership_support=0.0,
        decision_months=6.0,
        interim_funding=0.5,
    )
    slow.run_for(11)
    carrier = next(m for m in slow.member_list if m.kind == "carrier")
    before = carrier.funding
    slow.run_for(1)  # month 12: the year's grants are decided, not yet paid
    assert carrier.funding == pytest.approx(0.5 * before)
    assert carrier.strain() > 0 and slow.grants[0][0] == 18
    slow.run_for(5)
    assert carrier.funding == pytest.approx(0.5 * before)  # month 17: still waiting
    slow.run_for(1)  # month 18: paid
    assert slow.grants == [] and carrier.funding == pytest.approx(carrier.granted)


def test_decisions_slower_than_a_year_are_all_paid_and_funding_does_not_wither():
    fast = fresh(bureaucratic_delay=0.0)
    slow = fresh(
        bureaucratic_delay=1.0,
        hierarchy=1.0,
        leadership_support=0.0,
        decision_months=12.0,
        interim_funding=0.8,
    )  # 24 months
    for model in (fast, slow):
        model.run_for(120)
    total = {id(m): sum(c.funding for c in m.all_carriers()) for m in (fast, slow)}
    assert len(slow.grants) == 2  # two years' decisions on their way, none lost
    assert total[id(slow)] > 0.7 * total[id(fast)]  # interim once, not year after year


def test_coordination_paid_from_the_budget_leaves_less_for_the_carriers():
    paid, programme = fresh(coordinator_cost_share=1.0), fresh(coordinator_cost_share=0.0)
    for model in (paid, programme):
        model.run_for(24)  # the first year's grants are decided and paid
    assert sum(c.funding for c in paid.all_carriers()) < sum(
        c.funding for c in programme.all_carriers()
    )


def test_routines_settle_in_and_fade_more_slowly_in_a_persistent_network():
    fading = {}
    for persistence in (0.0, 0.8):
        model = fresh(persistence=persistence, governance="nao", coordinator_hours=160.0)
        model.run_for(36)
        built = float(model.routines["monitoring"][0])
        model.end_coordination()
        model.run_for(12)
        fading[persistence] = built - float(model.routines["monitoring"][0])
        assert built > 0.2
    assert fading[0.0] > fading[0.8] > 0


# --- structure: joining, splitting, dissolving, merging --------------------------------------
def _consistent(model: KommuneModel) -> None:
    for body in model.bodies:
        assert len(body.members) == len(set(body.members))
        for m in body.members:
            assert body in m.bodies and m.active
    for m in model.member_list:
        assert all(b in model.bodies for b in m.bodies)
        assert len(m.bodies) == len(set(m.bodies))


def test_newcomers_join_and_full_groups_split_at_months_end():
    model = fresh(working_group_size=6)
    model.run_for(1)
    for _ in range(8):
        model.add_member("volunteer", 0)
    assert max(len(g.members) for g in model.working_groups) > 6
    model.restructure()
    assert all(len(g.members) <= 6 for g in model.working_groups)
    assert len(model.working_groups) >= 2
    _consistent(model)


def test_dissolving_never_seats_a_member_twice():
    model = fresh(n_carriers=6, initial_duplicates=1, duplicate_overlap=1.0)
    duplicate = model.working_groups[1]
    for m in list(duplicate.members)[1:]:
        duplicate.discard(m)  # the duplicate shrinks to one member who also sits in the original
    model.restructure()
    assert duplicate not in model.bodies
    _consistent(model)


def test_merges_only_between_groups_still_there():
    model = fresh(
        n_carriers=10, initial_duplicates=4, duplicate_overlap=1.0, bureaucratic_delay=0.0
    )
    model.effects = {**coordination.no_effects(1), "transparency": np.ones(1)}
    model.restructure()  # found
    model.merges.decide(model.clock, 0)  # the steering group decides at once
    model.restructure()
    assert model.duplicates() == []
    _consistent(model)


# --- indicators ---------------------------------------------------------------------------
def test_nette_runde_needs_a_window_of_full_meetings_without_joint_effect():
    def flags(attendance, joint, window=12):
        watch = NetteRundeWatch(window)
        out = []
        for _ in range(window):
            watch.update(attendance, joint)
            out.append(watch.flag(0.5, 0.3))
        return out

    quiet = flags(0.8, 0.1)
    assert not any(quiet[:-1]) and quiet[-1]
    assert not flags(0.8, 0.6)[-1]  # joint work happens
    assert not flags(0.2, 0.1)[-1]  # nobody comes
    assert flags(0.8, 0.1, window=3)[-1]


def test_trust_and_cooperation_count_each_member_once():
    model = fresh(n_carriers=6, initial_duplicates=1, duplicate_overlap=1.0)
    model.run_for(1)
    row = model.current
    shares = [np.mean(m.shares) for m in model.member_list if m.shares]
    assert row["cooperation"] == pytest.approx(np.mean(shares))
    trust = []
    for m in model.member_list:
        partners = {o.unique_id for b in m.working_groups for o in b.members if o is not m}
        if partners:
            trust.append(np.mean([model.ties.weight(m.unique_id, j) for j in partners]))
    assert row["trust"] == pytest.approx(np.mean(trust))


def test_coordinator_hours_mean_the_same_at_the_start_and_live():
    started = fresh(governance="nao", coordinator_hours=0.0)
    assert started.coordinator is not None and started.mode.name == "nao"
    started.run_for(2)
    assert started.current["coordination_hours"] == 0.0  # nobody is paid to coordinate
    live = fresh(governance="nao", coordinator_hours=80.0)
    live.run_for(1)
    live.set_levers(coordinator_hours=0.0)
    live.run_for(1)
    assert live.current["coordination_hours"] == 0.0 and live.coordination_cost() == 0.0
    live.set_levers(coordinator_hours=80.0)
    live.run_for(1)
    assert live.current["coordination_hours"] > 0 and live.coordination_cost() > 0
    ended = fresh(governance="nao", coordinator_hours=80.0)
    ended.end_coordination()
    ended.run_for(1)
    assert ended.coordination_cost() == 0.0
    ended.set_levers(coordinator_hours=40.0)  # the members' paid time, shared governance
    ended.run_for(1)
    assert ended.mode.name == "shared" and ended.coordination_cost() > 0


def test_a_half_of_a_split_group_keeps_the_groups_rhythm():
    model = fresh(working_group_size=6, working_group_interval=3.0)
    model.run_for(4)
    before = {g for g in model.working_groups if g.field == 0}
    for _ in range(8):
        model.add_member("volunteer", 0)  # each joins the field's smallest group
    grown = [g for g in before if len(g.members) > 6]
    rhythms = {(g.offset, g.last_met) for g in grown}
    model.bodies.fit()
    halves = [g for g in model.working_groups if g.field == 0 and g not in before]
    assert grown and halves and all(g in model.working_groups for g in grown)
    assert {(g.offset, g.last_met) for g in halves} <= rhythms  # no half starts a rhythm
