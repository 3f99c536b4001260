"""The trainer's guide (docs/workshop-leitfaden.md) tells the room what it will see. These
tests keep it true when the model changes: the guide's directions over replications, and
the story of the guide's own run (scenario "default", seed 42, as the dashboard starts),
driven through the dashboard's Session exactly as a trainer's clicks would.
"""

from __future__ import annotations

import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from sim.dashboard.session import Session
from sim.i18n import percent

SEEDS = range(12)


def run(
    seed: int, months: int, levers: dict | None = None, events: dict[int, str] | None = None
) -> Session:
    """The guide's clicks: levers set in month 0, "to month" m, the event pressed there
    (it acts from month m + 1), "to month" the end."""
    session = Session("default", seed=seed)
    for name, value in (levers or {}).items():
        session.set_lever(name, value)
    for month, kind in sorted((events or {}).items()):
        session.run_to(month)
        session.trigger(kind)
    session.run_to(months)
    return session


def late(session: Session, indicator: str) -> float:
    """Mean of months 49-60: a year after the guide's interventions at month 36."""
    return float(np.mean(session.series(indicator)[48:60]))


WAY_OUT = {
    "competition_intensity": 0.1,
    "joint_funding_share": 0.8,
    "eye_level": 0.9,
    "hierarchy": 0.1,
}


CASES = [
    (WAY_OUT, None, "joint_coverage", +1),  # act 2
    (WAY_OUT, None, "effectiveness", +1),  # act 2
    (WAY_OUT, None, "nette_runde", -1),  # act 2
    ({"coordinator_hours": 0.0}, None, "joint_coverage", -1),  # act 3
    ({"coordinator_hours": 0.0}, None, "members", -1),  # act 3
    (None, {36: "coordinator_ends"}, "coverage_complex", -1),  # act 4
    ({"eye_level": 0.9, "hierarchy": 0.1}, None, "coverage_hard_to_reach", +1),  # variant
    ({"competition_intensity": 0.9, "joint_funding_share": 0.0}, None, "effectiveness", -1),
    (None, {36: "funding_cut"}, "coverage_simple", -1),  # things to try
]
USED = sorted({indicator for _, _, indicator, _ in CASES})


def _late_values(job: tuple) -> dict[str, float]:
    seed, levers, events = job
    session = run(seed, 60, levers, events)
    return {indicator: late(session, indicator) for indicator in USED}


_RUNS: dict[str, list[dict[str, float]]] = {}


def in_pool(levers: dict | None, events: dict | None) -> list[dict[str, float]]:
    """The guide's run on every seed, two at a time (each run is a whole dashboard
    session: the spin-up and 60 months); a setting several cases share (the way out of
    act 2, the missing coordinator of act 3) is run once."""
    key = repr((sorted((levers or {}).items()), sorted((events or {}).items())))
    if key not in _RUNS:
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
            jobs = [(seed, levers, events) for seed in SEEDS]
            _RUNS[key] = list(pool.map(_late_values, jobs))
    return _RUNS[key]


@pytest.fixture(scope="module")
def default_runs():
    return in_pool(None, None)


@pytest.mark.parametrize(("levers", "events", "indicator", "sign"), CASES)
def test_the_guides_directions_hold_over_replications(
    default_runs, levers, events, indicator, sign
):
    """Paired by seed (as compare mode is): the mean difference lies beyond three
    standard errors in the direction the guide states."""
    diffs = np.array(
        [
            changed[indicator] - base[indicator]
            for changed, base in zip(in_pool(levers, events), default_runs, strict=True)
        ]
    )
    se = diffs.std(ddof=1) / np.sqrt(len(diffs))
    assert sign * diffs.mean() > 3 * se, (diffs.mean(), se)


