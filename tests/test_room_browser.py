"""The participatory room in a real browser: a trainer and five participants, each in a
browser context of their own (as on their own devices), through three months with
decisions, a dropout and rejoin, a timer that runs out, an event and a step back; then
the decision log the trainer downloads. And two rooms on one server stay apart.

One ``kommune room`` server for the module; without Chromium the tests are skipped
(unless KOMMUNE_REQUIRE_BROWSER is set, as in CI).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from test_browser import (  # no Chromium: skip
    ARTIFACTS,
    browser,  # noqa: F401 (the fixture: one Chromium for the module)
    kommune_server,
    serving,
    stop,
)

from sim.room.room import LOG_COLUMNS

TIMER = 8  # seconds a month waits for decisions in these tests
ROLES = {  # participant -> the member they take (the default network, by its room label)
    "Ada": "Freier Träger 1 ·",
    "Ben": "Ehrenamt 1 ·",
    "Cem": "Verwaltung 1 ·",
    "Dora": "Freier Träger 2 ·",
    "Eli": "Ehrenamt 2 ·",
}


KEY = "schluessel-fuer-tests"  # the server's key to open rooms, as kommune room prints it


@pytest.fixture(scope="module")
def server():
    """The server's root address (``…/``); the trainer's page is ``raum?schluessel=KEY``."""
    process, port = kommune_server("room", {**os.environ, "KOMMUNE_ROOM_KEY": KEY})
    yield serving(process, f"http://127.0.0.1:{port}/raum?schluessel={KEY}", "the room")
    stop(process)


def _watched(page):
    page.requests, page.problems = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    return page


def open_room(browser, server: str, coordinator: bool = False):  # noqa: F811
    trainer = _watched(browser.new_context(viewport={"width": 1600, "height": 1000}).new_page())
    trainer.goto(server)  # the trainer's address, with the server's key
    trainer.wait_for_selector(".kommune-room-open", timeout=60_000)
    trainer.fill(".kommune-room-timer input", str(TIMER))
    if coordinator:
        trainer.click(".kommune-room-coordinator-role label")
    trainer.click(".kommune-room-open")
    trainer.wait_for_selector(".kommune-room-code", timeout=30_000)
    return trainer, trainer.inner_text(".kommune-room-code").strip()


def join(browser, server: str, code: str, name: str, role: str | None):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 800})  # a phone
    page = _watched(context.new_page())
    page.goto(server.split("raum?")[0] + f"mitmachen?raum={code}")
    page.wait_for_selector(".kommune-room-name input", timeout=60_000)
    page.fill(".kommune-room-name input", name)
    page.click(".kommune-room-join")
    page.wait_for_selector(".kommune-room-role", timeout=30_000)
    if role is not None:
        page.locator(".kommune-room-role", has_text=re.compile("^" + re.escape(role))).click()
        page.wait_for_selector(".kommune-room-submit", timeout=30_000)
    return page


def decide(
    page, month: int, nothing: bool = False, step_back: bool = False, withhold: bool = False
) -> None:
    """The decision for ``month``. Nothing: no joint work and no meetings. Otherwise the
    form as it stands.

    The form is filled in only once the page shows that month's form: a new month sets
    the form back to its start (as a person sees it), so a click on the previous month's
    form would be undone before it is sent.
    """
    page.wait_for_function(
        "m => [...document.querySelectorAll('.v-card__title')]"
        ".some(e => e.innerText.includes(`Entscheidung für Monat ${m}`))"
        " && !document.querySelector('.kommune-room-decided')",
        arg=month,
        timeout=30_000,
    )
    if nothing:
        page.locator(".kommune-room-share .v-slider__thumb-container").focus()
        page.keyboard.press("Home")
        page.wait_for_function(
            "() => document.querySelector('.kommune-room-share').innerText.includes(': 0 %')"
        )
        if page.locator(".kommune-room-attend").count():
            page.click(".kommune-room-attend label")
            page.wait_for_function(
                "() => document.querySelector('.kommune-room-attend input')"
                ".getAttribute('aria-checked') === 'false'"
            )
    if step_back:
        page.click(".kommune-room-step-back label")
    if withhold:  # only a carrier with competitors is asked
        page.click(".kommune-room-withhold label")
    page.click(".kommune-room-submit")
    page.wait_for_selector(".kommune-room-decided", timeout=30_000)


def wait_month(page, k: int, seconds: float = 30) -> None:
    page.wait_for_function(
        "k => [...document.querySelectorAll('.kommune-room-clock')]"
        ".some(e => e.innerText.includes(`Monat ${k} /`))",
        arg=k,
        timeout=seconds * 1000,
    )


def test_a_trainer_and_five_participants_play_three_months(browser, server, tmp_path):  # noqa: F811
    trainer, code = open_room(browser, server)
    players = {name: join(browser, server, code, name, role) for name, role in ROLES.items()}
    for name, role in ROLES.items():  # each sees the member they play
        assert role in players[name].inner_text(".kommune-room-role-played")
    people = trainer.locator(".kommune-room-people")
    for name in ROLES:
        people.get_by_text(name, exact=True).wait_for(timeout=30_000)

    # month 1: everyone decides (Ada gives nothing), then the trainer starts the clock;
    # the month runs at once, since all have decided
    decide(players["Ada"], 1, nothing=True)
    for name in ("Ben", "Cem", "Dora", "Eli"):
        decide(players[name], 1)
    trainer.click(".kommune-room-start")
    wait_month(trainer, 1)
    trainer.click(".kommune-room-pause")
    for page in players.values():
        wait_month(page, 1)

    # a dropout: Ben's phone locks (the page is gone) and comes back on the same address
    address = players["Ben"].url
    assert "ich=" in address and f"raum={code}" in address
    context = players["Ben"].context
    players["Ben"].close()
    players["Ben"] = _watched(context.new_page())
    players["Ben"].goto(address)
    players["Ben"].wait_for_selector(".kommune-room-role-played", timeout=60_000)
    assert ROLES["Ben"] in players["Ben"].inner_text(".kommune-room-role-played")

    # month 2: Eli does not decide; the timer runs out and Eli gets the model's rule
    decide(players["Ada"], 2, nothing=True)
    for name in ("Ben", "Cem", "Dora"):
        decide(players[name], 2)
    assert "entscheidet noch" in people.inner_text()
    trainer.click(".kommune-room-start")
    wait_month(trainer, 2, seconds=TIMER + 30)
    trainer.click(".kommune-room-pause")

    # an event, in the room's network and the model-only one alike (it acts next month)
    trainer.click(".kommune-event-funding_cut")

    # month 3: Cem steps back; the trainer runs the month by hand
    assert players["Ben"].locator(".kommune-room-withhold").count() == 0  # a volunteer
    for name in ("Ada", "Ben", "Dora", "Eli"):
        decide(players[name], 3, nothing=name == "Ada", withhold=name == "Dora")
    decide(players["Cem"], 3, step_back=True)
    trainer.click(".kommune-room-next")
    wait_month(trainer, 3)
    trainer.wait_for_function(  # the cut noted for both networks
        "() => document.querySelector('.kommune-notes').innerText"
        ".includes('Monat 3 (A, B): Fördermittel')"
    )
    players["Cem"].wait_for_selector(".kommune-room-left", timeout=30_000)
    people.get_by_text("ausgetreten").wait_for(timeout=30_000)
    trainer.screenshot(path=str(ARTIFACTS / "room-trainer.png"))
    players["Ada"].screenshot(path=str(ARTIFACTS / "room-participant.png"), full_page=True)

    # the log: every played month, with the state it was decided in
    with trainer.expect_download() as download:
        trainer.get_by_text("Entscheidungen (Parquet)").click()
    log = pd.read_parquet(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert list(log.columns) == LOG_COLUMNS
    assert len(log) == 15 and set(log.month) == {1, 2, 3}
    by = log.set_index(["participant", "month"])
    assert (by.loc["Ada", "joint_hours"] == 0).all() and (by.loc["Ada", "joint_share"] == 0).all()
    assert (by.loc["Ada", "attended_meetings"] == 0).all()
    assert not by.loc[("Eli", 2), "decided"] and by.loc[("Eli", 3), "decided"]
    assert by.loc[("Cem", 3), "step_back"] and not by.loc[("Cem", 3), "active_after"]
    assert by.loc["Dora", "active_after"].all()
    assert not by.loc[("Dora", 3), "openly"] and by.loc[("Dora", 2), "openly"]

    # the debrief: each player against the rule, the course, the workbook
    trainer.click(".kommune-room-debrief-button")
    trainer.wait_for_selector(".kommune-room-players", timeout=30_000)
    rows = {
        line.split("\t")[0]: line.split("\t")
        for line in trainer.inner_text(".kommune-room-players").splitlines()
    }
    assert set(ROLES) <= set(rows)
    assert rows["Ada"][2] == "3 / 3" and rows["Ada"][3] == "0 %" and rows["Ada"][5] == "0 %"
    assert rows["Cem"][7] == "ja" and rows["Eli"][2] == "2 / 3" and rows["Dora"][7] == "nein"
    assert rows["Dora"][9] == "1" and rows["Ada"][9] == "0"
    assert trainer.locator(".kommune-room-moments li").count() >= 1
    with trainer.expect_download() as download:
        trainer.get_by_text("Auswertung (Excel)").click()
    sheets = pd.read_excel(download.value.path(), sheet_name=None)
    assert len(sheets["decisions"]) == 15 and len(sheets["course"]) == 3
    # the model's state: the room's network, as the page shows it under A, parted from the
    # model alone (B) through the players' choices
    room_months, alone = sheets["room_months"], sheets["model_alone_months"]
    assert len(room_months) == 3 and not room_months.equals(alone)
    members = int(room_months["members"].iloc[-1])
    effectiveness = round(100 * room_months["effectiveness"].iloc[-1])
    summary = trainer.inner_text(".kommune-summary-0")
    assert summary.startswith(f"{members} Mitglieder") and f"{effectiveness} %" in summary
    trainer.screenshot(path=str(ARTIFACTS / "room-debrief.png"), full_page=True)

    for page in [trainer, *players.values()]:
        hosts = {urlparse(url).hostname for url in page.requests}
        assert hosts <= {"127.0.0.1", "localhost"}, hosts
        assert not page.problems, page.problems


def test_two_rooms_stay_apart(browser, server):  # noqa: F811
    one, code_one = open_room(browser, server)
    two, code_two = open_room(browser, server)
    assert code_one != code_two
    assert "leitung=" in one.url  # the trainer's key, in the trainer's address only
    # the code is on the projector: opening the trainer's page with it steers nothing
    root = server.split("raum?")[0]
    stranger = _watched(browser.new_context().new_page())
    stranger.goto(root + f"raum?raum={code_one}")
    stranger.wait_for_selector(".kommune-room-not-yours", timeout=60_000)
    assert stranger.locator(".kommune-room-next").count() == 0
    # ... nor can anyone without the server's key open rooms
    stranger.goto(root + "raum")
    stranger.wait_for_selector(".kommune-room-locked", timeout=60_000)
    assert stranger.locator(".kommune-room-open").count() == 0
    player = join(browser, server, code_one, "Fritz", ROLES["Ada"])
    one.locator(".kommune-room-people").get_by_text("Fritz", exact=True).wait_for(timeout=30_000)
    # the trainer frees Fritz's role (he lost his address): he chooses again
    one.click(".kommune-room-release")
    player.wait_for_selector(".kommune-room-roles", timeout=30_000)
    player.locator(".kommune-room-role", has_text=re.compile("^" + re.escape(ROLES["Ada"]))).click()
    player.wait_for_selector(".kommune-room-submit", timeout=30_000)
    two.wait_for_timeout(1500)
    assert "Fritz" not in two.inner_text(".kommune-room-people")
    assert "noch niemand" in two.inner_text(".kommune-room-people")
    # Fritz's token means nothing in the other room: there he would join afresh
    elsewhere = player.url.replace(f"raum={code_one}", f"raum={code_two}")
    page = player.context.new_page()
    page.goto(elsewhere)
    page.wait_for_selector(".kommune-room-name input", timeout=60_000)
    # and a room code nobody opened is refused in one line
    page.goto(root + "mitmachen?raum=QQQQ")
    page.wait_for_selector(".kommune-room-code-input", timeout=60_000)
    assert "keinen Raum" in page.inner_text("body")


def test_a_person_plays_the_coordinator(browser, server):  # noqa: F811
    """Allowed by the trainer, a participant takes the coordinator, sees where the shoe
    pinches and puts the month's hours into contact alone; the log keeps the split."""
    trainer, code = open_room(browser, server, coordinator=True)
    page = join(browser, server, code, "Kim", "Koordination")
    assert "Kontaktpflege" in page.inner_text(".kommune-room-situation")
    for task in ("translation", "moderation", "transparency", "onboarding", "roles", "monitoring"):
        page.locator(f".kommune-room-task-{task} .v-slider__thumb-container").focus()
        page.keyboard.press("Home")
    page.wait_for_function(
        "() => document.querySelector('.kommune-room-task-contact').innerText.includes('100 %')"
    )
    page.click(".kommune-room-submit")
    page.wait_for_selector(".kommune-room-decided", timeout=30_000)
    trainer.click(".kommune-room-next")
    wait_month(trainer, 1)
    with trainer.expect_download() as download:
        trainer.get_by_text("Entscheidungen (Parquet)").click()
    log = pd.read_parquet(download.value.path())
    assert log.kind.tolist() == ["coordinator"] and '"contact": 1.0' in log.tasks.iloc[0]
