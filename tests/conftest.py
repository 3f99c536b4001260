"""Shared test helpers."""

from __future__ import annotations

import pytest

from sim.cli import main


@pytest.fixture
def cli(capsys):
    """Run ``kommune ARGS...`` in-process: returns (exit code, stdout, stderr)."""

    def call(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as stop:
            main(list(args))
        out, err = capsys.readouterr()
        return stop.value.code, out, err

    return call


# Seconds each long test file takes on 2 busy cores (pytest --durations=0, December 2026).
# The two test processes take whole files (--dist loadfile) in the order collected; the
# longest first, so that no long file starts last while the other process sits idle
# (collected alphabetically, patterns, validation and the guide's checks came last and the
# suite ran a minute longer; --no-loadscope-reorder in pyproject keeps this order instead
# of xdist's, by number of tests). A file not listed keeps its place after these.
LONGEST_FIRST = {
    "test_patterns.py": 300,
    "test_validation.py": 195,
    "test_browser.py": 150,
    "test_room_browser.py": 85,
    "test_sweep.py": 110,
    "test_calibration.py": 92,
    "test_planning_page.py": 88,
    "test_core.py": 75,
    "test_workshop_guide.py": 65,
    "test_analysis.py": 63,
    "test_meetings.py": 58,
    "test_api.py": 52,
    "03_experiments.ipynb": 43,
    "test_compare.py": 40,
    "test_optimize.py": 37,
    "test_store.py": 37,
    "04_calibration.ipynb": 33,
    "test_dashboard.py": 32,
    "test_cli.py": 27,
    "test_offline.py": 25,
    "test_jupyterlab.py": 30,
    "test_invariants.py": 24,
}


# ... and within a file the longest test first: a process takes its next file when two
# tests of its current one are left, so a long test at the end holds back work it took
LONGEST_TEST_FIRST = {"test_pattern_is_reproduced[pattern7]": 150}


def pytest_collection_modifyitems(config, items):
    items.sort(  # stable: the rest keep the order collected
        key=lambda item: (
            -LONGEST_FIRST.get(item.path.name, 0),
            -LONGEST_TEST_FIRST.get(item.name, 0),
        )
    )
