"""Joint work needs encounters, and meeting too often costs time: the working groups'
meeting interval has an optimum (ODD 7.1, 7.2; [003] Begegnung, Durchhaltevermögen).

In Ahlen's network (twenty volunteer initiatives with little time, [002]) monthly meetings
beat weekly ones, which take hours the members would rather give to joint work, and beat
quarterly ones, between which joint work fades. Paired seeds, 95 % margin.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.files.scenario import load
from sim.mechanisms.bodies import held
from sim.model import KommuneModel
from sim.params import make_params
from sim.runs.replicate import Condition, replicate

SEEDS = range(10)


@pytest.fixture(scope="module")
def by_interval():
    base = load("ahlen").params.model_dump()
    conditions = {
        k: Condition(make_params({**base, "working_group_interval": k})) for k in (0.25, 1.0, 3.0)
    }
    runs = replicate(conditions, SEEDS)
    return {
        k: np.array([t["effectiveness"].iloc[-24:].mean() for t in tables])
        for k, tables in runs.items()
    }


def _lower_bound(diff: np.ndarray) -> float:
    half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff))
    return float(diff.mean() - half)


def test_monthly_meetings_beat_weekly_ones(by_interval):
    assert _lower_bound(by_interval[1.0] - by_interval[0.25]) > 0


def test_monthly_meetings_beat_quarterly_ones(by_interval):
    assert _lower_bound(by_interval[1.0] - by_interval[3.0]) > 0


# --- meetings nobody convenes lapse unless the network persists (ODD 7.2, [003]) ----------


def test_daily_business_cancels_unconvened_meetings_in_proportion_to_fickleness():
    """``held``: a convened meeting always takes place; an unconvened one lapses with chance
    everyday_pressure x (1 - persistence), so over many draws the shares are those."""
    rng = np.random.default_rng(1)
    p = make_params({"everyday_pressure": 0.6, "persistence": 0.25})
    assert sum(held(1, True, p, rng) for _ in range(1000)) == 1000
    share = sum(held(1, False, p, rng) for _ in range(4000)) / 4000
    assert share == pytest.approx(1 - 0.6 * 0.75, abs=0.03)
    assert held(3, False, make_params({"persistence": 0.95, "everyday_pressure": 0.0}), rng) == 3


def _meetings_and_joint_work(persistence: float, hours: float) -> tuple[np.ndarray, np.ndarray]:
    """Working-group meetings held per due one, and joint coverage, over the last 5 years."""
    held_share, joint = [], []
    for seed in SEEDS:
        model = KommuneModel(
            rng=seed, params=make_params({"persistence": persistence, "coordinator_hours": hours})
        )
        due = met = 0
        for _ in range(120):
            due_now = [g for g in model.working_groups if g.due(model.clock + 1)]
            model.step()  # groups founded, split or merged in the month count from the next
            if model.month > 60:
                due += len(due_now)
                met += sum(1 for g in due_now if g.last_met == model.clock)
        held_share.append(met / due)
        joint.append(model.datacollector.get_model_vars_dataframe()["joint_coverage"][-60:].mean())
    return np.array(held_share), np.array(joint)


@pytest.fixture(scope="module")
def lapses():
    return {
        (persistence, hours): _meetings_and_joint_work(persistence, hours)
        for persistence in (0.0, 0.9)
        for hours in (0.0, 80.0)
    }


def test_without_a_convener_a_persistent_network_keeps_meeting_and_working_together(lapses):
    fickle_met, fickle_joint = lapses[(0.0, 0.0)]
    steady_met, steady_joint = lapses[(0.9, 0.0)]
    assert _lower_bound(steady_met - fickle_met) > 0.3  # 1 - 0.05 against 1 - 0.5, less noise
    assert _lower_bound(steady_joint - fickle_joint) > 0


def test_a_paid_convener_holds_every_due_meeting_whatever_the_persistence(lapses):
    for persistence in (0.0, 0.9):
        met, _ = lapses[(persistence, 80.0)]
        assert met.min() == 1.0
