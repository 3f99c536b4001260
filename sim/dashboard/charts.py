"""The dashboard's charts as Apache ECharts options, drawn in the browser.

Only a small dictionary travels per frame; the browser draws it (ECharts comes with
solara-assets, so nothing is fetched from the internet). Two charts:

* the network: actors coloured by kind and sized by motivation, inactive ones grey, ties
  drawn by strength, on positions that stay put (``layout``) and hidden axes fixed to the
  layout's frame, so nothing jumps when someone joins;
* the main indicators over the months (B dashed in compare mode), with the months in which
  the network was a "nette Runde" shaded.
"""

from __future__ import annotations

from typing import Any

from sim.agents import KINDS_DE
from sim.dashboard.layout import NetworkLayout
from sim.i18n import t
from sim.indicators import INDICATORS, headline_shares

KINDS = ("administration", "carrier", "volunteer", "coordinator")
COLOURS = {
    "administration": "#1b6ca8",
    "carrier": "#edae49",
    "volunteer": "#00a36c",
    "coordinator": "#8d2f9f",
    "inactive": "#c4c4c4",
}
PLAYED_COLOUR = "#d1495b"  # rings around the actors people in the room play
SHOWN = headline_shares(5)  # the line chart: five lines stay readable on a projector
LINE_COLOURS = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#8d6a9f")
MIN_TIE = 0.05  # fainter ties are not drawn
TIES_PER_ACTOR = 4  # in a large network only the strongest ties are drawn, this many per actor
MIN_DRAWN = 400  # ... but never fewer than this: a small network shows all its ties
STRENGTH_CLASSES = 6  # ties are drawn in this many steps of strength (plus one for leavers)


def kind_label(kind: str, lang: str) -> str:
    if kind == "inactive":
        return t("inactive", lang)
    return KINDS_DE[kind] if lang == "de" else t(f"kind_{kind}", "en")


def network_option(
    model,
    layout: NetworkLayout,
    lang: str = "de",
    scale: float = 1.0,
    marked: dict[int, str] | None = None,
) -> dict[str, Any]:
    """Ties as polylines and actors as points on fixed, hidden axes: the frame is the
    layout's, so the picture never rescales when someone joins or leaves. ``marked``:
    actors played by people in the room (id -> player's name), ringed and named."""
    pos = layout.positions(model)
    groups: dict[str, list] = {k: [] for k in (*KINDS, "inactive")}
    for agent in model.everyone():
        x, y = pos[agent.unique_id]
        if agent.kind == "coordinator":
            size = 26 * scale
        elif agent.active:
            size = (6 + 18 * agent.motivation) * scale
        else:
            size = 5 * scale
        kind = agent.kind if agent.active else "inactive"
        groups[kind].append(
            {"value": [round(float(x), 4), round(float(y), 4)], "symbolSize": round(size, 1)}
        )
    series = tie_series(model, pos, scale)
    (x0, y0), (x1, y1) = layout.low, layout.high
    axis = {"show": False, "type": "value"}
    for kind, points in groups.items():
        series.append(
            {
                "type": "scatter",
                "name": kind_label(kind, lang),
                "data": points,
                "z": 2,
                "symbol": "diamond" if kind == "coordinator" else "circle",
                "silent": True,
                "color": COLOURS[kind],
                "itemStyle": {"borderColor": "#ffffff", "borderWidth": 1},
            }
        )
    legend = [kind_label(k, lang) for k in groups]
    if marked:
        played = [
            {
                "value": [round(float(pos[uid][0]), 4), round(float(pos[uid][1]), 4)],
                "name": name,
            }
            for uid, name in marked.items()
            if uid in pos
        ]
        series.append(
            {
                "type": "scatter",
                "name": t("played", lang),
                "data": played,
                "z": 3,
                "symbol": "emptyCircle",
                "symbolSize": round(30 * scale, 1),
                "silent": True,
                "color": PLAYED_COLOUR,
                "itemStyle": {"borderWidth": 3 * scale},
                "label": {
                    "show": True,
                    "position": "top",
                    "formatter": "{b}",
                    "fontSize": round(12 * scale),
                    "fontWeight": "bold",
                    "color": PLAYED_COLOUR,
                },
            }
        )
        legend.append(t("played", lang))
    members = len(model.member_list)
    return {
        "animation": False,
        "aria": _aria(
            f"{t('network', lang)}, {t('month', lang)} {model.month}: "
            f"{members} {t('members_now', lang)}"
        ),
        "grid": {"left": 5, "right": 5, "top": 5, "bottom": 40 * scale**2},
        "xAxis": {**axis, "min": round(float(x0), 4), "max": round(float(x1), 4)},
        "yAxis": {**axis, "min": round(float(y0), 4), "max": round(float(y1), 4)},
        "legend": {
            "bottom": 0,
            "selectedMode": False,
            "itemGap": 8,
            "itemWidth": 12,
            "textStyle": {"fontSize": round(12 * scale)},
            "data": legend,
        },
        "series": series,
        "toolbox": _save_png("kommune-netzwerk" if lang == "de" else "kommune-network", lang),
    }


