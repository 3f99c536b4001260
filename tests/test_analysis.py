"""The analysis: known sensitivity indices, a planted PRIM box, and every recipe end to end."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import analyze
from sim.analysis.discovery import cart_leaves, feature_scores
from sim.analysis.governance import predict
from sim.analysis.sensitivity import morris_indices, prim_box, sobol_indices
from sim.files.experiment import Design, Factor, load_experiment
from sim.runs.sweep import sweep

HERE = Path(__file__).parent / "experiments"


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_analysis_recovers_the_ishigami_indices():
    factors = tuple(Factor(f"x{i}", low=-math.pi, high=math.pi) for i in (1, 2, 3))
    design = Design("sobol", samples=2048, seed=1, levels=4, factors=factors)
    x = design.sample()
    table = sobol_indices(design.problem(), ishigami(x), seed=1)
    # analytic values (Ishigami & Homma 1990, a = 7, b = 0.1)
    s1, st = [0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437]
    assert table["S1"].to_numpy() == pytest.approx(s1, abs=0.04)
    assert table["ST"].to_numpy() == pytest.approx(st, abs=0.04)
    assert (table["S1_conf"] > 0).all() and (table["ST_conf"] < 0.1).all()


def test_morris_screening_ranks_a_known_function():
    factors = tuple(Factor(f"x{i}", low=0.0, high=1.0) for i in (1, 2, 3))
    design = Design("morris", samples=40, seed=2, levels=4, factors=factors)
    x = design.sample()
    y = 10 * x[:, 0] + 2 * x[:, 1] + 0 * x[:, 2]
    table = morris_indices(design.problem(), x, y, levels=4).set_index("factor")
    assert table.loc["x1", "mu_star"] == pytest.approx(10, rel=0.05)
    assert table.loc["x2", "mu_star"] == pytest.approx(2, rel=0.05)
    assert table.loc["x3", "mu_star"] == pytest.approx(0, abs=1e-9)


def test_prim_finds_a_planted_box():
    rng = np.random.default_rng(0)
    points = pd.DataFrame(
        {
            "a": rng.random(600),
            "b": rng.random(600),
            "c": rng.random(600),
            "mode": rng.choice(["shared", "lead", "nao"], 600),
        }
    )
    effective = ((points.a > 0.6) & (points.b < 0.5)).to_numpy()
    limits, coverage, density, mass, _, _ = prim_box(points, ["a", "b", "c", "mode"], effective)
    conditions = dict(zip(limits["factor"], limits["condition"], strict=True))
    assert set(conditions) == {"a", "b"}
    assert float(conditions["a"].split(">=")[1]) == pytest.approx(0.6, abs=0.05)
    # the reported box is the widest one at least 80 % effective, so it may reach a little
    # beyond the planted edge b < 0.5
    assert 0.5 <= float(conditions["b"].split("<=")[1]) <= 0.65
    assert coverage > 0.8 and density >= 0.8 and mass == pytest.approx(0.22, abs=0.06)


@pytest.mark.parametrize(
    ("ranks", "mode"),
    [
        ({"size": 0, "trust": 2, "consensus": 2, "competence": 0}, "shared"),
        ({"size": 1, "trust": 0, "consensus": 0, "competence": 1}, "lead"),
        ({"size": 2, "trust": 1, "consensus": 1, "competence": 2}, "nao"),
        ({"size": 0, "trust": 0, "consensus": 1, "competence": 2}, "nao"),
        ({"size": 0, "trust": 2, "consensus": 0, "competence": 1}, "unclear"),  # 2 : 2
    ],
)
def test_provan_kenis_prediction(ranks, mode):
    assert predict(ranks) == mode


def _sweep(tmp_path: Path, body: str, name: str = "exp") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(body)
    out = tmp_path / f"{name}-results"
    summary = sweep(load_experiment(str(path)), out, workers=2)
    assert summary.failed == 0
    return out


def test_sensitivity_analysis_end_to_end(tmp_path, cli):
    out = _sweep(
        tmp_path,
        '[experiment]\ntitle = "s"\nmonths = 24\nreplications = 1\n'
        '[design]\nkind = "sobol"\nsamples = 8\nseed = 2\n[factors]\n'
        "coordinator_hours = { range = [0, 240] }\n"
        "competition_intensity = { range = [0, 1] }\n"
        'governance = { levels = ["shared", "nao"] }\n'
        '[analysis]\nkind = "sensitivity"\n',
    )
    code, _, _ = cli("analyze", str(out))
    assert code == 0
    made = {p.name for p in (out / "analysis").iterdir()}
    assert {"findings.md", "sobol.csv", "sobol.png", "points.csv", "pairs.png"} <= made
    sobol = pd.read_csv(out / "analysis" / "sobol.csv")
    assert set(sobol["factor"]) == {"coordinator_hours", "competition_intensity", "governance"}
    findings = (out / "analysis" / "findings.md").read_text()
    assert "Sobol" in findings and "PRIM" in findings and "generated" in findings.lower()
    assert f"{sobol.sort_values('ST').iloc[-1]['factor']}` matters most" in findings


def test_grid_governance_and_sustainability_recipes(tmp_path):
    grid = _sweep(
        tmp_path,
        '[experiment]\ntitle = "g"\nmonths = 24\nreplications = 2\n'
        '[design]\nkind = "factorial"\n[factors]\n'
        "coordinator_hours = { levels = [0, 80, 160] }\n"
        "competition_intensity = { levels = [0.1, 0.9] }\n"
        '[analysis]\nkind = "grid"\nthreshold = 0.5\n',
        "grid",
    )
    analyze(grid)
    table = pd.read_csv(grid / "analysis" / "grid.csv")
    assert table.shape == (2, 4)
    findings = (grid / "analysis" / "findings.md").read_text()
    assert "cushion" in findings and "coordinator_hours needed" in findings

    governance = _sweep(
        tmp_path,
        '[experiment]\ntitle = "p&k"\nmonths = 24\nreplications = 2\n'
        '[design]\nkind = "factorial"\n[factors]\n'
        "n_carriers = { levels = [4, 20] }\n"
        "goal_heterogeneity = { levels = [0.3, 1.0] }\n"
        'governance = { levels = ["shared", "lead", "nao"] }\n'
        '[analysis]\nkind = "governance"\nsize = "n_carriers"\n'
        'consensus = "-goal_heterogeneity"\n',
        "governance",
    )
    analyze(governance)
    verdicts = pd.read_csv(governance / "analysis" / "governance.csv")
    assert len(verdicts) == 4 and set(verdicts["best"]) <= {"shared", "lead", "nao"}
    small_consensual = verdicts[(verdicts.n_carriers == 4) & (verdicts.goal_heterogeneity == 0.3)]
    assert small_consensual["predicted"].iloc[0] == "shared"
    text = (governance / "analysis" / "findings.md").read_text()
    assert "Provan & Kenis" in text
    # the agreement that counts: where the paper predicts and the model's difference is clear
    judged = verdicts[(verdicts.predicted != "unclear") & verdicts.clear]
    assert (
        f"model's best mode is clear ({len(judged)} conditions), the model agrees in "
        f"{int(judged.agrees.astype(bool).sum())} "
    ) in text
    # every condition says how its contingencies voted; every clear divergence is listed
    assert verdicts.loc[0, "votes"].count("(") >= 1
    divergent = judged[~judged.agrees.astype(bool)]
    for _, row in divergent.iterrows():
        assert f"predicted {row['predicted']}, the model's {row['best']} leads" in text
    assert ("### The clear divergences" in text) == (len(divergent) > 0)

    lasting = _sweep(
        tmp_path,
        '[experiment]\ntitle = "end"\nscenario = "coordinated"\n'
        'months = 36\nreplications = 2\nrecord = "monthly"\nevery = 6\n'
        '[design]\nkind = "factorial"\n[factors]\n'
        "coordinator_hours = { levels = [0, 160] }\n"
        "coordinator_ends_month = { levels = [0, 13] }\n"
        '[analysis]\nkind = "sustainability"\n',
        "lasting",
    )
    analyze(lasting)
    retained = pd.read_csv(lasting / "analysis" / "retained.csv")
    assert "effectiveness_retained" in retained.columns
    assert (lasting / "analysis" / "trajectories.png").exists()
    assert "gain retained" in (lasting / "analysis" / "findings.md").read_text()


def test_analysis_of_an_incomplete_sweep_says_so(tmp_path):
    out = _sweep(
        tmp_path,
        '[experiment]\ntitle = "s"\nmonths = 12\n[design]\nkind = "sobol"\n'
        "samples = 4\n[factors]\neye_level = { range = [0, 1] }\n",
        "partial",
    )
    parts = sorted((out / "runs").glob("part-*.parquet"))
    frame = pd.read_parquet(parts[0])
    frame.iloc[: len(frame) // 2].to_parquet(parts[0], index=False)
    manifest_path = out / "manifest.json"
    manifest_path.write_text(manifest_path.read_text().replace('"done": 12', '"done": 6'))
    analyze(out)
    assert "not complete" in (out / "analysis" / "findings.md").read_text()


def test_final_values_count_from_each_runs_own_end(tmp_path):
    """With the run length as a factor, every run keeps its final year (short runs were
    once dropped, and the indices computed from half the design without a word)."""
    out = _sweep(
        tmp_path,
        '[experiment]\ntitle = "m"\nreplications = 1\n[design]\n'
        'kind = "factorial"\n[factors]\nmonths = { levels = [12, 36] }\n'
        "eye_level = { levels = [0.2, 0.8] }\n",
        "lengths",
    )
    from sim.analysis.common import Analysis

    analysis = Analysis.open(out, None, None)
    assert len(analysis.finals()) == 4 and analysis.complete
    assert len(analysis.per_point()) == 4


def test_monthly_records_keep_the_final_year(tmp_path):
    """Recorded every 6 months, a run still stores its whole final year, so its final
    value is the same mean of 12 months as with record = "final"."""
    body = (
        '[experiment]\ntitle = "r"\nmonths = 30\nreplications = 1\n{record}[design]\n'
        'kind = "factorial"\n[factors]\neye_level = { levels = [0.5] }\n'
    )
    every_6 = 'record = "monthly"\nevery = 6\n'
    monthly = _sweep(tmp_path, body.replace("{record}", every_6), "monthly")
    final = _sweep(tmp_path, body.replace("{record}", ""), "final")
    from sim.analysis.common import Analysis

    by_month = Analysis.open(monthly, None, None)
    assert set(range(19, 31)) <= set(by_month.runs["month"])
    once = Analysis.open(final, None, None)
    pd.testing.assert_series_equal(
        by_month.finals()["effectiveness"],
        once.finals()["effectiveness"],
        check_exact=False,
        rtol=1e-9,
    )


def test_the_screening_runs_end_to_end_and_compares_mu_star_with_the_seed_sd(tmp_path, cli):
    """The shipped screening file on a tiny variant: 2 trajectories over 6 factors, 24
    months; the Morris table gains mu* / seed SD."""
    import re

    from sim.files.experiment import EXPERIMENT_DIR, numeric_parameters

    text = (EXPERIMENT_DIR / "screening.toml").read_text()
    named = set(re.findall(r"^(\w+) = \{ range", text, flags=re.M)) | {"coordinator_hours"}
    keep = [s.name for s in numeric_parameters() if s.name not in named]
    text = re.sub(
        r"^exclude = \[.*\]$", "exclude = " + str(keep).replace("'", '"'), text, flags=re.M
    )
    text = text.replace("months = 120", "months = 24").replace("samples = 8", "samples = 2")
    out = _sweep(tmp_path, text, "screening")
    code, _, _ = cli("analyze", str(out))
    assert code == 0
    morris = pd.read_csv(out / "analysis" / "morris.csv").set_index("factor")
    assert len(morris) == 6 and "coordinator_hours" in morris.index
    from sim.analysis.common import Analysis

    finals = Analysis.open(out, None, None).finals()
    per_point = finals.groupby("point_id")["effectiveness"].std(ddof=1)
    seed_sd = np.sqrt((per_point**2).mean())
    assert seed_sd > 0
    assert morris["mu_star_over_seed_sd"].to_numpy() == pytest.approx(
        morris["mu_star"].to_numpy() / seed_sd
    )
    findings = (out / "analysis" / "findings.md").read_text()
    assert "mu_star / seed SD" in findings and f"pooled over all points: {seed_sd:.3f}" in findings
    above = int((morris["mu_star_over_seed_sd"] > 1).sum())
    assert f"{above} of 6 factors have mu* above one seed SD" in findings
    assert "up to about 1.20 seed SD from the seeds' noise alone" in findings  # 2 reps, 4 levels


def test_the_noise_floor_of_mu_star_is_what_pure_noise_gives():
    """A factor without effect, outcome = independent seed noise (SD 1) averaged over R
    replications: mu* / seed SD comes out at noise_floor(R, levels)."""
    from sim.analysis.sensitivity import noise_floor

    factors = tuple(Factor(f"x{i}", low=0.0, high=1.0) for i in range(5))
    rng = np.random.default_rng(0)
    for replications, levels in ((1, 4), (2, 4), (2, 6), (4, 4)):
        design = Design("morris", samples=400, seed=1, levels=levels, factors=factors)
        x = design.sample()
        y = rng.normal(0, 1, (len(x), replications)).mean(axis=1)
        table = morris_indices(design.problem(), x, y, levels)
        assert table["mu_star"].mean() == pytest.approx(noise_floor(replications, levels), rel=0.06)


def test_prim_takes_whole_number_factors():
    """Pasting writes float limits back into the factor's column (it once failed on int)."""
    rng = np.random.default_rng(1)
    points = pd.DataFrame({"k": rng.integers(0, 20, 400), "a": rng.random(400)})
    effective = ((points.k >= 10) & (points.a > 0.3)).to_numpy()
    limits, coverage, density, *_ = prim_box(points, ["k", "a"], effective)
    assert set(limits["factor"]) == {"k", "a"} and density >= 0.8 and coverage > 0.5


