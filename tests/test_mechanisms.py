"""The model's mechanisms on a real model, state set by hand (ODD 7.5, 7.7-7.11)."""

from __future__ import annotations

import numpy as np
import pytest

from sim import coordination, governance
from sim.indicators import WINDOW, NetteRundeWatch
from sim.joint_work import work
from sim.model import KommuneModel


def fresh(**values) -> KommuneModel:
    """A one-field network, no duplicates, no newcomers, everything deterministic enough."""
    defaults = dict(n_fields=1, n_administration=1, n_carriers=4, n_volunteers=3,
                    initial_duplicates=0, duplicate_emergence=0.0, entry_rate=0.0)
    return KommuneModel(rng=3, **{**defaults, **values})


def prepared(model: KommuneModel):
    """Start a month by hand and return the (only) working group."""
    model.members.do("start_month")
    model.members.do("end_meetings")
    return model.working_groups[0]


# --- joint work ---------------------------------------------------------------------------
def test_joint_output_rewards_alignment_and_role_clarity():
    outputs = {}
    for label, spread, clarity in (("aligned", 0.0, 1.0), ("split", 1.0, 0.0)):
        model = fresh(goal_heterogeneity=spread, role_clarity=clarity, friction=0.5)
        group = prepared(model)
        for m in group.members:
            m.expectation, m.slope = 0.5, 1.0
        outputs[label] = work(group, model)
    assert outputs["aligned"].output > outputs["split"].output > 0
    assert outputs["aligned"].mixed  # administration, carriers and volunteers contributed


def test_hard_to_reach_reach_needs_volunteers_and_grows_with_eye_level():
    reach = {}
    for eye in (0.2, 0.9):
        model = fresh(eye_level=eye)
        group = prepared(model)
        for m in group.members:
            m.expectation, m.slope = 0.6, 1.0
        reach[eye] = work(group, model).reach
    assert reach[0.9] > reach[0.2] > 0
    no_volunteers = fresh(n_volunteers=0)
    assert work(prepared(no_volunteers), no_volunteers).reach == 0


def test_contributions_fall_under_undefused_competition():
    given = {}
    for intensity in (0.0, 1.0):
        model = fresh(competition_intensity=intensity, funding_dependency=0.9,
                      joint_funding_share=0.0, competition_strength=1.0,
                      governance="shared", shared_coordination_hours=0.0)
        group = prepared(model)
        work(group, model)
        given[intensity] = np.mean([m.shares[0] for m in group.members if m.kind == "carrier"])
    assert given[1.0] < given[0.0] - 0.1


def test_members_learn_expectations_fairness_and_perceive_per_member():
    model = fresh()
    group = prepared(model)
    lazy, busy = group.members[0], group.members[1]
    for m in group.members:
        m.expectation, m.slope, m.benefit = 0.5, 1.0, 0.5
    lazy.slope = 0.0  # gives nothing
    work(group, model)
    assert lazy.shares[0] == pytest.approx(0.0, abs=0.2)
    assert busy.shares[0] > lazy.shares[0]
    assert busy.expectation != 0.5  # learnt from what partners gave
    assert busy._fairness[0] <= 1.0 and lazy._fairness[0] == pytest.approx(1.0)
    # the one who gave hours perceives a benefit; the one who gave nothing perceives none
    # (unless it sat in a meeting, it has no cost and records nothing)
    assert busy._signals and busy._signals[0] > 0
    assert not lazy._signals or lazy._signals[0] < busy._signals[0]


def test_advantage_translation_lifts_those_who_gain_least():
    model = fresh()
    model.effects = {**coordination.NO_EFFECTS, "translation": 1.0}
    model.mode = governance.MODES["nao"]
    carrier = next(m for m in model.member_list if m.kind == "carrier")
    carrier.perceive(own=0.1, whole=0.5)
    carrier.perceive(own=0.9, whole=0.5)
    low, high = carrier._signals
    assert 0.1 < low <= 0.5  # lifted towards the group's level
    assert high == pytest.approx(0.9 * (1 - carrier.self_interest * 0.8))  # nobody pulled down
    model.effects = dict(coordination.NO_EFFECTS)
    carrier.perceive(own=0.0, whole=0.0)
    assert carrier._signals[-1] == 0.0  # nothing from nothing


