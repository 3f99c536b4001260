"""The room's pages: the trainer's (``/raum``) and the participants' (``/mitmachen``).

Both are pages of the workshop app (``sim.app`` routes them), served by
``kommune room`` (or ``kommune dashboard``), offline like the rest. A room lives on the
server (``sim.room.room.ROOMS``) and every page of it polls it: when the month has run or
someone decided, the page draws again. Polling also moves the clock: whichever page looks
first after the time is up runs the month (``Room.tick``), so the room keeps its pace as
long as anyone has it open.

A page's address carries what brings it back after a reload or a locked phone: the room
code (``raum``) and, for a participant, their token (``ich``), which finds their role.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from html import escape
from urllib.parse import parse_qs

import ipyvuetify as v
import pandas as pd
import solara
import solara.lab
import traitlets
from solara.components.echarts import EchartsWidget

from sim.dashboard.app import BASE_CSS, Live, MainView, event_card
from sim.dashboard.join import ROOM_KEY, qr_svg, shared_urls
from sim.dashboard.settings import DEFAULT_LANG, DEFAULT_SCENARIO, scenario_titles
from sim.i18n import number, percent, t
from sim.mechanisms.coordination import TASKS
from sim.room import debrief
from sim.room.room import DEFAULT_TIMER, ROOMS, Room

POLL = 0.4  # seconds between a page's looks at its room

ROOM_CSS = """
.kommune-room-code { font-size: 2.4em; font-weight: 700; letter-spacing: 0.15em; }
.kommune-room-url { font-family: monospace; font-size: 1.3em; word-break: break-all; }
.kommune-room-qr svg { width: 220px; height: 220px; }
.kommune-person { display: flex; justify-content: space-between; gap: 8px; }
.kommune-situation td { padding: 2px 8px 2px 0; vertical-align: top; }
.kommune-situation td:last-child { white-space: nowrap; }
.kommune-player { max-width: 560px; margin: 0 auto; }
.kommune-room-moments { list-style: none; padding-left: 0 !important; margin: 4px 0 10px 0; }
.kommune-room-players { border-collapse: collapse; font-size: 0.9em; margin: 6px 0 10px 0; }
.kommune-room-players th, .kommune-room-players td {
  border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top;
}
.kommune-room-share .v-input__slot { flex-wrap: wrap; }
.kommune-room-share .v-input__slot > .v-label { flex: 0 0 100%; }
.kommune-room-trainer { display: grid; gap: 12px; grid-template-columns: 360px minmax(0, 1fr); }
@media (max-width: 1000px) { .kommune-room-trainer { grid-template-columns: minmax(0, 1fr); } }
"""


class Address(v.VuetifyTemplate):
    """Writes the page's room code and token into its address, in the browser, without a
    new history entry (as the dashboard's ``RunAddress``): a reload comes back to them."""

    params = traitlets.Dict({}).tag(sync=True)
    template = traitlets.Unicode(
        """<template><span style="display: none"></span></template>
<script>
module.exports = {
  mounted() { this.write(); },
  watch: { params() { this.write(); } },
  methods: {
    write() {
      const url = new URL(window.location.href);
      for (const [name, value] of Object.entries(this.params)) {
        if (value) { url.searchParams.set(name, value); } else { url.searchParams.delete(name); }
      }
      if (url.href !== window.location.href) {
        window.history.replaceState(window.history.state, "", url);
      }
    },
  },
};
</script>"""
    ).tag(sync=True)


def may_open(key: str) -> bool:
    """Rooms are opened from the address ``kommune room`` shows the trainer (it carries
    the server's key); a server started without one (a test, a notebook) lets anyone."""
    expected = os.environ.get(ROOM_KEY, "")
    return not expected or secrets.compare_digest(key.encode(), expected.encode())


def query() -> dict[str, str]:
    router = solara.use_router()
    return {k: vs[0] for k, vs in parse_qs(router.search or "").items() if vs}


def use_room_poll(room: Room | None, token: str | None = None) -> int:
    """This page's view of its room: a number that changes when what the page shows
    changed (the trainer's: every change and every second of the clock; a participant's:
    ``Room.seen_by``), so twenty phones do not draw again for each other's decisions. The
    look also runs a month that is due."""
    version = solara.use_reactive(0)

    async def poll() -> None:
        while room is not None:
            await asyncio.sleep(POLL)
            room.tick()
            if token is None:
                left = room.seconds_left()
                seen = hash((room.version, None if left is None else int(left)))
            else:
                seen = hash(room.seen_by(token))
            if seen != version.value:
                version.set(seen)

    solara.lab.use_task(poll, dependencies=[room.code if room else None, token])
    return version.value


def language_switch(lang: solara.Reactive[str]) -> None:
    solara.Button(
        t("switch_language", lang.value),
        text=True,
        classes=["kommune-language"],
        on_click=lambda: lang.set("en" if lang.value == "de" else "de"),
    )


def clock_line(room: Room, L: str) -> str:
    with room.lock:
        return _clock_line(room, L)


def _clock_line(room: Room, L: str) -> str:
    months = room.session.scenario.params.months
    line = f"{t('month', L).capitalize()} {room.month} / {months}"
    if room.finished:
        return f"{line} · {t('room_finished', L)}"
    left = room.seconds_left()
    state = t("room_paused", L) if left is None else t("room_seconds_left", L)
    return f"{line} · {state.format(seconds=int(left or 0))}"


# --- the participant's page --------------------------------------------------------------------
@solara.component
def ParticipantPage():
    asked = query()
    lang = solara.use_reactive(DEFAULT_LANG)
    code = solara.use_reactive(asked.get("raum", "").upper())
    token = solara.use_reactive(asked.get("ich", ""))
    room = ROOMS.get(code.value)
    version = use_room_poll(room, token.value or "-")
    problem = solara.use_reactive("")  # a click that came too late (a role taken, a month run)
    L = lang.value
    solara.Style(BASE_CSS + ROOM_CSS)
    solara.Title("Vernetzte Kommune")
    Address.element(params={"raum": room.code if room else "", "ich": token.value})
    with solara.Column(classes=["kommune-player"]):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
            solara.Text(t("room_title", L), style={"font-weight": "600"})
            language_switch(lang)
        if room is None:
            EnterRoom(code, L)
        elif room.participant(token.value) is None:
            JoinRoom(room, token, L)
        else:
            play_member(room, token.value, L, version, problem)


@solara.component
def EnterRoom(code: solara.Reactive[str], L: str) -> None:
    typed = solara.use_reactive(code.value)
    with solara.Card(t("room_code", L)):
        if code.value:
            solara.Warning(t("room_unknown", L))
        solara.InputText(
            t("room_code", L),
            value=typed,
            continuous_update=True,
            classes=["kommune-room-code-input"],
        )
        solara.Button(
            t("room_enter", L),
            color="primary",
            classes=["kommune-room-enter"],
            on_click=lambda: code.set(typed.value.strip().upper()),
        )


@solara.component
def JoinRoom(room: Room, token: solara.Reactive[str], L: str) -> None:
    name = solara.use_reactive("")
    problem = solara.use_reactive("")

    def join() -> None:
        try:
            token.set(room.join(name.value))
        except ValueError as error:
            problem.set(str(error))

    with solara.Card(f"{t('room_code', L)} {room.code}"):
        solara.InputText(
            t("room_your_name", L),
            value=name,
            continuous_update=True,
            classes=["kommune-room-name"],
        )
        if problem.value:
            solara.Error(problem.value)
        solara.Button(
            t("room_join", L), color="primary", classes=["kommune-room-join"], on_click=join
        )


def attempt(problem: solara.Reactive[str], action, *args, **kwargs) -> None:
    """A participant's click; if the room moved on meanwhile (the role was just taken, the
    month has run, the member left), say so instead of failing."""
    try:
        action(*args, **kwargs)
        problem.set("")
    except ValueError as error:
        problem.set(str(error))


def play_member(room: Room, token: str, L: str, version: int, problem) -> None:
    person = room.participant(token)
    member = room.member_of(token)
    solara.Text(f"{person.name} · {clock_line(room, L)}", classes=["kommune-room-clock"])
    if problem.value:
        solara.Warning(problem.value, classes=["kommune-room-problem"])
    if person.left is not None and member is None:
        solara.Warning(t("room_left", L), classes=["kommune-room-left"])
    if member is None or not member.active:
        pick_role(room, token, L, problem)
        return
    solara.HTML(  # (not Markdown: it would ask a CDN for its maths fonts)
        tag="div",
        unsafe_innerHTML=f"<b>{t('room_you_play', L)}: {escape(room.label(member, L))}</b>",
        classes=["kommune-room-role-played"],
    )
    if member.kind == "coordinator":
        CoordinatorCard(room, token, member, L, version, problem)
        return
    s = room.situation(member, L)  # once per drawing, for the card and the form
    situation_card(s, L)
    if not room.finished:
        DecisionCard(room, token, member, s, L, version, problem)


def pick_role(room: Room, token: str, L: str, problem) -> None:
    free = room.free_roles()
    with solara.Card(t("room_pick_role", L), classes=["kommune-room-roles"]):
        if not free:
            solara.Text(t("room_no_roles", L))
        for member in free:
            solara.Button(
                room.label(member, L),
                block=True,
                text=True,
                style={"justify-content": "flex-start", "text-transform": "none"},
                classes=["kommune-room-role"],
                on_click=lambda uid=member.unique_id: attempt(problem, room.take, token, uid),
            )


def situation_card(s: dict, L: str) -> None:
    rows = [
        (t("room_motivation", L), percent(s["motivation"], L)),
        (t("room_hours", L), f"{s['capacity']:.0f} h"),
        (t("room_benefit", L), percent(s["benefit"], L)),
        (t("room_fairness", L), percent(s["fairness"], L)),
    ]
    if "funding" in s:
        rows.append((t("room_funding", L), percent(s["funding"], L)))
        rows.append((t("room_competitors", L), str(s["competitors"])))
    partners = ", ".join(escape(name) for name, _ in s["partners"]) or t("room_no_partners", L)
    rows.append((t("room_partners", L), partners))
    meetings = ", ".join(escape(m) for m in s["meetings_due"]) or t("room_no_meetings", L)
    rows.append((t("room_meetings_due", L), meetings))
    body = "".join(f"<tr><td>{k}</td><td><b>{v}</b></td></tr>" for k, v in rows)
    last = t("room_last_month", L).format(
        meet=f"{s['meeting_hours']:.0f}",
        joint=f"{s['joint_hours']:.0f}",
        own=f"{s['own_hours']:.0f}",
    )
    with solara.Card(t("room_situation", L), classes=["kommune-room-situation"]):
        solara.HTML(tag="table", unsafe_innerHTML=body, classes=["kommune-situation"])
        solara.Text(last, style={"font-size": "0.9em"})


@solara.component
def DecisionCard(room: Room, token: str, member, s: dict, L: str, version: int, problem) -> None:
    """The month's decision (``s``: the member's situation, ``Room.situation``);
    ``version`` (the room's) draws it again when the room moved."""
    suggested = int(round(s["last_share"] * 10)) * 10  # what it gave last month
    share = solara.use_reactive(suggested)
    attend = solara.use_reactive(True)
    step_back = solara.use_reactive(False)
    withhold = solara.use_reactive(False)  # a carrier in a competitive field
    decided = room.has_decided(member)
    seen = room.month  # the month the player looks at: a click after it ran is refused
    competitive = s.get("competitors", 0) > 0  # where keeping information is a choice

    def new_month() -> None:  # a new month: the form starts from what it gave last
        share.set(suggested)
        attend.set(True)
        step_back.set(False)
        withhold.set(False)

    solara.use_effect(new_month, [room.month, member.unique_id])

    def submit() -> None:
        attempt(
            problem,
            room.decide,
            token,
            share.value / 100,
            attend=attend.value if s["meetings_due"] else None,
            step_back=step_back.value,
            month=seen,
            openly=not withhold.value if competitive else None,
        )

    with solara.Card(t("room_decide", L).format(month=room.month + 1)):
        with solara.Div(classes=["kommune-room-share"]):  # (sliders take no classes)
            solara.SliderInt(
                f"{t('room_share', L)}: {percent(share.value / 100, L)}",
                value=share,
                min=0,
                max=100,
                step=10,
            )
        if s["meetings_due"]:
            with solara.Div(classes=["kommune-room-attend"]):
                solara.Checkbox(label=t("room_attend", L), value=attend)
        if competitive:
            with solara.Div(classes=["kommune-room-withhold"]):
                solara.Checkbox(label=t("room_withhold", L), value=withhold)
        with solara.Div(classes=["kommune-room-step-back"]):
            solara.Checkbox(label=t("room_step_back", L), value=step_back)
        solara.Button(
            t("room_submit", L), color="primary", classes=["kommune-room-submit"], on_click=submit
        )
        if decided:
            solara.Success(t("room_decided", L), classes=["kommune-room-decided"])


@solara.component
def CoordinatorCard(room: Room, token: str, member, L: str, version: int, problem) -> None:
    """The coordinator's month: where the shoe pinches, task by task, and how its hours go
    to the seven tasks (weights, shown as shares and hours); within a task the hours
    still go to the fields that need them most."""
    s = room.situation(member, L)
    weights = {task: solara.use_reactive(5) for task in TASKS}
    decided = room.has_decided(member)
    seen = room.month

    def new_month() -> None:
        for weight in weights.values():
            weight.set(5)

    solara.use_effect(new_month, [room.month])
    given = sum(w.value for w in weights.values())
    total = given or 1
    rows = [
        (t("room_hours", L), f"{s['hours']:.0f} h"),
        (t("room_load", L), percent(s["load"], L)),
        (t("room_acceptance", L), percent(s["acceptance"], L)),
    ]
    body = "".join(f"<tr><td>{k}</td><td><b>{v}</b></td></tr>" for k, v in rows)
    pinch = "".join(
        f"<tr><td>{t(f'task_{task}', L)}</td><td><b>{percent(s['pinch'][task], L)}</b></td></tr>"
        for task in TASKS
    )
    with solara.Card(t("room_situation", L), classes=["kommune-room-situation"]):
        solara.HTML(tag="table", unsafe_innerHTML=body, classes=["kommune-situation"])
        solara.Text(t("room_pinch", L), style={"font-weight": "600"})
        solara.HTML(tag="table", unsafe_innerHTML=pinch, classes=["kommune-situation"])
    if room.finished:
        return

    def submit() -> None:
        tasks = tuple(float(weights[task].value) for task in TASKS)
        attempt(problem, room.decide, token, tasks=tasks, month=seen)

    title = t("room_decide", L).format(month=room.month + 1)
    with solara.Card(title, classes=["kommune-room-tasks"]):
        solara.Text(t("room_tasks", L).format(hours=f"{s['hours']:.0f}"))
        for task in TASKS:
            share = weights[task].value / total
            label = f"{t(f'task_{task}', L)}: {percent(share, L)} ({share * s['hours']:.0f} h)"
            with solara.Div(classes=["kommune-room-share", f"kommune-room-task-{task}"]):
                solara.SliderInt(label, value=weights[task], min=0, max=10)
        solara.Button(
            t("room_submit", L),
            color="primary",
            classes=["kommune-room-submit"],
            on_click=submit,
            disabled=given == 0,
        )
        if decided:
            solara.Success(t("room_decided", L), classes=["kommune-room-decided"])


# --- the trainer's page ------------------------------------------------------------------------
@solara.component
def TrainerPage():
    asked = query()
    lang = solara.use_reactive(DEFAULT_LANG)
    code = solara.use_reactive(asked.get("raum", "").upper())
    key = solara.use_reactive(asked.get("leitung", ""))  # the room's key: only its trainer steers
    opener = asked.get("schluessel", "")  # the server's: only the trainer opens rooms
    room = ROOMS.get(code.value)
    version = use_room_poll(room)
    L = lang.value
    solara.Style(BASE_CSS + ROOM_CSS)
    solara.Title("Vernetzte Kommune")
    Address.element(
        params={"schluessel": opener, "raum": room.code if room else "", "leitung": key.value}
    )
    debriefing = solara.use_reactive(False)
    with solara.AppBar():
        solara.AppBarTitle(t("room_title", L))
        if room is not None and room.is_trainer(key.value):
            solara.Button(
                t("debrief", L),
                icon_name="mdi-chart-timeline-variant",
                text=True,
                classes=["kommune-room-debrief-button"],
                on_click=lambda: debriefing.set(not debriefing.value),
            )
        language_switch(lang)
    if room is None:
        if not may_open(opener):
            solara.Warning(t("room_locked", L), classes=["kommune-room-locked"])
            return
        with solara.Column(style={"max-width": "520px"}):
            OpenRoomCard(code, key, L)
        return
    if not room.is_trainer(key.value):  # the code is on the projector; the key is not
        solara.Warning(
            t("room_not_yours", L).format(code=room.code), classes=["kommune-room-not-yours"]
        )
        return
    with solara.Div(classes=["kommune-room-trainer"]):
        with solara.Column(classes=["kommune-room-controls"]):
            trainer_controls(room, L)
        with solara.Column():
            if debriefing.value:
                Debrief(room, L, version)
            RoomView(room, L, version)


def trainer_controls(room: Room, L: str) -> None:
    """The room's way in, its pace, who plays whom, the events and the log."""
    room_card(room, L)
    pace_card(room, L)
    people_card(room, L)
    event_card(room.trigger, L)
    solara.FileDownload(
        room.log_parquet,
        filename=f"kommune-raum-{room.code}.parquet",
        label=t("room_log", L),
        mime_type="application/vnd.apache.parquet",
    )


@solara.component
def RoomView(room: Room, lang: str, version: int):
    """The room's network (A) beside the model alone (B), drawn by the dashboard's main
    view and filled again whenever the room changed."""

    def view() -> Live:
        live = Live("", shared=(room.session, room.lock))
        live.marked = room.marked
        return live

    live = solara.use_memo(view, [room.code])
    tick = solara.use_reactive(0)
    solara.use_effect(live.push, [version])
    MainView(live, lang, 1.0, tick, titles=(t("room_side_room", lang), t("room_side_model", lang)))


@solara.component
def OpenRoomCard(code: solara.Reactive[str], key: solara.Reactive[str], L: str) -> None:
    titles = scenario_titles(L)
    scenario = solara.use_reactive(DEFAULT_SCENARIO if DEFAULT_SCENARIO in titles else "default")
    seed = solara.use_reactive(42)
    timer = solara.use_reactive(int(DEFAULT_TIMER))
    coordinator = solara.use_reactive(False)

    def choose(title: str) -> None:
        scenario.set(next(n for n, v in titles.items() if v == title))

    problem = solara.use_reactive("")

    def open_room() -> None:
        try:
            room = ROOMS.open(scenario.value, max(0, seed.value), timer.value, coordinator.value)
        except ValueError as error:
            problem.set(str(error))
            return
        key.set(room.trainer_token)
        code.set(room.code)

    with solara.Card(t("room_open", L)):
        solara.Select(
            t("scenario", L).capitalize(),
            value=titles.get(scenario.value, scenario.value),
            values=list(titles.values()),
            on_value=choose,
        )
        solara.InputInt(t("seed", L), value=seed, classes=["kommune-seed"])
        solara.InputInt(t("room_timer", L), value=timer, classes=["kommune-room-timer"])
        with solara.Div(classes=["kommune-room-coordinator-role"]):
            solara.Checkbox(label=t("room_coordinator_role", L), value=coordinator)
        if problem.value:
            solara.Error(problem.value)
        solara.Button(
            t("room_open", L), color="primary", classes=["kommune-room-open"], on_click=open_room
        )


def room_card(room: Room, L: str) -> None:
    urls = [f"{u}mitmachen?raum={room.code}" for u in shared_urls()]
    with solara.Card(t("room_code", L)):
        solara.HTML(tag="div", unsafe_innerHTML=room.code, classes=["kommune-room-code"])
        solara.Text(t("room_join_at", L))
        for url in urls or [f"/mitmachen?raum={room.code}"]:
            solara.HTML(tag="div", unsafe_innerHTML=url, classes=["kommune-room-url"])
        if urls:
            solara.HTML(tag="div", unsafe_innerHTML=qr_svg(urls[0]), classes=["kommune-room-qr"])


def pace_card(room: Room, L: str) -> None:
    with solara.Card():
        solara.Text(clock_line(room, L), classes=["kommune-room-clock"])
        with solara.Row(style={"flex-wrap": "wrap"}):
            if room.paused:
                solara.Button(
                    t("room_start", L),
                    color="primary",
                    classes=["kommune-room-start"],
                    on_click=room.start,
                    disabled=room.finished,
                )
            else:
                solara.Button(
                    t("room_pause", L), classes=["kommune-room-pause"], on_click=room.pause
                )
            solara.Button(
                t("room_next", L),
                classes=["kommune-room-next"],
                on_click=lambda month=room.month: room.advance(expected=month),
                disabled=room.finished,
            )
        solara.InputInt(
            t("room_timer", L),
            value=int(room.timer),
            on_value=room.set_timer,
            classes=["kommune-room-timer"],
        )
        solara.Text(t("room_rule_note", L), style={"font-size": "0.85em"})


def people_card(room: Room, L: str) -> None:
    """Who is here, whom they play and whether they have decided; the trainer can free a
    role (someone who lost their address, or left the room)."""
    with room.lock:  # one consistent look: pages step the room meanwhile
        played = room.played()
        decided = room.decided()
        members = {m.unique_id: m for m in room.model.everyone()}
        people = []
        for person in room.participants.values():
            role, mark = t("room_no_role", L), ""
            if person.role is not None and person.role in members:
                role = room.label(members[person.role], L)
                if person.role in decided:
                    mark = "✓ " + t("room_decided_mark", L)
                elif person.role in played:
                    mark = "… " + t("room_waiting_mark", L)
            elif person.left is not None and person.left in members:
                role, mark = room.label(members[person.left], L), t("inactive", L)
            people.append((person.token, person.name, role, mark, person.role is not None))
    with solara.Card(f"{t('room_people', L)} ({len(people)})", classes=["kommune-room-people"]):
        if not people:
            solara.Text(t("room_nobody", L))
        for token, name, role, mark, playing in people:
            html = f"<span><b>{escape(name)}</b> · {escape(role)}</span><span>{mark}</span>"
            with solara.Row(style={"align-items": "center", "gap": "4px"}):
                solara.HTML(tag="div", unsafe_innerHTML=html, classes=["kommune-person"])
                if playing:
                    solara.Button(
                        t("room_release", L),
                        text=True,
                        small=True,
                        classes=["kommune-room-release"],
                        on_click=lambda token=token: room.release(token),
                    )


@solara.component
def Debrief(room: Room, L: str, version: int):
    """After (or during) the game: the room's course against the model alone, each
    player's choices against the model's rule in the same situation, the moments that
    changed the course; the whole as an Excel workbook (``sim.room.debrief``)."""
    with room.lock:  # one look at the room for chart, moments and table alike
        empty = room.month == 0
        option = None if empty else debrief.gap_option(room, L)
        points = [] if empty else debrief.turning_points(room, L)
        players = "" if empty else _players_html(room, L)
    with solara.Card(t("debrief", L), classes=["kommune-room-debrief"]):
        if empty:
            solara.Text(t("debrief_none", L))
            return
        solara.Text(t("debrief_course", L), style={"font-weight": "600"})
        EchartsWidget.element(
            option=option,
            attributes={"style": "height: 260px;"},
            responsive=True,
        )
        solara.Text(t("debrief_moments", L), style={"font-weight": "600"})
        items = []
        for n, point in enumerate(points, start=1):
            moved = t("debrief_moved", L).format(moved=number(f"{100 * point['moved']:+.1f}", L))
            what = "; ".join(escape(w) for w in point["what"])
            items.append(
                f"<li><b>{n}</b> · {t('month', L).capitalize()} {point['month']}: "
                f"{moved}{': ' + what if what else ''}</li>"
            )
        solara.HTML(tag="ol", unsafe_innerHTML="".join(items), classes=["kommune-room-moments"])
        solara.Text(t("debrief_players", L), style={"font-weight": "600"})
        solara.HTML(tag="table", unsafe_innerHTML=players, classes=["kommune-room-players"])
        solara.FileDownload(
            lambda: debrief.workbook(room, L),
            filename=f"kommune-raum-{room.code}-auswertung.xlsx",
            label=t("debrief_excel", L),
            mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


def _players_html(room: Room, L: str) -> str:
    with room.lock:
        table = debrief.players(room)
        members = {m.unique_id: m for m in room.model.everyone()}
        labels = {
            uid: room.label(members[uid], L) if uid in members else str(uid)
            for uid in table["member"]
        }

    def share(value) -> str:
        return "–" if value is None or pd.isna(value) else percent(float(value), L)

    head = "".join(f"<th>{escape(c)}</th>" for c in t("debrief_columns", L).split("|"))
    rows = []
    for _, row in table.iterrows():
        given, rule = share(row["share"]), share(row["rule_share"])
        if row["kind"] == "coordinator" and row["top_task"]:
            given = f"{t('task_' + row['top_task'], L)} {share(row['top_task_share'])}"
            rule = f"{t('task_' + row['top_task'], L)} {share(row['rule_task_share'])}"
        cells = [
            escape(row["participant"]),
            escape(labels[row["member"]]),
            f"{row['decided']} / {row['months']}",
            given,
            rule,
            share(row["attended"]),
            share(row["rule_attend"]),
            t("yes", L) if row["stepped_back"] else t("no", L),
            share(row["rule_leave"]),
            str(row["withheld"]),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
