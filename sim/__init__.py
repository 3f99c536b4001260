"""Vernetzte Kommune: an agent-based model of cooperation in municipal networks.

The public Python API (``sim.api``, documented with examples in docs/api.md) is importable
from here: ``from sim import run_scenario, compare, sweep, analyze``. It is loaded on first
use, so that ``import sim`` (the command line's first step) stays cheap.
"""

__version__ = "0.2.0"

_API = (
    "INDICATORS",
    "Analysis",
    "Comparison",
    "Experiment",
    "KommuneModel",
    "Params",
    "RunResult",
    "Scenario",
    "analyze",
    "calibrate",
    "check_pattern",
    "compare",
    "compare_into",
    "load_calibration",
    "load_experiment",
    "load_optimization",
    "load_scenario",
    "make_params",
    "optimize",
    "query",
    "run",
    "run_scenario",
    "scenarios",
    "sweep",
)
__all__ = [*_API, "__version__"]


def __getattr__(name: str):
    if name in _API:
        from sim import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
