"""The public Python API: the functions the command line calls, for notebooks and scripts.

Everything here is importable from the package's top level (``from sim import run_scenario``)
and documented with an example in ``docs/api.md`` (a test runs every example). Most names
are the engine's own functions, re-exported so that a researcher need not learn the
package's layout; the few defined here only spare the steps the command line takes
between a name and a call (finding a scenario, opening a result folder). Nothing here
keeps state: every result is reproducible from its arguments and seeds.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.analysis import Analysis, analyze
from sim.files.experiment import Experiment, load_experiment
from sim.files.scenario import Scenario, builtin_names
from sim.files.scenario import load as load_scenario
from sim.indicators import INDICATORS
from sim.model import KommuneModel
from sim.params import Params, make_params
from sim.runs.calibration import load_calibration
from sim.runs.calibration.engine import calibrate
from sim.runs.compare import Comparison, compare, compare_into
from sim.runs.optimize import load_optimization, optimize
from sim.runs.runner import RunResult, run
from sim.runs.sweep import sweep
from sim.validation.patterns import PATTERNS, evaluate

if TYPE_CHECKING:
    import pandas as pd


def scenarios() -> list[str]:
    """The names of the shipped scenarios, as ``kommune scenarios`` lists them."""
    return list(builtin_names())


def run_scenario(
    scenario: str | Scenario = "default", seed: int = 42, **overrides: Any
) -> RunResult:
    """One run of a scenario (a shipped name, a file, or a loaded :class:`Scenario`) with
    parameter ``overrides`` (as ``--set``), as ``kommune run`` does; ``.table`` is the
    monthly table (one row per month, one column per indicator)."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(str(scenario), overrides or None)
    elif overrides:  # checked as --set checks them, against the scenario's own file,
        # on top of the overrides it was loaded with
        earlier = {
            k: getattr(scenario.params, k) for k, by in scenario.set_by.items() if by == "--set"
        }
        scenario = load_scenario(str(scenario.path), {**earlier, **overrides})
    return run(scenario.params, seed, scenario.events, scenario.name, scenario.actors)


def query(folder: str | Path, sql: str) -> pd.DataFrame:
    """A SQL query (DuckDB) over a result folder's tables ``runs``, ``design`` and
    ``failures``, as ``kommune results`` runs it."""
    from sim.runs.results import ResultStore

    return ResultStore(Path(folder)).connect().sql(sql).df()


def check_pattern(number: int, replications: int = 10, workers: int | None = None) -> list:
    """Judge validation pattern ``number`` (1-7, docs/ODD.md section 1) over seeds
    ``0 .. replications-1``, as ``kommune patterns --pattern N`` does: one verdict per
    claim, each with its mean contrast, 95 % interval and whether it holds (claims that
    need more seeds take the next ones)."""
    chosen = [p for p in PATTERNS if p.number == number]
    if not chosen:
        raise ValueError(f"pattern {number}: unknown; allowed: 1 to {len(PATTERNS)}")
    (pattern,) = chosen
    return evaluate(pattern, range(replications), workers=workers)


__all__ = [  # the same names as sim._API (tests/test_api.py holds them equal)
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
]
