"""Governance modes against Provan & Kenis (2008): the model's best mode per condition
beside the paper's prediction, divergences reported.

Provan & Kenis relate the effectiveness of shared governance, a lead organisation and a
network administrative organisation (NAO) to four contingencies. As ODD §1 (pattern 7) states
them: shared governance fits few members, high trust and high goal consensus (and a low need
for network-level competence); a lead organisation fits moderate size and low consensus
(and a moderate need for competence); an NAO fits many members and a high need for
network-level competence (and moderate trust and consensus). Each condition of the
experiment is scored on these four dimensions; the mode with the most matches is the
paper's prediction ("unclear" on a tie).

The experiment's ``[analysis]`` table names the factor standing for each contingency;
``-name`` means "higher values mean less" (e.g. ``consensus = "-goal_heterogeneity"``).
Levels are taken as low / moderate / high in ascending order.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.analysis.common import Analysis, describe_value, fmt
from sim.files.experiment import ANALYSIS_KEYS
from sim.runs.compare import Interval

MODES = ("shared", "lead", "nao")
# for each contingency: which mode a low / moderate / high level favours
FAVOURS = {
    "size": ("shared", "lead", "nao"),
    "trust": ("lead", "nao", "shared"),
    "consensus": ("lead", "nao", "shared"),
    "competence": ("shared", "lead", "nao"),
}
assert tuple(FAVOURS) == ANALYSIS_KEYS["governance"]  # the keys experiment files may use


def _rank(levels: list, reverse: bool) -> dict:
    ordered = sorted(levels)
    if reverse:
        ordered = ordered[::-1]
    if len(ordered) == 1:
        return {ordered[0]: 1}
    positions = np.linspace(0, 2, len(ordered))
    return {value: int(round(p)) for value, p in zip(ordered, positions, strict=True)}


LEVELS = ("low", "moderate", "high")


def votes(ranks: dict[str, int]) -> str:
    """Which mode each contingency's level favours, as the prediction counts them: e.g.
    "shared 3 (trust high, consensus high, competence low), nao 1 (size high)"."""
    by_mode: dict[str, list[str]] = {m: [] for m in MODES}
    for dimension, rank in ranks.items():
        by_mode[FAVOURS[dimension][rank]].append(f"{dimension} {LEVELS[rank]}")
    ordered = sorted((m for m in MODES if by_mode[m]), key=lambda m: -len(by_mode[m]))
    return ", ".join(f"{m} {len(by_mode[m])} ({', '.join(by_mode[m])})" for m in ordered)


def predict(ranks: dict[str, int]) -> str:
    """Provan & Kenis' mode for a condition, from its low(0)/moderate(1)/high(2) ranks."""
    votes = dict.fromkeys(MODES, 0)
    for dimension, rank in ranks.items():
        votes[FAVOURS[dimension][rank]] += 1
    best = max(votes.values())
    winners = [m for m, v in votes.items() if v == best]
    return winners[0] if len(winners) == 1 else "unclear"


