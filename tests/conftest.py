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
