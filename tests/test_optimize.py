"""kommune optimize: the cheapest lever setting that reaches a target (Optuna).

A small problem whose optimum is known by trying every setting; an interrupted optimisation
that resumes to the same trials as one that ran through; an unreachable target said so;
broken files each with their one line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.runs.optimize import OptimizationError, evaluate, load_optimization, optimize

HERE = Path(__file__).parent
BROKEN = HERE / "broken_optimizations"

# a network of seven members over three years, its coordinator paid by a programme: a run
# takes some 40 ms
SMALL = """
extends = "default"
[scenario]
title_de = "klein"
title_en = "small"
description_de = "x"
description_en = "x"
source = "test"
[parameters]
n_carriers = 4
n_volunteers = 2
months = 36
spinup_months = 12
coordinator_cost_share = 0.0
"""


def problem(tmp_path: Path, at_least: float = 0.62, trials: int = 14, step: int = 20) -> Path:
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    path = tmp_path / "opt.toml"
    path.write_text(
        f"""
[optimization]
title = "test"
scenario = "small.toml"
at_least = {at_least}
share = 0.6
replications = 5
check_replications = 6
trials = {trials}
seed = 7
[levers]
coordinator_hours = {{ low = 0, high = 160, step = {step} }}
""",
        encoding="utf-8",
    )
    return path


def known_optimum(opt) -> tuple[float, float]:
    """The cheapest grid value whose share reaches the target, by trying all nine."""
    lever = opt.levers[0]
    for k in range(9):
        hours = lever.low + k * lever.step
        result = evaluate(opt, {lever.name: hours}, opt.seeds(), workers=1)
        if result.share >= opt.share:
            return hours, result.share
    raise AssertionError("the test problem has no feasible setting")


def test_finds_the_known_optimum(tmp_path, monkeypatch):
    opt = load_optimization(str(problem(tmp_path)))
    hours, share = known_optimum(opt)
    from sim.runs.optimize import engine

    evaluated = []
    run_setting = engine.evaluate
    monkeypatch.setattr(
        engine, "evaluate", lambda o, v, *a, **k: evaluated.append(v) or run_setting(o, v, *a, **k)
    )
    assert 0 < hours < 160, "the test problem's optimum must lie inside the range"
    runs = []
    result = optimize(opt, tmp_path / "out", workers=1, progress=runs.append)
    assert result.recommended is not None
    assert result.recommended["coordinator_hours"] == hours
    assert result.recommended["share"] == share
    assert result.recommended["cost"] == pytest.approx(hours * opt.levers[0].cost)
    # the check runs fresh seeds, never the optimisation's
    assert result.check is not None and len(result.check.finals) == 6
    assert not set(opt.check_seeds()) & set(opt.seeds())
    out = tmp_path / "out"
    for name in ("summary.md", "trials.csv", "front.png", "recommended.toml", "study.log"):
        assert (out / name).is_file(), name
    trials = pd.read_csv(out / "trials.csv")
    assert len(trials) == opt.trials and list(trials["trial"]) == list(range(opt.trials))
    # a setting tried before is not run again (the same seeds give the same result), but
    # the progress bar still counts it, so that it ends where it said it would
    settings = trials["coordinator_hours"]
    assert settings.duplicated().any()
    assert sum(runs) == opt.trials * opt.replications + opt.check_replications
    for _, same in trials.groupby("coordinator_hours"):
        assert same["share"].nunique() == 1 and same["mean"].nunique() == 1
    assert len(evaluated) == settings.nunique() + 1  # each setting once, and the check
    assert trials.loc[0, "coordinator_hours"] == 0 and trials.loc[1, "coordinator_hours"] == 160
    text = (out / "recommended.toml").read_text()
    assert f"coordinator_hours = {float(hours)!r}" in text
    from sim.files.scenario import load

    assert load(str(out / "recommended.toml")).params.coordinator_hours == hours
    summary = (out / "summary.md").read_text()
    assert "## Recommendation" in summary and f"`coordinator_hours` = {hours:.4g}" in summary
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["trials"]["done"] == opt.trials
    assert manifest["recommended"]["values"] == {"coordinator_hours": hours}


def test_resumes_to_the_same_trials(tmp_path):
    opt = load_optimization(str(problem(tmp_path, trials=8, step=1)))
    with pytest.raises(KeyboardInterrupt):
        optimize(opt, tmp_path / "cut", workers=1, stop_after=3)
    manifest = json.loads((tmp_path / "cut" / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["trials"]["done"] == 3
    with pytest.raises(OptimizationError, match="add --resume"):
        optimize(opt, tmp_path / "cut", workers=1)
    resumed = optimize(opt, tmp_path / "cut", workers=1, resume=True)
    assert resumed.session_trials == 5
    whole = optimize(opt, tmp_path / "whole", workers=1)
    pd.testing.assert_frame_equal(resumed.trials, whole.trials)
    assert resumed.recommended == whole.recommended
    # Ctrl-C in the middle of a trial: in the first corner, and in the fifth trial
    for folder, after in (("early", 2), ("mid", 4 * opt.replications + 2)):
        runs = []

        def press(_n=1, runs=runs, after=after):
            runs.append(1)
            if len(runs) == after:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            optimize(opt, tmp_path / folder, workers=1, progress=press)
        again = optimize(opt, tmp_path / folder, workers=1, resume=True)
        assert len(again.trials) == opt.trials  # the trial cut off is not counted
        pd.testing.assert_frame_equal(
            again.trials.drop(columns="trial").reset_index(drop=True),
            whole.trials.drop(columns="trial").reset_index(drop=True),
        )


def test_an_unreachable_target_is_said_so(cli, tmp_path):
    path = problem(tmp_path, at_least=0.99, trials=3)
    code, _, err = cli("optimize", str(path), "--out", str(tmp_path / "out"), "-w", "1")
    assert code == 1
    assert "no setting tried reaches the target" in err
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "No setting tried reaches the target" in summary
    assert not (tmp_path / "out" / "recommended.toml").exists()


def test_a_changed_file_does_not_resume(tmp_path):
    path = problem(tmp_path, trials=3)
    opt = load_optimization(str(path))
    with pytest.raises(KeyboardInterrupt):
        optimize(opt, tmp_path / "out", workers=1, stop_after=1)
    changed = load_optimization(str(problem(tmp_path, at_least=0.4, trials=3)))
    with pytest.raises(OptimizationError, match="holds a different optimization"):
        optimize(changed, tmp_path / "out", workers=1, resume=True)


def test_the_shipped_example_loads():
    opt = load_optimization("optimize")
    assert [lever.name for lever in opt.levers] == ["coordinator_hours", "joint_funding_share"]
    # an hour's cost comes from the parameter definition unless the file gives one
    assert opt.levers[0].cost == opt.scenario.params.coordinator_hour_cost
    assert opt.levers[1].cost == 0


def _expected(path: Path) -> list[str]:
    line = next(x for x in path.read_text().splitlines() if x.startswith("# expect:"))
    return [part.strip() for part in line.split("# expect:", 1)[1].split(" | ")]


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.toml")), ids=lambda p: p.stem)
def test_broken_optimization_gets_its_message(cli, path):
    code, out, err = cli("optimize", str(path), "--out", "/nonexistent/never-written")
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert "Traceback" not in err and str(path) in err
    for fragment in _expected(path):
        assert fragment in err, f"{fragment!r} not in {err!r}"
    assert not Path("/nonexistent/never-written").exists()


def test_equally_cheap_settings_are_told_apart_by_the_better_mean():
    """Where lower is better (an at_most target), the lower mean wins a tie in cost and
    share, in the recommendation and on the front."""
    from sim.runs.optimize.engine import recommend
    from sim.runs.optimize.report import front

    table = pd.DataFrame(
        {
            "trial": [0, 1, 2],
            "x": [1.0, 2.0, 3.0],
            "cost": [0.0, 0.0, 5.0],
            "share": [0.9, 0.9, 1.0],
            "mean": [0.4, 0.1, 0.05],
            "feasible": [True, True, True],
        }
    )
    assert recommend(table, -1)["x"] == 2.0 and recommend(table, +1)["x"] == 1.0
    assert list(front(table, -1)["x"]) == [2.0, 3.0]
    assert list(front(table, +1)["x"]) == [1.0, 3.0]
