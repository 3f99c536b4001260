"""The dashboard in a real browser (Playwright driving Debian's Chromium).

One ``kommune dashboard`` server for the module; every test opens its own browser page,
so each is its own session. Screenshots go to ``test-artifacts/``. Without Chromium the
tests are skipped - unless KOMMUNE_REQUIRE_BROWSER is set (as in CI), then they fail.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-features=Translate,OptimizationHints",
]

if CHROMIUM is None:
    if os.environ.get("KOMMUNE_REQUIRE_BROWSER"):
        pytest.fail(
            "Chromium is required (KOMMUNE_REQUIRE_BROWSER) but not installed", pytrace=False
        )
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from sim.dashboard.app import MAX_CATCH_UP  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


JOIN_URL = "http://192.168.178.23:8765/"  # as `kommune dashboard --host 0.0.0.0` hands it on


def kommune_server(command: str, env: dict | None = None) -> tuple[subprocess.Popen, int]:
    """``kommune COMMAND`` (dashboard, room) on a free port, in a session of its own."""
    port = _free_port()
    kommune = Path(sys.executable).parent / "kommune"
    process = subprocess.Popen(
        [str(kommune), command, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env or dict(os.environ),
        start_new_session=True,
    )
    return process, port


@pytest.fixture(scope="module")
def server():
    process, port = kommune_server("dashboard", {**os.environ, "KOMMUNE_JOIN_URLS": JOIN_URL})
    yield serving(process, f"http://127.0.0.1:{port}/", "the dashboard")
    stop(process)


def serving(process: subprocess.Popen, url: str, what: str, seconds: float = 120):
    """``url`` once the server ``process`` answers it there (status 200), within
    ``seconds``; else the process is killed and the test fails."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"{what} did not start")
    return url


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, 15)
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.requests, page.problems = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page.problems.append(f"HTTP {response.status}: {response.url}")
        ),
    )
    page.goto(server)
    page.wait_for_selector(".kommune-month", timeout=60_000)
    yield page
    context.close()


def month(page) -> int:
    return int(re.search(r"(\d+) / \d+", page.inner_text(".kommune-month")).group(1))


def chart_label(page, panel: str) -> str:
    """What a chart shows, from the description ECharts writes into its aria-label as it
    draws: a chart that never received its data has none."""
    return page.get_attribute(f"{panel} .solara-echarts", "aria-label") or ""


def wait_for_chart(page, panel: str, text: str) -> None:
    page.wait_for_function(
        f"() => (document.querySelector('{panel} .solara-echarts')"
        f".getAttribute('aria-label') || '').includes('{text}')",
        timeout=10_000,
    )


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"))


def test_load_play_pause(page):
    assert "Monat 0 / 120" in page.inner_text(".kommune-month")
    members = int(page.inner_text(".kommune-summary-0").split()[0])  # after the spin-up
    wait_for_chart(page, ".kommune-network-0", f"Monat 0: {members} Mitglieder")  # at once
    assert page.inner_text(".kommune-play").strip().lower() == "start"
    page.click(".kommune-play")
    page.wait_for_function(
        "() => /Monat ([3-9]|\\d\\d+) \\//.test("
        "document.querySelector('.kommune-month').innerText)",
        timeout=30_000,
    )
    page.click(".kommune-play")
    stopped = month(page)
    page.wait_for_timeout(3000)  # still playing, 4 months per second would add 12
    assert stopped <= month(page) <= stopped + MAX_CATCH_UP  # only the frame in flight lands
    shown = month(page)
    wait_for_chart(page, ".kommune-network-0", f"Monat {shown}:")  # the network drawn ...
    assert f"Monat {shown}" in chart_label(page, ".kommune-indicators")  # ... and the lines
    shot(page, "playing")


def test_move_a_slider(page):
    label = page.locator(".kommune-levers-0 .v-label").first
    before = label.inner_text()
    assert before.startswith("Koordination: 80")
    page.locator(".kommune-levers-0 .v-slider__thumb-container").first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.kommune-levers-0 .v-label')"
        ".innerText.startsWith('Koordination: 90')",
        timeout=10_000,
    )
    assert label.inner_text() == "Koordination: 90 Std./Monat"  # two steps of 5 hours
    shot(page, "slider")


