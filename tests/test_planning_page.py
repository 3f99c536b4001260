"""The "Planung" page in a real browser (Playwright driving Debian's Chromium): a planner
uploads the example town's actor list, changes two levers, adds a variant with a funding
cut, compares with 5 runs each, reads the verdicts, downloads the report and the scenario
files, cancels a long comparison, and gets the broken-list corpus's messages on the page.

Its own ``kommune dashboard`` server (the fixtures of tests/test_browser.py), so that it
runs beside the workshop page's tests. Screenshots (for the planner's guide) go to
``test-artifacts/``.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser import ARTIFACTS, browser, server  # noqa: F401  (fixtures)

HERE = Path(__file__).parent
ROOT = HERE.parent
ACTORS = ROOT / "examples" / "beispielstadt" / "akteure.csv"
BROKEN = HERE / "broken_actors"


@pytest.fixture
def planning(browser, server):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.requests, page.problems = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.goto(server + "planung")
    page.wait_for_selector(".kommune-plan-base", timeout=60_000)
    yield page
    host = urlparse(server).netloc
    elsewhere = {
        urlparse(u).netloc for u in page.requests if urlparse(u).scheme in ("http", "https", "ws")
    } - {host}
    assert not elsewhere, f"the page contacted {elsewhere}"
    assert not page.problems, page.problems
    context.close()


GUIDE = ROOT / "docs" / "img"
SHOWN = ("ausgangspunkt", "kommune", "varianten", "vergleich", "empfehlung")  # in the guides


def shot(page, name: str, part: str | None = None) -> None:
    """A screenshot of the page (or one ``part`` of it) in test-artifacts/; with
    KOMMUNE_GUIDE_SCREENSHOTS=1 also the one the planner's guides show (docs/img/)."""
    guide = os.environ.get("KOMMUNE_GUIDE_SCREENSHOTS") and name in SHOWN
    folders = [ARTIFACTS] + ([GUIDE] if guide else [])
    size = page.viewport_size
    if part:  # tall enough for the whole part: the app scrolls inside, not the page
        height = page.locator(part).bounding_box()["height"]
        page.set_viewport_size({"width": size["width"], "height": int(max(height + 300, 1000))})
    for folder in folders:
        folder.mkdir(exist_ok=True)
        target = page.locator(part) if part else page
        target.screenshot(path=str(folder / f"planung-{name}.png"))
    page.set_viewport_size(size)


def upload(page, path: Path) -> None:
    page.set_input_files(".kommune-plan-upload input[type=file]", str(path))


def type_into(page, selector: str, text: str) -> None:
    field = page.locator(f"{selector} input")
    field.fill(text)
    field.press("Enter")


def type_until(page, selector: str, text: str, shown: str) -> None:
    """Type into a field until the page shows ``shown`` (a selector): a redraw that lands
    between the typing and the Enter puts the old value back, as it would for a person,
    who would type again."""
    for _ in range(3):
        type_into(page, selector, text)
        try:
            page.wait_for_selector(shown, timeout=5_000)
            return
        except PlaywrightTimeout:
            continue
    page.wait_for_selector(shown, timeout=1)


