"""Vernetzte Kommune: an agent-based model of cooperation in municipal networks.

The public Python API (``sim.api``, documented with examples in docs/api.md) is importable
from here: ``from sim import run_scenario, compare, sweep, analyze``. It is loaded on first
use, so that ``import sim`` (the command line's first step) stays cheap.
"""

__version__ = "0.2.0"


_NAMES = (  # one line per name would copy sim.api's list
    "INDICATORS Analysis Comparison Experiment KommuneModel Params RunResult Scenario "
    "analyze calibrate check_pattern compare compare_into load_calibration load_experiment "
    "load_optimization load_scenario make_params optimize query run run_scenario scenarios "
    "sweep"
)
_API = frozenset(_NAMES.split())
"""The API's names, known without importing it: ``from sim import params`` (a submodule)
asks this module for ``params`` first and must not load the API (tests/test_api.py holds
this set equal to ``sim.api.__all__``)."""


def _api():
    import importlib

    return importlib.import_module("sim.api")  # not "from sim import api": that asks here


def __getattr__(name: str):
    if name == "__all__":
        return [*sorted(_API), "__version__"]
    if name in _API:
        return getattr(_api(), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