def test_switch_language(page):
    page.click(".kommune-language")
    page.wait_for_selector(".kommune-play:has-text('Play')", timeout=10_000)  # case-insensitive
    # the page's parts are redrawn one after the other: wait for each, do not sample it
    page.wait_for_selector(".kommune-month:has-text('Month 0 / 120')", timeout=10_000)
    page.wait_for_selector(".kommune-event-funding_cut:has-text('funding cut')", timeout=10_000)
    wait_for_chart(page, ".kommune-network-0", "The network, month 0")  # redrawn in English
    shot(page, "english")
    page.click(".kommune-language")
    page.wait_for_selector(".kommune-play:has-text('Start')", timeout=10_000)


def test_trigger_an_event(page):
    page.click(".kommune-step")
    page.wait_for_function(
        "() => document.querySelector('.kommune-month').innerText.includes('Monat 1 /')",
        timeout=10_000,
    )
    # month 1's count, known from the same session headless: the page may still show month
    # 0's for a moment, and a member who left in month 1 would make that off by one
    from sim.dashboard.session import Session

    headless = Session("default", seed=42)
    headless.step()
    members = int(headless.series("members")[-1])
    page.wait_for_function(
        f"() => parseInt(document.querySelector('.kommune-summary-0').innerText) === {members}",
        timeout=10_000,
    )
    page.click(".kommune-event-new_partner")
    page.wait_for_function(
        f"() => parseInt(document.querySelector('.kommune-summary-0').innerText) === {members + 1}",
        timeout=10_000,
    )
    wait_for_chart(page, ".kommune-network-0", f"{members + 1} Mitglieder")  # drawn in
    shot(page, "event")


def test_compare_mode_and_large_font(page):
    page.click(".kommune-compare label")
    page.wait_for_selector(".kommune-network-1", timeout=10_000)
    page.click(".kommune-step")
    page.wait_for_function(
        "() => document.querySelector('.kommune-month').innerText.includes('Monat 1 /')",
        timeout=10_000,
    )
    assert page.locator(".kommune-summary-1").count() == 1
    page.click(".kommune-large-font label")
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.kommune-month')).fontSize === '36px'",
        timeout=10_000,
    )
    wait_for_chart(page, ".kommune-network-1", "Monat 1:")
    shot(page, "compare-large")


# Every element that shows text of its own, by its text: its font size in px.
TEXT_SIZES_JS = """
() => {
  const sizes = {};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element || text in sizes) continue;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    if (element.closest('style, script, .v-tooltip, .v-menu__content')) continue;
    sizes[text] = parseFloat(style.fontSize);
  }
  return sizes;
}
"""


def _in_view(page, selector: str, width: int, height: int) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (selector, box)
    assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, (selector, box)


