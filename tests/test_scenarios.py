"""Scenario files: every shipped one loads and runs; every broken one gets its message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.files.models import json_schema
from sim.files.scenario import SCENARIO_DIR, ScenarioError, builtin_names, line_of, load
from sim.files.scenario_template import template
from sim.mechanisms.events import CUT_SHARE, KINDS, Event
from sim.params import SPEC_BY_NAME, SPECS, make_params
from sim.runs.runner import run

BROKEN = Path(__file__).parent / "broken_scenarios"
REQUIRED = {
    "baseline",
    "coordinated",
    "competitive_funding",
    "joint_funding",
    "funding_cut",
    "coordinator_ends",
    "eye_level",
    "youth_elder_care",
    "transparency",
    "language_courses",
    "ahlen",
    "kommune_inklusiv",
    "training",
    "default",
}
NOT_TEXT = {"not_utf8.toml": ["not UTF-8"]}


def test_all_required_scenarios_are_shipped():
    assert set(builtin_names()) >= REQUIRED


@pytest.mark.parametrize("name", builtin_names())
def test_shipped_scenario_loads_and_runs(name):
    s = load(name)
    assert s.title_de and s.title_en and s.description_de and s.description_en and s.source
    assert s.chain[-1] == name
    assert len(s.fields("de")) == s.params.n_fields
    table = run(make_params({**s.params.model_dump(), "months": 24}), 1, s.events).table
    assert len(table) == 24 and table["effectiveness"].between(0, 1).all()


def test_inheritance_and_events():
    base, child = load("coordinated"), load("coordinator_ends")
    assert child.chain == ("baseline", "coordinated", "coordinator_ends")
    # an event is added, and a programme (not the carriers' budgets) pays the coordinator
    assert child.params == base.params.model_copy(update={"coordinator_cost_share": 0.0})
    assert child.set_by["coordinator_cost_share"] == "coordinator_ends"
    assert child.events == (Event(49, "coordinator_ends"),)
    assert base.set_by["governance"] == "coordinated"
    assert base.set_by["joint_funding_share"] == "coordinated"  # overrides the baseline's
    assert load("baseline").params.joint_funding_share == 0.0
    assert base.params.joint_funding_share == 0.2


def test_the_scenarios_differ_where_they_say():
    cut, coordinated = load("funding_cut"), load("coordinated")
    assert cut.events[0].kind == "funding_cut" and cut.events[0].share == pytest.approx(0.3)
    assert load("competitive_funding").params.joint_funding_share == 0.0
    assert load("joint_funding").params.joint_funding_share > coordinated.params.joint_funding_share
    assert load("eye_level").params.eye_level > coordinated.params.eye_level
    assert load("baseline").params.governance == "shared"
    assert load("language_courses").fields("en") == ("Integration",)


def test_own_file_from_anywhere_with_relative_parent(tmp_path):
    parent = tmp_path / "ours" / "base.toml"
    parent.parent.mkdir()
    parent.write_text(
        'extends = "coordinated"\n[scenario]\ntitle_de = "B"\ntitle_en = "B"\n'
        "[parameters]\nn_carriers = 30\n"
    )
    child = tmp_path / "ours" / "what_if.toml"
    child.write_text(
        'extends = "base.toml"\n[scenario]\ntitle_de = "W"\ntitle_en = "W"\n'
        "[parameters]\neye_level = 0.9\n[[events]]\nmonth = 24\n"
        'kind = "funding_cut"\nshare = 0.5\n'
    )
    s = load(str(child))
    assert s.params.n_carriers == 30 and s.params.eye_level == 0.9
    assert s.params.coordinator_hours == load("coordinated").params.coordinator_hours
    assert s.chain == ("baseline", "coordinated", str(parent), str(child))


def test_set_overrides_win_and_are_validated():
    s = load("coordinated", {"coordinator_hours": "40"})
    assert s.params.coordinator_hours == 40 and s.set_by["coordinator_hours"] == "--set"
    with pytest.raises(ScenarioError.__mro__[1]):
        load("coordinated", {"coordinator_hours": "4000"})


def _expectations(path: Path) -> list[str]:
    if path.name in NOT_TEXT:
        return NOT_TEXT[path.name]
    return [
        line.split("# expect:", 1)[1].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect:")
    ]


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.toml")), ids=lambda p: p.stem)
def test_broken_file_gets_its_message(cli, path):
    expected = _expectations(path)
    assert expected, f"{path.name} has no '# expect:' line"
    code, out, err = cli("run", str(path), "--months", "2")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "broken_scenarios" in err  # names the file (the parent, if that is the broken one)
    for fragment in expected:
        assert fragment in err, f"{fragment!r} not in {err!r}"


def test_line_of_finds_keys_in_tables_and_event_blocks():
    text = (
        'extends = "x"\n[scenario]\ntitle_de = "a"\n[parameters]\nn_carriers = 3\n'
        "[[events]]\nmonth = 1\n[[events]]\nmonth = 2\n"
    )
    assert line_of(text, None, "extends") == 1
    assert line_of(text, "scenario", "title_de") == 3
    assert line_of(text, "parameters", "n_carriers") == 5
    assert line_of(text, "events", "month", 1) == 9
    assert line_of(text, None, "parameters") == 4
    assert line_of(text, "parameters", "missing") is None


# --- commands ------------------------------------------------------------------------------
def test_scenarios_lists_every_builtin_with_titles(cli):
    code, out, _ = cli("scenarios", "--lang", "de")
    assert code == 0
    for name in builtin_names():
        assert name in out
    assert "Ausgangslage" in out
    _, out_en, _ = cli("scenarios", "--lang", "en")
    assert "Baseline" in out_en


def test_scenarios_show_prints_resolved_parameters_and_events(cli):
    code, out, _ = cli("scenarios", "show", "coordinator_ends", "--lang", "en")
    assert code == 0
    assert "baseline → coordinated → coordinator_ends" in out
    for spec in SPECS:
        assert spec.name in out
    assert "month 49: coordinator_ends" in out
    code, js, _ = cli("scenarios", "show", "funding_cut", "--json")
    data = json.loads(js)
    assert data["parameters"]["governance"] == "nao"
    assert data["events"] == [
        {"month": 37, "kind": "funding_cut", "share": 0.3, "partner": "carrier", "field": None}
    ]


def test_scenarios_new_writes_an_editable_file_that_loads(cli, tmp_path):
    target = tmp_path / "unsere_kommune.toml"
    code, _, _ = cli(
        "scenarios", "new", "unsere_kommune", "--from", "coordinated", "--out", str(target)
    )
    assert code == 0 and target.exists()
    text = target.read_text(encoding="utf-8")
    assert 'extends = "coordinated"' in text
    for spec in SPECS:
        assert f"# {spec.name} = " in text
    assert load(str(target)).params == load("coordinated").params
    edited = text.replace("# coordinator_hours = 160.0", "coordinator_hours = 100.0")
    target.write_text(edited, encoding="utf-8")
    assert load(str(target)).params.coordinator_hours == 100.0
    code, _, err = cli("scenarios", "new", "unsere_kommune", "--out", str(target))
    assert code == 2 and "exists already" in err
    code, _, err = cli("scenarios", "new", "bad name!")
    assert code == 2


def test_template_from_an_own_file_extends_it_by_relative_path(tmp_path):
    own = tmp_path / "a" / "ours.toml"
    own.parent.mkdir()
    own.write_text('[scenario]\ntitle_de = "O"\ntitle_en = "O"\n[parameters]\nn_fields = 2\n')
    target = tmp_path / "b" / "next.toml"
    target.parent.mkdir()
    target.write_text(template(load(str(own)), "next", target), encoding="utf-8")
    assert 'extends = "../a/ours.toml"' in target.read_text()
    assert load(str(target)).params.n_fields == 2


def test_schema_covers_every_parameter_and_rejects_unknown_keys(cli, tmp_path):
    schema = json_schema()
    params = schema["properties"]["parameters"]
    assert set(params["properties"]) == {s.name for s in SPECS}
    assert params["additionalProperties"] is False
    assert params["properties"]["coordinator_hours"]["maximum"] == 320
    assert params["properties"]["governance"]["enum"] == ["shared", "lead", "nao"]
    event = schema["$defs"]["EventEntry"]  # the file models' limits and defaults
    assert event["properties"]["month"]["maximum"] == SPEC_BY_NAME["months"].high
    assert event["properties"]["share"]["default"] == CUT_SHARE
    assert event["properties"]["kind"]["enum"] == list(KINDS)
    assert event["required"] == ["month", "kind"] and event["additionalProperties"] is False
    assert schema["properties"]["scenario"]["$ref"].endswith("/Meta")
    out = tmp_path / "kommune.schema.json"
    code, _, _ = cli("scenarios", "schema", "--out", str(out))
    assert code == 0 and json.loads(out.read_text()) == schema


def test_schema_agrees_with_the_loader_on_shipped_files():
    jsonschema = pytest.importorskip("jsonschema")
    import tomllib

    for path in SCENARIO_DIR.glob("*.toml"):
        jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), json_schema())
