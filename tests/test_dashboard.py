"""The workshop dashboard without a browser: sessions, levers, events, components."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import ipyvuetify as v
import pytest
import solara

from sim.dashboard.charts import indicators_option, network_option
from sim.dashboard.layout import NetworkLayout
from sim.dashboard.session import LEVERS, Session


# --- the session: what one browser session runs ------------------------------------------
def test_sessions_are_independent():
    one, two = Session("default"), Session("default")
    for _ in range(5):
        one.step()
    assert one.month == 5 and two.month == 0
    two.step()
    assert two.month == 1 and one.month == 5


def test_compare_mode_runs_both_in_step_from_the_same_seed():
    session = Session("coordinated", seed=3)
    session.set_compare(True)
    for _ in range(6):
        session.step()
    a, b = (side.model for side in session.sides)
    assert a.month == b.month == 6
    assert session.series("effectiveness", 0) == session.series("effectiveness", 1)  # same seed
    session.set_lever("coordinator_hours", 0.0, side=1)
    for _ in range(24):
        session.step()
    assert session.series("effectiveness", 0) != session.series("effectiveness", 1)
    assert session.sides[1].model.coordinator.hours == 0.0


def test_levers_act_on_the_running_model_and_structure_waits_for_reset():
    session = Session("default")
    session.step()
    session.set_lever("competition_intensity", 0.1)
    assert session.sides[0].model.p.competition_intensity == 0.1
    assert session.month == 1  # nothing restarted
    session.set_structure("governance", "nao")
    assert session.sides[0].model.mode.name == "lead"
    session.reset()
    assert session.sides[0].model.p.governance == "nao" and session.month == 0
    assert session.sides[0].levers["competition_intensity"] == 0.1  # kept over the reset
    with pytest.raises(ValueError):
        session.set_lever("n_carriers", 3)
    with pytest.raises(ValueError):
        session.set_structure("governance", "boss")


def test_live_events_act_now_on_every_side():
    session = Session("coordinated")
    session.set_compare(True)
    session.step()
    members = [len(s.model.member_list) for s in session.sides]
    session.trigger("new_partner")
    assert [len(s.model.member_list) for s in session.sides] == [m + 1 for m in members]
    session.trigger("coordinator_ends")
    assert all(not s.model.coordinator.active for s in session.sides)
    session.trigger("funding_cut")
    assert all(s.model.budget_factor == pytest.approx(0.7) for s in session.sides)
    with pytest.raises(ValueError):
        session.trigger("meteor")


def test_scenario_choice_sets_the_sliders():
    session = Session("default")
    session.load("baseline")
    assert session.sides[0].structure["governance"] == "shared"
    assert session.sides[0].levers["joint_funding_share"] == 0.0
    assert set(session.sides[0].levers) == set(LEVERS)


# --- drawing ----------------------------------------------------------------------------------
def test_layout_stays_put_and_newcomers_stay_in_frame():
    session = Session("default")
    model = session.sides[0].model
    layout = NetworkLayout(model)
    before = {k: v.copy() for k, v in layout.positions(model).items()}
    for _ in range(6):
        session.step()
    model.add_member("volunteer", 0)
    after = layout.positions(model)
    assert all((after[k] == before[k]).all() for k in before)  # nobody moved
    newcomer = model.member_list[-1].unique_id
    assert (layout.low <= after[newcomer]).all() and (after[newcomer] <= layout.high).all()


def test_drawing_does_not_change_the_run():
    plain, drawn = Session("default", seed=8), Session("default", seed=8)
    layout = NetworkLayout(drawn.sides[0].model)
    for _ in range(12):
        plain.step()
        drawn.step()
        network_option(drawn.sides[0].model, layout)
    assert plain.series("effectiveness") == drawn.series("effectiveness")


def _drawn_ties(option) -> int:
    lines = [s for s in option["series"] if s["type"] == "line"]
    return sum(len(s["data"]) for s in lines) // 3  # two ends and a gap per tie


def test_a_small_network_shows_all_its_ties_a_large_one_its_strongest():
    from sim.dashboard.charts import MIN_DRAWN, MIN_TIE, STRENGTH_CLASSES, TIES_PER_ACTOR

    small = Session("default", seed=4)
    model = small.sides[0].model
    shown = [w for _, _, w in model.ties.edges() if w >= MIN_TIE]
    assert len(shown) < MIN_DRAWN
    assert _drawn_ties(network_option(model, NetworkLayout(model))) == len(shown)

    large = Session("default", seed=4)
    large.set_structure("n_carriers", 200)
    large.set_structure("n_volunteers", 160)
    large.reset()
    model = large.sides[0].model
    actors = sum(a.active for a in model.everyone())
    weights = sorted((w for _, _, w in model.ties.edges() if w >= MIN_TIE), reverse=True)
    budget = TIES_PER_ACTOR * actors
    assert len(weights) > 1.5 * budget  # the unfiltered drawing would be a hairball
    option = network_option(model, NetworkLayout(model))
    assert _drawn_ties(option) == budget
    drawn = [len(s["data"]) // 3 for s in option["series"] if s["type"] == "line"]
    weakest_class = next(k for k, n in enumerate(drawn[:STRENGTH_CLASSES]) if n)
    assert weakest_class == min(STRENGTH_CLASSES - 1, int(weights[budget - 1] * STRENGTH_CLASSES))


def test_chart_options_show_every_actor_and_translate():
    session = Session("default")
    for _ in range(3):
        session.step()
    model = session.sides[0].model
    option = network_option(model, NetworkLayout(model), "de")
    points = sum(len(s["data"]) for s in option["series"] if s["type"] == "scatter")
    assert points == len(model.everyone())
    assert "Freier Träger" in option["legend"]["data"]
    english = network_option(model, NetworkLayout(model), "en")
    assert "carrier" in english["legend"]["data"]
    lines = indicators_option(
        [{"effectiveness": session.series("effectiveness"), "nette_runde": [0, 1, 1]}], 120, "de"
    )
    assert lines["series"][0]["name"] == "Wirksamkeit"
    assert lines["series"][0]["markArea"]["data"] == [
        [{"xAxis": 1.5, "yAxis": 0.0}, {"xAxis": 3.5, "yAxis": 100.0}]
    ]
    both = indicators_option(
        [
            {"effectiveness": [0.4] * 3, "nette_runde": [1, 1, 0]},
            {"effectiveness": [0.5] * 3, "nette_runde": [0, 1, 1]},
        ],
        120,
        "de",
    )
    shaded = [s["markArea"] for s in both["series"] if "markArea" in s]
    assert [area["label"]["formatter"] for area in shaded] == ["A", "B"]  # each side its own
    assert shaded[0]["data"] == [[{"xAxis": 0.5, "yAxis": 50.0}, {"xAxis": 2.5, "yAxis": 100.0}]]
    assert shaded[1]["data"] == [[{"xAxis": 1.5, "yAxis": 0.0}, {"xAxis": 3.5, "yAxis": 50.0}]]
    a, b = (s for s in both["series"] if s["name"] == "Wirksamkeit")
    assert a["color"] != b["color"] and b["lineStyle"]["type"] == "dashed"  # colour and style
    assert a["data"][0] == [1, 40.0] and both["yAxis"]["axisLabel"]["formatter"] == "{value} %"


def test_marks_number_what_happened_on_the_chart_and_in_the_notes():
    """Events and lever moves after month 0 become marks at the month they act in: on A's
    line what touched A (or both), on B's what touched B alone; the scenario's own events
    too. Month 0's settings are the start, not a mark."""
    from sim.dashboard.app import notes_html

    session = Session("coordinator_ends", seed=5)
    (own,) = session.scenario.events  # the position ends at some month
    session.set_lever("coordinator_hours", 40.0)  # month 0: the start
    session.set_compare(True)
    session.run_to(2)
    session.trigger("funding_cut")  # acts in month 3, on both
    session.run_to(4)
    session.set_lever("eye_level", 0.9, side=1)  # acts in month 5, on B
    session.run_to(5)
    marks = session.marks()
    assert [(m["month"], m["kind"], m["sides"]) for m in marks] == [
        (3, "funding_cut", [0, 1]),
        (5, "levers", [1]),
    ]
    session.run_to(own.month)
    assert [m["kind"] for m in session.marks()][-1] == own.kind
    session.run_to(own.month + 1)
    for hours in (75.0, 70.0, 65.0):  # a slider moved by the arrow keys: one mark
        session.set_lever("coordinator_hours", hours, side=0)
    session.set_lever("eye_level", 0.7, side=0)
    session.step()
    (last,) = [m for m in session.marks() if m["month"] == own.month + 2]
    assert last["levers"] == {"coordinator_hours": 65.0, "eye_level": 0.7}
    series = [
        {k: session.series(k, side) for k in ("effectiveness", "nette_runde")} for side in (0, 1)
    ]
    option = indicators_option(series, 120, "de", marks=marks)
    lines = [s["markLine"]["data"] for s in option["series"] if "markLine" in s]
    assert lines == [[{"xAxis": 2.5, "name": "1"}], [{"xAxis": 4.5, "name": "2"}]]
    notes = notes_html(marks, True, "de")
    assert notes.index("Monat 5 (B): Augenhöhe mit dem Ehrenamt → 0,90") < notes.index(
        "Monat 3 (A, B): Fördermittel um 30 % gekürzt"
    )  # newest first
    assert "funding cut by 30%" in notes_html(marks, True, "en")