def section(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def test_from_actor_list_to_report(planning, tmp_path):
    page = planning
    upload(page, ACTORS)
    page.wait_for_selector(".kommune-plan-actors", timeout=20_000)
    assert "23 Akteure aus der Liste akteure.csv" in page.inner_text(".kommune-plan-actors")
    shot(page, "ausgangspunkt", ".kommune-plan-base")
    # the counts are the list's: the form shows them and does not let them change
    assert page.locator(".kommune-plan-field-n_carriers input").input_value() == "13"
    assert page.locator(".kommune-plan-field-n_carriers input").is_disabled()

    section(page, "Koordination")
    type_into(page, ".kommune-plan-field-coordinator_hours", "60")
    page.wait_for_selector(".kommune-plan-field-coordinator_hours.kommune-plan-changed")
    section(page, "Arbeitskultur")
    type_into(page, ".kommune-plan-field-eye_level", "7")  # refused, with the CLI's line
    page.wait_for_selector(".kommune-plan-field-eye_level .error--text", timeout=10_000)
    assert "eye_level = 7 is not allowed; allowed: number from 0 to 1" in page.inner_text(
        ".kommune-plan-field-eye_level"
    )
    type_into(page, ".kommune-plan-field-eye_level", "0,7")  # a German decimal comma
    page.wait_for_selector(".kommune-plan-field-eye_level.kommune-plan-changed")
    shot(page, "kommune", ".kommune-plan-municipality")
    assert page.locator(".kommune-plan-field-eye_level input").input_value() == "0,7"

    page.click(".kommune-plan-add-variant")
    page.wait_for_selector(".kommune-plan-variant-0")
    type_into(page, ".kommune-plan-event-month", "999")
    page.click(".kommune-plan-add-event")
    page.wait_for_selector(".kommune-plan-event-error")
    assert "Monat 999 ist nicht erlaubt" in page.inner_text(".kommune-plan-event-error")
    type_into(page, ".kommune-plan-event-month", "36")
    page.click(".kommune-plan-add-event")
    page.wait_for_selector(".kommune-plan-event")
    assert "Monat 36: Fördermittel um 30 % gekürzt" in page.inner_text(".kommune-plan-event")
    shot(page, "varianten", ".kommune-plan-variants")

    type_until(page, ".kommune-plan-replications", "3", ".kommune-plan-run:has-text('6 Läufe')")
    page.click(".kommune-plan-run")
    page.wait_for_selector(".kommune-plan-verdict", timeout=180_000)
    verdict = page.inner_text(".kommune-plan-verdict")
    assert verdict.startswith("Variante 1: Wirksamkeit") and "gegenüber Ausgangslage" in verdict
    assert any(word in verdict for word in ("besser", "schlechter", "kein klarer Unterschied"))
    frame = page.frame_locator(".kommune-plan-report")
    assert "Szenarienvergleich" in frame.locator("h1").inner_text()
    page.locator(".kommune-plan-compare").scroll_into_view_if_needed()
    page.locator(".kommune-plan-verdict").scroll_into_view_if_needed()
    shot(page, "vergleich")

    with page.expect_download() as report:
        page.get_by_role("button", name="Bericht (HTML)").click()
    html = Path(report.value.path()).read_text(encoding="utf-8")
    assert "Szenarienvergleich: ausgangslage / variante-1" in html and "http" not in html.lower()

    with page.expect_download() as files:
        page.get_by_role("button", name="Szenariodateien (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(files.value.path()).read_bytes()))
    assert sorted(archive.namelist()) == ["akteure.csv", "ausgangslage.toml", "variante-1.toml"]
    archive.extractall(tmp_path)
    reference = (tmp_path / "ausgangslage.toml").read_text(encoding="utf-8")
    assert 'actors = "akteure.csv"' in reference and "coordinator_hours = 60.0" in reference
    assert "eye_level = 0.7" in reference
    # the downloaded files make the same comparison on the command line
    kommune = Path(sys.executable).parent / "kommune"
    done = subprocess.run(
        [
            str(kommune),
            "compare",
            "ausgangslage.toml",
            "variante-1.toml",
            "--replications",
            "3",
            "--json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert '"replications": 3' in done.stdout

    with page.expect_download() as runs:
        page.get_by_role("button", name="Läufe (CSV)").click()
    lines = Path(runs.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("month,") and len(lines) == 1 + 2 * 3 * 120

    # a small recommendation: it is answered in words and goes into the report
    type_into(page, ".kommune-plan-goal-share", "120 %")
    page.wait_for_selector(".kommune-plan-recommend-message")
    assert "share = 120 % is not allowed" in page.inner_text(".kommune-plan-recommend-message")
    type_into(page, ".kommune-plan-goal-share", "80 %")
    type_until(
        page, ".kommune-plan-goal-trials", "2", ".kommune-plan-recommend:has-text('40 Läufe')"
    )
    page.click(".kommune-plan-recommend")
    page.wait_for_selector(".kommune-plan-recommendation", timeout=300_000)
    answer = page.inner_text(".kommune-plan-recommendation")
    assert "Wirksamkeit mindestens 0,55 in mindestens 80 % der Läufe" in answer
    assert answer.startswith(("Die günstigste gefundene Einstellung", "Keine der 2"))
    page.wait_for_function(
        "() => [...document.querySelectorAll('.kommune-plan-recommend-card img')]"
        ".every(i => i.complete && i.naturalHeight > 0)"
    )
    shot(page, "empfehlung", ".kommune-plan-recommend-card")
    page.wait_for_function(
        "() => (document.querySelector('.kommune-plan-report')?.srcdoc || '')"
        ".includes('<h2>Empfehlung</h2>')",
        timeout=60_000,
    )


def test_cancel_stops_a_long_comparison(planning):
    page = planning
    page.click(".kommune-plan-add-variant")
    page.wait_for_selector(".kommune-plan-variant-0")
    page.wait_for_function("() => !document.querySelector('.kommune-plan-run').disabled")
    type_until(page, ".kommune-plan-replications", "200", ".kommune-plan-run:has-text('400 Läufe')")
    page.click(".kommune-plan-run")
    page.wait_for_function(
        "() => /[1-9]\\d* von 400 Läufen/.test("
        "document.querySelector('.kommune-plan-progress-text')?.innerText || '')",
        timeout=60_000,
    )
    shot(page, "fortschritt", ".kommune-plan-compare")
    page.click(".kommune-plan-cancel")
    page.wait_for_selector(".kommune-plan-message", timeout=30_000)
    assert "Abgebrochen" in page.inner_text(".kommune-plan-message")
    page.wait_for_function("() => !document.querySelector('.kommune-plan-run').disabled")
    assert page.locator(".kommune-plan-verdict").count() == 0


def test_broken_actor_lists_get_their_messages(planning):
    page = planning
    for path in sorted(BROKEN.glob("*.csv")):
        upload(page, path)
        page.wait_for_function(
            f"() => (document.querySelector('.kommune-plan-upload-error')?.innerText || '')"
            f".includes({path.name!r})",
            timeout=20_000,
        )
        shown = page.inner_text(".kommune-plan-upload-error")
        expect = next(x for x in path.read_text().splitlines() if x.startswith("# expect:"))
        for fragment in expect.split("# expect:", 1)[1].split(" | "):
            assert fragment.strip() in shown, f"{path.name}: {fragment!r} not in {shown!r}"
    # nothing was half-imported: the municipality is still the built-in default
    assert page.locator(".kommune-plan-actors").count() == 0
    assert page.locator(".kommune-plan-field-n_carriers input").input_value() == "20"


def test_the_page_speaks_english_too_and_links_to_the_workshop(planning, server):  # noqa: F811
    page = planning
    page.get_by_role("button", name="English", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('.kommune-plan-base')?.innerText.includes('Starting point')"
        " && document.querySelector('.kommune-plan-municipality')?.innerText"
        ".includes('2. Your municipality')"
        " && /WORKING CULTURE/.test(document.querySelector('.kommune-plan-sections')?.innerText)"
    )  # the widgets are updated one after the other: wait for the last of them
    assert "COORDINATION" in page.inner_text(".kommune-plan-sections")  # buttons: capitals
    page.get_by_role("link", name="Workshop page").click()
    page.wait_for_selector(".kommune-month", timeout=60_000)
    assert page.url.split("?")[0].rstrip("/") == server.rstrip("/")
