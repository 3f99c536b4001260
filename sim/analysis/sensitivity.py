"""Which conditions matter, and under which conditions do networks stay effective?

Global sensitivity (SALib): with a Sobol design, first-order (S1) and total (ST) indices
with bootstrap 95 % intervals - the share of the outcome's variance a factor explains
alone, and including its interactions; with a Morris design, mu* (mean absolute elementary
effect) and sigma with intervals - a cheaper screening - and mu* against the seed SD (the
outcome's spread over the replications at one design point): a factor whose mu* stays
below one seed SD moves the outcome over its whole range less than chance does in one run
(and a factor without any effect shows mu* of about one seed SD from noise alone:
``noise_floor``).
Scenario discovery with PRIM (Friedman & Fisher 1999; EMA Workbench): the box of factor
values in which networks are effective (outcome at or above a threshold) as often as
possible (density) while holding as many of the effective cases as possible (coverage).
"""

from __future__ import annotations

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.analysis import discovery, envelopes
from sim.analysis.common import Analysis, describe_value, fmt
from sim.indicators import INDICATORS

MIN_DENSITY = 0.8  # prefer the widest box that is effective at least this often


BOOTSTRAP_SEED = 20261205
"""The bootstrap's seed for the indices' intervals. Not 0: SALib's Sobol analysis takes a
seed of 0 for none and then draws from numpy's global generator, so the same results
gave different intervals from one analysis to the next."""


def sobol_indices(problem: dict, y: np.ndarray, seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    """S1 and ST with 95 % intervals for outputs ``y`` of a Sobol (Saltelli) sample."""
    from SALib.analyze import sobol

    if not seed:
        raise ValueError("a Sobol analysis needs a seed other than 0 (SALib reads 0 as none)")

    result = sobol.analyze(
        problem,
        np.asarray(y, dtype=float),
        calc_second_order=False,
        conf_level=0.95,
        num_resamples=1000,
        seed=seed,
    )
    return pd.DataFrame(
        {
            "factor": problem["names"],
            "S1": result["S1"],
            "S1_conf": result["S1_conf"],
            "ST": result["ST"],
            "ST_conf": result["ST_conf"],
        }
    )


def morris_indices(
    problem: dict, x: np.ndarray, y: np.ndarray, levels: int, seed: int = BOOTSTRAP_SEED
) -> pd.DataFrame:
    from SALib.analyze import morris

    result = morris.analyze(
        problem,
        x,
        np.asarray(y, dtype=float),
        num_resamples=1000,
        conf_level=0.95,
        num_levels=levels,
        seed=seed,
    )
    return pd.DataFrame(
        {
            "factor": problem["names"],
            "mu_star": result["mu_star"],
            "mu_star_conf": result["mu_star_conf"],
            "sigma": result["sigma"],
            "mu": result["mu"],
        }
    )


SHOWN = 30  # a figure shows at most this many factors (the most important ones)


def seed_sd(analysis: Analysis) -> float:
    """The outcome's standard deviation over the replications at one design point (its
    seeds), pooled over the design points: the root of the mean within-point variance.
    NaN with one replication."""
    finals = analysis.finals()
    within = finals.groupby("point_id")[analysis.outcome].var(ddof=1).dropna()
    return float(np.sqrt(within.mean())) if len(within) else float("nan")


def fixed_points(analysis: Analysis) -> float:
    """Share of the design points whose outcome is the same for every seed: there the
    network sits at a bound (every need served, or none; the network grown beyond its
    need or collapsed) and nothing that varies locally moves the outcome. NaN with one
    replication."""
    finals = analysis.finals()
    spread = finals.groupby("point_id")[analysis.outcome].agg(lambda v: v.max() - v.min())
    if finals.groupby("point_id").size().max() < 2:
        return float("nan")
    return float((spread < 1e-12).mean())


def _fixed(share: float, ranked: pd.DataFrame, outcome: str) -> str:
    """What the share of fixed points means for reading the table, in words."""
    if not np.isfinite(share) or share == 0:
        return ""
    silent = ranked[ranked["mu_star"] == 0]["factor"].tolist()
    return (
        f"\n\nIn {share:.0%} of the design points {outcome} is the same for every seed: the "
        "network sits at a bound there (all of a kind of need served or none, or grown far "
        "beyond its need), so nothing that changes locally moves it, and an elementary "
        "effect taken there is zero. "
        + (
            f"{len(silent)} factor{'s' if len(silent) != 1 else ''} changed only at such "
            f"points or never act on {outcome} "
            "here (mu* = 0): a zero in this table says the screen did not see an effect, "
            "not that there is none; screens of the levers in one municipality "
            "(`kommune validate`) are the test for those."
            if silent
            else "Read small mu* with that in mind."
        )
    )


def _indices_figure(
    table: pd.DataFrame,
    kind: str,
    outcome: str,
    noise: float | None = None,
    floor: float | None = None,
):
    key = "ST" if kind == "sobol" else "mu_star"
    order = table.sort_values(key).tail(SHOWN)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(order) + 1.6), constrained_layout=True)
    ypos = np.arange(len(order))
    if kind == "sobol":
        ax.barh(
            ypos + 0.2, order["ST"], 0.4, xerr=order["ST_conf"], label="total (ST)", color="#1b6ca8"
        )
        ax.barh(
            ypos - 0.2,
            order["S1"],
            0.4,
            xerr=order["S1_conf"],
            label="first order (S1)",
            color="#9ac3e6",
        )
        ax.set_xlabel(f"Sobol index of {outcome} (95 % interval)")
    else:
        ax.barh(
            ypos, order["mu_star"], 0.6, xerr=order["mu_star_conf"], color="#1b6ca8", label="mu*"
        )
        ax.set_xlabel(f"Morris mu* of {outcome} (95 % interval)")
        if noise is not None and np.isfinite(noise) and noise > 0:
            ax.axvline(noise, color="#d1495b", lw=1.2, ls="--", label="seed SD")
            if floor is not None:
                ax.axvline(
                    floor * noise,
                    color="#888",
                    lw=1.2,
                    ls=":",
                    label="no effect: seed noise alone (at most)",
                )
    if len(table) > len(order):
        ax.set_title(f"the {len(order)} largest of {len(table)} factors", fontsize=9)
    ax.set_yticks(ypos, order["factor"])
    ax.grid(alpha=0.3, axis="x")
    ax.legend(frameon=False)
    return fig