# --- the Solara page, headless ------------------------------------------------------------------
@pytest.fixture
def page():
    from sim.dashboard.app import Dashboard

    _box, rc = solara.render(Dashboard(inline=True), handle_error=False)
    yield rc
    rc.close()


def _with_class(rc, kind, cls: str) -> list:
    """Widgets of ``kind`` carrying CSS class ``cls`` (Vuetify widgets keep it in class_,
    which rc.find's ``classes`` filter does not look at)."""
    return [w for w in rc.find(kind).widgets if cls in (w.class_ or "").split()]


def _text(rc, cls: str) -> str:
    return "".join(str(c) for w in _with_class(rc, v.Html, cls) for c in w.children)


def _summary(rc, side: int) -> str:
    """A network's summary line, from the status panel drawn under it."""
    from solara.widgets import HTML

    (status,) = [
        w
        for w in rc.find(HTML).widgets
        if f"kommune-status-{side}" in str(w.attributes.get("class", "")).split()
    ]
    return re.search(rf'kommune-summary-{side}">([^<]*)<', status.unsafe_innerHTML).group(1)


def _button(rc, cls: str):
    (button,) = _with_class(rc, v.Btn, cls)
    return button


def _charts(rc) -> list[str]:
    """What each chart widget holds, by the description ECharts will show as aria-label:
    the network first (its description counts members after a colon), then the lines."""
    from solara.components.echarts import EchartsWidget

    held = [
        (w.option.get("aria") or {}).get("label", {}).get("description", "")
        for w in rc.find(EchartsWidget).widgets
    ]
    return sorted(held, key=lambda d: ":" not in d)


