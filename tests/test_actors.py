"""Actor lists: the real network as input (sim/files/actors.py).

The model starts from the list (kinds, fields, hours, names, partnerships, steering seats),
draws the rest from the parameters reproducibly from the seed, and every command that runs
a scenario takes it; a broken list gets one line naming the file, row, column and what is
allowed, and nothing runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sim.files.actors import ActorListError
from sim.files.scenario import ScenarioError, load
from sim.model import KommuneModel
from sim.runs.runner import run

HERE = Path(__file__).parent
ROOT = HERE.parent
EXAMPLE = ROOT / "examples" / "beispielstadt" / "beispielstadt.toml"
BROKEN = HERE / "broken_actors"

SCENARIO = """
extends = "default"
[scenario]
title_de = "x"
title_en = "x"
actors = "{actors}"
[parameters]
months = 24
{extra}
"""


def scenario_with(tmp_path: Path, actors: Path, extra: str = "") -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(SCENARIO.format(actors=actors.as_posix(), extra=extra), encoding="utf-8")
    return path


def test_the_example_municipality_is_its_actor_list():
    example = load(str(EXAMPLE))
    listed = example.actors
    assert listed is not None and len(listed.rows) == 23
    assert (example.params.n_administration, example.params.n_carriers) == (3, 13)
    assert example.params.n_volunteers == 7
    model = KommuneModel(
        rng=1, params=example.params.model_copy(update={"spinup_months": 0}), actors=listed
    )
    members = {m.name: m for m in model.member_list}
    assert set(members) == {r.name for r in listed.rows}
    for row in listed.rows:
        member = members[row.name]
        assert member.kind == row.kind and member.fields == row.fields
        assert member.capacity == pytest.approx(row.hours)
    # the named partnerships are the ties at the start, and nothing else
    ids = {m.unique_id: m.name for m in model.member_list}
    a, b, w = model.ties.arrays()
    tied = {
        tuple(sorted((ids[x], ids[y])))
        for x, y in zip(a.tolist(), b.tolist(), strict=True)
        if x in ids and y in ids  # not the coordinator's ties to the steering group
    }
    assert tied == set(listed.partnerships())
    assert ((w > 0) & (w <= 1)).all()
    # the marked actors hold the steering group's seats (a lead organisation coordinates)
    seats = {m.name for m in model.steering.members}
    assert seats == {r.name for r in listed.rows if r.steering}
    # the working groups are the list's, with their fields and intervals (and the
    # ad-hoc duplicates the scenario starts with, copies of them)
    assert len(listed.groups) == 5
    founded = {frozenset(m.name for m in g.members): g for g in model.bodies.working}
    for group in listed.groups:
        body = founded[frozenset(listed.members_of(group.name))]
        assert body.field == group.field
        assert body.interval == (group.interval or example.params.working_group_interval)
    assert len(model.bodies.working) == 5 + example.params.initial_duplicates


def test_drawn_traits_follow_the_seed_listed_ones_do_not():
    example = load(str(EXAMPLE))
    params = example.params.model_copy(update={"spinup_months": 0})

    def traits(seed):
        model = KommuneModel(rng=seed, params=params, actors=example.actors)
        return {m.name: (m.capacity, m.fields, m.motivation) for m in model.member_list}

    one, again, other = traits(3), traits(3), traits(4)
    assert one == again
    assert all(one[n][:2] == other[n][:2] for n in one)  # hours and fields: the list's
    assert any(one[n][2] != other[n][2] for n in one)  # motivation: drawn
    first = run(
        example.params.model_copy(update={"months": 12}), 5, example.events, actors=example.actors
    ).table
    second = run(
        example.params.model_copy(update={"months": 12}), 5, example.events, actors=example.actors
    ).table
    assert first.equals(second)


def test_without_partners_or_steering_the_rules_draw_them(tmp_path):
    actors = tmp_path / "a.csv"
    actors.write_text(
        "Name;Art;Felder;Stunden\nAmt;Verwaltung;1/2;40\n"
        + "".join(f"T{k};Träger;{1 + k % 2};60\n" for k in range(8))
        + "Lesepaten;Ehrenamt;2;6\n",
        encoding="utf-8",
    )
    mine = load(str(scenario_with(tmp_path, actors)))
    assert mine.actors is not None and not mine.actors.has_partners
    model = KommuneModel(
        rng=0, params=mine.params.model_copy(update={"spinup_months": 0}), actors=mine.actors
    )
    assert len(model.ties.arrays()[0]) > 0  # ties drawn as for counted actors
    assert len(model.steering.members) > 0


def test_the_template_is_a_valid_actor_list(cli, tmp_path):
    for name, lang in (("akteure.csv", "de"), ("actors.csv", "en"), ("akteure.xlsx", "de")):
        code, _out, err = cli(
            "scenarios", "template-actors", "--out", str(tmp_path / name), "--lang", lang
        )
        assert code == 0, err
        listed = load(str(scenario_with(tmp_path, tmp_path / name))).actors
        assert listed is not None and [r.kind for r in listed.rows] == [
            "administration",
            "carrier",
            "carrier",
            "volunteer",
        ]
        assert listed.rows[0].fields == (0, 1) and listed.has_partners and listed.has_steering
        assert len(listed.groups) == 1 and len(listed.members_of(listed.groups[0].name)) == 3
    code, _, err = cli("scenarios", "template-actors", "--out", str(tmp_path / "actors.csv"))
    assert code == 2 and "exists already" in err


def test_every_command_takes_the_list(cli, tmp_path):
    shutil.copytree(EXAMPLE.parent, tmp_path / "town")
    scenario = tmp_path / "town" / "beispielstadt.toml"
    code, out, err = cli("run", str(scenario), "--months", "12")
    assert code == 0, err
    assert "Beispielstadt" in out
    code, out, err = cli("scenarios", "show", str(scenario), "--json")
    shown = json.loads(out)
    assert code == 0 and shown["actors"]["actors"] == 23
    assert shown["set_by"]["n_carriers"] == "akteure.csv"
    code, out, err = cli(
        "compare",
        str(scenario),
        "default",
        "-r",
        "2",
        "-w",
        "1",
        "--months",
        "12",
        "--out",
        str(tmp_path / "cmp"),
    )
    assert code == 0, err
    experiment = tmp_path / "sweep.toml"
    experiment.write_text(
        f'[experiment]\ntitle = "x"\nscenario = "{scenario.as_posix()}"\nmonths = 12\n'
        'replications = 2\n[design]\nkind = "factorial"\n[factors]\n'
        "coordinator_hours = { levels = [0, 80] }\n",
        encoding="utf-8",
    )
    code, out, err = cli("sweep", str(experiment), "--out", str(tmp_path / "sw"), "-w", "1")
    assert code == 0, err
    experiment.write_text(
        experiment.read_text().replace("coordinator_hours", "n_carriers").replace("0, 80", "4, 8")
    )
    code, out, err = cli("sweep", str(experiment), "--out", str(tmp_path / "sw2"))
    assert code == 2 and "n_carriers is given by the actor list" in err


def test_the_counts_come_from_the_list_only(tmp_path):
    actors = tmp_path / "a.csv"
    shutil.copy(EXAMPLE.parent / "akteure.csv", actors)
    with pytest.raises(ScenarioError, match="n_carriers is given by the actor list"):
        load(str(scenario_with(tmp_path, actors, "n_carriers = 5")))
    with pytest.raises(ScenarioError, match="n_volunteers is given by the actor list"):
        load(str(scenario_with(tmp_path, actors)), overrides={"n_volunteers": 3})


def test_what_the_list_fixes_cannot_be_changed_anywhere(cli, tmp_path):
    """Counts and fields come from the list: a child scenario, --set, a sweep factor, an
    optimisation lever and the dashboard's structure settings are refused, each with one
    line; a model given counts that do not match the list says so."""
    shutil.copytree(EXAMPLE.parent, tmp_path / "town")
    child = tmp_path / "child.toml"
    for extra in ("[parameters]\nn_carriers = 5\n", "[parameters]\nn_fields = 2\n"):
        child.write_text(
            'extends = "town/beispielstadt.toml"\n[scenario]\ntitle_de = "x"\n'
            'title_en = "x"\n' + extra,
            encoding="utf-8",
        )
        with pytest.raises(ScenarioError, match=r"is given by the actor list akteure\.csv"):
            load(str(child))
    child.write_text(
        'extends = "town/beispielstadt.toml"\n[scenario]\ntitle_de = "x"\ntitle_en = "x"\n'
        'field_names = ["a", "b", "c", "d"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="field_names would change the fields"):
        load(str(child))
    scenario = tmp_path / "town" / "beispielstadt.toml"
    code, _, err = cli("run", str(scenario), "--set", "n_fields=2")
    assert code == 2 and "n_fields is given by the actor list" in err and err.count("\n") == 1
    optimization = tmp_path / "o.toml"
    optimization.write_text(
        f'[optimization]\ntitle = "x"\nscenario = "{scenario.as_posix()}"\nat_least = 0.5\n'
        "[levers]\nn_fields = { low = 1, high = 4, cost = 1 }\n",
        encoding="utf-8",
    )
    code, _, err = cli("optimize", str(optimization), "--out", str(tmp_path / "never"))
    assert code == 2 and "n_fields is given by the actor list" in err
    from sim.dashboard.session import Session

    session = Session(str(scenario))
    with pytest.raises(ValueError, match="n_carriers is given by the actor list"):
        session.set_structure("n_carriers", 5)
    example = load(str(scenario))
    with pytest.raises(ActorListError, match="n_carriers = 5 does not match the actor list"):
        KommuneModel(
            rng=0,
            params=example.params.model_copy(update={"n_carriers": 5}),
            actors=example.actors,
        )


def test_a_calibration_refuses_an_actor_list(cli, tmp_path):
    calibration = tmp_path / "c.toml"
    calibration.write_text(
        f'[calibration]\ntitle = "x"\nscenario = "{EXAMPLE.as_posix()}"\n[parameters]\n'
        "tie_decay = {}\n[targets]\npatterns = [5]\n",
        encoding="utf-8",
    )
    code, _out, err = cli("calibrate", str(calibration), "--out", str(tmp_path / "never"))
    assert code == 2 and "starts from an actor list" in err and err.count("\n") == 1


def _expected(path: Path) -> list[str]:
    line = next(x for x in path.read_text().splitlines() if x.startswith("# expect:"))
    return [part.strip() for part in line.split("# expect:", 1)[1].split(" | ")]


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.csv")), ids=lambda p: p.stem)
def test_a_broken_list_gets_its_message(cli, tmp_path, path):
    scenario = scenario_with(tmp_path, path)
    code, out, err = cli("run", str(scenario))
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert "Traceback" not in err and str(path) in err
    for fragment in _expected(path):
        assert fragment in err, f"{fragment!r} not in {err!r}"


def test_a_list_that_is_not_text_or_not_there(tmp_path):
    binary = tmp_path / "a.csv"
    binary.write_bytes(b"\xff\xfeNa\x00me")
    with pytest.raises(ActorListError, match="not UTF-8"):
        load(str(scenario_with(tmp_path, binary)))
    with pytest.raises(ActorListError, match="no such actor list"):
        load(str(scenario_with(tmp_path, tmp_path / "missing.csv")))
    other = tmp_path / "a.txt"
    other.write_text("x")
    with pytest.raises(ActorListError, match=r"must be a \.csv or \.xlsx file"):
        load(str(scenario_with(tmp_path, other)))