@pytest.mark.parametrize(
    "width,height,large", [(1920, 1080, False), (1280, 800, False), (1280, 800, True)]
)
def test_projector_one_screen(browser, server, width, height, large):
    """On a projector the networks, the indicators and the notes of what happened fit on
    one screen, alone and in compare mode: at 1920x1080 beside the sidebar, at 1280x800
    with the sidebar folded away (its button in the app bar), in large-font mode too. Open,
    the sidebar takes at most 30 % of a 1280-wide screen. The indicator chart keeps a
    readable plot: at least 300 px tall, its legend on one line in large-font mode."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server)
    page.wait_for_selector(".kommune-month", timeout=60_000)
    if large:
        page.click(".kommune-large-font label")
        page.wait_for_function(
            "() => getComputedStyle(document.documentElement).fontSize === '24px'",
            timeout=10_000,
        )
    drawer = page.locator(".v-navigation-drawer").bounding_box()
    assert drawer["width"] <= 0.3 * max(width, 1280) + 1
    folded = width < 1920

    def fold(out: bool) -> None:  # the app bar's button folds the sidebar away and back
        page.locator(".v-app-bar__nav-icon").click()
        page.wait_for_function(
            "() => (document.querySelector('.kommune-main').getBoundingClientRect().left < 100)"
            f" === {'true' if out else 'false'}",
            timeout=10_000,
        )

    for compare in (False, True):
        if compare:
            if folded:
                fold(False)
            page.locator(".kommune-compare label").click()
            page.wait_for_selector(".kommune-network-1", timeout=10_000)
        if folded:
            fold(True)
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(500)
        shown = [".kommune-month", ".kommune-network-0", ".kommune-indicators", ".kommune-notes"]
        for selector in shown + ([".kommune-network-1"] if compare else []):
            _in_view(page, selector, width, height)
        chart = page.locator(".kommune-indicators canvas").first.bounding_box()
        assert chart["height"] >= 300, chart
        if large:
            legend = page.evaluate(LEGEND_JS, ".kommune-indicators")
            assert legend == "scroll", legend
        name = f"projector-{width}x{height}" + ("-large" if large else "")
        shot(page, name + ("-compare" if compare else ""))
    context.close()


def test_large_font_scales_every_text_and_titles_stay_above_body(page):
    """Large-font mode makes every text on the page larger (by a quarter at least), card
    titles stay larger than the text in the cards, and no title breaks inside a word."""
    page.click(".kommune-step")
    wait_for_chart(page, ".kommune-network-0", "Monat 1:")
    normal = page.evaluate(TEXT_SIZES_JS)
    page.click(".kommune-large-font label")
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.kommune-month')).fontSize === '36px'",
        timeout=10_000,
    )
    page.wait_for_timeout(500)
    large = page.evaluate(TEXT_SIZES_JS)
    both = sorted(set(normal) & set(large))
    assert len(both) >= 40  # the app bar, the sidebar's controls, the panels' texts
    small = {
        text: (normal[text], large[text]) for text in both if large[text] < 1.25 * normal[text]
    }
    assert not small, small
    titles = page.eval_on_selector_all(
        ".v-card__title", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    body = page.eval_on_selector_all(
        ".kommune-status div, .kommune-notes, .v-navigation-drawer .v-label",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert min(titles) > max(body), (titles, body)
    breaks = page.eval_on_selector_all(
        ".v-card__title", "els => els.map(e => getComputedStyle(e).wordBreak)"
    )
    assert set(breaks) == {"normal"}, breaks


def test_nothing_jumps_while_playing(page):
    """While the network plays - the nette-Runde warning coming and going included - the
    coverage bars and the indicator chart stay where they are (in a scenario whose network
    stops being one in month 18)."""
    from sim.dashboard.app import scenario_titles

    page.click(".kommune-scenario .v-select__slot")
    title = scenario_titles("de")["competitive_funding"]
    page.locator(".v-menu__content .v-list-item", has_text=title).click()
    page.wait_for_function(
        f"() => document.querySelector('.kommune-month').innerText.includes({title!r})",
        timeout=10_000,
    )
    speed = page.locator(".v-navigation-drawer .v-slider__thumb-container").first
    speed.focus()
    speed.press("End")  # 20 months per second
    page.wait_for_selector("text=Monate pro Sekunde: 20", timeout=10_000)
    page.click(".kommune-play")
    seen, warned = set(), set()
    for _ in range(25):
        page.wait_for_timeout(150)
        seen.add(
            page.evaluate(
                "() => [...document.querySelectorAll("
                "'.kommune-coverage-title, .kommune-indicators')]"
                ".map(e => Math.round(e.getBoundingClientRect().top)).join(',')"
            )
        )
        warned.add(page.locator(".kommune-nette-runde-on").count())
    if page.locator(".kommune-play").is_enabled():  # not yet at the run's end: pause,
        with contextlib.suppress(PlaywrightTimeout):  # unless it ends (and stops) meanwhile
            page.click(".kommune-play", timeout=2_000)
    assert month(page) >= 30
    assert len(seen) == 1, seen
    assert warned == {0, 1}  # the warning came or went while we watched


def test_an_event_leaves_a_marker_and_a_note(page):
    """A button's event is numbered on the chart and explained under it, as is a lever
    moved while the network runs."""
    for _ in range(2):
        page.click(".kommune-step")
    page.wait_for_function(
        "() => document.querySelector('.kommune-month').innerText.includes('Monat 2 /')",
        timeout=10_000,
    )
    page.click(".kommune-event-funding_cut")
    page.click(".kommune-step")
    page.wait_for_function(
        "() => document.querySelector('.kommune-notes').innerText.includes('gekürzt')",
        timeout=10_000,
    )
    assert "Monat 3: Fördermittel um 30 % gekürzt" in page.inner_text(".kommune-notes")
    page.locator(".kommune-levers-0 .v-slider").first.click(position={"x": 2, "y": 5})
    page.click(".kommune-step")
    page.wait_for_function(
        "() => document.querySelector('.kommune-notes').innerText.includes('Koordination')",
        timeout=10_000,
    )
    notes = page.inner_text(".kommune-notes")
    assert notes.index("Monat 4: Koordination → 0 Std./Monat") < notes.index("Monat 3")
    # The notes and the chart are redrawn one after the other: wait for the chart's
    # second mark rather than read it in between (CI once read it with one mark).
    page.wait_for_function(
        f"() => ({CHART_JS})('.kommune-indicators')"
        ".some(s => s.name === 'Wirksamkeit' && s.marks.length >= 2)",
        timeout=10_000,
    )
    (line,) = [
        s for s in page.evaluate(CHART_JS, ".kommune-indicators") if s["name"] == "Wirksamkeit"
    ]
    assert line["marks"] == [[2.5, "1"], [3.5, "2"]]  # the dotted lines, numbered as the notes
    shot(page, "event-notes")
    assert not page.problems


def test_sessions_stay_isolated(browser, server):
    first, second = (browser.new_context().new_page() for _ in range(2))
    for page in (first, second):
        page.goto(server)
        page.wait_for_selector(".kommune-month", timeout=60_000)
    first.click(".kommune-play")
    first.wait_for_function(
        "() => /Monat ([3-9]|\\d\\d+) \\//.test("
        "document.querySelector('.kommune-month').innerText)",
        timeout=30_000,
    )
    assert month(second) == 0  # the other participant's play button did nothing here
    second.click(".kommune-step")
    second.wait_for_function(
        "() => document.querySelector('.kommune-month').innerText.includes('Monat 1 /')",
        timeout=10_000,
    )
    first.click(".kommune-play")
    assert month(first) >= 3 and month(second) == 1
    for page in (first, second):
        page.context.close()


def test_the_page_requests_nothing_outside_localhost(page):
    page.click(".kommune-step")
    page.wait_for_timeout(1000)
    hosts = {urlparse(url).hostname for url in page.requests}
    assert hosts and hosts <= {"127.0.0.1", "localhost"}, hosts
    assert not page.problems  # every asset came from the dashboard itself, nothing broke


def test_the_join_panel_shows_the_address_and_a_qr_code(page):
    """A shared dashboard's "teilnehmen" button opens a panel with the address the room
    types and its QR code, large enough for a projector; pressed again, it closes."""
    page.click(".kommune-join-button")
    page.wait_for_selector(".kommune-join-qr svg", timeout=10_000)
    assert JOIN_URL in page.inner_text(".kommune-join")
    box = page.locator(".kommune-join-qr svg").bounding_box()
    assert box["width"] >= 300 and box["height"] >= 300
    shot(page, "join")
    page.click(".kommune-join-button")
    page.wait_for_selector(".kommune-join", state="detached", timeout=10_000)
    assert not page.problems


def test_to_month_stops_exactly_and_b_equals_a(page):
    """ "bis Monat" stops where the guide says, not a month later; in compare mode "B = A"
    gives B the levers of A, and in month 0 both then run the same network."""
    field = page.locator(".kommune-run-to-month input")
    field.fill("36")
    field.press("Tab")
    page.click(".kommune-run-to")
    page.wait_for_function(
        "() => document.querySelector('.kommune-month').innerText.includes('Monat 36 /')",
        timeout=30_000,
    )
    assert month(page) == 36
    assert "Monat 0 ist das Netzwerk des Szenarios" in page.inner_text(".kommune-run-rule")
    page.click(".kommune-compare label")  # both start again, in month 0
    page.wait_for_selector(".kommune-copy-levers", timeout=10_000)
    page.click(".kommune-copy-levers")
    page.click(".kommune-step")
    for side in (0, 1):  # both networks drawn for month 1 before their lines are read
        wait_for_chart(page, f".kommune-network-{side}", "Monat 1:")
    assert page.inner_text(".kommune-summary-0") == page.inner_text(".kommune-summary-1")
    assert not page.problems


def test_export_round_trip(page, tmp_path):
    """The page's downloads: the months as CSV and Excel, and the settings as a scenario
    file that, run with the seed it names, gives the months the CSV holds."""
    import pandas as pd

    from sim.files.scenario import load
    from sim.model import KommuneModel

    slider = page.locator(".kommune-levers-0 .v-slider").nth(5)  # eye level, in month 0
    slider.click(position={"x": 5, "y": 5})
    for _ in range(3):
        page.click(".kommune-step")
    page.wait_for_function(
        "() => document.querySelector('.kommune-month').innerText.includes('Monat 3 /')",
        timeout=10_000,
    )
    files = {}
    for label in ("Szenario-Datei", "Monatswerte (CSV)", "Monatswerte (Excel)"):
        with page.expect_download() as download:
            page.locator(".kommune-export").get_by_text(label).click()
        files[label] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[label])
    months = pd.read_csv(files["Monatswerte (CSV)"])
    assert list(months["month"]) == [1, 2, 3]
    assert pd.read_excel(files["Monatswerte (Excel)"]).shape == months.shape
    text = files["Szenario-Datei"].read_text(encoding="utf-8")
    assert 'kind = "levers"' in text  # the slider moved in month 0
    scenario = load(str(files["Szenario-Datei"]))
    model = KommuneModel(rng=42, params=scenario.params, events=scenario.events)
    for _ in range(3):
        model.step()
    assert abs(model.current["effectiveness"] - months["effectiveness"].iloc[-1]) < 1e-12
    assert not page.problems


def test_the_info_panel_opens_in_both_languages(page):
    page.click(".kommune-info-button")
    page.wait_for_selector(".kommune-info", timeout=10_000)
    text = page.inner_text(".kommune-info")
    assert "WAS IST DAS?" in text and "DANK UND QUELLEN" in text
    assert page.locator(".kommune-info table tr").count() >= 13  # a row per lever and setting
    shot(page, "info")
    page.click(".kommune-language")
    page.wait_for_function(
        "() => document.querySelector('.kommune-info').innerText.includes('WHAT IS IT?')",
        timeout=10_000,
    )
    assert not page.problems


def test_a_chart_saves_as_png(page, tmp_path):
    """Each chart's save button gives a PNG of it, made in the browser."""
    page.click(".kommune-step")
    wait_for_chart(page, ".kommune-network-0", "Monat 1:")
    box = page.locator(".kommune-network-0 .solara-echarts").bounding_box()
    with page.expect_download() as download:
        page.mouse.click(box["x"] + box["width"] - 12, box["y"] + 12)  # the toolbox icon
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "kommune-netzwerk.png" and path.read_bytes()[:4] == b"\x89PNG"
    assert not page.problems