def _members(chart: str) -> int:
    return int(re.search(r": (\d+) (Mitglieder|members)", chart).group(1))


def test_charts_hold_the_current_month_through_every_kind_of_redraw(page):
    network, lines = _charts(page)
    assert network.startswith("Das Netzwerk, Monat 0: ") and network.endswith(" Mitglieder")
    assert lines == "Wie es dem Netzwerk geht, Monat 0"
    _button(page, "kommune-step").click()
    assert all("Monat 1" in c for c in _charts(page))
    stepped = _members(_charts(page)[0])
    _button(page, "kommune-event-new_partner").click()  # redraws the controls as well
    assert f"Monat 1: {stepped + 1} Mitglieder" in _charts(page)[0]
    (switch,) = _with_class(page, v.Switch, "kommune-large-font")
    switch.v_model = True  # a re-render that is no new month must not blank the charts
    assert f"Monat 1: {stepped + 1} Mitglieder" in _charts(page)[0]
    _button(page, "kommune-language").click()
    assert _charts(page)[0] == f"The network, month 1: {stepped + 1} members"


def test_page_steps_and_shows_the_month(page):
    assert "Monat 0 / 120" in _text(page, "kommune-month")
    _button(page, "kommune-step").click()
    _button(page, "kommune-step").click()
    assert "Monat 2 / 120" in _text(page, "kommune-month")
    _button(page, "kommune-reset").click()
    assert "Monat 0 / 120" in _text(page, "kommune-month")
    _button(page, "kommune-run-to").click()  # "bis Monat": the view is drawn anew, filled
    assert "Monat 36 / 120" in _text(page, "kommune-month")
    assert "Monat 36" in _charts(page)[0]