# --- motivation, strain, exit --------------------------------------------------------------
def test_motivation_moves_towards_its_target_with_persistence():
    model = fresh(persistence=0.5)
    volunteer = next(m for m in model.member_list if m.kind == "volunteer")
    volunteer.start_month()
    volunteer.motivation, volunteer.benefit = 0.2, 1.0
    volunteer._social, volunteer._fairness = [1.0], [1.0]
    target = 1.0 - volunteer.strain()
    volunteer.update_motivation()
    assert volunteer.motivation == pytest.approx(0.5 * 0.2 + 0.5 * target)


def test_volunteers_feel_missing_eye_level_and_a_steering_seat_helps():
    low = fresh(eye_level=0.1, hierarchy=1.0)
    high = fresh(eye_level=0.9, hierarchy=0.0)
    v_low = next(m for m in low.member_list if m.kind == "volunteer")
    v_high = next(m for m in high.member_list if m.kind == "volunteer")
    assert v_low.strain() > v_high.strain()
    seated = fresh(eye_level=0.5, volunteers_in_steering=True, n_volunteers=8)
    inside = [m for m in seated.steering.members if m.kind == "volunteer"]
    outside = [m for m in seated.member_list if m.kind == "volunteer" and m not in inside]
    assert inside and outside and inside[0].eye_level() > outside[0].eye_level()


def test_volunteers_burn_out_when_they_give_too_much_time():
    model = fresh(burnout_threshold=0.5)
    volunteer = next(m for m in model.member_list if m.kind == "volunteer")
    for _ in range(24):
        volunteer.start_month()
        volunteer.joint_time = volunteer.capacity  # everything, month after month
        volunteer.update_motivation()
    assert volunteer.load > 0.5 and volunteer.wants_to_leave()


def test_sustained_low_motivation_makes_members_leave_but_not_departments():
    model = fresh(exit_patience=3, exit_threshold=0.9)
    carrier = next(m for m in model.member_list if m.kind == "carrier")
    department = next(m for m in model.member_list if m.kind == "administration")
    for m in (carrier, department):
        m.low_months = 3
    assert carrier.wants_to_leave() and not department.wants_to_leave()
    model.remove_member(carrier)
    assert not carrier.active and carrier.bodies == [] and model.exits["carrier"] == 1


def test_carriers_feel_lost_funding_and_capacity_follows_funding():
    model = fresh(funding_dependency=0.5)
    carrier = next(m for m in model.member_list if m.kind == "carrier")
    calm = carrier.strain()
    carrier.funding = 0.5 * carrier.reference_funding
    assert carrier.strain() > calm
    carrier.adjust_capacity()
    expected = carrier.base_capacity * (1 - carrier.dependency
                                        + carrier.funding / carrier.base_capacity)
    assert carrier.capacity == pytest.approx(expected) and carrier.capacity < carrier.base_capacity
    carrier.funding = 100 * carrier.reference_funding
    carrier.adjust_capacity()
    assert carrier.capacity == pytest.approx(2 * carrier.base_capacity)  # capped


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
    model = fresh(n_carriers=10, initial_duplicates=4, duplicate_overlap=1.0,
                  bureaucratic_delay=0.0)
    model.effects = {**coordination.NO_EFFECTS, "transparency": 1.0}
    model.restructure()
    assert model.duplicates() == []
    _consistent(model)


# --- indicators ---------------------------------------------------------------------------
def test_nette_runde_needs_a_year_of_full_meetings_without_joint_effect():
    watch = NetteRundeWatch()
    flags = [watch.update(0.8, 0.1) for _ in range(WINDOW)]
    assert not any(flags[:-1]) and flags[-1]
    assert not NetteRundeWatch().update(0.8, 0.1)
    busy = NetteRundeWatch()
    assert not [busy.update(0.8, 0.6) for _ in range(WINDOW)][-1]  # joint work happens
    empty = NetteRundeWatch()
    assert not [empty.update(0.2, 0.1) for _ in range(WINDOW)][-1]  # nobody comes


def test_trust_and_cooperation_count_each_member_once():
    model = fresh(n_carriers=6, initial_duplicates=1, duplicate_overlap=1.0)
    model.run_for(1)
    row = model.current
    shares = [np.mean(m.shares) for m in model.member_list if m.shares]
    assert row["cooperation"] == pytest.approx(np.mean(shares))
