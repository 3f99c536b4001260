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


SEP = "!?!"  # how EMA Workbench names a category's column: factor!?!category


def _number(value: float) -> str:
    return f"{value:.3g}"


def _path(tree, leaf: int) -> list[tuple[int, str]]:
    """The splits from the root down to ``leaf``: (node, "l" or "r")."""
    parent = {}
    for node in range(tree.node_count):
        for child, side in ((tree.children_left[node], "l"), (tree.children_right[node], "r")):
            if child != -1:
                parent[child] = (node, side)
    path = []
    while leaf in parent:
        leaf, side = parent[leaf]
        path.append((leaf, side))
    return path[::-1]


def _leaf_conditions(clf, columns: list[str], leaf: int, x: pd.DataFrame) -> str:
    """The conditions on the path from the root to ``leaf``, one per factor, as a reader
    wants them: ``a > 0.6 and b <= 0.5``, ``mode in {lead, nao}``, ``mode = shared``."""
    tree = clf.tree_
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    cats: dict[str, set] = {}
    for node, side in _path(tree, leaf):
        column, threshold = columns[tree.feature[node]], float(tree.threshold[node])
        if SEP in column:  # a category's 0/1 column: left "not this one", right "this one"
            name, category = column.split(SEP, 1)
            allowed = cats.get(name, {str(c) for c in x[name].cat.categories})
            cats[name] = allowed - {category} if side == "l" else allowed & {category}
        elif side == "l":
            high[column] = min(high.get(column, np.inf), threshold)
        else:
            low[column] = max(low.get(column, -np.inf), threshold)
    return _described(list(x.columns), low, high, cats)


def _described(names: list[str], low: dict, high: dict, cats: dict) -> str:
    parts = []
    for name in names:
        if name in cats:
            chosen = sorted(cats[name])
            parts.append(
                f"{name} = {chosen[0]}"
                if len(chosen) == 1
                else f"{name} in {{{', '.join(chosen)}}}"
            )
        bounds = [f"> {_number(low[name])}"] if name in low else []
        bounds += [f"<= {_number(high[name])}"] if name in high else []
        if bounds:
            parts.append(f"{name} " + " and ".join(bounds))
    return " and ".join(parts) or "(no restriction)"


def cart_leaves(points: pd.DataFrame, factors: list[str], effective: np.ndarray):
    """CART's leaves as boxes: one row per leaf with its conditions, coverage (share of all
    effective points in it), density (share of its points that are effective) and mass
    (share of the design in it), densest first; and the fitted CART (its ``clf`` is
    scikit-learn's tree, its ``feature_names`` the columns the tree split).

    The tree is EMA Workbench's; the leaves are read from scikit-learn's tree directly
    (which points fall into each, the path's conditions), because EMA Workbench 3.0's own
    boxes lose a split on a category (tested with a planted box that has one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import cart
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
        y = effective.astype(bool)
        finder = _Cart(x, y, mass_min=MASS_MIN)
        finder.build_tree()
    where = finder.clf.apply(finder._x)
    rows = []
    for leaf in np.unique(where):
        inside = where == leaf
        rows.append(
            {
                "conditions": _leaf_conditions(finder.clf, finder.feature_names, leaf, x),
                "coverage": float(y[inside].sum() / y.sum()) if y.any() else 0.0,
                "density": float(y[inside].mean()),
                "mass": float(inside.mean()),
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
    columns: outcomes; each column sums to 1). A factor that does not vary in the design
    (one level) scores 0."""
    varying = [name for name in factors if points[name].nunique() > 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import feature_scoring
        from ema_workbench.analysis.scenario_discovery_util import RuleInductionType

        x = prepared(points, varying)
        for name in varying:  # EMA wants object columns for categories
            if isinstance(x[name].dtype, pd.CategoricalDtype):
                x[name] = x[name].astype(object)
        table = feature_scoring.get_feature_scores_all(
            x,
            {k: np.asarray(v, dtype=float) for k, v in outcomes.items()},
            alg="extra trees",
            mode=RuleInductionType.REGRESSION,
            random_state=RANDOM_STATE,
            # EMA's default, a third of the factors, is 0 for one or two: at least one
            max_features=max(1, round(len(varying) / 3)),
        )
    return table.reindex(factors).fillna(0.0)


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
