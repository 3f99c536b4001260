"""Experiment files: designs, stable ids and seeds, events as factors, and bad input."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from sim.files.experiment import EXPERIMENT_DIR, load_experiment, run_id

BROKEN = Path(__file__).parent / "broken_experiments"


def write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "exp.toml"
    path.write_text('[experiment]\ntitle = "t"\nreplications = 2\nseed = 4\n' + body)
    return str(path)


def test_design_sizes(tmp_path):
    factors = "[factors]\neye_level = { range = [0, 1] }\npersistence = { range = [0.6, 0.9] }\n"
    sobol = load_experiment(write(tmp_path, '[design]\nkind = "sobol"\nsamples = 8\n' + factors))
    assert len(sobol.points()) == 8 * (2 + 2)
    morris = load_experiment(write(tmp_path, '[design]\nkind = "morris"\nsamples = 5\n' + factors))
    assert len(morris.points()) == 5 * (2 + 1)
    lhs = load_experiment(write(tmp_path, '[design]\nkind = "lhs"\nsamples = 7\n' + factors))
    assert len(lhs.points()) == 7
    factorial = load_experiment(
        write(
            tmp_path,
            '[design]\nkind = "factorial"\n[factors]\n'
            'governance = { levels = ["shared", "nao"] }\n'
            "eye_level = { range = [0, 1], steps = 3 }\n",
        )
    )
    points = factorial.points()
    assert len(points) == 6
    assert sorted(set(points["eye_level"])) == [0.0, 0.5, 1.0]
    assert factorial.total_runs == 12


def test_designs_are_deterministic_and_respect_bounds(tmp_path):
    body = (
        '[design]\nkind = "lhs"\nsamples = 20\nseed = 9\n[factors]\n'
        'n_carriers = { range = [5, 40] }\ngovernance = { levels = ["shared", "lead"] }\n'
    )
    one, two = load_experiment(write(tmp_path, body)), load_experiment(write(tmp_path, body))
    assert one.points().equals(two.points())
    points = one.points()
    assert points["n_carriers"].between(5, 40).all()
    assert all(isinstance(v, int) for v in points["n_carriers"])  # whole-number parameter
    assert set(points["governance"]) <= {"shared", "lead"}
    assert one.fingerprint() == two.fingerprint()


def test_run_ids_and_common_seeds(tmp_path):
    exp = load_experiment(
        write(
            tmp_path,
            '[design]\nkind = "lhs"\nsamples = 3\n[factors]\neye_level = { range = [0, 1] }\n',
        )
    )
    tasks = list(exp.tasks())
    assert [t.run_id for t in tasks] == [run_id(p, r) for p in range(3) for r in range(2)]
    assert tasks[0].run_id == "p000000-r000"
    seeds = {t.replicate: set() for t in tasks}
    for t in tasks:
        seeds[t.replicate].add(t.seed)
    assert all(len(s) == 1 for s in seeds.values())  # replicate r: one seed at every point
    assert seeds[0] != seeds[1]


def test_events_as_factors(tmp_path):
    exp = load_experiment(
        write(
            tmp_path,
            '[design]\nkind = "factorial"\n[factors]\n'
            "coordinator_ends_month = { levels = [0, 49] }\n"
            "funding_cut_month = { levels = [25] }\n"
            "funding_cut_share = { levels = [0.4] }\n",
        )
    )
    events = {t.factors["coordinator_ends_month"]: t.events for t in exp.tasks()}
    assert [e.kind for e in events[0]] == ["funding_cut"]
    assert [(e.month, e.kind) for e in events[49]] == [
        (25, "funding_cut"),
        (49, "coordinator_ends"),
    ]
    assert events[0][0].share == pytest.approx(0.4)


def test_shipped_experiments_load():
    names = sorted(
        p.stem
        for p in EXPERIMENT_DIR.glob("*.toml")
        if not {"calibration", "optimization"} & set(tomllib.loads(p.read_text(encoding="utf-8")))
    )
    assert "quick" in names
    for name in names:
        exp = load_experiment(name)
        assert exp.total_runs > 0 and exp.title
    assert load_experiment("quick").total_runs <= 40  # finishes in well under a minute


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.toml")), ids=lambda p: p.stem)
def test_broken_experiment_gets_its_message(cli, path):
    expected = [
        line.split("# expect:", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith("# expect:")
    ]
    code, out, err = cli("sweep", str(path), "--out", "/nonexistent/never-written")
    assert code == 2 and out == "" and err.count("\n") == 1, err
    for fragment in expected:
        assert fragment in err, f"{fragment!r} not in {err!r}"
    assert not Path("/nonexistent/never-written").exists()


def test_sample_is_reproducible_across_loads():
    quick = load_experiment("quick")
    assert np.array_equal(quick.design.sample(), load_experiment("quick").design.sample())


def test_all_numeric_stands_for_every_numeric_parameter(tmp_path):
    from sim.files.experiment import numeric_parameters
    from sim.params import SPECS

    numeric = [s.name for s in numeric_parameters()]
    assert "months" not in numeric and "spinup_months" not in numeric  # the run group
    assert "governance" not in numeric and "volunteers_in_steering" not in numeric
    assert set(numeric) == {
        s.name
        for s in SPECS
        if s.group != "run" and not s.choices and type(s.default) in (int, float)
    }
    # the shares and weights that must sum to at most 1 stay out: at their upper bounds
    # together they would make an impossible design point
    exp = load_experiment(
        write(
            tmp_path,
            '[design]\nkind = "morris"\nsamples = 2\n[factors]\n'
            'all = "numeric"\nexclude = ["n_carriers", "hard_to_reach_share",'
            ' "complex_share", "weight_ties", "weight_benefit"]\n'
            "eye_level = { range = [0.2, 0.4] }\n"
            'governance = { levels = ["shared", "nao"] }\n'
            "coordinator_ends_month = { levels = [0, 49] }\n",
        )
    )
    names = [f.name for f in exp.factors]
    expected = [
        n
        for n in numeric
        if n
        not in (
            "n_carriers",
            "hard_to_reach_share",
            "complex_share",
            "weight_ties",
            "weight_benefit",
        )
    ]
    assert names == [*expected, "governance", "coordinator_ends_month"]  # SPECS order, extras
    factor = {f.name: f for f in exp.factors}
    assert (factor["eye_level"].low, factor["eye_level"].high) == (0.2, 0.4)  # named: wins
    spec = {s.name: s for s in SPECS}
    assert (factor["tolerance"].low, factor["tolerance"].high) == (
        spec["tolerance"].low,
        spec["tolerance"].high,
    )
    assert factor["n_fields"].integer and not factor["tolerance"].integer
    assert len(exp.points()) == 2 * (len(names) + 1)


def test_the_screening_experiment_varies_every_numeric_parameter_but_the_sizes():
    from sim.files.experiment import numeric_parameters

    screening = load_experiment("screening")
    sizes = {"n_administration", "n_carriers", "n_volunteers"}
    assert [f.name for f in screening.factors] == [
        s.name for s in numeric_parameters() if s.name not in sizes
    ]
    assert len(screening.factors) >= 110 and screening.design.kind == "morris"
    assert screening.replications >= 2  # mu* is compared with the seed SD
    assert screening.total_runs <= 2000


def test_experiment_schema_agrees_with_the_loader(cli, tmp_path):
    """The JSON Schema editors get is generated from the same models the loader checks:
    the shipped experiments pass it, and files the loader refuses for a key, a type or a
    limit are refused by it too."""
    jsonschema = pytest.importorskip("jsonschema")
    import json
    import tomllib

    from sim.files.models import experiment_json_schema

    schema = experiment_json_schema()
    out = tmp_path / "experiment.schema.json"
    code, _, _ = cli("scenarios", "schema", "--experiment", "--out", str(out))
    assert code == 0 and json.loads(out.read_text()) == schema
    shipped = [
        p for p in EXPERIMENT_DIR.glob("*.toml") if p.stem not in ("calibration", "optimize")
    ]
    assert len(shipped) >= 5
    for path in shipped:
        jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), schema)
    refused = (
        "description_not_text",
        "title_not_text",
        "steps_one",
        "record_misspelt",
        "replications_text",
        "unknown_key",
        "unknown_factor",
        "unknown_design",
        "factor_key_unknown",
    )
    for name in refused:
        data = tomllib.loads((BROKEN / f"{name}.toml").read_text(encoding="utf-8"))
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema)