def run(analysis: Analysis) -> None:
    settings = analysis.settings
    outcome = analysis.outcome
    finals = analysis.finals()
    if "governance" not in analysis.factor_names:
        raise ValueError("a governance analysis needs 'governance' as a factor")
    dimensions = {}
    for dimension in FAVOURS:
        name = settings.get(dimension)
        if name:
            reverse = name.startswith("-")
            factor = name.lstrip("-")
            dimensions[dimension] = (factor, _rank(sorted(finals[factor].unique()), reverse))
    conditions = [factor for factor, _ in dimensions.values()]
    rows = []
    for key, group in finals.groupby(conditions):
        key = key if isinstance(key, tuple) else (key,)
        values = dict(zip(conditions, key, strict=True))
        ranks = {d: rank[values[f]] for d, (f, rank) in dimensions.items()}
        by_mode = {m: group[group.governance == m].sort_values("replicate") for m in MODES}
        means = {m: float(by_mode[m][outcome].mean()) for m in MODES}
        best, second = sorted(MODES, key=lambda m: -means[m])[:2]
        diff = by_mode[best][outcome].to_numpy() - by_mode[second][outcome].to_numpy()
        clear = len(diff) > 1 and Interval.of(diff).low > 0
        predicted = predict(ranks)
        rows.append(
            {
                **values,
                **{f"{m}": means[m] for m in MODES},
                "best": best,
                "margin": float(diff.mean()),
                "clear": bool(clear),
                "predicted": predicted,
                "agrees": predicted == best if predicted != "unclear" else None,
                "votes": votes(ranks),
            }
        )
    table = pd.DataFrame(rows)
    analysis.save_table("governance.csv", table)

    fig, ax = plt.subplots(figsize=(max(8, 0.55 * len(table) + 2), 4.8), constrained_layout=True)
    xpos = np.arange(len(table))
    for k, (mode, colour) in enumerate(zip(MODES, ("#66a182", "#edae49", "#1b6ca8"), strict=True)):
        ax.bar(xpos + (k - 1) * 0.27, table[mode], 0.27, label=mode, color=colour)
    for i, row in table.iterrows():
        mark = {True: "✓", False: "✗", None: "?"}[row["agrees"]]
        ax.text(i, table[list(MODES)].to_numpy().max() * 1.02, mark, ha="center", fontsize=9)
    labels = ["/".join(describe_value(row[c]) for c in conditions) for _, row in table.iterrows()]
    ax.set_xticks(xpos, labels, rotation=70, fontsize=7)
    ax.set_xlabel(" / ".join(conditions))
    ax.set_ylabel(f"mean {outcome}")
    ax.legend(frameon=False, ncol=3)
    ax.set_title(
        "best mode per condition; ✓ agrees with Provan & Kenis, ✗ diverges, ? no clear prediction",
        fontsize=9,
        loc="left",
    )
    analysis.save_figure("governance.png", fig)

    judged = table[table["predicted"] != "unclear"]
    agree = int(judged["agrees"].sum())
    clear = judged[judged["clear"]]
    agree_clear = int(clear["agrees"].sum())
    lines = [
        f"| {' / '.join(describe_value(r[c]) for c in conditions)} | "
        + " | ".join(fmt(r[m]) for m in MODES)
        + f" | {r['best']}{'' if r['clear'] else ' (not clear)'} | {r['predicted']} | "
        + {True: "agrees", False: "**diverges**", None: "-"}[r["agrees"]]
        + " |"
        for _, r in table.iterrows()
    ]
    wins = table["best"].value_counts().to_dict()
    divergent = judged[~judged["agrees"].astype(bool)]
    pattern = (
        divergent.groupby(["predicted", "best"]).size().sort_values(ascending=False)
        if len(divergent)
        else pd.Series(dtype=int)
    )
    summary = ", ".join(f"predicted {p} but {b} best in {n}" for (p, b), n in pattern.items())
    unexplained = judged[judged["clear"] & ~judged["agrees"].astype(bool)]
    why = [
        f"- {' / '.join(describe_value(r[c]) for c in conditions)}: predicted "
        f"{r['predicted']}, the model's {r['best']} leads by {fmt(r['margin'])}. "
        f"The contingencies vote {r['votes']}."
        for _, r in unexplained.iterrows()
    ]
    analysis.add(
        "## Governance modes against Provan & Kenis (2008)\n\n"
        "Contingencies: "
        + ", ".join(f"{d} = `{settings.get(d)}`" for d in dimensions)
        + ". For every condition the table gives the mean "
        f'{outcome} of each mode, the model\'s best mode ("not clear" when its paired '
        "difference to the runner-up has a 95 % interval that includes zero), the mode "
        "Provan & Kenis' contingencies predict, and whether they agree.\n\n"
        f"The model's best mode overall: "
        + ", ".join(f"{m} in {n}" for m, n in wins.items())
        + f" of {len(table)} conditions. Where the paper makes a prediction "
        f"({len(judged)} conditions), the model agrees in {agree} "
        f"({agree / max(1, len(judged)):.0%})"
        + (f"; divergences: {summary}." if summary else ".")
        + f" Where the paper makes a prediction and the model's best mode is clear "
        f"({len(clear)} conditions), the model agrees in {agree_clear} "
        f"({agree_clear / max(1, len(clear)):.0%})." + "\n\n"
        f"| {' / '.join(conditions)} | " + " | ".join(MODES) + " | model's best | predicted | |\n"
        "|---|---|---|---|---|---|---|\n"
        + "\n".join(lines)
        + (
            "\n\n### The clear divergences, with the contingencies' votes\n\n"
            "Each contingency's level votes for the mode it favours (ODD section 1, pattern "
            "7); the prediction is the mode with most votes. Where the model's clear best "
            "mode has a vote, that contingency is the one the model follows.\n\n" + "\n".join(why)
            if why
            else ""
        )
    )
