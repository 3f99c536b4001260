"""``kommune optimize``: the cheapest setting of chosen levers that reaches a target in a
share of the seeds (Optuna, common random numbers, resumable). See docs/optimize.md."""

from .config import Evaluation, Lever, Optimization, OptimizationError, load_optimization
from .engine import Result, evaluate, optimize, runs_left

__all__ = [
    "Evaluation",
    "Lever",
    "Optimization",
    "OptimizationError",
    "Result",
    "evaluate",
    "load_optimization",
    "optimize",
    "runs_left",
]
