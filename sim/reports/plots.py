"""Figures of a run: the main indicators over time, on one page.

The "nette Runde" months are shaded, so the seeds' central warning is visible at a glance.
Matplotlib runs headless (Agg): figures are files, never windows.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

PANELS = (
    (
        "Need served (Bedarfsdeckung)",
        ("effectiveness", "coverage_simple", "coverage_complex", "coverage_hard_to_reach"),
    ),
    (
        "Cooperation and climate",
        ("cooperation", "trust", "goal_consensus", "motivation", "attendance"),
    ),
    ("Members (Mitglieder)", ("active_administration", "active_carriers", "active_volunteers")),
    ("Structures and effort", ("duplicate_structures", "coordinator_load", "funding_gini")),
)


def _shade_nette_runde(ax, table: pd.DataFrame) -> None:
    flagged = table["nette_runde"].to_numpy() > 0.5
    months = table["month"].to_numpy()
    start = None
    for k, on in enumerate(flagged):
        if on and start is None:
            start = months[k] - 0.5
        if start is not None and (not on or k == len(flagged) - 1):
            end = months[k] + 0.5 if on else months[k] - 0.5
            ax.axvspan(start, end, color="tab:red", alpha=0.08, lw=0)
            start = None


def indicator_figure(table: pd.DataFrame, title: str):
    """A 2 x 2 page of the main indicators over the months of one run."""
    fig, axes = plt.subplots(2, 2, figsize=(12, 7.5), sharex=True, constrained_layout=True)
    for ax, (heading, names) in zip(axes.flat, PANELS, strict=True):
        for name in names:
            width = 2.4 if name == "effectiveness" else 1.4
            ax.plot(table["month"], table[name], label=name.replace("_", " "), lw=width)
        ax.set_title(heading, fontsize=11, loc="left")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best", frameon=False)
        if heading.startswith(("Need", "Cooperation")):
            ax.set_ylim(-0.02, 1.02)
            _shade_nette_runde(ax, table)
    for ax in axes[1]:
        ax.set_xlabel("month")
    fig.suptitle(title + "   (red shade: 'nette Runde')", fontsize=12)
    return fig


def save(fig, path) -> None:
    fig.savefig(path, dpi=110)
    plt.close(fig)
