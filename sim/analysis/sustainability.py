"""What is left of the network when the coordinator's position ends?

Three arms: never coordinated (``coordinator_hours`` = 0), coordinated throughout, and
coordinated until the position ends (``coordinator_ends_month`` > 0). What is left is the
share of the coordination's gain that survives at the end of the run:

    retained = (ended - never) / (continued - never)

per indicator and per condition (the experiment's other factors). The trajectories show
how the network settles after the end.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.analysis.common import Analysis, describe_value, fmt

# Not the headline list (sim.indicators.HEADLINE): the question here is what is left of the
# network when its coordinator goes, so members stand beside the headline's first shares.
SHOWN = ("effectiveness", "joint_coverage", "members", "trust", "goal_consensus", "cooperation")


def _arm(frame: pd.DataFrame) -> np.ndarray:
    """Per row: no coordinator at all, one whose position ended, or one that continued."""
    return np.select(
        [frame["coordinator_hours"] == 0, frame["coordinator_ends_month"] > 0],
        ["never", "ended"],
        "continued",
    )


def run(analysis: Analysis) -> None:
    runs = analysis.runs.copy()
    needed = {"coordinator_hours", "coordinator_ends_month"}
    if not needed <= set(analysis.factor_names):
        raise ValueError(
            "a sustainability analysis needs the factors coordinator_hours and "
            "coordinator_ends_month"
        )
    runs["arm"] = _arm(runs)
    end_month = int(max(analysis.runs["coordinator_ends_month"]))
    conditions = [f for f in analysis.factor_names if f not in needed]

    fig, axes = plt.subplots(2, 3, figsize=(14, 7), sharex=True, constrained_layout=True)
    colours = {"never": "#999999", "continued": "#1b6ca8", "ended": "#d1495b"}
    for ax, indicator in zip(axes.flat, SHOWN, strict=True):
        for arm, group in runs.groupby("arm"):
            curve = group.groupby("month")[indicator].agg(["mean", "std", "count"])
            half = 1.96 * curve["std"] / np.sqrt(curve["count"])
            ax.plot(curve.index, curve["mean"], color=colours[arm], label=arm, lw=1.8)
            ax.fill_between(
                curve.index,
                curve["mean"] - half,
                curve["mean"] + half,
                color=colours[arm],
                alpha=0.2,
                lw=0,
            )
        ax.axvline(end_month - 0.5, color="#d1495b", ls=":", lw=1)
        ax.set_title(indicator, loc="left", fontsize=10)
        ax.grid(alpha=0.3)
    axes.flat[0].legend(frameon=False)
    for ax in axes[1]:
        ax.set_xlabel("month")
    analysis.save_figure("trajectories.png", fig)

    finals = analysis.finals()
    finals["arm"] = _arm(finals)
    rows = []
    groups = finals.groupby(conditions) if conditions else [((), finals)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        means = group.groupby("arm")[list(SHOWN)].mean()
        if not {"never", "continued", "ended"} <= set(means.index):
            continue
        row = dict(zip(conditions, key, strict=True))
        for indicator in SHOWN:
            gain = means.loc["continued", indicator] - means.loc["never", indicator]
            kept = means.loc["ended", indicator] - means.loc["never", indicator]
            row[f"{indicator}_retained"] = kept / gain if abs(gain) > 1e-9 else np.nan
            row[f"{indicator}_continued"] = means.loc["continued", indicator]
            row[f"{indicator}_ended"] = means.loc["ended", indicator]
            row[f"{indicator}_never"] = means.loc["never", indicator]
        rows.append(row)
    table = pd.DataFrame(rows)
    analysis.save_table("retained.csv", table)
    overall = finals.groupby("arm")[list(SHOWN)].mean()
    lines = []
    for indicator in SHOWN:
        never, cont, ended = (overall.loc[a, indicator] for a in ("never", "continued", "ended"))
        share = (ended - never) / (cont - never) if abs(cont - never) > 1e-9 else float("nan")
        lines.append(f"| {indicator} | {fmt(never)} | {fmt(cont)} | {fmt(ended)} | {share:.0%} |")
    by_condition = ""
    if conditions and len(table):
        best = table.sort_values("effectiveness_retained", ascending=False).iloc[0]
        worst = table.sort_values("effectiveness_retained").iloc[0]
        describe = lambda r: ", ".join(f"`{c}` = {describe_value(r[c])}" for c in conditions)  # noqa: E731
        by_condition = (
            f"\n\nAcross conditions, the share of the effectiveness gain retained ranges from "
            f"{worst['effectiveness_retained']:.0%} ({describe(worst)}) to "
            f"{best['effectiveness_retained']:.0%} ({describe(best)}); every condition is in "
            "`retained.csv`."
        )
    analysis.add(
        "## What is left when the coordinator's position ends\n\n"
        f"The position ends at the start of month {end_month}. Final values (mean of the "
        "last 12 months) by arm, and the share of the coordination's gain that is left "
        "after the end:\n\n"
        "| indicator | never coordinated | coordinated throughout | position ended | "
        "gain retained |\n|---|---|---|---|---|\n"
        + "\n".join(lines)
        + by_condition
        + "\n\nThe course of each arm over the months is in `trajectories.png`."
    )
