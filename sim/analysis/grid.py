"""The outcome over a grid of two factors, e.g. coordinator effort x competition intensity.

A heat map of the mean outcome per cell, and findings computed from it: how much the
outcome falls along the second factor with the first at its lowest and at its highest
level (does the first factor compensate the second?), the first factor's returns along its
grid, and the level of the first factor needed to reach a target.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.analysis.common import Analysis, describe_value, fmt


def _heatmap(table: pd.DataFrame, x: str, y: str, outcome: str):
    fig, ax = plt.subplots(
        figsize=(1.0 * len(table.columns) + 3, 0.7 * len(table) + 2), constrained_layout=True
    )
    image = ax.imshow(table.to_numpy(), origin="lower", aspect="auto", cmap="RdYlGn")
    ax.set_xticks(range(len(table.columns)), [describe_value(v) for v in table.columns])
    ax.set_yticks(range(len(table.index)), [describe_value(v) for v in table.index])
    for (i, j), value in np.ndenumerate(table.to_numpy()):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    fig.colorbar(image, ax=ax, label=outcome)
    return fig


def run(analysis: Analysis) -> None:
    names = analysis.factor_names
    x = analysis.settings.get("x", names[0])
    y = analysis.settings.get("y", names[1] if len(names) > 1 else names[0])
    outcome = analysis.outcome
    points = analysis.per_point()
    table = points.pivot_table(index=y, columns=x, values=outcome, aggfunc="mean")
    analysis.save_table("grid.csv", table.reset_index())
    analysis.save_figure("grid.png", _heatmap(table, x, y, outcome))
    xs, ys = list(table.columns), list(table.index)
    low_x, high_x = table[xs[0]], table[xs[-1]]
    drop_without = float(low_x.iloc[0] - low_x.iloc[-1])
    drop_with = float(high_x.iloc[0] - high_x.iloc[-1])
    middle = ys[len(ys) // 2]
    row = table.loc[middle]
    gains = np.diff(row.to_numpy()) / np.diff(np.asarray(xs, dtype=float))
    target = (
        analysis.threshold
        if analysis.threshold is not None
        else float(table.to_numpy().max() - 0.05)
    )
    needed = []
    for level in ys:
        reached = [v for v, value in table.loc[level].items() if value >= target]
        needed.append(
            f"| {describe_value(level)} | "
            + (describe_value(reached[0]) if reached else "not reached")
            + " |"
        )
    compensates = drop_with < drop_without
    analysis.add(
        f"## {outcome} over {x} and {y}\n\n"
        f"Mean {outcome} per cell is in `grid.png` and `grid.csv`. With `{x}` at its lowest "
        f"level ({describe_value(xs[0])}), raising `{y}` from {describe_value(ys[0])} to "
        f"{describe_value(ys[-1])} changes {outcome} by {fmt(-drop_without)}; with `{x}` at "
        f"{describe_value(xs[-1])} by {fmt(-drop_with)}. "
        + (
            f"More `{x}` therefore cushions the effect of `{y}`."
            if compensates
            else f"More `{x}` does not cushion the effect of `{y}`."
        )
        + f"\n\nAt `{y}` = {describe_value(middle)}, each step of `{x}` adds "
        + ", ".join(f"{g * 100:+.2f}" for g in gains)
        + f" to {outcome} per 100 units of `{x}`"
        + (" (diminishing returns)." if len(gains) > 1 and gains[-1] < gains[0] else ".")
        + f"\n\nLowest `{x}` at which {outcome} reaches {fmt(target)}:\n\n"
        f"| {y} | {x} needed |\n|---|---|\n" + "\n".join(needed)
    )