def noise_floor(replications: int, levels: int) -> float:
    """mu* / seed SD of a factor without any effect, from the seeds' noise alone, if that
    noise were independent between design points: an elementary effect is the difference of
    two points' means over ``replications`` runs, divided by the Morris step (levels /
    (2 (levels - 1)) of the range), and mu* is its mean absolute value. Common random
    numbers (the same seeds at every point) make the noise between neighbouring points
    partly cancel, so this is an upper bound."""
    step = levels / (2 * (levels - 1))
    return math.sqrt(2 / replications) / step * math.sqrt(2 / math.pi)


def _against_noise(
    ranked: pd.DataFrame, noise: float, outcome: str, replications: int, levels: int
) -> str:
    """Which factors move the outcome more than the seeds do, in words."""
    if not (np.isfinite(noise) and noise > 0):
        return (
            f"mu* is the mean absolute change of {outcome} over a factor's whole range "
            "(elementary effects, SALib). The seed SD needs at least two replications "
            "with different results per design point, so mu* is not compared with it "
            "here."
        )
    floor = noise_floor(replications, levels)
    ratio = ranked["mu_star_over_seed_sd"]
    clear = ranked[ratio > 2 * floor]["factor"].tolist()
    faint = int((ratio <= floor).sum())
    named = ", ".join(f"`{f}`" for f in clear[:15]) + (" ..." if len(clear) > 15 else "")
    return (
        f"mu* is the mean absolute change of {outcome} over a factor's whole range "
        "(elementary effects, SALib). The seed SD is the standard deviation of "
        f"{outcome} over the {replications} replications (seeds) at one design point, "
        f"pooled over all points: {fmt(noise, 3)}; the last column divides mu* by it. "
        f"{int((ratio > 1).sum())} of {len(ranked)} factors have mu* above one seed SD. "
        "A factor without any effect would still show mu* of up to about "
        f"{fmt(floor, 2)} seed SD from the seeds' noise alone ({replications} "
        f"replications, {levels} levels; common random numbers make it less). "
        f"**{len(clear)} factors are above twice that ({fmt(2 * floor, 2)})**"
        + (f": {named}" if clear else "")
        + f"; {faint} {'is' if faint == 1 else 'are'} "
        "at or below it: with this design their effect, if any, cannot be told from the "
        "luck of the draw."
    )


