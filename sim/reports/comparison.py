"""The comparison report a planner can hand on: HTML with the figures embedded (from the
template ``sim/reports/templates/report.html.j2``) and the table as CSV and Excel.

The HTML file is self-contained (inline CSS, figures as embedded PNG): it opens offline,
can be mailed, and loads nothing from anywhere.
"""

from __future__ import annotations

import base64
import io
import shlex
from datetime import date
from pathlib import Path

import jinja2
import markupsafe
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

import sim
from sim.i18n import READING, number, percent, t
from sim.indicators import HEADLINE, INDICATORS
from sim.params import SPEC_BY_NAME, Params
from sim.runs.compare import FINAL_MONTHS, Comparison, Interval
from sim.runs.output import write_all

COLOURS = ("#1b6ca8", "#d1495b", "#00798c", "#edae49", "#66a182", "#8d6a9f", "#2e4057")
VERDICT_STYLE = {
    "better": "good",
    "worse": "bad",
    "higher": "neutral",
    "lower": "neutral",
    "none": "none",
}


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _decimal_ticks(ax, lang: str) -> None:
    """German axes read 0,2 and 0,4, as the tables do."""
    if lang == "de":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(f"{v:g}", lang)))


def short_name(name: str, most: int = 28) -> str:
    """A scenario's name for a figure: a file's stem, not its path, and at most ``most``
    characters (a long path squeezed the panels to nothing)."""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".toml")
    return stem if len(stem) <= most else stem[: most - 1] + "…"


def bands_figure(comparison: Comparison, lang: str, names=HEADLINE):
    """Indicators over time: mean over runs and the 95 % band, one line per scenario."""
    # Figure, not pyplot: the Planung page draws reports in several threads at once
    fig = Figure(figsize=(15, 6.5), layout="constrained")
    axes = fig.subplots(2, 4, sharex=True)
    for ax, indicator in zip(axes.flat, names, strict=False):
        for colour, scenario in zip(COLOURS * 3, comparison.scenarios, strict=False):
            stack = np.vstack(
                [t_[indicator].to_numpy(dtype=float) for t_ in comparison.tables[scenario.name]]
            )
            mean = stack.mean(axis=0)
            half = Interval.half_width(stack) if len(stack) > 1 else np.zeros_like(mean)
            months = np.arange(1, len(mean) + 1)
            ax.plot(months, mean, color=colour, lw=1.8, label=short_name(scenario.name))
            ax.fill_between(months, mean - half, mean + half, color=colour, alpha=0.2, lw=0)
        ax.set_title(INDICATORS[indicator].label(lang), fontsize=10, loc="left")
        ax.grid(alpha=0.3)
        _decimal_ticks(ax, lang)
    for ax in axes[1]:
        ax.set_xlabel(t("month", lang))
    axes.flat[0].legend(fontsize=8, frameon=False)
    return fig


def distributions_figure(comparison: Comparison, lang: str, names=HEADLINE):
    """Final-year values run by run: a box per scenario with every run as a dot."""
    finals = comparison.finals()
    fig = Figure(figsize=(15, 6.5), layout="constrained")
    axes = fig.subplots(2, 4)
    rng = np.random.default_rng(0)  # jitter of the dots only, not part of any result
    for ax, indicator in zip(axes.flat, names, strict=False):
        data = [finals.loc[finals.scenario == n, indicator].to_numpy() for n in comparison.names]
        ax.boxplot(data, widths=0.5, showfliers=False)
        for k, values in enumerate(data, start=1):
            ax.scatter(
                k + rng.uniform(-0.12, 0.12, len(values)),
                values,
                s=10,
                color=COLOURS[(k - 1) % len(COLOURS)],
                alpha=0.7,
                zorder=3,
            )
        ax.set_xticks(
            range(1, len(data) + 1),
            [short_name(n) for n in comparison.names],
            rotation=20,
            fontsize=8,
            ha="right",
        )
        ax.set_title(INDICATORS[indicator].label(lang), fontsize=10, loc="left")
        ax.grid(alpha=0.3, axis="y")
        _decimal_ticks(ax, lang)
    return fig


