"""The notebooks (notebooks/): each a jupytext pair, the percent-format ``.py`` that is
read and reviewed and the ``.ipynb`` that Jupyter opens, with the same cells and no
outputs in the repository. That they run, cell by cell in a fresh kernel, is checked by
nbmake (``--nbmake`` in pyproject's addopts collects every ``.ipynb`` under notebooks/)."""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
EXPECTED = [
    "01_first_run",
    "02_what_if",
    "03_experiments",
    "04_calibration",
    "05_inside_the_model",
]


def test_the_five_notebooks_are_there_as_pairs():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.py")) == EXPECTED
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_each_pair_has_the_same_cells_and_no_outputs(name):
    script = jupytext.read(NOTEBOOKS / f"{name}.py")
    notebook = jupytext.read(NOTEBOOKS / f"{name}.ipynb")
    assert [(c.cell_type, c.source) for c in script.cells] == [
        (c.cell_type, c.source) for c in notebook.cells
    ], f"{name}: the pair differs; sync it: uv run jupytext --sync notebooks/{name}.py"
    assert notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name}: outputs kept; strip them: uv run jupytext --sync notebooks/{name}.py "
                "after clearing, or jupyter nbconvert --clear-output"
            )


def test_each_notebook_opens_with_a_title_and_says_what_it_is_for():
    for name in EXPECTED:
        first = jupytext.read(NOTEBOOKS / f"{name}.py").cells[0]
        assert first.cell_type == "markdown" and first.source.startswith(f"# {name[:2]} · ")