def test_a_reload_keeps_the_run(page):
    """Reloading the page (a locked phone, F5) brings back the same run at the same month,
    with a lever moved during it, recomputed from the run's definition."""
    for _ in range(3):
        page.click(".kommune-step")
    page.wait_for_function(
        "() => document.querySelector('.kommune-month').innerText.includes('Monat 3 /')",
        timeout=10_000,
    )
    slider = page.locator(".kommune-levers-0 .v-slider").nth(5)  # eye level, in month 3
    slider.click(position={"x": 5, "y": 5})
    page.wait_for_function(
        "() => !document.querySelector('.kommune-levers-0').innerText.includes("
        "'Augenhöhe mit dem Ehrenamt: 0,50')",
        timeout=10_000,
    )
    page.click(".kommune-step")
    wait_for_chart(page, ".kommune-network-0", "Monat 4:")
    before = page.inner_text(".kommune-summary-0")
    moved = re.search(r"Augenhöhe mit dem Ehrenamt: [\d,]+", page.inner_text(".kommune-levers-0"))
    page.reload()
    page.wait_for_selector(".kommune-month", timeout=60_000)
    wait_for_chart(page, ".kommune-network-0", "Monat 4:")
    assert month(page) == 4
    assert page.inner_text(".kommune-summary-0") == before
    assert moved.group(0) in page.inner_text(".kommune-levers-0")
    assert not page.problems


