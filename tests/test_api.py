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