def test_page_switches_language(page):
    assert _button(page, "kommune-play").children == ["Start"]
    _button(page, "kommune-language").click()
    assert _button(page, "kommune-play").children == ["Play"]
    assert "Month 0 / 120" in _text(page, "kommune-month")
    _button(page, "kommune-language").click()
    assert _button(page, "kommune-play").children == ["Start"]


def test_page_events_and_compare_mode(page):
    _button(page, "kommune-step").click()
    members = _summary(page, 0)
    _button(page, "kommune-event-new_partner").click()
    assert _summary(page, 0) != members
    (switch,) = _with_class(page, v.Switch, "kommune-compare")
    switch.v_model = True
    assert _summary(page, 1)  # B is drawn beside A
    assert "Monat 0" in _text(page, "kommune-month")  # both restarted to run in step


@pytest.fixture
def page_from(tmp_path, monkeypatch):
    """The page started (as ``kommune dashboard FILE`` does) from a scenario file with
    the given text."""
    import sim.dashboard.app

    def render(text: str):
        own = tmp_path / "unsere_kommune.toml"
        own.write_text(text)
        monkeypatch.setattr(sim.dashboard.app, "DEFAULT_SCENARIO", str(own))
        return solara.render(sim.dashboard.app.Dashboard(inline=True), handle_error=False)[1]

    return render


def test_dashboard_starts_from_an_own_scenario_file(page_from):
    rc = page_from(
        'extends = "coordinated"\n[scenario]\ntitle_de = "Unsere Kommune"\ntitle_en = "Our town"\n'
    )
    assert "Unsere Kommune" in _text(rc, "kommune-month")
    _button(rc, "kommune-step").click()
    assert "Monat 1 /" in _text(rc, "kommune-month")
    rc.close()


def test_stepping_to_the_end_greys_out_play_and_step(page_from):
    rc = page_from('[scenario]\ntitle_de = "Kurz"\ntitle_en = "Short"\n[parameters]\nmonths = 2\n')
    _button(rc, "kommune-step").click()
    assert not _button(rc, "kommune-step").disabled
    _button(rc, "kommune-step").click()
    assert "Monat 2 / 2" in _text(rc, "kommune-month")
    assert _button(rc, "kommune-step").disabled and _button(rc, "kommune-play").disabled
    rc.close()


def test_large_font_mode_adds_the_presenter_style(page):
    (switch,) = _with_class(page, v.Switch, "kommune-large-font")
    switch.v_model = True

    def styles() -> str:
        return "".join(
            w.template for w in page.find(v.VuetifyTemplate).widgets if isinstance(w.template, str)
        )

    assert "html { font-size: 24px" in styles()
    (switch,) = _with_class(page, v.Switch, "kommune-large-font")
    switch.v_model = False
    assert "html { font-size: 24px" not in styles()


def test_a_busy_server_shows_more_months_per_frame_rather_than_slowing_the_run():
    from sim.dashboard.app import MAX_CATCH_UP, months_due

    assert months_due(0.0, 4) == 1  # on time: one month a frame
    assert months_due(-0.2, 4) == 1  # early (never zero)
    assert months_due(0.3, 4) == 2  # a frame late by more than a month's time
    assert months_due(0.3, 20) == 7 if MAX_CATCH_UP >= 7 else MAX_CATCH_UP
    assert months_due(60.0, 4) == MAX_CATCH_UP  # never a jump across the run


# --- offline and private --------------------------------------------------------------------------
def test_dashboard_settings_switch_off_telemetry():
    from sim.cli import OFFLINE

    code = (
        "import solara.settings, solara.server.settings as s; "
        "print(s.telemetry.mixpanel_enable, solara.settings.assets.proxy, "
        "solara.settings.assets.cdn)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **OFFLINE},
        capture_output=True,
        text=True,
        check=True,
    )
    # no telemetry; assets from this server; and the CDN it would fall back on is local
    assert done.stdout.split() == ["False", "True", "http://127.0.0.1:9/"]


def test_dashboard_refuses_a_bad_scenario(cli):
    code, _, err = cli("dashboard", "nosuch")
    assert code == 2 and "unknown scenario" in err


def test_dashboard_says_when_its_port_is_taken(cli):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = cli("dashboard", "--port", str(port))
    assert code == 2 and f"127.0.0.1:{port}" in err and "--port" in err
    assert len(err.strip().splitlines()) == 1


