"""Funding: once a year each department splits its fields' budgets among the carriers.

A share ``joint_funding_share`` of a budget rewards joint work (in proportion to the hours
each carrier gave to working groups during the year); the rest is competitive, in
proportion to each carrier's own *visible* output - own work that found clients [001, 002].
Competitive funding therefore pays for keeping hours out of joint work, which is the
tension between cooperation and competition the seeds describe. A carrier that serves two
fields competes in each with half its output and hours.

The coordinator's cost (``sim.mechanisms.governance.monthly_cost``) comes out of the same
budgets, in proportion to their size, so that a coordinator paid by the municipality
competes with the carriers for the money. A year's grants take effect only when they are decided
(``sim.mechanisms.decisions``); until then carriers receive ``interim_funding`` of last year's.

Funding cuts (``cut``) shrink every budget and every carrier's current funding at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.mechanisms.network import Grantee, Network


def _shares(weights: np.ndarray) -> np.ndarray:
    total = weights.sum()
    if total <= 0:
        return np.full(len(weights), 1.0 / len(weights))
    return weights / total


def allocate(budget: float, joint_share: float, carriers: Sequence[Grantee]) -> dict:
    """Amount per carrier from one budget; nothing when there are no carriers."""
    if not carriers or budget <= 0:
        return {}
    split = np.array([len(c.fields) for c in carriers], dtype=float)
    visible = np.array([c.visible_output for c in carriers]) / split
    joint = np.array([c.joint_hours_year for c in carriers]) / split
    amounts = budget * ((1.0 - joint_share) * _shares(visible) + joint_share * _shares(joint))
    return dict(zip(carriers, amounts.tolist(), strict=True))


def budgets(model: Network) -> dict[int, float]:
    """Each field's monthly budget for the coming year, less its share of the coordination
    cost (budgets and costs are in funded hours per month)."""
    raw = {f: b * model.budget_factor for f, b in model.field_budget.items()}
    total = sum(raw.values())
    cost = model.coordination_cost()
    if total <= 0:
        return raw
    return {f: max(0.0, b - cost * b / total) for f, b in raw.items()}


def cut(model: Network, share: float) -> None:
    """Cut budgets and current funding by ``share`` (e.g. 0.3 for a 30 % cut)."""
    model.budget_factor *= 1.0 - share
    for carrier in model.all_carriers():
        carrier.funding *= 1.0 - share
        carrier.adjust_capacity()


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values (0 = equal, towards 1 = concentrated)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    if n == 0 or x.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * (ranks * x).sum() / (n * x.sum())) - (n + 1.0) / n)
