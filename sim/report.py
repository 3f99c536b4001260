"""The comparison report a planner can hand on: HTML with the figures embedded, the table as
CSV and Excel, and every monthly row of every run as Parquet.

The HTML file is self-contained (inline CSS, figures as embedded PNG): it opens offline,
can be mailed, and loads nothing from anywhere.
"""

from __future__ import annotations

import base64
import html
import io
import shlex
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import sim
from sim.compare import FINAL_MONTHS, Comparison, Interval
from sim.i18n import READING, t
from sim.indicators import HEADLINE, INDICATORS
from sim.output import write_all
from sim.params import SPEC_BY_NAME, Params

COLOURS = ("#1b6ca8", "#d1495b", "#00798c", "#edae49", "#66a182", "#8d6a9f", "#2e4057")
VERDICT_STYLE = {"better": "good", "worse": "bad", "higher": "neutral", "lower": "neutral",
                 "none": "none"}


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def bands_figure(comparison: Comparison, lang: str, names=HEADLINE):
    """Indicators over time: mean over runs and the 95 % band, one line per scenario."""
    fig, axes = plt.subplots(2, 4, figsize=(15, 6.5), sharex=True, constrained_layout=True)
    for ax, indicator in zip(axes.flat, names, strict=False):
        for colour, scenario in zip(COLOURS * 3, comparison.scenarios, strict=False):
            stack = np.vstack([t_[indicator].to_numpy(dtype=float)
                               for t_ in comparison.tables[scenario.name]])
            mean = stack.mean(axis=0)
            half = (Interval.half_width(stack) if len(stack) > 1 else np.zeros_like(mean))
            months = np.arange(1, len(mean) + 1)
            ax.plot(months, mean, color=colour, lw=1.8, label=scenario.name)
            ax.fill_between(months, mean - half, mean + half, color=colour, alpha=0.2, lw=0)
        ax.set_title(INDICATORS[indicator].label(lang), fontsize=10, loc="left")
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel(t("month", lang))
    axes.flat[0].legend(fontsize=8, frameon=False)
    return fig


def distributions_figure(comparison: Comparison, lang: str, names=HEADLINE):
    """Final-year values run by run: a box per scenario with every run as a dot."""
    finals = comparison.finals()
    fig, axes = plt.subplots(2, 4, figsize=(15, 6.5), constrained_layout=True)
    rng = np.random.default_rng(0)  # jitter of the dots only, not part of any result
    for ax, indicator in zip(axes.flat, names, strict=False):
        data = [finals.loc[finals.scenario == n, indicator].to_numpy()
                for n in comparison.names]
        ax.boxplot(data, widths=0.5, showfliers=False)
        for k, values in enumerate(data, start=1):
            ax.scatter(k + rng.uniform(-0.12, 0.12, len(values)), values, s=10,
                       color=COLOURS[(k - 1) % len(COLOURS)], alpha=0.7, zorder=3)
        ax.set_xticks(range(1, len(data) + 1), comparison.names, rotation=20, fontsize=8,
                      ha="right")
        ax.set_title(INDICATORS[indicator].label(lang), fontsize=10, loc="left")
        ax.grid(alpha=0.3, axis="y")
    return fig