def test_a_screen_says_where_the_outcome_sits_at_a_bound():
    """Design points whose outcome no seed changes (a saturated or collapsed network) make
    elementary effects of zero; the findings say how many, so a zero is not read as 'no
    effect'."""
    from types import SimpleNamespace

    from sim.analysis.sensitivity import _fixed, fixed_points

    finals = pd.DataFrame(
        {
            "point_id": [0, 0, 1, 1, 2, 2, 3, 3],
            "effectiveness": [1.0, 1.0, 0.4, 0.5, 0.7333, 0.7333, 0.2, 0.3],
        }
    )
    analysis = SimpleNamespace(finals=lambda: finals, outcome="effectiveness")
    assert fixed_points(analysis) == 0.5
    ranked = pd.DataFrame({"factor": ["a", "b"], "mu_star": [0.1, 0.0]})
    text = _fixed(0.5, ranked, "effectiveness")
    assert "In 50% of the design points" in text and "1 factor changed" in text
    assert _fixed(0.0, ranked, "effectiveness") == ""


def _planted(n: int = 600) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(0)
    points = pd.DataFrame(
        {
            "a": rng.random(n),
            "b": rng.random(n),
            "c": rng.random(n),
            "mode": rng.choice(["shared", "lead", "nao"], n),
        }
    )
    return points, ((points.a > 0.6) & (points.b < 0.5)).to_numpy()