# --- the room: addresses to join --------------------------------------------------------------
def _interfaces(monkeypatch, addresses: dict[str, list[str]], down: tuple[str, ...] = ()):
    import socket as sock
    from types import SimpleNamespace

    import sim.dashboard.join as join

    addrs = {
        name: [SimpleNamespace(family=sock.AF_INET, address=a) for a in found]
        for name, found in addresses.items()
    }
    stats = {name: SimpleNamespace(isup=name not in down) for name in addresses}
    monkeypatch.setattr(join.psutil, "net_if_addrs", lambda: addrs)
    monkeypatch.setattr(join.psutil, "net_if_stats", lambda: stats)


def test_join_addresses_are_the_ones_the_room_can_open(monkeypatch):
    from sim.dashboard.join import join_urls, lan_addresses

    _interfaces(
        monkeypatch,
        {
            "lo": ["127.0.0.1"],
            "docker0": ["169.254.3.3"],  # link-local: nobody else reaches it
            "eth1": ["131.220.1.1"],  # public, listed after the LAN
            "wlan0": ["192.168.178.23"],
            "eth9": ["10.1.2.3"],  # down
        },
        down=("eth9",),
    )
    assert lan_addresses() == ["192.168.178.23", "131.220.1.1"]
    assert join_urls("0.0.0.0", 8765) == [
        "http://192.168.178.23:8765/",
        "http://131.220.1.1:8765/",
    ]
    assert join_urls("127.0.0.1", 8765) == ["http://localhost:8765/"]
    assert join_urls("10.0.0.7", 80) == ["http://10.0.0.7:80/"]


@pytest.mark.parametrize(("command", "page"), [("dashboard", ""), ("room", "mitmachen")])
def test_a_shared_dashboard_prints_real_addresses_and_a_qr_code(cli, monkeypatch, command, page):
    """``--host 0.0.0.0``: the terminal lists the addresses participants type (the room's:
    its participants' page) and a QR code of the first, never "0.0.0.0"; the page gets the
    same addresses for its join panel, and the server (the app with all its pages) is told
    to skip Solara's version check and its cookie warning."""
    import sim.cli
    from sim.dashboard.join import ENV

    _interfaces(monkeypatch, {"lo": ["127.0.0.1"], "wlan0": ["192.168.178.23"]})
    started = {}

    def execve(path, args, env):
        started.update(args=args, env=env)
        raise SystemExit(0)

    monkeypatch.setattr("os.execve", execve)
    monkeypatch.setattr(sim.cli, "_check_address", lambda host, port: None)
    code, out, _ = cli(command, "--host", "0.0.0.0", "--port", "8765")
    assert code == 0
    assert f"http://192.168.178.23:8765/{page}\n" in out and "0.0.0.0" not in out
    assert sum("█" in line for line in out.splitlines()) >= 15  # the QR code's rows
    assert started["env"][ENV] == "http://192.168.178.23:8765/"
    assert "--no-check-version" in started["args"]
    assert "sim.dashboard.serve" in started["args"] and "sim.app" in started["args"]
    if command == "room":
        assert "http://localhost:8765/raum" in out  # the trainer's page
    assert "samesite" in started["env"]["PYTHONWARNINGS"]


def test_a_shared_dashboard_without_a_network_says_so(cli, monkeypatch):
    import sim.cli

    _interfaces(monkeypatch, {"lo": ["127.0.0.1"]})
    monkeypatch.setattr("os.execve", lambda *a: (_ for _ in ()).throw(SystemExit(0)))
    monkeypatch.setattr(sim.cli, "_check_address", lambda host, port: None)
    code, out, _ = cli("dashboard", "--host", "0.0.0.0", "--port", "8765")
    assert code == 0 and "no network address" in out and "0.0.0.0" not in out


def test_join_qr_code_is_svg_for_the_page():
    from sim.dashboard.join import qr_svg

    svg = qr_svg("http://192.168.178.23:8765/")
    assert svg.startswith("<svg") and "<path" in svg


def test_german_page_writes_decimal_commas():
    """German mode writes numbers as German readers do: 0,50 on the sliders, "45 %"."""
    from sim.dashboard.app import lever_inputs
    from sim.i18n import percent

    session = Session("default", 42)
    de, en = lever_inputs(session, 0, "de"), lever_inputs(session, 0, "en")
    assert de["eye_level"]["label"].endswith("0,50") and en["eye_level"]["label"].endswith("0.50")
    assert de["coordinator_hours"]["label"].endswith("80 Std./Monat")
    assert percent(0.45, "de") == "45 %" and percent(0.45, "en") == "45%"


