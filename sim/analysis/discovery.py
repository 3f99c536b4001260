"""Scenario discovery beside PRIM: CART leaves and extra-trees feature scores (EMA Workbench).

PRIM (``sim.analysis.sensitivity``) peels one box of conditions under which networks are
effective. CART (Breiman et al. 1984, as EMA Workbench offers it for scenario discovery)
splits the whole design into leaves instead: every design point falls into exactly one,
so the leaves also say where networks are *not* effective, and a reader sees the
alternatives PRIM's single box hides. Each leaf is a box with the same statistics as
PRIM's (coverage, density, mass).

Feature scoring (extra trees, Geurts et al. 2006; EMA Workbench's default after
Jaxa-Rozen & Kwakkel 2018) ranks the factors by how much each helps to predict an
indicator, for every indicator at once. It needs no particular design (unlike Sobol or
Morris indices), so it ranks the factors of a Latin hypercube or a factorial sweep too,
and it catches effects that act only together with other factors.

Both are EMA Workbench's; the forest and the tree get a fixed random state, so the same
results give the same figures.
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.analysis.common import describe_value

MASS_MIN = 0.05  # a leaf holds at least this share of the design points, as PRIM's box
RANDOM_STATE = 0  # the tree's and the forest's, for the same figures from the same results


def prepared(points: pd.DataFrame, factors: list[str]) -> pd.DataFrame:
    """The factors as EMA Workbench reads them: text and flags as categories, whole
    numbers as floats (CART and PRIM paste float limits back)."""
    x = points[factors].copy()
    for name in factors:
        column = x[name]
        if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
            x[name] = pd.Categorical(column.astype(str))
        elif pd.api.types.is_integer_dtype(column):
            x[name] = column.astype(float)
    return x


def _condition(name: str, lo, hi, initial: pd.DataFrame) -> str | None:
    """A leaf's limit on ``name`` as text, or None where it keeps the whole range."""
    if isinstance(lo, set):
        if lo == initial[name].iloc[0]:
            return None
        return "in {" + ", ".join(sorted(str(v) for v in lo)) + "}"
    parts = []
    if lo > initial[name].iloc[0]:
        parts.append(f"> {describe_value(float(lo))}")
    if hi < initial[name].iloc[1]:
        parts.append(f"<= {describe_value(float(hi))}")
    return " and ".join(parts) or None


def cart_leaves(points: pd.DataFrame, factors: list[str], effective: np.ndarray):
    """CART's leaves as boxes: one row per leaf with its conditions, coverage (share of all
    effective points in it), density (share of its points that are effective) and mass
    (share of the design in it), densest first; and the fitted CART (its ``clf`` is
    scikit-learn's tree, its ``feature_names`` the columns the tree split)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import cart, scenario_discovery_util
        from sklearn import tree

        class _Cart(cart.CART):
            """EMA Workbench's CART with a fixed random state (its own draws from numpy's
            global generator when two splits are equally good) and a leaf of at least one
            point in a small design."""

            def build_tree(self) -> None:
                self.clf = tree.DecisionTreeClassifier(
                    min_samples_leaf=max(1, int(self.mass_min * self.x.shape[0])),
                    random_state=RANDOM_STATE,
                )
                self.clf.fit(self._x, self.y)

        x = prepared(points, factors)
        finder = _Cart(x, effective.astype(bool), mass_min=MASS_MIN)
        finder.build_tree()
        initial = scenario_discovery_util._make_box(x)
        rows = []
        for box, stats in zip(finder.boxes, finder.stats, strict=True):
            limits = [
                (name, _condition(name, box[name].iloc[0], box[name].iloc[1], initial))
                for name in factors
            ]
            rows.append(
                {
                    "conditions": " and ".join(f"{n} {c}" for n, c in limits if c)
                    or "(no restriction)",
                    "coverage": float(stats["coverage"]),
                    "density": float(stats["density"]),
                    "mass": float(stats["mass"]),
                }
            )
    table = pd.DataFrame(rows).sort_values(["density", "mass"], ascending=False)
    table.insert(0, "leaf", range(1, len(table) + 1))
    return table.reset_index(drop=True), finder


def tree_figure(fitted):
    """The tree's top levels, each node with its share of effective points."""
    from sklearn.tree import plot_tree

    clf, feature_names = fitted.clf, fitted.feature_names
    depth = min(3, clf.get_depth())
    fig, ax = plt.subplots(figsize=(4 + 3.2 * 2**depth / 2, 2.2 + 1.6 * depth))
    plot_tree(
        clf,
        feature_names=[n.replace("!?!", " = ") for n in feature_names],
        class_names=["below", "effective"],
        filled=True,
        proportion=True,
        impurity=False,
        max_depth=depth,
        fontsize=8,
        ax=ax,
    )
    fig.tight_layout()
    return fig


def feature_scores(
    points: pd.DataFrame, factors: list[str], outcomes: dict[str, np.ndarray]
) -> pd.DataFrame:
    """Extra-trees feature scores of every factor for every outcome (rows: factors;
    columns: outcomes; each column sums to 1)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import feature_scoring
        from ema_workbench.analysis.scenario_discovery_util import RuleInductionType

        x = prepared(points, factors)
        for name in factors:  # EMA wants object columns for categories
            if isinstance(x[name].dtype, pd.CategoricalDtype):
                x[name] = x[name].astype(object)
        table = feature_scoring.get_feature_scores_all(
            x,
            {k: np.asarray(v, dtype=float) for k, v in outcomes.items()},
            alg="extra trees",
            mode=RuleInductionType.REGRESSION,
            random_state=RANDOM_STATE,
        )
    return table.loc[factors]


def scores_figure(table: pd.DataFrame):
    """A heat map: factors down, indicators across, the score in each cell."""
    fig, ax = plt.subplots(
        figsize=(1.6 + 0.55 * table.shape[1], 1.2 + 0.4 * table.shape[0]), constrained_layout=True
    )
    shown = ax.imshow(table.to_numpy(), cmap="viridis", aspect="auto", vmin=0)
    ax.set_xticks(range(table.shape[1]), table.columns, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(table.shape[0]), table.index, fontsize=8)
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            value = table.iat[i, j]
            ax.text(
                j,
                i,
                f"{value:.2f}",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value < 0.5 * table.to_numpy().max() else "black",
            )
    fig.colorbar(shown, ax=ax, label="feature score (extra trees)")
    return fig