def test_two_tabs_of_one_browser_keep_their_own_runs(page, server):
    """Each tab names its run in its address: a reload brings back that tab's run, not the
    one of another tab of the same browser (which shares the session cookie); a tab opened
    at another's address starts from that run under an id of its own."""
    for _ in range(3):
        page.click(".kommune-step")
    page.wait_for_function("() => location.search.startsWith('?run=')", timeout=10_000)
    other = page.context.new_page()
    other.goto(server)
    other.wait_for_selector(".kommune-month", timeout=60_000)
    assert month(other) == 0
    other.click(".kommune-step")
    other.wait_for_function("() => location.search.startsWith('?run=')", timeout=10_000)
    assert other.url != page.url
    for tab, reached in ((other, 1), (page, 3)):
        tab.reload()
        tab.wait_for_selector(".kommune-month", timeout=60_000)
        tab.wait_for_function(
            f"() => document.querySelector('.kommune-month').innerText.startsWith("
            f"'Monat {reached} /')",
            timeout=30_000,
        )
    copy = page.context.new_page()  # a duplicated tab: that run, then a run of its own
    copy.goto(page.url)
    copy.wait_for_selector(".kommune-month", timeout=60_000)
    assert month(copy) == 3
    copy.wait_for_function(f"() => location.href !== {page.url!r}", timeout=10_000)
    for tab in (other, copy):
        tab.close()
    assert not page.problems


