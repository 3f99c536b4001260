"""Vernetzte Kommune: an agent-based model of cooperation in municipal networks.

The public Python API (``sim.api``, documented with examples in docs/api.md) is importable
from here: ``from sim import run_scenario, compare, sweep, analyze``. It is loaded on first
use, so that ``import sim`` (the command line's first step) stays cheap; its names are
listed once, in ``sim.api.__all__``.
"""

__version__ = "0.2.0"


def _api():
    import importlib

    return importlib.import_module("sim.api")  # not "from sim import api": that asks here


def __getattr__(name: str):
    if name.startswith("__") and name != "__all__":  # the import system asking
        raise AttributeError(name)
    api = _api()
    if name == "__all__":
        return [*api.__all__, "__version__"]
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_api().__all__])