def test_cart_finds_a_planted_box_and_its_leaves_cover_the_design():
    points, effective = _planted()
    leaves, fitted = cart_leaves(points, ["a", "b", "c", "mode"], effective)
    assert leaves["mass"].sum() == pytest.approx(1.0)
    assert leaves["coverage"].sum() == pytest.approx(1.0)
    best = leaves.iloc[0]
    assert best["density"] == 1.0 and best["coverage"] > 0.9
    assert "c " not in best["conditions"] and "mode" not in best["conditions"]
    a = float(best["conditions"].split("a > ")[1].split()[0])
    b = float(best["conditions"].split("b <= ")[1].split()[0])
    assert a == pytest.approx(0.6, abs=0.03) and b == pytest.approx(0.5, abs=0.03)
    again, _ = cart_leaves(points, ["a", "b", "c", "mode"], effective)
    pd.testing.assert_frame_equal(leaves, again)  # a fixed random state
    assert fitted.clf.get_depth() >= 2


def test_feature_scores_rank_a_known_function_for_every_outcome():
    points, _ = _planted(400)
    y = {
        "first": 10 * points.a + 2 * points.b,
        "second": (points["mode"] == "nao").astype(float) + 0.1 * points.c,
    }
    scores = feature_scores(points, ["a", "b", "c", "mode"], y)
    assert list(scores.index) == ["a", "b", "c", "mode"]
    assert scores.sum().to_numpy() == pytest.approx([1.0, 1.0])
    assert scores["first"]["a"] > scores["first"]["b"] > scores["first"][["c", "mode"]].max()
    assert scores["second"]["mode"] > 0.5
    pd.testing.assert_frame_equal(scores, feature_scores(points, ["a", "b", "c", "mode"], y))