# --- the workshop guide, click by click -------------------------------------------------
# What a chart holds, read from the ECharts instance of the chart's own component (not
# from requirejs's registry, whose module names and load order vary between page loads):
# per series its name, line style, data and shaded spans.
LEGEND_JS = """
selector => {
  return document.querySelector(selector + ' .solara-echarts').__vue__.chart
    .getOption().legend[0].type;
}
"""

CHART_JS = """
selector => {
  const option = document.querySelector(selector + ' .solara-echarts').__vue__.chart
    .getOption();
  return option.series.map(s => ({
    name: s.name || '', dashed: (s.lineStyle || {}).type === 'dashed', data: s.data,
    shaded: ((s.markArea || {}).data || []).map(span => [span[0].xAxis, span[1].xAxis]),
    marks: ((s.markLine || {}).data || []).map(mark => [mark.xAxis, mark.name]),
  }));
}
"""


class Words:
    """What the page calls things in one language, from the page's own definitions."""

    def __init__(self, lang: str) -> None:
        from sim.dashboard.charts import kind_label
        from sim.i18n import number, percent, t
        from sim.indicators import INDICATORS
        from sim.params import SPEC_BY_NAME

        self.lang = lang
        self.month = t("month", lang).capitalize()  # "Monat", "Month"
        self.chart_month = t("month", lang)  # in the charts' descriptions
        self.simple, self.complex, self.hard = (
            t(part, lang) for part in ("simple", "complex", "hard_to_reach")
        )
        self.members = t("members_now", lang)
        self.effectiveness = INDICATORS["effectiveness"].label(lang)
        self.joint = INDICATORS["joint_coverage"].label(lang)
        self.lever = {name: SPEC_BY_NAME[name].label(lang) for name in SPEC_BY_NAME}
        self.hours = t("hours_per_month", lang)
        self.coordinator = kind_label("coordinator", lang)
        self.volunteer = kind_label("volunteer", lang)
        self.ends = t("note_coordinator_ends", lang)
        self.percent = lambda value: percent(value / 100, lang)
        self.number = lambda text: number(text, lang)