# --- one rule for levers and Neustart -------------------------------------------------------
def _rows(session: Session, side: int = 0) -> list[dict]:
    return session.sides[side].rows


def test_the_same_settings_give_the_same_run_whatever_the_click_order():
    """Moving a lever and then pressing Neustart, or pressing Neustart and then moving it
    in month 0, is one run: in month 0 the levers are the start."""
    before = Session("default", 42)
    before.step()
    before.set_lever("coordinator_hours", 0.0)  # month 1: acts from month 2 ...
    before.reset()  # ... then Neustart: 0 h is the start
    after = Session("default", 42)
    after.step()
    after.reset()
    after.set_lever("coordinator_hours", 0.0)  # month 0: the start
    for s in (before, after):
        s.run_to(24)
    assert _rows(before) == _rows(after)
    assert before.definition() == after.definition()


def test_the_coordinator_slider_adds_the_coordinator_for_real():
    """0 h, Neustart, back to 80 h in month 0: the network runs with its coordinator, as
    the slider says (it once ran the whole run without one)."""
    session = Session("default", 42)
    session.set_lever("coordinator_hours", 0.0)
    session.reset()
    session.set_lever("coordinator_hours", 80.0)
    session.run_to(12)
    fresh = Session("default", 42)
    fresh.run_to(12)
    assert _rows(session) == _rows(fresh)
    assert session.sides[0].model.coordinator.hours == 80.0
    assert all(row["coordination_hours"] > 0 for row in _rows(session))


def test_a_run_replays_from_its_definition():
    """Compare mode, levers moved in month 0 and during the run, events on both sides:
    the definition (what a reload or an exported file keeps) gives the same run."""
    session = Session("default", 7)
    session.set_compare(True)
    session.set_lever("eye_level", 0.9, side=1)  # B's start
    session.trigger("funding_cut", 0.2)  # before the first month
    session.run_to(10)
    session.set_lever("competition_intensity", 0.1, side=1)
    session.run_to(20)
    session.trigger("coordinator_ends")
    session.run_to(30)
    again = Session.replay(session.definition())
    assert again.month == 30
    for side in (0, 1):
        assert _rows(again, side) == _rows(session, side)
    assert [c["kind"] for c in session.definition()["timeline"]] == [
        "funding_cut",
        "lever",
        "coordinator_ends",
    ]


def test_run_to_stops_exactly_and_buttons_copy_and_reset_levers():
    session = Session("default", 42)
    session.run_to(36)
    assert session.month == 36 and len(_rows(session)) == 36
    session.run_to(10_000)
    assert session.month == session.scenario.params.months
    session.reset()
    session.set_compare(True)
    session.set_lever("eye_level", 0.9, side=1)
    session.set_lever("hierarchy", 0.1, side=1)
    session.copy_levers(0, 1)  # B = A, in month 0: B is built again like A
    assert session.sides[1].levers == session.sides[0].levers
    session.run_to(6)
    assert _rows(session, 0) == _rows(session, 1)
    session.set_lever("eye_level", 0.9, side=0)
    session.reset_levers(0)  # mid-run: a lever move back to the scenario's value
    assert session.sides[0].levers["eye_level"] == session.scenario.params.eye_level
    assert [c["name"] for c in session.timeline] == ["eye_level", "eye_level"]


def test_an_exported_scenario_file_gives_the_same_run(tmp_path, cli):
    """The settings as a scenario file: ``kommune run FILE --seed SEED`` runs the months
    the page showed, levers moved in month 0 and later and events included."""
    from sim.files.scenario import load
    from sim.model import KommuneModel

    session = Session("default", 11)
    session.set_compare(True)
    session.set_structure("volunteers_in_steering", True, side=1)
    session.set_lever("eye_level", 0.9, side=1)
    session.run_to(12)
    session.set_lever("coordinator_hours", 40.0, side=1)
    session.run_to(20)
    session.trigger("funding_cut", 0.2)
    session.run_to(30)
    for side in (0, 1):
        path = tmp_path / f"side{side}.toml"
        path.write_text(session.scenario_file(side), encoding="utf-8")
        scenario = load(str(path))
        model = KommuneModel(rng=session.seed, params=scenario.params, events=scenario.events)
        rows = []
        for _ in range(30):
            model.step()
            rows.append(dict(model.current))
        assert rows == _rows(session, side)
    code, out, _ = cli("run", str(tmp_path / "side1.toml"), "--seed", "11", "--months", "30")
    assert code == 0 and "month 13 levers (coordinator_hours" in " ".join(out.split())