def tie_series(model, pos: dict, scale: float) -> list[dict[str, Any]]:
    """Ties as one polyline per strength class (segments separated by gaps): a handful of
    paths for the browser to draw instead of a shape per tie, which halves the chart's
    drawing time at 200 actors. A large network shows only its strongest ties, at most
    ``TIES_PER_ACTOR`` per actor on average, so 400 actors read as groups, not a hairball;
    ties of leavers are drawn faint grey."""
    active = {a.unique_id for a in model.everyone() if a.active}
    edges = [(i, j, w) for i, j, w in model.ties.edges() if w >= MIN_TIE]
    budget = max(MIN_DRAWN, TIES_PER_ACTOR * len(active))
    if len(edges) > budget:
        edges = sorted(edges, key=lambda e: e[2], reverse=True)[:budget]
    xy = {i: [round(float(x), 3), round(float(y), 3)] for i, (x, y) in pos.items()}
    classes: dict[int, list] = {k: [] for k in range(STRENGTH_CLASSES + 1)}
    for i, j, w in edges:
        live = i in active and j in active
        k = min(STRENGTH_CLASSES - 1, int(w * STRENGTH_CLASSES)) if live else STRENGTH_CLASSES
        classes[k] += (xy[i], xy[j], None)
    series = []
    for k, points in classes.items():  # one series per strength class: one style each
        w = (k + 0.5) / STRENGTH_CLASSES
        style = (
            {
                "width": round((0.3 + 2.7 * w) * scale**0.5, 2),
                "opacity": round(0.15 + 0.6 * w, 2),
                "color": "#40404d",
            }
            if k < STRENGTH_CLASSES
            else {"width": 0.6, "opacity": 0.12, "color": "#b0b0b0"}
        )
        series.append(
            {
                "type": "line",
                "silent": True,
                "z": 1,
                "symbol": "none",
                "connectNulls": False,
                "lineStyle": style,
                "data": points,
            }
        )
    return series


def _save_png(name: str, lang: str) -> dict[str, Any]:
    """ECharts' own "save as image": the chart as a PNG file, drawn in the browser (twice
    the screen's resolution, for slides), nothing sent anywhere."""
    return {
        "right": 0,
        "feature": {"saveAsImage": {"title": t("save_png", lang), "name": name, "pixelRatio": 2}},
    }


def _aria(description: str) -> dict[str, Any]:
    """ECharts writes this description into the chart's ``aria-label``: screen readers get
    what the canvas shows, and the dashboard benchmark can tell when a frame is drawn."""
    return {"enabled": True, "label": {"description": description}, "decal": {"show": False}}


def _tint(colour: str, amount: float = 0.45) -> str:
    """``colour`` mixed with white: B's lines, so A and B differ in colour as well as in
    line style (a projector washes dashes out)."""
    rgb = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def _nette_shading(values: dict, side: int, sides: int, labels: tuple, scale: float) -> dict:
    """Months as a nette Runde, shaded red. Alone, over the whole height; in compare mode A
    in the upper half and B in the lower half, each labelled, so the two can be told apart
    where both are one."""
    band = {0: (0.0, 100.0)} if sides == 1 else {0: (50.0, 100.0), 1: (0.0, 50.0)}
    low, high = band[side]
    spans = [
        [{**start, "yAxis": low}, {**end, "yAxis": high}]
        for start, end in _flagged_spans(values.get("nette_runde", []))
    ]
    return {
        "silent": True,
        "itemStyle": {"color": "rgba(209,73,91,0.1)" if side == 0 else "rgba(209,73,91,0.16)"},
        "label": {
            "show": sides > 1,
            "position": "insideTopLeft",
            "formatter": labels[side],
            "fontSize": round(11 * scale),
        },
        "data": spans,
    }