def bars(page, side: int) -> dict[str, str]:
    """The coverage bars under a network, as the room reads them: label -> "17 %"."""
    rows = page.locator(f".kommune-status-{side} .kommune-cov")
    return {
        rows.nth(k).locator("span").first.inner_text(): rows.nth(k)
        .locator("span")
        .last.inner_text()
        for k in range(rows.count())
    }


def summary(page, side: int, w: Words) -> tuple[int, str]:
    """Members and effectiveness from the line under a network: (29, "47 %")."""
    text = page.inner_text(f".kommune-summary-{side}")
    found = re.match(rf"(\d+) {w.members} · {w.effectiveness} (\d+ ?%)", text)
    return int(found.group(1)), found.group(2)


def line_at(page, name: str, month: int, w: Words, dashed: bool = False) -> str:
    """A line of the indicator chart at a month, as the page writes a share: "21 %"."""
    (series,) = [
        s
        for s in page.evaluate(CHART_JS, ".kommune-indicators")
        if s["name"] == name and s["dashed"] == dashed
    ]
    return w.percent(dict((m, v) for m, v in series["data"])[month])


def to_month(page, target: int, w: Words) -> None:
    field = page.locator(".kommune-run-to-month input")
    field.fill(str(target))
    field.press("Tab")
    page.click(".kommune-run-to")
    page.wait_for_function(
        "([text]) => document.querySelector('.kommune-month').innerText.startsWith(text)",
        arg=[f"{w.month} {target} /"],
        timeout=60_000,
    )
    for side in range(page.locator(".kommune-status").count()):
        wait_for_chart(page, f".kommune-network-{side}", f"{w.chart_month} {target}:")
    wait_for_chart(page, ".kommune-indicators", f"{w.chart_month} {target}")


