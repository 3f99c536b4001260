"""The public Python API (docs/api.md): every name is documented, and every example runs."""

from __future__ import annotations

import re
from pathlib import Path

import sim

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", API_DOC.read_text(encoding="utf-8"), re.S)


def test_every_public_name_is_importable_from_the_top_and_documented():
    headings = " ".join(re.findall(r"^### (.+)$", API_DOC.read_text(encoding="utf-8"), re.M))
    from sim import api

    assert sorted(sim._API) == sorted(api.__all__)
    for name in api.__all__:
        assert getattr(sim, name) is getattr(api, name)
        assert f"`{name}`" in headings, name
    assert sorted(sim.__all__) == sorted([*api.__all__, "__version__"])
    star: dict = {}
    exec("from sim import *", star)
    assert "run_scenario" in star and "sweep" in star
    assert "run_scenario" in dir(sim)


def test_the_api_is_the_engine_the_command_line_calls():
    from sim.analysis import analyze
    from sim.runs.compare import compare_into
    from sim.runs.sweep import sweep

    assert sim.analyze is analyze and sim.compare_into is compare_into and sim.sweep is sweep


def test_every_example_in_the_api_page_runs(tmp_path, monkeypatch):
    """The examples, in order, in one namespace, in an empty folder (as the page says)."""
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    blocks = _blocks()
    assert len(blocks) >= 18
    for k, block in enumerate(blocks):
        try:
            exec(compile(block, f"docs/api.md example {k + 1}", "exec"), namespace)
        except Exception as error:  # name the example that broke
            raise AssertionError(f"docs/api.md example {k + 1} failed: {error!r}") from error
    assert (tmp_path / "mini-results" / "analysis" / "findings.md").exists()
    assert (tmp_path / "cal-results" / "summary.md").exists()


def test_a_submodule_import_does_not_load_the_api():
    import subprocess
    import sys

    code = "import sys; from sim import params; print('sim.api' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_run_scenario_keeps_the_overrides_a_scenario_was_loaded_with():
    s = sim.load_scenario("default", {"months": 6})
    assert len(sim.run_scenario(s, seed=1, persistence=0.8).table) == 6
    try:
        sim.check_pattern(9)
    except ValueError as error:
        assert "allowed: 1 to 7" in str(error)
    else:
        raise AssertionError("pattern 9 accepted")