def test_info_panel_has_netlogos_sections_every_lever_and_the_odds_mechanisms():
    import re
    from pathlib import Path

    from sim.dashboard.info import MECHANISMS, info_markdown
    from sim.params import SPEC_BY_NAME

    odd = (Path(__file__).resolve().parent.parent / "docs" / "ODD.md").read_text()
    titles = re.findall(r"^### 7\.(\d+) ([^(`]+?)\s*\(", odd, flags=re.M)
    submodels = [title for number, title in titles if int(number) <= 10]
    assert [m[0] for m in MECHANISMS] == submodels  # 7.11 (indicators) is no mechanism
    for lang, headings in (
        ("en", ("WHAT IS IT?", "HOW IT WORKS", "HOW TO USE IT", "THINGS TO NOTICE")),
        ("de", ("WAS IST DAS?", "WIE ES FUNKTIONIERT", "DAS MODELL ERWEITERN", "DANK UND")),
    ):
        text = info_markdown(lang)
        assert all(h in text for h in headings)
        for name in (*LEVERS, "governance", "n_carriers"):
            spec = SPEC_BY_NAME[name]
            assert (spec.de if lang == "de" else spec.en) in text and spec.label(lang) in text
    assert len(info_markdown("de").split("### ")) == 9  # eight sections


def test_kept_runs_come_back_and_the_oldest_go(monkeypatch):
    import sim.dashboard.app as app

    monkeypatch.setattr(app, "_kept", {})
    monkeypatch.setattr(app, "KEPT_MAX", 3)
    session = Session("default", 5)
    session.run_to(4)
    for key in ("a", "b", "c", "d"):
        app.keep(key, session)
    assert app.kept("a") is None and app.kept("d") == session.definition()
    again = app.Live("default", app.kept("d")).session
    assert again.month == 4 and _rows(again) == _rows(session)
    broken = {**session.definition(), "scenario": "/nonexistent/gone.toml"}
    assert app.Live("default", broken).session.month == 0  # starts anew, no error page


def test_keeping_runs_from_many_threads_at_once(monkeypatch):
    """Play loops of many sessions keep their runs at the same time."""
    import threading

    import sim.dashboard.app as app

    monkeypatch.setattr(app, "_kept", {})
    monkeypatch.setattr(app, "KEPT_MAX", 5)
    session = Session("default", 5)
    failures = []

    def work(n: int) -> None:
        try:
            for k in range(300):
                app.keep(f"{n}-{k}", session)
        except Exception as error:  # any failure is the finding
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(app._kept) <= 5


def test_export_keeps_the_order_of_month_one_events(tmp_path):
    """A scenario with its own month-1 event, a lever and a button in month 0: the page and
    the exported file run them in one order (the scenario's, the levers, the buttons), so
    the file repeats the run and a re-opened export obeys its sliders."""
    from sim.files.scenario import load
    from sim.model import KommuneModel

    own = tmp_path / "own.toml"
    own.write_text(
        'extends = "default"\n[scenario]\ntitle_de = "x"\ntitle_en = "x"\n'
        '[[events]]\nmonth = 1\nkind = "coordinator_ends"\n',
        encoding="utf-8",
    )
    session = Session(str(own), 3)
    session.trigger("funding_cut", 0.2)
    session.set_lever("coordinator_hours", 40.0)
    session.run_to(12)
    exported = tmp_path / "exported.toml"
    exported.write_text(session.scenario_file(0), encoding="utf-8")
    scenario = load(str(exported))
    model = KommuneModel(rng=3, params=scenario.params, events=scenario.events)
    rows = []
    for _ in range(12):
        model.step()
        rows.append(dict(model.current))
    assert rows == _rows(session)
    reopened = Session(str(exported), 3)
    reopened.set_lever("eye_level", 0.3)
    reopened.step()  # levers of month 0 act from month 1
    assert reopened.sides[0].model.p.eye_level == 0.3
