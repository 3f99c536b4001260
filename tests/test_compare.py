"""What-if comparison: intervals, paired differences, verdicts, report files."""

from __future__ import annotations

import json
import re

import openpyxl
import pandas as pd
import pytest

import sim.reports.comparison
import sim.runs.compare
from sim.files.scenario import load
from sim.indicators import INDICATORS
from sim.runs.compare import Interval, compare, verdict
from sim.runs.results import ResultStore


def test_a_scenario_compared_with_itself_shows_no_clear_difference(cli):
    code, out, _ = cli(
        "compare", "coordinated", "coordinated", "-r", "4", "--months", "36", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert set(data["results"]) == {"coordinated", "coordinated (2)"}
    for indicator, diff in data["differences"]["coordinated (2)"].items():
        assert diff["verdict"] == "none", indicator
        assert diff["mean"] == 0.0


def test_a_built_in_difference_is_found(cli):
    code, out, _ = cli("compare", "baseline", "coordinated", "-r", "6", "--json")
    assert code == 0
    data = json.loads(out)
    diff = data["differences"]["coordinated"]
    for indicator in ("effectiveness", "joint_coverage", "coverage_complex", "members"):
        assert diff[indicator]["verdict"] == "better", indicator
        assert diff[indicator]["ci_low"] > 0
    assert diff["coordination_hours"]["verdict"] == "higher"  # neither better nor worse
    res = data["results"]["baseline"]["effectiveness"]
    assert res["ci_low"] <= res["mean"] <= res["ci_high"]
    assert data["replications"] == 6 and len(data["seeds"]) == 6


def test_json_has_the_promised_shape(cli):
    _, out, _ = cli("compare", "default", "training", "-r", "3", "--months", "24", "--json")
    data = json.loads(out)
    for scenario in ("default", "training"):
        for indicator in INDICATORS:
            assert set(data["results"][scenario][indicator]) == {"mean", "ci_low", "ci_high"}


def test_results_do_not_depend_on_the_number_of_workers():
    chosen = [load("baseline", {"months": "30"}), load("eye_level", {"months": "30"})]
    one = compare(chosen, 3, root_seed=5, workers=1).as_json()
    two = compare(chosen, 3, root_seed=5, workers=2).as_json()
    assert one == two


NUMBER = {"de": r"[+-]?\d+,\d+|–", "en": r"[+-]?\d+\.\d+|–"}
INTERVAL_SEP = {"de": "; ", "en": ", "}


def _assert_numbers_as_written(html: str, lang: str) -> None:
    """Every value and difference cell in the language's decimal mark: 0,49 [0,41; 0,57]
    in German, 0.49 [0.41, 0.57] in English."""
    cells = re.findall(r'<td class="num[^"]*">([^<]*) <span class="ci">\[([^\]]*)\]', html)
    assert len(cells) > 10, cells
    number, sep = NUMBER[lang], INTERVAL_SEP[lang]
    for mean, interval in cells:
        assert re.fullmatch(number, mean), (lang, mean)
        assert re.fullmatch(f"({number}){re.escape(sep)}({number})", interval), (lang, interval)


def test_report_numbers_in_each_language():
    scenarios = [load(name, {"months": 12}) for name in ("baseline", "eye_level")]
    comparison = compare(scenarios, 2, 7, workers=1)
    for lang in ("de", "en"):
        _assert_numbers_as_written(
            sim.reports.comparison.html_report(comparison, lang, "compare"), lang
        )


def test_common_random_numbers_and_report_files(cli, tmp_path):
    folder = tmp_path / "vergleich"
    code, out, _ = cli(
        "compare",
        "baseline",
        "eye_level",
        "-r",
        "3",
        "--months",
        "24",
        "--lang",
        "de",
        "--out",
        str(folder),
    )
    assert code == 0
    assert {p.name for p in folder.iterdir()} >= {
        "comparison.csv",
        "comparison.xlsx",
        "report.html",
        "runs",
        "manifest.json",
    }
    runs = ResultStore(folder).read_runs()
    assert len(runs) == 2 * 3 * 24 and runs["run_id"].nunique() == 6
    seeds = runs.groupby("scenario")["seed"].apply(lambda s: sorted(set(s)))
    assert seeds["baseline"] == seeds["eye_level"]  # the same seeds for every scenario
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Szenarienvergleich" in html and "Wirksamkeit" in html
    _assert_numbers_as_written(html, "de")
    row = next(line for line in out.splitlines() if line.lstrip().startswith("Wirksamkeit"))
    assert re.search(r"\d,\d\d", row) and not re.search(r"\d\.\d", row), row  # the table too
    assert html.count("data:image/png;base64,") == 2
    assert "http://" not in html and "https://" not in html and "<script" not in html
    table = pd.read_csv(folder / "comparison.csv")
    assert set(table["scenario"]) == {"baseline", "eye_level"}
    assert len(table) == 2 * len(INDICATORS)
    book = openpyxl.load_workbook(folder / "comparison.xlsx")
    assert book.sheetnames == ["Vergleich", "Läufe", "Parameter"]
    assert "Szenarienvergleich" in out and ("besser" in out or "kein klarer" in out)


def test_verdicts_follow_direction_and_resolution():
    clear_up = Interval(0.05, 0.02, 0.08)
    assert verdict("effectiveness", clear_up) == "better"
    assert verdict("duplicate_structures", Interval(1.0, 0.6, 1.4)) == "worse"
    assert verdict("meeting_time", Interval(5.0, 2.0, 8.0)) == "higher"
    assert verdict("effectiveness", Interval(0.05, -0.01, 0.11)) == "none"  # straddles 0
    assert verdict("effectiveness", Interval(0.004, 0.003, 0.005)) == "none"  # too small
    assert verdict("nette_runde", Interval(-0.5, -0.7, -0.3)) == "better"


def test_interrupted_comparison_keeps_finished_runs_and_resumes_exactly(cli, tmp_path, monkeypatch):
    """Ctrl-C while runs are going or while the report is written keeps every finished
    run; --resume runs only what is missing and gives the uninterrupted result."""
    args = ["compare", "baseline", "coordinated", "-r", "3", "--months", "12"]
    code, reference, _ = cli(*args, "--json")
    real_runs = sim.runs.compare.runs

    def interrupted(conditions, seeds, workers=None, skip=()):
        produced = real_runs(conditions, seeds, workers=1, skip=skip)
        yield next(produced)
        yield next(produced)
        raise KeyboardInterrupt

    monkeypatch.setattr(sim.runs.compare, "runs", interrupted)
    folder = tmp_path / "out"
    code, _, err = cli(*args, "--out", str(folder))
    assert code == 130
    assert f"2 of 6 runs are saved in {folder}; continue with: kommune compare" in err
    assert err.rstrip().endswith("--resume")
    assert len(ResultStore(folder).done_ids()) == 2
    assert not (folder / "report.html").exists()

    def stopped_while_writing(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(sim.runs.compare, "runs", real_runs)
    monkeypatch.setattr(sim.reports.comparison, "write_all", stopped_while_writing)
    code, _, err = cli(*args, "--out", str(folder), "--resume")
    assert code == 130 and "6 of 6 runs are saved" in err
    monkeypatch.undo()
    ran = []

    def counting(conditions, seeds, workers=None, skip=()):
        for item in real_runs(conditions, seeds, workers, skip):
            ran.append(item[:2])
            yield item

    monkeypatch.setattr(sim.runs.compare, "runs", counting)
    code, resumed, _ = cli(*args, "--out", str(folder), "--resume", "--json")
    assert code == 0 and ran == []  # nothing run twice
    assert json.loads(resumed) == json.loads(reference)
    assert (folder / "report.html").exists()
    manifest = ResultStore(folder).manifest()
    assert manifest["status"] == "complete" and len(manifest["sessions"]) == 3


def test_a_comparison_folder_is_kept_for_its_own_comparison(cli, tmp_path):
    args = ["compare", "baseline", "coordinated", "-r", "2", "--months", "6"]
    folder = tmp_path / "out"
    assert cli(*args, "--out", str(folder))[0] == 0
    code, _, err = cli(*args, "--out", str(folder))
    assert code == 2 and "holds a comparison already; add --resume" in err
    code, _, err = cli(*args[:-1], "7", "--out", str(folder), "--resume")
    assert code == 2 and "holds a different comparison" in err
    code, out, _ = cli("results", str(folder), "SELECT count(DISTINCT run_id) AS n FROM runs")
    assert code == 0 and out.split()[-1] == "4"
    code, _, err = cli(*args, "--resume")
    assert code == 2 and "--resume needs the --out folder" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["compare", "baseline"], ["at least two scenarios"]),
        (["compare", "baseline", "nosuch"], ["unknown scenario 'nosuch'"]),
        (["compare", "baseline", "coordinated", "-r", "1"], ["--replications"]),
        (["compare", "baseline", "coordinated", "--set", "tolerance=3"], ["tolerance"]),
    ],
)
def test_bad_compare_input(cli, args, words):
    code, out, err = cli(*args)
    assert code == 2 and out == "" and err.count("\n") == 1
    for word in words:
        assert word in err


def test_intervals_of_shares_stay_in_their_range():
    wide = Interval.of([0.0, 0.0, 0.0, 1.0])
    assert wide.low < 0
    cut = wide.within(0.0, 1.0)
    assert cut.low == 0.0 and cut.high <= 1.0 and cut.mean == wide.mean