def prim_box(points: pd.DataFrame, factors: list[str], effective: np.ndarray):
    """The PRIM box with the highest coverage among those at least MIN_DENSITY dense (or the
    densest), as (limits table, coverage, density, mass, peeling trajectory)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

        x = discovery.prepared(points, factors)
        finder = prim.Prim(x, effective.astype(bool), peel_alpha=0.05, mass_min=0.05)
        box = finder.find_box()
    trajectory = box.peeling_trajectory.reset_index(drop=True)
    dense = trajectory[trajectory["density"] >= MIN_DENSITY]
    chosen = int(dense["coverage"].idxmax() if len(dense) else trajectory["density"].idxmax())
    limits = box.box_lims[chosen]
    initial = finder.box_init
    rows = []
    for name in factors:
        lo, hi = limits[name].iloc[0], limits[name].iloc[1]
        if isinstance(lo, set):
            if lo != initial[name].iloc[0]:
                rows.append({"factor": name, "condition": "in {" + ", ".join(sorted(lo)) + "}"})
        elif lo > initial[name].iloc[0] or hi < initial[name].iloc[1]:
            parts = []
            if lo > initial[name].iloc[0]:
                parts.append(f">= {describe_value(float(lo))}")
            if hi < initial[name].iloc[1]:
                parts.append(f"<= {describe_value(float(hi))}")
            rows.append({"factor": name, "condition": " and ".join(parts)})
    stats = trajectory.iloc[chosen]
    return (
        pd.DataFrame(rows, columns=["factor", "condition"]),
        float(stats["coverage"]),
        float(stats["density"]),
        float(stats["mass"]),
        trajectory,
        chosen,
    )


def _tradeoff_figure(trajectory: pd.DataFrame, chosen: int):
    fig, ax = plt.subplots(figsize=(6.5, 5), constrained_layout=True)
    points = ax.scatter(
        trajectory["coverage"], trajectory["density"], c=trajectory["res_dim"], cmap="viridis", s=28
    )
    ax.plot(trajectory["coverage"], trajectory["density"], color="#999", lw=0.8, zorder=0)
    ax.scatter(
        [trajectory["coverage"][chosen]],
        [trajectory["density"][chosen]],
        s=160,
        facecolors="none",
        edgecolors="#d1495b",
        lw=2,
        label="reported box",
    )
    ax.set_xlabel("coverage (share of all effective cases inside the box)")
    ax.set_ylabel("density (share of cases inside the box that are effective)")
    fig.colorbar(points, ax=ax, label="restricted dimensions")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return fig


def _pairs_figure(points: pd.DataFrame, factors: list[str], outcome: str):
    k = len(factors)
    fig, axes = plt.subplots(
        k, k, figsize=(2.4 * k + 1, 2.4 * k), squeeze=False, constrained_layout=True
    )
    colour = points[outcome]
    for i, row in enumerate(factors):
        for j, col in enumerate(factors):
            ax = axes[i][j]
            if i == j:
                ax.hist(
                    pd.factorize(points[row])[0] if points[row].dtype == object else points[row],
                    bins=15,
                    color="#9ac3e6",
                )
            else:
                xs = pd.factorize(points[col])[0] if points[col].dtype == object else points[col]
                ys = pd.factorize(points[row])[0] if points[row].dtype == object else points[row]
                shown = ax.scatter(
                    xs, ys, c=colour, cmap="RdYlGn", s=10, vmin=colour.min(), vmax=colour.max()
                )
            if i == k - 1:
                ax.set_xlabel(col, fontsize=8)
            if j == 0:
                ax.set_ylabel(row, fontsize=8)
            ax.tick_params(labelsize=7)
    if k > 1:
        fig.colorbar(shown, ax=axes, label=outcome, shrink=0.6)
    return fig


def run(analysis: Analysis) -> None:
    points = analysis.per_point()
    outcome = analysis.outcome
    y = points[outcome].to_numpy()
    design = analysis.design
    factors = analysis.factor_names
    analysis.save_table("points.csv", points)
    ranking: list[str] = []

    if not analysis.complete:
        analysis.add(
            "## Sensitivity\n\nThe sweep is not complete, so the indices (which need "
            "every design point) are left out; run `kommune sweep ... --resume` first."
        )
    elif design.kind == "sobol":
        table = sobol_indices(design.problem(), y)
        analysis.save_table("sobol.csv", table)
        analysis.save_figure("sobol.png", _indices_figure(table, "sobol", outcome))
        ranked = table.sort_values("ST", ascending=False)
        ranking = list(ranked["factor"])
        lines = [
            f"| {r.factor} | {fmt(r.S1)} ± {fmt(r.S1_conf)} | {fmt(r.ST)} ± {fmt(r.ST_conf)} |"
            for r in ranked.itertuples()
        ]
        interactions = float((table["ST"] - table["S1"]).clip(lower=0).sum())
        analysis.add(
            "## Sensitivity (Sobol indices)\n\n"
            f"Factors ranked by their total effect on {outcome} (ST: share of its variance "
            "explained with interactions; S1: alone; ± the 95 % bootstrap interval):\n\n"
            "| factor | S1 | ST |\n|---|---|---|\n" + "\n".join(lines) + "\n\n"
            f"`{ranking[0]}` matters most (ST {fmt(ranked.iloc[0].ST)})"
            + (
                f", followed by `{ranking[1]}` (ST {fmt(ranked.iloc[1].ST)})"
                if len(ranking) > 1
                else ""
            )
            + ". "
            f"The total effects exceed the first-order effects by {fmt(interactions)} in sum: "
            + (
                "the levers work largely through interactions."
                if interactions > 0.2
                else "the levers act largely on their own."
            )
        )
    elif design.kind == "morris":
        table = morris_indices(design.problem(), design.sample(), y, design.levels)
        noise = seed_sd(analysis)
        table["mu_star_over_seed_sd"] = table["mu_star"] / noise if noise > 0 else np.nan
        analysis.save_table("morris.csv", table)
        floor = noise_floor(analysis.manifest["experiment"]["replications"], design.levels)
        analysis.save_figure("morris.png", _indices_figure(table, "morris", outcome, noise, floor))
        ranked = table.sort_values("mu_star", ascending=False)
        ranking = list(ranked["factor"])
        lines = [
            f"| {r.factor} | {fmt(r.mu_star, 3)} ± {fmt(r.mu_star_conf, 3)} | "
            f"{fmt(r.sigma, 3)} | {fmt(r.mu_star_over_seed_sd, 2)} |"
            for r in ranked.itertuples()
        ]
        analysis.add(
            "## Sensitivity (Morris screening)\n\n"
            + _against_noise(
                ranked,
                noise,
                outcome,
                analysis.manifest["experiment"]["replications"],
                design.levels,
            )
            + _fixed(fixed_points(analysis), ranked, outcome)
            + "\n\n"
            "| factor | mu* (± 95 %) | sigma | mu_star / seed SD |\n|---|---|---|---|\n"
            + "\n".join(lines)
        )
    else:
        analysis.add(
            "## Sensitivity\n\nVariance-based indices need a Sobol or Morris design; "
            f"this experiment has a {design.kind} design."
        )

    threshold = analysis.threshold
    if threshold is None:
        threshold = float(np.quantile(y, 0.75))
    effective = y >= threshold
    label = INDICATORS[outcome].en
    if effective.all() or not effective.any():
        analysis.add(
            f"## Conditions for effective networks (PRIM)\n\nEvery design point is "
            f"{'at or above' if effective.all() else 'below'} the threshold "
            f"{fmt(threshold)}, so there is no box to find."
        )
    else:
        limits, coverage, density, mass, trajectory, chosen = prim_box(points, factors, effective)
        analysis.save_table(
            "prim_box.csv", limits.assign(coverage=coverage, density=density, mass=mass)
        )
        analysis.save_figure("prim_tradeoff.png", _tradeoff_figure(trajectory, chosen))
        conditions = " and ".join(f"`{r.factor}` {r.condition}" for r in limits.itertuples())
        base_rate = float(effective.mean())
        analysis.add(
            "## Conditions for effective networks (PRIM)\n\n"
            f"A design point counts as effective when its mean {outcome} ({label}) is at least "
            f"{fmt(threshold)}; {base_rate:.0%} of the points are. PRIM finds the box\n\n"
            f"> {conditions or '(no restriction)'}\n\n"
            f"Inside it, {density:.0%} of the points are effective (density, against "
            f"{base_rate:.0%} overall); it holds {coverage:.0%} of all effective points "
            f"(coverage) and {mass:.0%} of the design (mass). The trade-off between coverage "
            "and density along PRIM's peeling is in `prim_tradeoff.png`."
        )
        ranking = ranking or list(limits["factor"])
        _cart(analysis, points, factors, effective, threshold)
    _feature_scores(analysis, factors)
    _envelopes(analysis, points, effective, threshold)
    shown = (ranking or factors)[: min(4, len(factors))]
    analysis.save_figure("pairs.png", _pairs_figure(points, shown, outcome))


def _cart(
    analysis: Analysis,
    points: pd.DataFrame,
    factors: list[str],
    effective: np.ndarray,
    threshold: float,
) -> None:
    leaves, fitted = discovery.cart_leaves(points, factors, effective)
    analysis.save_table("cart_leaves.csv", leaves)
    analysis.save_figure("cart_tree.png", discovery.tree_figure(fitted))
    base = float(effective.mean())
    above = leaves[leaves["density"] > base]
    lines = [
        f"| {r.leaf} | {r.conditions} | {r.density:.0%} | {r.coverage:.0%} | {r.mass:.0%} |"
        for r in leaves.itertuples()
    ]
    best = leaves.iloc[0]
    analysis.add(
        "## Conditions for effective networks (CART)\n\n"
        f"CART splits the design into {len(leaves)} leaves (each at least "
        f"{discovery.MASS_MIN:.0%} of the points), by the same threshold ({fmt(threshold)}). "
        f"In {len(above)} of them networks are effective more often than overall "
        f"({base:.0%}); the densest,\n\n> {best.conditions}\n\n"
        f"is effective in {best.density:.0%} of its points and holds {best.coverage:.0%} "
        "of all effective points. Unlike PRIM's one box, the leaves cover the whole "
        "design, so they also show where networks are not effective. The tree's top "
        "levels are in `cart_tree.png`.\n\n"
        "| leaf | conditions | density | coverage | mass |\n|---|---|---|---|---|\n"
        + "\n".join(lines)
    )


def _feature_scores(analysis: Analysis, factors: list[str]) -> None:
    finals = analysis.finals()
    grouped = finals.groupby("point_id")
    points = grouped[factors].first()
    means = grouped[list(INDICATORS)].mean()
    outcomes = {
        name: means[name].to_numpy()
        for name in INDICATORS
        if np.isfinite(means[name]).all() and means[name].std() > 0
    }
    if analysis.outcome not in outcomes or len(points) < 10:
        analysis.add(
            "## Feature scores (extra trees)\n\nFewer than 10 design points, or an "
            "outcome that does not vary or is missing at some point: extra trees cannot "
            "rank the factors."
        )
        return
    scores = discovery.feature_scores(points.reset_index(drop=True), factors, outcomes)
    analysis.save_table("feature_scores.csv", scores.rename_axis("factor").reset_index())
    analysis.save_figure("feature_scores.png", discovery.scores_figure(scores))
    ranked = scores[analysis.outcome].sort_values(ascending=False)
    top = ", ".join(f"`{name}` ({fmt(value)})" for name, value in ranked.head(3).items())
    lines = [f"| {name} | {fmt(value)} |" for name, value in ranked.items()]
    analysis.add(
        "## Feature scores (extra trees)\n\n"
        f"How much each factor helps to predict {analysis.outcome} at a design point "
        "(extra-trees feature scores, EMA Workbench; they add up to 1 and need no "
        "particular design): " + top + ". The same for every indicator is in "
        "`feature_scores.csv` and `feature_scores.png`.\n\n"
        "| factor | score |\n|---|---|\n" + "\n".join(lines)
    )


def _envelopes(
    analysis: Analysis, points: pd.DataFrame, effective: np.ndarray, threshold: float
) -> None:
    shown = list(dict.fromkeys([analysis.outcome, *envelopes.SHOWN]))
    made = envelopes.series(analysis.runs, shown)
    if made is None:
        analysis.add(
            "## Envelopes over time\n\nThe sweep recorded final values only (or runs of "
            'different lengths); `record = "monthly"` in the experiment gives the '
            "indicators' envelopes over time."
        )
        return
    time, values = made
    point_of = analysis.runs.drop_duplicates("run_id").set_index("run_id")["point_id"]
    is_effective = dict(zip(points["point_id"], effective, strict=True))
    groups = np.array(
        [
            "effective" if is_effective[point_of[run]] else "not effective"
            for run in sorted(point_of.index)
        ]
    )
    analysis.save_table("envelopes.csv", envelopes.table(time, values, groups))
    analysis.save_figure("envelopes.png", envelopes.figure(time, values, groups))
    good = int((groups == "effective").sum())
    analysis.add(
        "## Envelopes over time\n\n"
        f"Month by month, the lowest and highest value over the runs at effective design "
        f"points ({analysis.outcome} at least {fmt(threshold)}; {good} "
        f"runs) and at the others ({len(groups) - good} runs), with the "
        "distribution in the last month beside each: `envelopes.png` (EMA Workbench), "
        "the same with the median in `envelopes.csv`."
    )
