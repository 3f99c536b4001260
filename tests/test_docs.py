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
    assert "\nuv run pytest\n" in ci  # README's test command, as README gives it


def _toml_blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [block.split("```", 1)[0] for block in text.split("```toml\n")[1:]]


import pytest  # noqa: E402


@pytest.mark.parametrize("guide", ["planer-leitfaden.md", "planner-guide.md"])
def test_the_planners_guide_examples_load(guide, tmp_path):
    from sim.files.scenario import load

    own, events, levers, variant, optimization = _toml_blocks(ROOT / "docs" / guide)
    name = "unsere_kommune.toml" if guide.startswith("planer") else "our_town.toml"
    (tmp_path / name).write_text(own + "\n" + events + "\n" + levers, encoding="utf-8")
    mine = load(str(tmp_path / name))
    assert mine.params.n_fields == 2 and len(mine.fields("de")) == 2
    assert [e.kind for e in mine.events] == ["coordinator_ends", "funding_cut", "levers"]
    assert mine.events[-1].levers == (("coordinator_hours", 40.0),)
    (tmp_path / "variant.toml").write_text(variant, encoding="utf-8")
    what_if = load(str(tmp_path / "variant.toml"))
    assert what_if.params.coordinator_hours == 160 and what_if.params.n_carriers == 12
    from sim.runs.optimize import load_optimization

    (tmp_path / "optimization.toml").write_text(optimization, encoding="utf-8")
    least = load_optimization(str(tmp_path / "optimization.toml"))
    assert least.scenario.params == mine.params and least.target_text.startswith(
        "effectiveness >= 0.55 in 80%"
    )
    assert [lever.name for lever in least.levers] == ["coordinator_hours", "joint_funding_share"]


@pytest.mark.parametrize("guide", ["planer-leitfaden.md", "planner-guide.md"])
def test_the_planners_guide_actor_list_loads(guide, tmp_path):
    from sim.files.scenario import load

    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    (block,) = [b.split("```", 1)[0] for b in text.split("```csv\n")[1:]]
    (tmp_path / "actors.csv").write_text(block, encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        '[scenario]\ntitle_de = "x"\ntitle_en = "x"\nactors = "actors.csv"\n', encoding="utf-8"
    )
    listed = load(str(tmp_path / "s.toml")).actors
    assert listed is not None and [r.kind for r in listed.rows] == [
        "administration",
        "carrier",
        "volunteer",
    ]
    assert listed.rows[0].fields == (0, 1) and listed.has_partners and listed.has_steering


@pytest.mark.parametrize("guide", ["planer-leitfaden.md", "planner-guide.md"])
def test_the_planners_guide_shows_the_pages_screenshots(guide):
    """The screenshots of the Planung page (made by tests/test_planning_page.py with
    KOMMUNE_GUIDE_SCREENSHOTS=1) are there, and each is shown."""
    import re

    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\((img/[^)]+)\)", text)
    assert len(shown) == 5
    for image in shown:
        assert (ROOT / "docs" / image).is_file(), image
