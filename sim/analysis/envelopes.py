"""Envelopes over time: how the indicators run in the networks a sweep made.

A final-year mean hides the path: a network may reach its final state early and stay, or
drift into a *nette Runde* only in the last years. EMA Workbench's envelope plot shows,
month by month, the lowest and highest value over all runs of a group, with the
distribution at the end beside it; grouped by whether the run's design point counts as
effective, it shows when the effective networks part from the others. It needs monthly
records (``record = "monthly"`` in the experiment); the table beside the figure gives the
same envelopes with the median as numbers.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

SHOWN = ("effectiveness", "joint_coverage", "attendance", "members")
"""The indicators drawn beside the outcome: the headline, joint output against
attendance (the nette-Runde pair) and the network's size."""


def series(runs: pd.DataFrame, indicators: list[str]) -> tuple[np.ndarray, dict] | None:
    """Months and per indicator a runs x months array, in run order; None when the runs
    were not recorded monthly or have different months (run length as a factor)."""
    by_run = runs.sort_values(["run_id", "month"]).groupby("run_id")
    months = by_run["month"].apply(tuple)
    if len(months) == 0 or months.nunique() != 1 or len(months.iloc[0]) < 3:
        return None
    time = np.array(months.iloc[0], dtype=float)
    return time, {
        name: np.vstack([g[name].to_numpy(dtype=float) for _, g in by_run]) for name in indicators
    }


def table(time: np.ndarray, values: dict, groups: np.ndarray) -> pd.DataFrame:
    """Per indicator, group and month: lowest, median and highest value over the runs."""
    rows = []
    for name, array in values.items():
        for group in sorted(set(groups)):
            part = array[groups == group]
            for k, month in enumerate(time):
                column = part[:, k]
                rows.append(
                    {
                        "indicator": name,
                        "group": group,
                        "month": int(month),
                        "min": float(np.nanmin(column)),
                        "median": float(np.nanmedian(column)),
                        "max": float(np.nanmax(column)),
                    }
                )
    return pd.DataFrame(rows)


def figure(time: np.ndarray, values: dict, groups: np.ndarray):
    """EMA Workbench's envelopes, grouped, with the final month's density beside each."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import plotting
        from ema_workbench.analysis.plotting_util import Density

        experiments = pd.DataFrame({"network": pd.Series(groups, dtype=object)})
        outcomes = {"TIME": np.tile(time, (len(groups), 1)), **values}
        fig, _ = plotting.envelopes(
            experiments,
            outcomes,
            outcomes_to_show=list(values),
            group_by="network",
            grouping_specifiers=sorted(set(groups)),
            density=Density.KDE,
            fill=True,
            titles=None,
            ylabels={name: name.replace("_", " ") for name in values},
        )
    for ax in fig.axes:
        if ax.get_xlabel():
            ax.set_xlabel("month")
    fig.set_size_inches(8, 2.6 * len(values))
    fig.subplots_adjust(hspace=0.45)
    return fig
