"""An optimisation's outputs: trials.csv, front.png, summary.md (generated from the trials)
and recommended.toml (a scenario file of the recommended setting)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from sim.runs.compare import Interval
from sim.runs.output import write_all

from .config import DEFAULT_UNIT, Evaluation, Optimization


def front(table: pd.DataFrame, direction: int = 1) -> pd.DataFrame:
    """The cost-effectiveness front: the trials that no other trial beats in cost and in
    the share reaching the target (ties broken by the mean final value)."""
    ordered = table.sort_values(["cost", "share", "mean"], ascending=[True, False, direction < 0])
    best = -1.0
    keep = []
    for index, row in ordered.iterrows():
        if row["share"] > best:
            keep.append(index)
            best = row["share"]
    return ordered.loc[keep]


def wilson(successes: int, n: int) -> tuple[float, float]:
    """95 % Wilson interval of a share (it stays inside 0..1 and is honest at 0 and 1)."""
    if n == 0:
        return (float("nan"), float("nan"))
    z = float(stats.norm.ppf(0.975))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _setting(opt: Optimization, values: dict) -> str:
    return ", ".join(f"`{lever.name}` = {_fmt(values[lever.name])}" for lever in opt.levers)


def recommended_scenario(opt: Optimization, check: Evaluation, target: Path, manifest: dict) -> str:
    from sim.files.scenario_template import _extends_ref, _toml_value

    date = datetime.now(UTC).date().isoformat()
    commit = (manifest.get("git") or {}).get("commit") or "unknown"
    base = opt.scenario
    de = f"{base.name} mit der günstigsten Einstellung, die das Ziel erreicht ({opt.title})."
    en = f"{base.name} with the cheapest setting that reaches the target ({opt.title})."
    source = f"optimisation {opt.name} ({opt.path.name}), {date}, commit {commit[:12]}"
    lines = [
        f"# Recommended by `kommune optimize {opt.path.name}` on {date}, commit {commit}.",
        f"# {opt.title}",
        f"# The cheapest setting found that reaches {opt.target_text}; on "
        f"{len(check.finals)} fresh seeds it reached it in {check.share:.0%}.",
        "",
        f"extends = {_toml_value(_extends_ref(base, target))}",
        "",
        "[scenario]",
        f"title_de = {_toml_value('Empfehlung: ' + base.title_de)}",
        f"title_en = {_toml_value('Recommended: ' + base.title_en)}",
        f"description_de = {_toml_value(de)}",
        f"description_en = {_toml_value(en)}",
        f"source = {_toml_value(source)}",
        "",
        "[parameters]",
    ]
    if opt.months != base.params.months:
        lines.append(f"months = {opt.months}   # the run length the optimisation used")
    for lever in opt.levers:
        lines.append(
            f"{lever.name} = {_toml_value(check.values[lever.name])}   # searched "
            f"{_fmt(lever.low)} to {_fmt(lever.high)}, {_fmt(lever.cost)} {opt.unit} per unit"
        )
    return "\n".join(lines) + "\n"


def front_figure(
    opt: Optimization, table: pd.DataFrame, recommended: dict | None, lang: str = "en"
) -> Figure:
    """Every trial's cost against the share of seeds that reached the target, the front of
    the cheapest settings, the share asked for and the recommendation (a ``Figure``, not
    pyplot: the Planung page draws it in a thread of its own)."""
    from sim.i18n import number, percent, t
    from sim.indicators import INDICATORS

    fig = Figure(figsize=(7.5, 4.6), layout="constrained")
    ax = fig.subplots()
    feasible = table[table["feasible"]]
    other = table[~table["feasible"]]
    ax.scatter(other["cost"], other["share"], s=22, color="#bbbbbb", label=t("front_missed", lang))
    ax.scatter(
        feasible["cost"], feasible["share"], s=26, color="#1b6ca8", label=t("front_reached", lang)
    )
    line = front(table, opt.direction)
    ax.step(
        line["cost"], line["share"], where="post", color="#1b6ca8", lw=1.2, label=t("front", lang)
    )
    ax.axhline(
        opt.share,
        color="#d1495b",
        ls="--",
        lw=1,
        label=t("front_asked", lang).format(share=percent(opt.share, lang)),
    )
    if recommended is not None:
        ax.scatter(
            [recommended["cost"]],
            [recommended["share"]],
            s=120,
            facecolors="none",
            edgecolors="#d1495b",
            linewidths=2,
            label=t("front_recommended", lang),
        )
    unit = t("funded_hours", lang) if opt.unit == DEFAULT_UNIT else opt.unit
    ax.set_xlabel(f"{t('front_cost', lang)} ({unit})")
    indicator = INDICATORS[opt.indicator].label(lang) if lang == "de" else opt.indicator
    ax.set_ylabel(
        t("front_share", lang).format(
            indicator=indicator,
            sign="≥" if opt.direction > 0 else "≤",
            threshold=number(f"{opt.threshold:g}", lang),
        )
    )
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(opt.title, fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig


def _figure(opt: Optimization, table: pd.DataFrame, recommended: dict | None, path: Path) -> None:
    front_figure(opt, table, recommended).savefig(path, dpi=120)


def summary_markdown(
    opt: Optimization,
    table: pd.DataFrame,
    recommended: dict | None,
    check: Evaluation | None,
    manifest: dict,
) -> str:
    commit = (manifest.get("git") or {}).get("commit") or "unknown"
    lines = [
        f"# Optimisation: {opt.title}",
        "",
        *([opt.description, ""] if opt.description else []),
        f"- optimisation file `{opt.path.name}`; base scenario `{opt.scenario.name}`, "
        f"{opt.months} months",
        f"- target: {opt.target_text} (final value: the mean of the last 12 months)",
        "- levers: "
        + "; ".join(
            f"`{lv.name}` {_fmt(lv.low)} to {_fmt(lv.high)}"
            + (f" in steps of {_fmt(lv.step)}" if lv.step else "")
            + f", {_fmt(lv.cost)} {opt.unit} per unit"
            for lv in opt.levers
        ),
        f"- {len(table)} trials (Optuna TPE with the target as a constraint), every trial on the "
        f"same {opt.replications} seeds (common random numbers, root seed {opt.seed}); the "
        f"recommendation checked on {opt.check_replications} fresh seeds",
        f"- commit {commit}",
        "",
        "## Recommendation",
        "",
    ]
    if recommended is None or check is None:
        best = table.sort_values(["share", "mean"], ascending=[False, opt.direction < 0]).iloc[0]
        lines += [
            f"**No setting tried reaches the target.** The best reached it in "
            f"{best['share']:.0%} of the seeds ({_setting(opt, best)}; mean "
            f"{opt.indicator} {_fmt(best['mean'])}). Lower the target or the share asked "
            "for, or widen the levers' ranges.",
            "",
        ]
    else:
        reached = int(round(check.share * len(check.finals)))
        low, high = wilson(reached, len(check.finals))
        mean = Interval.of(np.array(check.finals))
        lines += [
            f"The cheapest setting found that reaches the target: {_setting(opt, recommended)}, "
            f"at a cost of {_fmt(recommended['cost'])} {opt.unit}.",
            "",
            f"On the optimisation's {opt.replications} seeds it reached the target in "
            f"{recommended['share']:.0%}. On {len(check.finals)} fresh seeds it reaches it in "
            f"{check.share:.0%} (95 % interval {low:.0%} to {high:.0%}); mean {opt.indicator} "
            f"{_fmt(mean.mean)} (95 % interval {_fmt(mean.low)} to {_fmt(mean.high)}).",
            "",
        ]
        if check.share < opt.share:
            lines += [
                f"*On fresh seeds the share ({check.share:.0%}) is below the share asked for "
                f"({opt.share:.0%}):* the setting was chosen on the optimisation's seeds, "
                "where it was lucky. Read it as the edge of what reaches the target; a little "
                "more of the levers, or more replications, gives a safer recommendation.",
                "",
            ]
        lines += [
            "`recommended.toml` is this setting as a scenario file "
            "(`kommune run recommended.toml`, `kommune compare`).",
            "",
        ]
    shown = front(table, opt.direction)
    lines += [
        "## The cost-effectiveness front",
        "",
        "The trials no other trial beats both in cost and in the share of seeds reaching the "
        "target, cheapest first (`front.png`; every trial in `trials.csv`).",
        "",
        "| "
        + " | ".join(lv.name for lv in opt.levers)
        + f" | cost | share reaching | mean {opt.indicator} | target met |",
        "|" + "---|" * (len(opt.levers) + 4),
    ]
    for _, row in shown.iterrows():
        lines.append(
            "| "
            + " | ".join(_fmt(row[lv.name]) for lv in opt.levers)
            + f" | {_fmt(row['cost'])} | {row['share']:.0%} | {_fmt(row['mean'])} | "
            + ("yes" if row["feasible"] else "no")
            + " |"
        )
    lines += [
        "",
        "## Files",
        "",
        "`trials.csv` (every trial), `front.png`, "
        + ("`recommended.toml`, " if check is not None else "")
        + "`study.log` (Optuna's journal: `--resume` continues from it), `manifest.json`.",
    ]
    return "\n".join(lines) + "\n"


def write_outputs(
    opt: Optimization,
    out: Path,
    table: pd.DataFrame,
    recommended: dict | None,
    check: Evaluation | None,
    manifest: dict,
) -> list[Path]:
    from sim.files.scenario import load

    summary = summary_markdown(opt, table, recommended, check, manifest)
    writers = {
        "trials.csv": lambda p: table.to_csv(p, index=False),
        "summary.md": lambda p: p.write_text(summary, encoding="utf-8"),
        "front.png": lambda p: _figure(opt, table, recommended, p),
    }
    if check is not None:
        text = recommended_scenario(opt, check, out / "recommended.toml", manifest)
        writers["recommended.toml"] = lambda p: p.write_text(text, encoding="utf-8")
    else:
        (out / "recommended.toml").unlink(missing_ok=True)  # from an earlier session
    files = write_all(out, writers)
    if check is not None:
        load(str(out / "recommended.toml"))  # what we wrote must load
    return files
