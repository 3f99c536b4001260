"""The workshop dashboard: watch a municipal network change while you move its levers.

Run with ``kommune dashboard`` (which sets the scenario and language and keeps the app
offline); in the style of Mesa's examples, this module holds the Solara components and
``Page`` is the app. Mesa's ``SolaraViz`` shell is not used because its controls are fixed
English labels and it shows one model; the lever sliders are Solara sliders, as Mesa's
``SolaraViz`` draws model parameters, fed from the one parameter definition (ranges and
labels) in the chosen language.

Every browser session gets its own ``Session`` (``sim.dashboard.session``): twenty
participants opening the same address each run their own model.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from html import escape
from typing import Any

import ipyvuetify as v
import solara
import solara.lab
import traitlets
from solara.components.echarts import EchartsWidget
from solara.widgets import HTML as SolaraHTML

from sim.dashboard import settings
from sim.dashboard.charts import SHOWN, coverage, indicators_option, network_option
from sim.dashboard.info import info_markdown
from sim.dashboard.join import qr_svg, shared_urls
from sim.dashboard.layout import NetworkLayout
from sim.dashboard.session import LEVERS, LIVE_EVENTS, STRUCTURE, Session
from sim.dashboard.settings import DEFAULT_LANG, scenario_titles
from sim.i18n import number, percent, t
from sim.indicators import INDICATORS
from sim.params import SPEC_BY_NAME

DEFAULT_SCENARIO = settings.DEFAULT_SCENARIO  # tests set it here for a page of their own
MAX_SPEED = 20  # months per second
MAX_SIZE = 200  # the size sliders stop here: a workshop network, not a city
MAX_CATCH_UP = 4  # months one frame may show when the server falls behind

BASE_CSS = """
.kommune-month {
  font-size: 1.5em; font-weight: 600; margin: 0 0 8px 0; line-height: 1.3;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.kommune-main { display: grid; gap: 12px; grid-template-columns: repeat(2, minmax(0, 1fr)); }
.kommune-main.kommune-sides-2 { grid-template-columns: repeat(3, minmax(0, 1fr)); }
@media (max-width: 1000px) {
  .kommune-main, .kommune-main.kommune-sides-2 { grid-template-columns: minmax(0, 1fr); }
}
.kommune-main > .v-card { margin: 0 !important; }
.v-application .v-navigation-drawer { width: 380px !important; min-width: 380px !important; }
.v-navigation-drawer .v-input__slot:has(> .v-slider) { flex-wrap: wrap; }
.v-navigation-drawer .v-input__slot:has(> .v-slider) > .v-label { flex: 0 0 100%; }
.v-application .v-card__title { word-break: normal; overflow-wrap: normal; hyphens: auto; }
.kommune-notes { height: 9em; overflow-y: auto; }
.kommune-nette-runde {
  visibility: hidden; height: 2.9em; overflow: hidden; margin: 4px 0; padding: 3px 8px;
  font-size: 0.9em; line-height: 1.35; color: #7a4100; background: #fff4e5;
  border: 1px solid #f0a030; border-radius: 4px;
}
.kommune-nette-runde.kommune-nette-runde-on { visibility: visible; }
.kommune-coverage-title { font-weight: 600; }
.kommune-cov {
  display: grid; grid-template-columns: auto 1fr 3.5em; gap: 8px; align-items: center;
}
.kommune-cov > span:first-child { white-space: nowrap; min-width: 9em; }
.kommune-cov > span:last-child { text-align: right; }
.kommune-bar { height: 1.1em; background: #e8e8e8; border-radius: 4px; overflow: hidden; }
.kommune-bar > div { height: 100%; }
.kommune-note-list { list-style: none; padding-left: 0 !important; margin: 0; }
.kommune-note-list li { margin: 2px 0; }
.kommune-note-number {
  display: inline-block; min-width: 1.5em; text-align: center; border: 1px solid #444;
  border-radius: 1em; margin-right: 4px;
}
.kommune-note-empty { color: #666; }
.kommune-join-url { font-size: 2.2em; font-weight: 600; font-family: monospace; margin: 8px 0; }
.kommune-join-qr svg { width: 320px; height: 320px; }
"""
LARGE_FONT_CSS = """
html { font-size: 24px !important; }
.v-application .v-navigation-drawer { width: max(380px, min(520px, 30vw)) !important;
  min-width: max(380px, min(520px, 30vw)) !important; }
.v-application { font-size: 1rem !important; }
.v-application .v-card__title { font-size: 1.3rem !important; line-height: 1.4; }
.v-application .v-toolbar__title { font-size: 1.25rem !important; }
.v-application .v-btn { font-size: 0.85rem !important; height: 2em !important; }
.v-application .v-label, .v-application .v-input, .v-application input,
.v-application .v-select__selection, .v-application .v-messages,
.v-application .v-alert__content,
.v-application .v-list-item__title { font-size: 1rem !important; }
.kommune-month { font-size: 1.5rem !important; }
.kommune-notes { height: 5em; }
"""


KEPT_MAX = 1000  # browser sessions whose run a reload brings back (the oldest go first)
_kept: dict[str, dict] = {}  # a tab's run id (in its address) -> the run's definition
_kept_lock = threading.Lock()  # play loops and clicks of many sessions write it at once


def keep(key: str | None, session: Session) -> None:
    """Remember the run's definition for ``key``: a reload (phone locked, F5 pressed) brings
    the same run back, recomputed from its definition, at the month it had reached."""
    if not key:
        return
    definition = session.definition()
    with _kept_lock:
        _kept.pop(key, None)
        _kept[key] = definition
        while len(_kept) > KEPT_MAX:
            _kept.pop(next(iter(_kept)), None)


def kept(key: str | None) -> dict | None:
    with _kept_lock:
        return _kept.get(key) if key else None


def _served() -> bool:
    """True in a page the server drew (it has a browser session); False where the page is
    drawn without a server (a notebook, a test), which then keeps nothing."""
    try:
        solara.get_session_id()
    except RuntimeError:
        return False
    return True


def run_key(search: str | None) -> str | None:
    """The run id in a page's address (``?run=...``): a reload (F5, a locked phone) brings
    back the run it names."""
    for part in (search or "").split("&"):
        name, _, value = part.partition("=")
        if name == "run" and value.isascii() and value.isalnum() and len(value) <= 32:
            return value
    return None


class Live:
    """A session's models plus what the page needs around them: a lock (the play loop steps
    while the page draws) and a stable drawing layout per model. Made from a kept
    definition where the browser session had one (a reload), else from the scenario."""

    def __init__(
        self,
        scenario: str,
        definition: dict | None = None,
        shared: tuple[Session, threading.RLock] | None = None,
    ) -> None:
        if shared is not None:  # a view onto a session held elsewhere (a room's, sim.room)
            self.session, self.lock = shared
        else:
            self.session = Session(scenario)
            if definition is not None:
                # its scenario file gone or changed: the page starts anew
                with contextlib.suppress(ValueError, OSError):
                    self.session = Session.replay(definition)
            self.lock = threading.RLock()
        self.marked = None  # a room's: () -> {member id: player's name} for side A
        self._layouts: dict[int, tuple[object, NetworkLayout]] = {}  # side -> (model, layout)
        self._shown: tuple[dict, str, float] | None = None  # the main view's widgets, lang, scale
        self._pushing = threading.Lock()  # one push at a time, computed and written in order

    def layout(self, side: int) -> NetworkLayout:
        """The side's layout, made afresh when a reset gave the side a new model."""
        model = self.session.sides[side].model
        kept = self._layouts.get(side)
        if kept is None or kept[0] is not model:
            kept = self._layouts[side] = (model, NetworkLayout(model))
        return kept[1]

    def changed(self, key: str | None) -> None:
        """After a step or a click: the run's definition kept for a reload, the month
        pushed to the page."""
        with self.lock:  # the definition of a run that is not being stepped
            keep(key, self.session)
        self.push()

    def attach(self, widgets: dict, lang: str, scale: float) -> None:
        """The main view's widgets as last drawn (``MainView``), which ``push`` fills."""
        self._shown = (widgets, lang, scale)

    def push(self) -> None:
        """The month on screen: its content set straight into the main view's widgets,
        without a render. Reacton would walk (and compare) every widget of the page for
        each frame, about a third of a step's cost at 200 actors; only the main view's
        content changes from month to month."""
        if self._shown is None:
            return
        with self._pushing:  # a late push of the play loop must not overwrite a newer one
            widgets, lang, scale = self._shown
            with self.lock:
                content = frame_content(self, lang, scale)
            self._write(widgets, content)

    @staticmethod
    def _write(widgets: dict, content: dict) -> None:
        for name, value in content.items():
            widget = widgets.get(name)
            if widget is None:  # the view is being redrawn with other parts
                continue
            with widget.hold_sync():
                if name == "month":
                    widget.children = [value]
                elif isinstance(value, dict):
                    widget.option = value
                else:
                    widget.unsafe_innerHTML = value


def months_due(late: float, speed: int, most: int = MAX_CATCH_UP) -> int:
    """Months to step in this frame: one, plus those a busy server left over (``late``
    seconds behind the schedule at ``speed`` months per second), at most ``most``."""
    return max(1, min(most, 1 + int(late * speed)))


def lever_inputs(session: Session, side: int, lang: str) -> dict:
    """Slider definitions for ``LeverSliders``, from the parameter definition; the label
    carries the current value, so the room can read what a lever is set to."""
    inputs = {}
    for name in LEVERS:
        spec = SPEC_BY_NAME[name]
        value = session.sides[side].levers[name]
        hours = spec.unit == "hours/month"
        shown = (
            f"{value:.0f} {t('hours_per_month', lang)}" if hours else number(f"{value:.2f}", lang)
        )
        inputs[name] = {
            "label": f"{spec.label(lang)}: {shown}",
            "value": value,
            "min": spec.low,
            "max": spec.high,
            "step": 5.0 if hours else 0.05,
        }
    return inputs


@solara.component
def LeverSliders(inputs: dict, on_change):
    """One slider per lever; ``on_change(name, value)`` when one moves. (Mesa's
    ``UserInputs`` does the same, but lives in Mesa's internals, which change between
    releases.)"""
    for name, options in inputs.items():
        solara.SliderFloat(
            options["label"],
            value=options["value"],
            on_value=lambda value, name=name: on_change(name, value),
            min=options["min"],
            max=options["max"],
            step=options["step"],
        )


COVERAGE_COLOURS = {"simple": "#9ac3e6", "complex": "#1b6ca8", "hard_to_reach": "#00a36c"}


def status_html(model, side: int, lang: str) -> str:
    """Below a network: its size and effectiveness, the nette-Runde warning and this
    month's coverage, as one piece of HTML - one widget to update per frame rather than a
    dozen (the page redraws four times a second). The warning keeps its room when it is
    off, so the bars below never jump while the network plays."""
    row = model.current
    summary = f"{len(model.member_list)} {t('members_now', lang)}"
    if "effectiveness" in row:
        summary += f" · {INDICATORS['effectiveness'].label(lang)} "
        summary += percent(row["effectiveness"], lang)
    nette = "kommune-nette-runde-on" if row.get("nette_runde", 0) else ""
    why = escape(t("nette_runde_warning", lang))  # the whole sentence, on hover
    bars = "".join(
        f'<div class="kommune-cov"><span>{escape(t(part, lang))}</span>'
        f'<div class="kommune-bar"><div style="width:{100 * share:.0f}%;'
        f'background:{COVERAGE_COLOURS[part]}"></div></div>'
        f"<span>{percent(share, lang)}</span></div>"
        for part, share in coverage(model).items()
    )
    return (
        f'<div class="kommune-summary-{side}">{escape(summary)}</div>'
        f'<div class="kommune-nette-runde {nette}" title="{why}">'
        f"{escape(t('nette_runde_short', lang))}</div>"
        f'<div class="kommune-coverage-title">{escape(t("coverage", lang))}</div>{bars}'
    )


def mark_text(mark: dict, lang: str) -> str:
    """One line of the notes: what happened, in words, with its numbers."""
    if mark["kind"] == "levers":
        moved = []
        for name, value in mark["levers"].items():
            spec = SPEC_BY_NAME[name]
            shown = (
                f"{value:.0f} {t('hours_per_month', lang)}"
                if spec.unit == "hours/month"
                else number(f"{value:.2f}", lang)
            )
            moved.append(f"{spec.label(lang)} → {shown}")
        return ", ".join(moved)
    return t(f"note_{mark['kind']}", lang).format(share=percent(mark.get("share", 0), lang))


def notes_html(marks: list[dict], compare: bool, lang: str) -> str:
    """The numbered notes under the line chart, newest first."""
    if not marks:
        return f'<div class="kommune-note-empty">{escape(t("no_notes", lang))}</div>'
    items = []
    for n, mark in reversed(list(enumerate(marks, start=1))):
        sides = f" ({', '.join('AB'[k] for k in mark['sides'])})" if compare else ""
        when = f"{t('month', lang).capitalize()} {mark['month']}{sides}"
        items.append(
            f'<li><b class="kommune-note-number">{n}</b> {escape(when)}: '
            f"{escape(mark_text(mark, lang))}</li>"
        )
    return f'<ol class="kommune-note-list">{"".join(items)}</ol>'


def chart_height(scale: float, notes: bool = False) -> str:
    """The charts' height: what the screen has left after the title, the card headings
    and the status below them (more of it in large-font mode), never below 240 px. The
    indicator chart (``notes``: the notes below it) gets in large-font mode what the notes
    give up there (5 lines instead of 9): its legend and axes take more of it."""
    rest = 430 if scale == 1 else (464 if notes else 560)
    return f"max(240px, calc(100vh - {rest}px))"


def frame_content(live: Live, lang: str, scale: float) -> dict[str, Any]:
    """What the main view shows this month, by part: the month line, per side the network
    (an ECharts option) and the status under it (HTML), the indicator chart and the notes
    of what happened. Called under the live lock."""
    session = live.session
    sides = range(2 if session.compare else 1)
    months = session.scenario.params.months
    # the month first and on one line: a longer title is cut short, never wrapped, so
    # nothing below moves when the month gains a digit
    line = f"{t('month', lang).capitalize()} {session.month} / {months}"
    if session.finished:
        line += f" ({t('finished', lang)})"
    content: dict[str, Any] = {"month": f"{line} · {session.scenario.title(lang)}"}
    # written in this order (``Live._write``), each part a message of its own: the text
    # under a chart before the chart, so a chart that shows a month never sits above the
    # numbers of the month before
    for side in sides:
        model = session.sides[side].model
        content[f"status-{side}"] = status_html(model, side, lang)
        marked = live.marked() if live.marked and side == 0 else None  # a room's players
        content[f"network-{side}"] = network_option(model, live.layout(side), lang, scale, marked)
    series = [{k: session.series(k, side) for k in (*SHOWN, "nette_runde")} for side in sides]
    marks = session.marks()
    content["notes"] = notes_html(marks, session.compare, lang)
    content["indicators"] = indicators_option(series, months, lang, scale, marks=marks)
    return content


def _chart(height: str):
    """An ECharts widget without an option: ``Live.push`` sets it. As a widget prop the
    option would be sent again with every render of the page (overwriting a newer one),
    and reacton would walk its thousands of coordinates."""
    return EchartsWidget.element(attributes={"style": f"height: {height};"}, responsive=True)


def _html(classes: str):
    """A piece of HTML that ``Live.push`` fills (a widget, so that it can be found)."""
    return SolaraHTML.element(tag="div", attributes={"class": classes})


@solara.component
def MainView(
    live: Live,
    lang: str,
    scale: float,
    tick: solara.Reactive[int],
    titles: tuple[str, str] | None = None,
):
    """The networks, the indicators and what happened, side by side on one screen (the
    projector's). This draws the parts - one or two networks, in a language, at a font
    size - and ``Live.push`` fills them, month after month, without a render. ``tick``
    asks for a new drawing (compare mode on or off, a new scenario)."""
    _ = tick.value  # reading it subscribes this view (and only this view)
    compare = live.session.compare
    # the content is never a prop: reacton sets every prop again at each render of the
    # page, which would blank what ``push`` put there
    parts = {"month": v.Html.element(tag="div", class_="kommune-month")}
    with solara.Div(classes=["kommune-main", f"kommune-sides-{2 if compare else 1}"]):
        for side in range(2 if compare else 1):
            title = f"{t('network', lang)} {'AB'[side]}" if compare else t("network", lang)
            if titles:  # named sides (the room: its network, and the model alone)
                title = f"{'AB'[side]}: {titles[side]}"
            with solara.Card(title, classes=[f"kommune-network-{side}"]):
                parts[f"network-{side}"] = _chart(chart_height(scale))
                parts[f"status-{side}"] = _html(f"kommune-status kommune-status-{side}")
        with solara.Card(t("indicators", lang), classes=["kommune-indicators"]):
            parts["indicators"] = _chart(chart_height(scale, notes=True))
            parts["notes"] = _html("kommune-notes")

    def attach() -> None:  # after every drawing: these widgets, filled with the month
        try:
            widgets = {name: solara.get_widget(el) for name, el in parts.items()}
        except KeyError:  # a drawing superseded by a newer one in the same pass: its turn
            return
        live.attach(widgets, lang, scale)
        live.push()

    solara.use_effect(attach)


def run_card(session: Session, L: str, playing, speed, locked, stop_and) -> None:
    """Scenario, seed, play/step/reset, speed and compare mode."""

    def titles() -> dict[str, str]:
        """The built-in scenarios, and the one running if it came from a file."""
        return {session.scenario.name: session.scenario.title(L), **scenario_titles(L)}

    def choose_scenario(title: str) -> None:
        name = next(n for n, v in titles().items() if v == title)
        stop_and(session.load, name)

    def choose_seed(value: int) -> None:
        session.seed = max(0, int(value))
        stop_and(session.reset)

    with solara.Card():
        choices = titles()
        solara.Select(
            t("scenario", L).capitalize(),
            value=choices[session.scenario.name],
            values=list(choices.values()),
            on_value=choose_scenario,
            classes=["kommune-scenario"],
        )
        solara.InputInt(
            t("seed", L), value=session.seed, on_value=choose_seed, classes=["kommune-seed"]
        )
        with solara.Row():
            solara.Button(
                t("pause", L) if playing.value else t("play", L),
                color="primary",
                classes=["kommune-play"],
                on_click=lambda: playing.set(not playing.value),
                disabled=session.finished,
            )
            solara.Button(
                t("step", L),
                classes=["kommune-step"],
                on_click=lambda: locked(session.step, controls=False),
                disabled=playing.value or session.finished,
            )
            solara.Button(
                t("reset", L),
                classes=["kommune-reset"],
                on_click=lambda: stop_and(session.reset),
            )
        with solara.Row(style={"align-items": "center"}):
            target = solara.use_reactive(36)
            solara.InputInt(
                t("month", L).capitalize(),
                value=target,
                classes=["kommune-run-to-month"],
                continuous_update=True,
            )
            solara.Button(
                t("run_to", L),
                classes=["kommune-run-to"],
                on_click=lambda: stop_and(session.run_to, target.value),
                disabled=session.finished,
            )
        solara.SliderInt(f"{t('speed', L)}: {speed.value}", value=speed, min=1, max=MAX_SPEED)
        solara.Switch(
            label=t("compare_mode", L),
            value=session.compare,
            on_value=lambda on: stop_and(session.set_compare, on),
            classes=["kommune-compare"],
        )
        solara.Text(t("run_rule", L), classes=["kommune-run-rule"], style={"font-size": "0.85em"})


def side_cards(session: Session, side: int, L: str, locked) -> None:
    """The levers and the structure of one side (A, or B in compare mode), drawn in the
    calling component; ``locked(action, *args)`` changes the session."""
    suffix = f" ({'AB'[side]})" if session.compare else ""
    with solara.Card(t("levers", L) + suffix, classes=[f"kommune-levers-{side}"]):
        LeverSliders(
            lever_inputs(session, side, L),
            on_change=lambda name, value: locked(session.set_lever, name, value, side),
        )
        with solara.Row():
            if side == 1:
                solara.Button(
                    t("copy_levers", L),
                    classes=["kommune-copy-levers"],
                    on_click=lambda: locked(session.copy_levers, 0, 1),
                )
            solara.Button(
                t("reset_levers", L),
                classes=[f"kommune-reset-levers-{side}"],
                on_click=lambda: locked(session.reset_levers, side),
            )
    with solara.Card(t("structure", L) + suffix, classes=[f"kommune-structure-{side}"]):
        structure = session.sides[side].structure
        governance = SPEC_BY_NAME["governance"]
        choices = {t(f"choice_{c}", L): c for c in governance.choices}
        solara.Select(
            governance.label(L),
            values=list(choices),
            value=t(f"choice_{structure['governance']}", L),
            on_value=lambda v: locked(session.set_structure, "governance", choices[v], side),
        )
        solara.Checkbox(
            label=SPEC_BY_NAME["volunteers_in_steering"].label(L),
            value=structure["volunteers_in_steering"],
            on_value=lambda v: locked(session.set_structure, "volunteers_in_steering", v, side),
        )
        for name in STRUCTURE[2:]:
            spec = SPEC_BY_NAME[name]
            solara.SliderInt(
                f"{spec.label(L)}: {structure[name]}",
                value=structure[name],
                min=int(spec.low),
                max=min(int(spec.high), MAX_SIZE),
                on_value=lambda v, name=name: locked(session.set_structure, name, v, side),
            )


def event_buttons(session: Session, L: str, locked) -> None:
    """One button per event a trainer can set off while the network runs."""
    event_card(lambda kind: locked(session.trigger, kind), L)


def event_card(trigger, L: str) -> None:
    """The events, one button each; ``trigger(kind)`` sets one off (the dashboard's
    session, or a room's two networks)."""
    with solara.Card(t("live_events", L)):
        for kind in LIVE_EVENTS:
            solara.Button(
                t(f"event_{kind}", L),
                block=True,
                style={"margin": "4px 0"},
                classes=[f"kommune-event-{kind}"],
                on_click=lambda kind=kind: trigger(kind),
            )


def export_card(session: Session, L: str) -> None:
    """Downloads of what is on screen: per side the monthly indicators (CSV, Excel) and
    the settings as a scenario file that ``kommune run`` turns into the same run."""
    with solara.Card(t("export", L), classes=["kommune-export"]):
        for side in range(2 if session.compare else 1):
            label = f" ({'AB'[side]})" if session.compare else ""
            stem = f"kommune-{session.scenario.path.stem}-seed{session.seed}" + label.strip(" ()")
            with solara.Row(style={"flex-wrap": "wrap"}):
                solara.FileDownload(
                    lambda side=side: session.scenario_file(side, L),
                    filename=f"{stem}.toml",
                    label=t("export_scenario", L) + label,
                    mime_type="application/toml",
                )
                solara.FileDownload(
                    lambda side=side: session.table(side).to_csv(index=False),
                    filename=f"{stem}.csv",
                    label=t("export_csv", L) + label,
                    mime_type="text/csv",
                )
                solara.FileDownload(
                    lambda side=side: session.excel(side),
                    filename=f"{stem}.xlsx",
                    label=t("export_excel", L) + label,
                    mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )


def header(lang, large, joining, reading) -> None:
    """The info panel's button, the language switch, large-font mode and, when the server
    is shared with the room, the button that shows how to join (reactive values of the
    page)."""
    L = lang.value

    def toggle(key: str, icon: str, shown) -> None:
        solara.Button(
            t(key, L),
            icon_name=icon,
            text=True,
            classes=[f"kommune-{key}-button"],
            on_click=lambda: shown.set(not shown.value),
        )

    toggle("info", "mdi-information-outline", reading)
    solara.Button(
        t("to_planning", L),
        icon_name="mdi-clipboard-text-outline",
        text=True,
        href="/planung",
        classes=["kommune-to-planning"],
    )
    if shared_urls():
        toggle("join", "mdi-qrcode", joining)
    solara.Button(
        t("switch_language", L),
        text=True,
        classes=["kommune-language"],
        on_click=lambda: lang.set("en" if L == "de" else "de"),
    )
    solara.Switch(label=t("large_font", L), value=large, classes=["kommune-large-font"])


@solara.component
def JoinPanel(lang: str):
    """The room's way in, large enough to read and scan from a projector: the address(es)
    the command found on this computer and the first one as a QR code."""
    urls = shared_urls()
    with solara.Card(classes=["kommune-join"]):
        solara.Text(t("join_hint", lang))
        for url in urls:
            solara.HTML(tag="div", unsafe_innerHTML=url, classes=["kommune-join-url"])
        solara.HTML(tag="div", unsafe_innerHTML=qr_svg(urls[0]), classes=["kommune-join-qr"])


def panels(lang: str, joining: bool, reading: bool) -> None:
    """The join and info panels above the charts, in one fixed slot, so that the charts
    below stay mounted when a panel opens or closes."""
    with solara.Column(classes=["kommune-panels"]):
        if joining and shared_urls():
            JoinPanel(lang)
        if reading:
            with solara.Card(classes=["kommune-info"]):
                solara.Markdown(info_markdown(lang))


def play(live: Live, playing, speed, redraw) -> None:
    """Months run at the chosen speed while ``playing``; when the server is busy (a room
    full of participants playing at once), a frame shows several months rather than the
    whole run slowing down."""
    session = live.session
    due = time.monotonic()
    while playing.value:
        months = months_due(time.monotonic() - due, speed.value)
        with live.lock:
            for _ in range(months):
                session.step()
            if session.finished:
                playing.set(False)
        redraw()
        due = max(due + months / speed.value, time.monotonic() - 1.0)
        time.sleep(max(0.0, due - time.monotonic()))


class RunAddress(v.VuetifyTemplate):
    """Writes the tab's run id into its address (``?run=...``), in the browser, without a
    new history entry and without a round trip: Solara's router would re-render the whole
    page for it, which in a room of twenty made the server fall behind."""

    run = traitlets.Unicode("").tag(sync=True)
    template = traitlets.Unicode(
        """<template><span style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    const url = new URL(window.location.href);
    if (this.run && url.searchParams.get("run") !== this.run) {
      url.searchParams.set("run", this.run);
      window.history.replaceState(window.history.state, "", url);
    }
  },
};
</script>"""
    ).tag(sync=True)


def use_live() -> tuple[Live, str | None]:
    """This page's run (a hook of ``Dashboard``): a copy of the one its address names if
    the server kept it (a reload), else a new one; and the page's own run id (None
    without a server: nothing is kept), which ``RunAddress`` writes into the address."""
    router = solara.use_router()
    served = _served()
    # a new id for every page, even one opened from an address that names a run (a
    # duplicated tab, a shared link): it starts from that run, then goes its own way
    key = solara.use_memo(lambda: uuid.uuid4().hex[:16], [])

    def start() -> Live:
        live = Live(DEFAULT_SCENARIO, kept(run_key(router.search)) if served else None)
        if served:
            keep(key, live.session)  # a second reload finds it under the new id
        return live

    live = solara.use_memo(start, [])
    return live, key if served else None


@solara.component
def Dashboard(inline: bool = False):
    """The whole dashboard. As a page (``inline=False``) the controls sit in the app bar and
    the sidebar; ``inline=True`` puts everything in one column (notebooks, tests)."""
    live, key = use_live()
    session = live.session
    lang = solara.use_reactive(DEFAULT_LANG)
    large = solara.use_reactive(False)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(4)
    joining = solara.use_reactive(False)  # the join panel is open
    reading = solara.use_reactive(False)  # the info panel is open
    tick = solara.use_reactive(0)  # bumped after every change the main view must show
    controls_version = solara.use_reactive(0)  # bumped when the controls must show a change
    _ = controls_version.value  # reading it subscribes the controls
    L = lang.value
    scale = 1.5 if large.value else 1.0
    sides = range(2 if session.compare else 1)

    def redraw() -> None:
        live.changed(key)

    def play_loop() -> None:
        play(live, playing, speed, redraw)

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def locked(action, *args, controls: bool = True) -> None:
        """Change the session under the lock and redraw the main view; redraw the controls
        too where the change shows in them (levers, structure, compare mode, the end of
        the run greying out the buttons)."""
        with live.lock:
            action(*args)
            controls = controls or session.finished
        redraw()  # pushed at once: a drawing of the view may be superseded within the pass
        if controls:  # the view drawn again (compare mode, a new scenario), then filled
            tick.set(tick.value + 1)
            controls_version.set(controls_version.value + 1)

    def stop_and(action, *args) -> None:
        playing.set(False)
        locked(action, *args)

    def controls() -> None:
        run_card(session, L, playing, speed, locked, stop_and)
        for side in sides:
            side_cards(session, side, L, locked)
        event_buttons(session, L, locked)
        export_card(session, L)

    solara.Style(BASE_CSS + (LARGE_FONT_CSS if large.value else ""))
    solara.Title("Vernetzte Kommune")
    if key:
        RunAddress.element(run=key)
    if inline:
        with solara.Column():
            solara.Text(t("app_title", L))
            with solara.Row():
                header(lang, large, joining, reading)
            controls()
            MainView(live, L, scale, tick)
        return
    with solara.AppBar():
        solara.AppBarTitle(t("app_title", L))
        header(lang, large, joining, reading)
    with solara.Sidebar():
        controls()
    panels(L, joining.value, reading.value)
    MainView(live, L, scale, tick)


@solara.component
def Page():
    Dashboard()


@solara.component
def Layout(children=[]):  # noqa: B006 (solara's signature for a layout)
    """The pages' frame, without tabs between them: the workshop page keeps its screen
    height for the projector, and each page links to the other in its own bar."""
    return solara.AppLayout(children=children, navigation=False)