def _fmt(value: float, indicator: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    unit = INDICATORS[indicator].unit
    text = f"{value:.1f}" if unit in ("count", "hours") else f"{value:.2f}"
    text = text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0.0"
    return number(text, lang)


def _interval(r, indicator: str, lang: str, signed: bool = False) -> markupsafe.Markup:
    mean = _fmt(r.mean, indicator, lang)
    if signed and not mean.startswith("-") and mean != "–" and mean.strip("0.,") != "":
        mean = "+" + mean  # a difference that rounds to zero gets no sign
    sep = "; " if lang == "de" else ", "  # 0,41; 0,57: the comma is the decimal mark
    return markupsafe.Markup('{} <span class="ci">[{}{}{}]</span>').format(
        mean, _fmt(r.low, indicator, lang), sep, _fmt(r.high, indicator, lang)
    )


def interval_text(r, indicator: str, lang: str, signed: bool = False) -> str:
    """``_interval`` as plain text: "+0,05 [0,03; 0,07]"."""
    return markupsafe.Markup(_interval(r, indicator, lang, signed)).striptags()


def _changed(params: Params) -> list[tuple[str, object]]:
    return [
        (name, value)
        for name, value in params.model_dump().items()
        if value != SPEC_BY_NAME[name].default
    ]


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1180px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.1em} h2{margin-top:1.6em;border-bottom:2px solid #ddd}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em} td,th{padding:.3em .6em;
border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
th{background:#f4f4f4} td.num{text-align:right;white-space:nowrap}
.ci{color:#777;font-size:.85em} .good{background:#dff3e3} .bad{background:#fbe0e0}
.neutral{background:#eef2f7} .none{color:#777} .meta{color:#666;font-size:.9em}
.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;margin:.6em 0}
img{max-width:100%} code{background:#f4f4f4;padding:0 .3em}
"""


_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("sim.reports", "templates"),
    autoescape=True,  # every scenario text is escaped; only _interval's markup is trusted
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def html_report(
    comparison: Comparison, lang: str, command: str, recommendation: dict | None = None
) -> str:
    """The report page, from ``sim/reports/templates/report.html.j2``; ``recommendation``
    (the Planung page's: ``text`` and the cost-effectiveness ``front`` as base64 PNG) adds
    its section."""
    results, diffs = comparison.results(), comparison.differences()
    ref = comparison.reference

    def glance(s) -> dict:
        card = {
            "name": s.name,
            "title": s.title(lang),
            "value": _interval(results[s.name]["effectiveness"], "effectiveness", lang),
            "nette": percent(results[s.name]["nette_runde"].mean, lang),
            "diff": None,
        }
        if s.name in diffs:
            d, v = diffs[s.name]["effectiveness"]
            card.update(
                diff=_interval(d, "effectiveness", lang, True),
                style=VERDICT_STYLE[v],
                verdict=t(v, lang),
            )
        return card

    def row(i: str, meta) -> dict:
        return {
            "label": meta.label(lang),
            "meaning": meta.meaning(lang),
            "cells": [_interval(results[name][i], i, lang) for name in comparison.names],
            "differences": [
                {
                    "value": _interval(diffs[name][i][0], i, lang, True),
                    "style": VERDICT_STYLE[diffs[name][i][1]],
                    "verdict": t(diffs[name][i][1], lang),
                }
                for name in comparison.names[1:]
            ],
        }

    def scenario(s) -> dict:
        events = "; ".join(
            f"{t('month', lang)} {ev.month}: {ev.kind}"
            + (f" ({percent(ev.share, lang)})" if ev.kind == "funding_cut" else "")
            + (f" ({ev.detail()})" if ev.kind in ("levers", "new_partner") else "")
            for ev in s.events
        ) or t("no_events", lang)
        return {
            "name": s.name,
            "title": s.title(lang),
            "description": s.description(lang),
            "source": s.source,
            "fields": ", ".join(s.fields(lang)),
            "events": events,
            "changed": [
                {
                    "name": k,
                    "value": number(str(v), lang) if isinstance(v, float) else str(v),
                    "default": (
                        number(str(SPEC_BY_NAME[k].default), lang)
                        if isinstance(SPEC_BY_NAME[k].default, float)
                        else str(SPEC_BY_NAME[k].default)
                    ),
                    "meaning": SPEC_BY_NAME[k].meaning(lang),
                }
                for k, v in _changed(s.params)
            ],
        }

    runs, months = len(comparison.seeds), comparison.months
    return _TEMPLATES.get_template("report.html.j2").render(
        lang=lang,
        t=lambda key: t(key, lang),
        css=markupsafe.Markup(CSS),
        names=comparison.names,
        others=comparison.names[1:],
        reference=ref,
        version=sim.__version__,
        today=date.today().isoformat(),
        runs=runs,
        months=months,
        final_year=t("final_year", lang).format(final=FINAL_MONTHS),
        effectiveness_label=INDICATORS["effectiveness"].label(lang),
        nette_label=INDICATORS["nette_runde"].label(lang),
        glance=[glance(s) for s in comparison.scenarios],
        rows=[row(i, meta) for i, meta in INDICATORS.items()],
        bands=_png(bands_figure(comparison, lang)),
        distributions=_png(distributions_figure(comparison, lang)),
        scenarios=[scenario(s) for s in comparison.scenarios],
        reading=READING[lang].format(runs=runs, months=months, final=FINAL_MONTHS),
        recommendation=recommendation,
        command=command,
    )


def excel(comparison: Comparison, lang: str, path: Path) -> None:
    sheets = {"comparison": "Vergleich", "runs": "Läufe", "parameters": "Parameter"}
    name = (lambda k: sheets[k]) if lang == "de" else (lambda k: k)
    params = pd.DataFrame({s.name: s.params.model_dump() for s in comparison.scenarios})
    # a column name no scenario can have (scenario names are letters, digits, _ and -)
    params.insert(0, t("model_default", lang), [SPEC_BY_NAME[k].default for k in params.index])
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        comparison.table(lang).to_excel(writer, sheet_name=name("comparison"), index=False)
        comparison.finals().to_excel(writer, sheet_name=name("runs"), index=False)
        params.to_excel(writer, sheet_name=name("parameters"))


def write_report(comparison: Comparison, folder: Path, lang: str, argv: list[str]) -> list[Path]:
    """report.html, comparison.csv and comparison.xlsx, all or nothing (the runs are in
    the folder's runs/ already, stored as they finished)."""
    command = "kommune " + " ".join(shlex.quote(a) for a in argv)
    return write_all(
        folder,
        {
            "report.html": lambda p: p.write_text(
                html_report(comparison, lang, command), encoding="utf-8"
            ),
            "comparison.csv": lambda p: comparison.table(lang).to_csv(p, index=False),
            "comparison.xlsx": lambda p: excel(comparison, lang, p),
        },
    )
