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
