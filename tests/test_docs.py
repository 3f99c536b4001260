"""Documentation that is generated from the code must match the code."""

from __future__ import annotations

from pathlib import Path

from sim.docs import parameter_table, with_parameter_table
from sim.params import SPECS

ROOT = Path(__file__).resolve().parent.parent


def test_odd_parameter_table_matches_the_parameter_definition():
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    assert with_parameter_table(odd) == odd, "run: uv run python -m sim.docs"


def test_every_parameter_is_documented_in_both_languages():
    for lang in ("en", "de"):
        table = parameter_table(lang)
        for spec in SPECS:
            assert f"`{spec.name}`" in table
            assert (spec.en if lang == "en" else spec.de) in table
    assert all(s.source for s in SPECS)


def test_defaults_lie_in_their_ranges():
    for spec in SPECS:
        if spec.choices:
            assert spec.default in spec.choices
        elif spec.low is not None:
            assert spec.low <= spec.default <= spec.high, spec.name


def test_readme_names_the_two_commands_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "uv run kommune run" in readme and "uv run pytest" in readme
    assert "uv run --frozen pytest" in ci
