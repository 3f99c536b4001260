"""The short, readable account of one run that ``kommune run`` prints.

How the indicators moved: the value in the first month, half-way and in the last month,
the change, and a sparkline of the whole course, followed by the verdicts a reader cares
about (is it a 'nette Runde'? who left, who joined?).
"""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text

from sim.indicators import DETAIL, FINAL_MONTHS, HEADLINE, SHARES
from sim.runs.runner import INTEGER_INDICATORS, RunResult

BLOCKS = "▁▂▃▄▅▆▇█"
SHOWN = (*HEADLINE, *DETAIL)


def sparkline(
    values: np.ndarray, width: int = 18, low: float | None = None, high: float | None = None
) -> str:
    """Unicode sparkline of ``values`` averaged into at most ``width`` bins."""
    if len(values) == 0:
        return ""
    bins = np.array_split(np.asarray(values, dtype=float), min(width, len(values)))
    means = np.array([b.mean() for b in bins])
    low = means.min() if low is None else low
    high = means.max() if high is None else high
    if high - low < 1e-12:
        return BLOCKS[0] * len(means)
    idx = np.clip(((means - low) / (high - low) * (len(BLOCKS) - 1)).round(), 0, len(BLOCKS) - 1)
    return "".join(BLOCKS[int(i)] for i in idx)


def _fmt(name: str, value: float) -> str:
    return f"{int(value)}" if name in INTEGER_INDICATORS else f"{value:.2f}"


def _change(name: str, delta: float) -> str:
    if name in INTEGER_INDICATORS:
        return f"{int(delta):+d}"
    return f"{delta:+.2f}"


def render(result: RunResult, title: str = "") -> Group:
    t = result.table
    mid = len(t) // 2
    head = Text.assemble(
        ("Vernetzte Kommune", "bold"),
        f" · scenario {result.scenario} · seed {result.seed} · {result.months} months"
        f" · {result.seconds:.2f} s",
        (
            f"\nfirst = month {t['month'].iloc[0]}, middle = month {t['month'].iloc[mid]}, "
            f"last = month {t['month'].iloc[-1]}",
            "dim",
        ),
    )
    p = result.params
    setting = Text(f"{title}\n" if title else "", style="italic").append(
        f"governance {p.governance} · coordinator {p.coordinator_hours:g} h/month · "
        f"joint funding {p.joint_funding_share:.0%} · {int(t['members'].iloc[0])} members "
        f"in {p.n_fields} fields",
        style="dim",
    )
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("indicator", no_wrap=True)
    for label in ("first", "middle", "last", "change"):
        table.add_column(label, justify="right", no_wrap=True)
    table.add_column(f"course, month {t['month'].iloc[0]}-{t['month'].iloc[-1]}", no_wrap=True)
    for name in SHOWN:
        series = t[name].to_numpy(dtype=float)
        bounds = (0.0, 1.0) if name in SHARES else (None, None)
        style = "bold" if name == "effectiveness" else None
        table.add_row(
            name,
            _fmt(name, series[0]),
            _fmt(name, series[mid]),
            _fmt(name, series[-1]),
            _change(name, series[-1] - series[0]),
            sparkline(series, low=bounds[0], high=bounds[1]),
            style=style,
        )
    return Group(head, setting, Text(""), table, Text(""), *verdicts(result))


def verdicts(result: RunResult) -> list[Text]:
    t = result.table
    last_year = t["nette_runde"].iloc[-FINAL_MONTHS:]
    flagged = int((last_year > 0.5).sum())
    lines = []
    if flagged:
        lines.append(
            Text(
                f"Warning: 'nette Runde' in {flagged} of the last {len(last_year)} months: "
                "meetings are held and still draw members, but complex and hard-to-reach need "
                "stays largely unmet.",
                style="bold red",
            )
        )
    else:
        lines.append(
            Text(
                "No 'nette Runde' at the end: joint work serves a real share of "
                "complex and hard-to-reach need.",
                style="green",
            )
        )
    exits = sum(result.exits.values())
    entries = sum(result.entries.values())

    def by_kind(counts: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"

    lines.append(
        Text(
            f"Left the network: {exits} ({by_kind(result.exits)}); "
            f"joined: {entries} ({by_kind(result.entries)})."
        )
    )
    if result.events:
        done = [e for e in result.events if e.month <= result.months]
        lines.append(
            Text(
                "Events: "
                + "; ".join(
                    f"month {e.month} {e.kind}" + (f" ({e.detail()})" if e.detail() else "")
                    for e in done
                )
                if done
                else "Events: none within the run."
            )
        )
    return lines