def test_the_quick_experiment_gets_prim_cart_feature_scores_and_envelopes(tmp_path, cli):
    out = tmp_path / "quick"
    summary = sweep(load_experiment("quick"), out, workers=2)
    assert summary.failed == 0
    code, _, _ = cli("analyze", str(out))
    assert code == 0
    made = {p.name for p in (out / "analysis").iterdir()}
    assert {
        "prim_box.csv",
        "cart_leaves.csv",
        "cart_tree.png",
        "feature_scores.csv",
        "feature_scores.png",
        "envelopes.csv",
        "envelopes.png",
    } <= made
    leaves = pd.read_csv(out / "analysis" / "cart_leaves.csv")
    assert leaves["mass"].sum() == pytest.approx(1.0) and leaves["density"].iloc[0] > 0.25
    scores = pd.read_csv(out / "analysis" / "feature_scores.csv").set_index("factor")
    assert set(scores.index) == {"coordinator_hours", "competition_intensity"}
    assert scores["effectiveness"].sum() == pytest.approx(1.0)
    band = pd.read_csv(out / "analysis" / "envelopes.csv")
    assert set(band["indicator"]) == {"effectiveness", "joint_coverage", "attendance", "members"}
    assert sorted(band["month"].unique()) == list(range(1, 61))
    assert ((band["min"] <= band["median"]) & (band["median"] <= band["max"])).all()
    findings = (out / "analysis" / "findings.md").read_text()
    for section in ("(PRIM)", "(CART)", "Feature scores (extra trees)", "Envelopes over time"):
        assert section in findings


