"""What the Planung page builds (sim.dashboard.plan), without a browser: the form's checks,
uploads, variants, the files a planner downloads, and the comparison with cancel."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from sim.dashboard.plan import SECTIONS, Cancelled, Plan, PlanError, page_workers
from sim.files.scenario import load
from sim.params import SPECS
from sim.runs.compare import compare

ROOT = Path(__file__).resolve().parent.parent
ACTORS = ROOT / "examples" / "beispielstadt" / "akteure.csv"
BROKEN = Path(__file__).parent / "broken_actors"


@pytest.fixture
def plan(tmp_path):
    plan = Plan(tmp_path / "plan")
    plan.set("months", "24")  # short runs for the tests
    plan.set("spinup_months", "6")
    return plan


def test_every_parameter_is_in_exactly_one_section():
    listed = [name for names in SECTIONS.values() for name in names]
    assert sorted(listed) == sorted(s.name for s in SPECS)
    assert len(listed) == len(set(listed))


def test_the_form_takes_what_the_command_line_takes(plan):
    plan.set("eye_level", "0,7")  # a German decimal comma
    plan.set("volunteers_in_steering", "ja")
    plan.set("governance", "nao")
    assert plan.changes["eye_level"] == 0.7 and plan.changes["volunteers_in_steering"] is True
    assert plan.municipality().params.governance == "nao"
    with pytest.raises(PlanError, match=r"^eye_level = 7 is not allowed; allowed: number from"):
        plan.set("eye_level", "7")
    with pytest.raises(PlanError, match="coordinator_hours = viel is not allowed"):
        plan.set("coordinator_hours", "viel")
    assert plan.changes["eye_level"] == 0.7  # a refused value changes nothing
    plan.set("eye_level", str(plan.base.params.eye_level))
    assert "eye_level" not in plan.changes  # back at the base's value: no change written


def test_an_actor_list_fixes_the_counts_and_a_broken_one_changes_nothing(plan):
    plan.upload("akteure.csv", ACTORS.read_bytes())
    town = plan.municipality()
    assert len(town.actors.rows) == 23 and town.params.n_carriers == 13
    assert "n_carriers" in plan.fixed()
    with pytest.raises(PlanError, match="given by the actor list"):
        plan.set("n_carriers", "30")
    broken = BROKEN / "duplicate_name.csv"
    with pytest.raises(PlanError, match=r"^duplicate_name\.csv, row 5, column Name"):
        plan.upload(broken.name, broken.read_bytes())
    assert not (plan.folder / broken.name).exists()  # nothing half-imported
    assert plan.municipality().actors.path.name == "akteure.csv"
    with pytest.raises(PlanError, match=r"not a scenario \(\.toml\) or actor list"):
        plan.upload("notes.txt", b"x")


def test_an_uploaded_scenario_is_the_base(plan):
    text = load("eye_level").path.read_text(encoding="utf-8")
    plan.upload("mine.toml", text.encode("utf-8"))
    assert plan.base.title_de == load("eye_level").title_de
    assert plan.municipality().params.eye_level == load("eye_level").params.eye_level
    with pytest.raises(PlanError, match=r"mine2\.toml"):
        plan.upload("mine2.toml", b"[scenario]\ntitle_de = 1\n")
    assert plan.base.title_de == load("eye_level").title_de


def test_variants_are_files_that_the_command_line_reads(plan, tmp_path):
    plan.set("coordinator_hours", "60")
    plan.add_variant("Kürzung")
    plan.add_event(0, "funding_cut", 12, 0.4)
    with pytest.raises(PlanError, match=r"month = 99 is not allowed; allowed: whole number from 1"):
        plan.add_event(0, "coordinator_ends", 99)
    with pytest.raises(PlanError, match="share"):
        plan.add_event(0, "funding_cut", 12, 1.5)
    assert len(plan.variants[0].events) == 1
    plan.add_variant("Mehr Koordination")
    plan.set_in_variant(1, "coordinator_hours", "120")
    archive = zipfile.ZipFile(io.BytesIO(plan.zip()))
    assert sorted(archive.namelist()) == ["ausgangslage.toml", "variante-1.toml", "variante-2.toml"]
    archive.extractall(tmp_path / "out")
    cut = load(str(tmp_path / "out" / "variante-1.toml"))
    assert cut.params.coordinator_hours == 60 and cut.title_de == "Kürzung"
    assert [(e.month, e.kind, e.share) for e in cut.events] == [(12, "funding_cut", 0.4)]
    assert load(str(tmp_path / "out" / "variante-2.toml")).params.coordinator_hours == 120


def test_the_comparison_is_the_projects_and_can_be_cancelled(plan):
    plan.add_variant()
    plan.set_in_variant(0, "coordinator_hours", "0")
    plan.replications = 3
    done = []
    result = plan.compare(progress=done.append, workers=1)
    assert sum(done) == 6 and result.names == ["ausgangslage", "variante-1"]
    again = compare(plan.scenarios(), 3, plan.seed, workers=1)  # the same files, the CLI's way
    assert result.finals().equals(again.finals())
    # in the server's worker pool (forked from a fork server): the same runs
    pooled = plan.compare(workers=page_workers(2))
    assert pooled.finals().equals(result.finals())

    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1

    plan.replications = 50
    with pytest.raises(Cancelled):
        plan.compare(cancelled=cancelled, workers=1)
    assert len(calls) == 2  # asked after every run, stopped at the first yes


def test_a_plan_without_a_variant_does_not_compare(plan):
    with pytest.raises(PlanError, match="add at least one variant"):
        plan.compare(workers=1)
    with pytest.raises(PlanError, match="replications = 1 is not allowed"):
        plan.set_replications("1")


def test_a_recommendation_is_kommune_optimize_on_the_municipality(plan):
    from sim.dashboard.plan import Goal, recommendation_text

    goal = Goal(trials=3, replications=2, check_replications=3)
    with pytest.raises(PlanError, match=r"share = 120 % is not allowed; allowed: number from 1"):
        goal.set("share", "120 %")
    goal.set("share", "50 %")
    goal.set("at_least", "0,1")  # reached by every setting: the cheapest corner wins
    goal.choose("joint_funding_share", False)
    opt, result = plan.recommend(goal, workers=1)
    assert opt.scenario.params.months == 24 and [lv.name for lv in opt.levers] == [
        "coordinator_hours"
    ]
    assert result.check is not None and result.check.values == {"coordinator_hours": 0.0}
    text = recommendation_text(opt, result, "de")
    assert text.startswith("Die günstigste gefundene Einstellung für Wirksamkeit mindestens 0,1")
    assert "Koordination 0 Std./Monat" in text
    goal.choose("coordinator_hours", False)
    with pytest.raises(PlanError, match="at least one lever"):
        plan.recommend(goal, workers=1)


def test_an_upload_cannot_reach_outside_the_plan_or_break_it(plan, tmp_path):
    secret = tmp_path / "secret.toml"
    secret.write_text('[scenario]\ntitle_de = "x"\ntitle_en = "x"\n', encoding="utf-8")
    before = plan.reference_text()
    for text in (f'extends = "{secret}"', 'extends = "../x.toml"'):
        with pytest.raises(PlanError, match=r"extends = .* is not allowed here"):
            plan.upload(
                "mine.toml", f'{text}\n[scenario]\ntitle_de = "a"\ntitle_en = "a"\n'.encode()
            )
    listed = f'[scenario]\ntitle_de = "a"\ntitle_en = "a"\nactors = "{ACTORS}"\n'
    with pytest.raises(PlanError, match=r"actors = .* is not allowed here"):
        plan.upload("mine.toml", listed.encode())
    # a file that extends the page's own reference would make a cycle: refused, unchanged
    plan.municipality()  # as a page has drawn it: ausgangslage.toml is there
    cycle = 'extends = "ausgangslage.toml"\n[scenario]\ntitle_de = "a"\ntitle_en = "a"\n'
    with pytest.raises(PlanError, match="cycle"):
        plan.upload("mine.toml", cycle.encode())
    assert plan.reference_text() == before and plan.municipality().name == "ausgangslage"
    with pytest.raises(PlanError, match="larger than 5 MB"):
        plan.upload("big.csv", None)
    # the page's own names are never overwritten; a parent uploaded beside its child goes
    # into the download with it
    parent = load("eye_level").path.read_text(encoding="utf-8")
    assert plan.upload("empfehlung.toml", parent.encode()) == "upload-empfehlung.toml"
    child = 'extends = "upload-empfehlung.toml"\n[scenario]\ntitle_de = "b"\ntitle_en = "b"\n'
    assert plan.upload("kind.toml", child.encode()) == "kind.toml"
    plan.add_variant()
    archive = zipfile.ZipFile(io.BytesIO(plan.zip()))
    assert {"kind.toml", "upload-empfehlung.toml", "ausgangslage.toml"} <= set(archive.namelist())
    archive.extractall(tmp_path / "out")
    assert (
        load(str(tmp_path / "out" / "variante-1.toml")).params.eye_level
        == load("eye_level").params.eye_level
    )


def test_the_page_can_draw_while_a_comparison_reads_the_files(plan):
    import threading

    plan.add_variant()
    plan.add_event(0, "funding_cut", 12)
    failures, stop = [], threading.Event()

    def draw() -> None:
        while not stop.is_set():
            try:
                plan.value("eye_level")
                plan.fixed()
            except Exception as error:  # any failure is the finding
                failures.append(error)

    drawing = threading.Thread(target=draw)
    drawing.start()
    try:
        for _ in range(30):
            plan.scenarios()
            plan.zip()
    finally:
        stop.set()
        drawing.join()
    assert failures == []


def test_an_event_after_a_shortened_run_is_refused(plan):
    plan.add_variant("Kürzung")
    plan.add_event(0, "funding_cut", 20)
    plan.set("months", "12")
    with pytest.raises(PlanError, match=r"Kürzung: month = 20 is after the end of the run"):
        plan.scenarios()


def test_the_goal_refuses_what_it_cannot_search():
    from sim.dashboard.plan import Goal

    goal = Goal()
    with pytest.raises(PlanError, match="cost = nan is not allowed"):
        goal.price("coordinator_hours", "nan")
    with pytest.raises(PlanError, match="trials = 2,7 is not allowed; allowed: whole number"):
        goal.set("trials", "2,7")
    goal.set("trials", "3")
    assert goal.trials == 3


def test_the_pages_own_refusals_speak_its_language(plan):
    plan.add_variant()
    with pytest.raises(PlanError) as refused:
        plan.add_event(0, "funding_cut", 99)
    assert refused.value.said("de").startswith("Monat 99 ist nicht erlaubt; erlaubt: eine ganze")
    assert refused.value.said("en") == str(refused.value)
    with pytest.raises(PlanError) as refused:
        plan.upload("notes.txt", b"x")
    assert refused.value.said("de") == (
        "notes.txt: weder ein Szenario (.toml) noch eine Akteursliste (.csv, .xlsx)"
    )