def _fmt(value: float, indicator: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    unit = INDICATORS[indicator].unit
    text = f"{value:.1f}" if unit in ("count", "hours") else f"{value:.2f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0.0"


def _interval(r, indicator: str, signed: bool = False) -> str:
    mean = _fmt(r.mean, indicator)
    if signed and not mean.startswith("-") and mean != "–":
        mean = "+" + mean
    return (f"{mean} <span class=ci>[{_fmt(r.low, indicator)}, "
            f"{_fmt(r.high, indicator)}]</span>")


def _changed(params: Params) -> list[tuple[str, object]]:
    return [(name, value) for name, value in params.model_dump().items()
            if value != SPEC_BY_NAME[name].default]


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


def html_report(comparison: Comparison, lang: str, command: str) -> str:
    results, diffs = comparison.results(), comparison.differences()
    ref = comparison.reference
    e = html.escape
    runs, months = len(comparison.seeds), comparison.months
    parts = [f"<!doctype html><html lang={lang}><head><meta charset=utf-8>"
             f"<title>{t('comparison', lang)}</title><style>{CSS}</style></head><body>",
             f"<h1>{t('comparison', lang)}: {e(' / '.join(comparison.names))}</h1>",
             f"<p class=meta>Vernetzte Kommune {sim.__version__} · {date.today().isoformat()}"
             f" · {runs} {t('runs', lang)} × {months} {t('month', lang)}"
             f" · {t('final_year', lang).format(final=FINAL_MONTHS)}</p>"]

    parts.append(f"<h2>{t('at_a_glance', lang)}</h2>")
    for s in comparison.scenarios:
        r = results[s.name]["effectiveness"]
        line = (f"<b>{e(s.title(lang))}</b> ({e(s.name)}): "
                f"{INDICATORS['effectiveness'].label(lang)} {_interval(r, 'effectiveness')}")
        if s.name in diffs:
            d, v = diffs[s.name]["effectiveness"]
            line += (f" · {t('versus', lang)} {e(ref)}: {_interval(d, 'effectiveness', True)}"
                     f" <span class='{VERDICT_STYLE[v]}'>{t(v, lang)}</span>")
        flagged = results[s.name]["nette_runde"].mean
        line += f" · {INDICATORS['nette_runde'].label(lang)}: {flagged:.0%}"
        parts.append(f"<div class=card>{line}</div>")

    parts.append(f"<h2>{t('all_indicators', lang)}</h2><table><tr><th>"
                 f"{t('indicator', lang)}</th>")
    for name in comparison.names:
        parts.append(f"<th>{e(name)}</th>")
    for name in comparison.names[1:]:
        parts.append(f"<th>{e(name)} {t('versus', lang)} {e(ref)}</th>")
    parts.append("</tr>")
    for i, meta in INDICATORS.items():
        parts.append(f"<tr><td title='{e(meta.meaning(lang))}'>{e(meta.label(lang))}<br>"
                     f"<span class=ci>{e(meta.meaning(lang))}</span></td>")
        for name in comparison.names:
            parts.append(f"<td class=num>{_interval(results[name][i], i)}</td>")
        for name in comparison.names[1:]:
            d, v = diffs[name][i]
            parts.append(f"<td class='num {VERDICT_STYLE[v]}'>{_interval(d, i, True)}<br>"
                         f"{t(v, lang)}</td>")
        parts.append("</tr>")
    parts.append("</table>")

    parts.append(f"<h2>{t('over_time', lang)}</h2>"
                 f"<img alt='' src='data:image/png;base64,{_png(bands_figure(comparison, lang))}'>")
    parts.append(f"<h2>{t('distributions', lang)}</h2><img alt='' src='data:image/png;base64,"
                 f"{_png(distributions_figure(comparison, lang))}'>")

    parts.append(f"<h2>{t('scenarios', lang)}</h2>")
    for s in comparison.scenarios:
        changed = "".join(f"<tr><td><code>{e(k)}</code></td><td>{e(str(v))}</td>"
                          f"<td class=ci>{e(str(SPEC_BY_NAME[k].default))}</td>"
                          f"<td class=ci>{e(SPEC_BY_NAME[k].meaning(lang))}</td></tr>"
                          for k, v in _changed(s.params))
        events = "; ".join(f"{t('month', lang)} {ev.month}: {ev.kind}"
                           + (f" ({ev.share:.0%})" if ev.kind == "funding_cut" else "")
                           for ev in s.events) or t("no_events", lang)
        parts.append(
            f"<div class=card><b>{e(s.name)}</b>: {e(s.title(lang))}<br>{e(s.description(lang))}"
            f"<br><span class=meta>{t('source', lang)}: {e(s.source)} · "
            f"{t('fields', lang)}: {e(', '.join(s.fields(lang)))} · "
            f"{t('events', lang)}: {e(events)}</span>"
            f"<p class=meta>{t('parameters_changed', lang)}:</p><table><tr><th>"
            f"{t('parameter', lang)}</th><th>{t('value', lang)}</th><th>{t('default', lang)}"
            f"</th><th></th></tr>{changed}</table></div>")

    parts.append(f"<h2>{t('how_to_read', lang)}</h2><p>"
                 f"{READING[lang].format(runs=runs, months=months, final=FINAL_MONTHS)}</p>"
                 f"<p class=meta>{t('reproduce', lang)}: <code>{e(command)}</code></p>")
    parts.append("</body></html>")
    return "".join(parts)


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
    return write_all(folder, {
        "report.html": lambda p: p.write_text(html_report(comparison, lang, command),
                                              encoding="utf-8"),
        "comparison.csv": lambda p: comparison.table(lang).to_csv(p, index=False),
        "comparison.xlsx": lambda p: excel(comparison, lang, p),
    })