def test_envelopes_say_when_a_sweep_kept_final_values_only(tmp_path, cli):
    out = _sweep(
        tmp_path,
        '[experiment]\ntitle = "f"\nmonths = 12\nreplications = 1\n'
        '[design]\nkind = "lhs"\nsamples = 4\nseed = 1\n[factors]\n'
        "coordinator_hours = { range = [0, 240] }\n"
        '[analysis]\nkind = "sensitivity"\n',
    )
    assert cli("analyze", str(out))[0] == 0
    findings = (out / "analysis" / "findings.md").read_text()
    assert 'record = "monthly"' in findings
    assert not (out / "analysis" / "envelopes.png").exists()


def test_the_sobol_intervals_are_the_same_from_one_analysis_to_the_next():
    """SALib reads a seed of 0 as none and bootstraps from numpy's global generator."""
    factors = tuple(Factor(f"x{i}", low=-math.pi, high=math.pi) for i in (1, 2, 3))
    design = Design("sobol", samples=256, seed=1, levels=4, factors=factors)
    y = ishigami(design.sample())
    first = sobol_indices(design.problem(), y)
    pd.testing.assert_frame_equal(first, sobol_indices(design.problem(), y))
    with pytest.raises(ValueError, match="other than 0"):
        sobol_indices(design.problem(), y, seed=0)


def test_cart_reads_a_split_on_a_category():
    """A planted box that needs a category: EMA Workbench 3.0's own leaves lose it."""
    points, _ = _planted()
    effective = ((points["mode"] == "nao") & (points.a > 0.5)).to_numpy()
    leaves, _ = cart_leaves(points, ["a", "b", "c", "mode"], effective)
    assert leaves["mass"].sum() == pytest.approx(1.0)
    assert leaves["coverage"].sum() == pytest.approx(1.0)
    best = leaves.iloc[0]
    assert best["density"] == 1.0 and best["coverage"] == 1.0
    assert "mode = nao" in best["conditions"]
    assert float(best["conditions"].split("a > ")[1].split()[0]) == pytest.approx(0.5, abs=0.03)


def test_feature_scores_take_one_factor_and_a_factor_that_does_not_vary():
    points, _ = _planted(60)
    points["fixed"] = "nao"
    y = {"first": 10 * points.a.to_numpy()}
    alone = feature_scores(points, ["a"], y)
    assert alone.loc["a", "first"] == pytest.approx(1.0)
    with_fixed = feature_scores(points, ["a", "fixed"], y)
    assert with_fixed.loc["fixed", "first"] == 0.0


def test_governance_votes_name_each_contingency_for_the_mode_it_favours():
    from sim.analysis.governance import votes

    ranks = {"size": 2, "trust": 2, "consensus": 2, "competence": 0}
    assert predict(ranks) == "shared"
    assert (
        votes(ranks) == "shared 3 (trust high, consensus high, competence low), nao 1 (size high)"
    )
    assert votes({"size": 1, "trust": 0}) == "lead 2 (size moderate, trust low)"