def set_lever(page, side: int, label: str, value: str) -> None:
    """A lever slider set by keyboard, as a trainer would with the arrow keys: to its left
    end, then step by step (0,05 or 5 hours a step) to ``value`` as its label shows it."""
    lever = page.locator(f".kommune-levers-{side} .v-input").filter(
        has=page.locator(".v-label", has_text=re.compile(f"^{re.escape(label)}:"))
    )
    thumb = lever.locator(".v-slider__thumb-container")
    number = float(value.split()[0].replace(",", "."))
    steps = round(number / (5 if len(value.split()) > 1 else 0.05))
    thumb.focus()
    thumb.press("Home")
    for _ in range(steps):
        thumb.press("ArrowRight")
    expected = f"{label}: {value}"
    page.wait_for_function(
        "([side, label, expected]) => [...document.querySelectorAll("
        "`.kommune-levers-${side} .v-label`)].some(l => l.innerText === expected)",
        arg=[side, label, expected],
        timeout=30_000,
    )


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_workshop_guide_click_by_click(page, lang):
    """The workshop guide (docs/workshop-leitfaden.md, docs/workshop-guide.md), acts 1 to
    4, clicked as written (seed 42, as the page starts), and every number it promises read
    off the page: the bars, the line under each network, the lines of the indicator chart,
    the notes and the network drawing. Tolerance: none for numbers (same seed, same run,
    shown as the page rounds them); two months for "around month 28"."""
    w = Words(lang)
    p = w.percent
    if lang == "en":
        page.click(".kommune-language")
    wait_for_chart(page, ".kommune-network-0", f"{w.chart_month} 0:")
    # Act 1: a nette Runde
    assert month(page) == 0
    page.click(".kommune-step")
    wait_for_chart(page, ".kommune-network-0", f"{w.chart_month} 1:")
    assert bars(page, 0)[w.simple] == p(83)
    to_month(page, 12, w)
    assert page.locator(".kommune-nette-runde-on").count() == 1
    assert bars(page, 0) == {w.simple: p(88), w.complex: p(17), w.hard: p(7)}
    # Act 2: the way out (B: competition, joint funding, eye level, hierarchy)
    page.click(".kommune-compare label")
    page.wait_for_selector(".kommune-levers-1", timeout=10_000)
    set_lever(page, 1, w.lever["competition_intensity"], w.number("0.10"))
    set_lever(page, 1, w.lever["joint_funding_share"], w.number("0.80"))
    set_lever(page, 1, w.lever["eye_level"], w.number("0.90"))
    set_lever(page, 1, w.lever["hierarchy"], w.number("0.10"))
    to_month(page, 12, w)
    assert line_at(page, w.joint, 12, w, dashed=True) == p(21)
    assert line_at(page, w.joint, 12, w) == p(13)
    to_month(page, 36, w)
    assert summary(page, 1, w) == (33, p(56)) and summary(page, 0, w) == (29, p(47))
    a, b = bars(page, 0), bars(page, 1)
    assert (b[w.hard], a[w.hard]) == (p(27), p(7))
    assert (b[w.complex], a[w.complex]) == (p(40), p(19))
    assert (b[w.simple], a[w.simple]) == (p(81), p(87))
    assert page.locator(".kommune-status-0 .kommune-nette-runde-on").count() == 1  # A stays
    assert page.locator(".kommune-status-1 .kommune-nette-runde-on").count() == 0
    (b_line,) = [
        s
        for s in page.evaluate(CHART_JS, ".kommune-indicators")
        if s["name"] == w.effectiveness and s["dashed"]
    ]
    assert abs(b_line["shaded"][-1][1] + 0.5 - 28) <= 2  # B leaves it around month 28
    shot(page, f"guide-{lang}-act2")
    # Act 3: without coordination (Neustart, B = A, coordination of B to 0)
    page.click(".kommune-reset")
    page.wait_for_function(
        "([text]) => document.querySelector('.kommune-month').innerText.startsWith(text)",
        arg=[f"{w.month} 0 /"],
        timeout=30_000,
    )
    page.click(".kommune-copy-levers")
    set_lever(page, 1, w.lever["coordinator_hours"], f"0 {w.hours}")
    to_month(page, 60, w)
    assert summary(page, 1, w)[0] == 28 and summary(page, 0, w)[0] == 32
    assert line_at(page, w.joint, 60, w, dashed=True) == p(9)
    assert line_at(page, w.joint, 60, w) == p(21)
    a, b = bars(page, 0), bars(page, 1)
    assert (b[w.complex], a[w.complex]) == (p(11), p(28))
    assert (summary(page, 0, w)[1], summary(page, 1, w)[1]) == (p(49), p(46))
    assert (b[w.simple], a[w.simple]) == (p(91), p(85))
    shot(page, f"guide-{lang}-act3")
    # Act 4: the coordinator's position ends (compare off, Neustart, to 36, the button, to 60)
    page.click(".kommune-compare label")
    page.wait_for_selector(".kommune-network-1", state="detached", timeout=10_000)
    page.click(".kommune-reset")
    to_month(page, 36, w)
    assert bars(page, 0)[w.complex] == p(19)
    page.click(".kommune-event-coordinator_ends")
    to_month(page, 60, w)
    assert bars(page, 0)[w.complex] == p(16)
    assert line_at(page, w.joint, 60, w) == p(14)
    assert bars(page, 0)[w.hard] == p(12)
    network = {s["name"]: len(s["data"]) for s in page.evaluate(CHART_JS, ".kommune-network-0")}
    assert network[w.coordinator] == 0  # the diamond is gone ...
    assert network[w.volunteer] == 10  # ... and 10 initiatives stay active
    assert f"{w.month} 37: {w.ends}" in page.inner_text(".kommune-notes")
    (a_line,) = [
        s for s in page.evaluate(CHART_JS, ".kommune-indicators") if s["name"] == w.effectiveness
    ]
    assert a_line["marks"] == [[36.5, "1"]]  # the dotted line numbered 1, before month 37
    shot(page, f"guide-{lang}-act4")
    assert not page.problems