def test_the_guides_own_run_tells_the_story_it_promises():
    """Act 1: the default network is a nette Runde from month 1 on. Act 2: with the four
    levers moved, B leaves it within three years and does more jointly; A stays in it.
    Act 3: without a coordinator, fewer members and less joint work by month 60. Act 4: a
    year after the position ends, less complex need is served than at month 36 and than
    without the end."""
    a = run(42, 60)
    assert all(flag == 1.0 for flag in a.series("nette_runde")[:36])
    b = run(42, 60, WAY_OUT)
    off = b.series("nette_runde").index(0.0) + 1
    assert 18 <= off <= 36
    assert b.series("joint_coverage")[35] > a.series("joint_coverage")[35] + 0.1
    assert b.series("effectiveness")[35] > a.series("effectiveness")[35] + 0.05
    none = run(42, 60, {"coordinator_hours": 0.0})
    assert none.series("members")[59] < a.series("members")[59]
    assert none.series("joint_coverage")[59] < a.series("joint_coverage")[59] - 0.05
    ends = run(42, 60, events={36: "coordinator_ends"})
    assert late(ends, "coverage_complex") < ends.series("coverage_complex")[35]
    assert late(ends, "coverage_complex") < late(a, "coverage_complex") - 0.05


def _guide_text(lang: str) -> str:
    from pathlib import Path

    name = "workshop-leitfaden.md" if lang == "de" else "workshop-guide.md"
    return (Path(__file__).resolve().parent.parent / "docs" / name).read_text(encoding="utf-8")


def test_the_guides_numbers_are_what_the_clicks_give():
    """Each act as the guide tells the trainer to click it (seed 42), and every number the
    guide then promises, as it stands in both guides and on the page (19 % in German, 19%
    in English)."""
    s = Session("default", 42)
    s.run_to(12)
    a12 = s.sides[0].rows[11]
    s.set_compare(True)  # act 2
    for name, value in WAY_OUT.items():
        s.set_lever(name, value, 1)
    s.run_to(36)
    a36, b36 = s.sides[0].rows[35], s.sides[1].rows[35]
    off = s.series("nette_runde", 1).index(0.0) + 1
    s.reset()  # act 3
    s.copy_levers(0, 1)
    s.set_lever("coordinator_hours", 0.0, 1)
    s.run_to(60)
    a60, b60 = s.sides[0].rows[59], s.sides[1].rows[59]
    s.set_compare(False)  # act 4
    s.reset()
    s.run_to(36)
    e36 = s.sides[0].rows[35]
    s.trigger("coordinator_ends")
    s.run_to(60)
    e60 = s.sides[0].rows[59]
    promised = {
        "act 1 complex": (a12["coverage_complex"], 0.17),
        "act 1 hard to reach": (a12["coverage_hard_to_reach"], 0.07),
        "act 1 simple": (a12["coverage_simple"], 0.88),
        "act 2 effectiveness B": (b36["effectiveness"], 0.56),
        "act 2 effectiveness A": (a36["effectiveness"], 0.47),
        "act 2 hard to reach B": (b36["coverage_hard_to_reach"], 0.27),
        "act 2 complex B": (b36["coverage_complex"], 0.40),
        "act 3 joint B": (b60["joint_coverage"], 0.09),
        "act 3 joint A": (a60["joint_coverage"], 0.21),
        "act 3 complex B": (b60["coverage_complex"], 0.11),
        "act 3 complex A": (a60["coverage_complex"], 0.28),
        "act 3 simple B": (b60["coverage_simple"], 0.91),
        "act 4 complex at 36": (e36["coverage_complex"], 0.19),
        "act 4 complex at 60": (e60["coverage_complex"], 0.16),
        "act 4 joint at 60": (e60["joint_coverage"], 0.14),
        "act 4 hard to reach at 60": (e60["coverage_hard_to_reach"], 0.12),
    }
    for what, (value, stated) in promised.items():
        assert round(value, 2) == stated, (what, value)
    counts = {
        "act 2 B leaves the nette Runde": (off, 28),
        "act 2 members B": (b36["members"], 33),
        "act 2 members A": (a36["members"], 29),
        "act 3 members B": (b60["members"], 28),
        "act 3 members A": (a60["members"], 32),
        "act 4 volunteers": (e60["active_volunteers"], 10),
        "act 4 volunteers had it stayed": (a60["active_volunteers"], 11),
    }
    for what, (value, stated) in counts.items():
        assert value == stated, (what, value)
    for lang in ("de", "en"):
        text = _guide_text(lang)
        for _, stated in promised.values():
            shown = percent(stated, lang)  # as the page shows every share
            assert re.search(rf"(?<![\d,.]){re.escape(shown)}", text), (lang, shown)