def _flagged_spans(flags: list[float]) -> list[list[dict]]:
    spans, start = [], None
    for month, on in enumerate(flags, start=1):
        if on and start is None:
            start = month
        if start is not None and (not on or month == len(flags)):
            end = month if on else month - 1
            spans.append([{"xAxis": start - 0.5}, {"xAxis": end + 0.5}])
            start = None
    return spans


def _event_markers(numbered: list[tuple[int, dict]], scale: float) -> dict:
    """A dotted vertical line where each event (or lever move) began to act, numbered as
    in the page's notes below the chart."""
    return {
        "silent": True,
        "symbol": "none",
        "animation": False,
        "lineStyle": {"color": "#444444", "type": "dotted", "width": 1.5 * scale**0.5},
        "label": {"formatter": "{b}", "position": "end", "fontSize": round(12 * scale)},
        "data": [{"xAxis": mark["month"] - 0.5, "name": str(n)} for n, mark in numbered],
    }


def indicators_option(
    series: list[dict[str, list[float]]],
    months: int,
    lang: str = "de",
    scale: float = 1.0,
    labels: tuple[str, ...] = ("A", "B"),
    marks: list[dict] = (),
) -> dict[str, Any]:
    """``series``: per side, indicator -> monthly values; B (compare mode) dashed and
    lighter. Shares are drawn in per cent (0-100 %), which reads the same in German and
    English. ``marks`` (``Session.marks``) become numbered markers: on A's line for what
    touched A (or both), on B's for what touched B alone."""
    numbered = list(enumerate(marks, start=1))
    lines = []
    for side, values in enumerate(series):
        for colour, name in zip(LINE_COLOURS, SHOWN, strict=True):
            ys = values.get(name, [])
            line = {
                "type": "line",
                "name": INDICATORS[name].label(lang),
                "showSymbol": False,
                "color": colour if side == 0 else _tint(colour),
                "data": [[m, round(100 * v, 2)] for m, v in enumerate(ys, start=1)],
                "lineStyle": {
                    "width": (3.0 if name == "effectiveness" else 1.8) * scale,
                    "type": "solid" if side == 0 else "dashed",
                },
            }
            if name == "effectiveness":
                line["markArea"] = _nette_shading(values, side, len(series), labels, scale)
                own = [(n, m) for n, m in numbered if min(m["sides"], default=0) == side]
                line["markLine"] = _event_markers(own, scale)
            lines.append(line)
    font = round(12 * scale)
    shown = max((len(values.get(SHOWN[0], [])) for values in series), default=0)
    key = 20 if len(series) > 1 else 0  # room for the A/B key below the axis
    option = {
        "animation": False,
        "aria": _aria(f"{t('indicators', lang)}, {t('month', lang)} {shown}"),
        # large font: the legend on one line, paged if the column is too narrow for it,
        # so that its lines do not eat the plot on a small projector
        "grid": {
            "left": 55 * scale,
            "right": 20,
            "top": (70 if scale == 1 else 40) * scale,
            "bottom": (40 + key + (6 if key else 0)) * scale,
        },
        "legend": {
            "type": "plain" if scale == 1 else "scroll",
            "top": 0,
            "left": 0,
            "width": "auto" if scale == 1 else "82%",  # the download button keeps its corner
            "textStyle": {"fontSize": font},
            "itemWidth": 18,
        },
        "xAxis": {
            "type": "value",
            "min": 0,
            "max": months,
            "name": t("month", lang),
            "nameLocation": "middle",
            "nameGap": 22 * scale,
            "axisLabel": {"fontSize": font},
            "nameTextStyle": {"fontSize": font},
        },
        "yAxis": {
            "type": "value",
            "min": 0,
            "max": 100,
            "axisLabel": {
                "fontSize": font,
                "formatter": "{value} %" if lang == "de" else "{value}%",
            },
        },
        "series": lines,
        "toolbox": _save_png("kommune-verlauf" if lang == "de" else "kommune-indicators", lang),
    }
    if len(series) > 1:  # one legend entry per indicator; which line is which side, here
        option["graphic"] = [
            {
                "type": "text",
                "left": 0,
                "bottom": 6 * scale,  # a text at the very edge loses its lower half
                "style": {"text": t("a_solid_b_dashed", lang), "fontSize": font, "fill": "#333"},
            }
        ]
    return option


def coverage(model) -> dict[str, float]:
    """This month's coverage of simple, complex and hard-to-reach need (0..1)."""
    row = model.current
    return {
        part: float(row.get(f"coverage_{part}", 0.0))
        for part in ("simple", "complex", "hard_to_reach")
    }
