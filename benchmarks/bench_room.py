"""Can one laptop hold a participatory room? Twenty participants and a trainer.

Prints
* the room's core alone: one month with 20 players' decisions (``Room.advance``: the
  room's network and the model-only one stepped, the log written), median and worst;
* the server in a real room (if Chromium is installed): ``kommune room`` with a trainer's
  page and 20 participants' pages (each its own browser context, as on its own phone),
  every participant deciding every month by clicking "Entscheiden": the server's CPU time
  per month (polls, renders of 21 pages, decisions and the month itself), and the wall
  time from the last decision to the month shown on every page. Target: a month at most
  a few seconds, so the server cost per month must stay well under a second.

Run:  uv run python benchmarks/bench_room.py
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sim.room.room import Room

PARTICIPANTS = 20
KEY = "bench"  # the server's key to open rooms (kommune room prints its own otherwise)
MONTHS = 6


def core(months: int = 24) -> list[float]:
    room = Room("BENC", "default", 1)
    tokens = [room.join(f"P{k}") for k in range(PARTICIPANTS)]
    for token, member in zip(tokens, room.free_roles(), strict=False):
        room.take(token, member.unique_id)
    times = []
    for month in range(months):
        for k, token in enumerate(tokens):
            room.decide(token, (k % 5) / 4, attend=k % 3 > 0)
        started = time.perf_counter()
        room.advance()
        times.append((time.perf_counter() - started) * 1000)
        assert room.month == month + 1
    return times


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _serve() -> tuple[str, subprocess.Popen]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kommune = Path(sys.executable).parent / "kommune"
    server = subprocess.Popen(
        [str(kommune), "room", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "KOMMUNE_ROOM_KEY": KEY},
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "raum", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    return url, server


def in_browsers() -> tuple[float, list[float]] | None:
    chromium = shutil.which("chromium")
    if chromium is None or not Path("/proc").exists():
        return None
    from playwright.sync_api import sync_playwright

    url, server = _serve()
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            trainer = b.new_context(viewport={"width": 1600, "height": 1000}).new_page()
            trainer.goto(url + f"raum?schluessel={KEY}")
            trainer.wait_for_selector(".kommune-room-open", timeout=120_000)
            trainer.click(".kommune-room-open")
            trainer.wait_for_selector(".kommune-room-code", timeout=60_000)
            code = trainer.inner_text(".kommune-room-code").strip()
            pages = []
            for k in range(PARTICIPANTS):
                page = b.new_context(viewport={"width": 390, "height": 800}).new_page()
                page.goto(f"{url}mitmachen?raum={code}")
                page.wait_for_selector(".kommune-room-name input", timeout=120_000)
                page.fill(".kommune-room-name input", f"P{k}")
                page.click(".kommune-room-join")
                page.wait_for_selector(".kommune-room-role", timeout=60_000)
                page.locator(".kommune-room-role").first.click()
                page.wait_for_selector(".kommune-room-submit", timeout=60_000)
                pages.append(page)
            trainer.click(".kommune-room-start")
            before = _cpu_seconds(server.pid)
            waits = []
            for month in range(1, MONTHS + 1):
                for page in pages:
                    page.click(".kommune-room-submit")
                decided = time.monotonic()
                for page in [trainer, *pages]:
                    page.wait_for_function(
                        "k => [...document.querySelectorAll('.kommune-room-clock')]"
                        ".some(e => e.innerText.includes(`Monat ${k} /`))",
                        arg=month,
                        timeout=120_000,
                    )
                waits.append(time.monotonic() - decided)
            cpu = _cpu_seconds(server.pid) - before
            b.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return cpu * 1000 / MONTHS, waits


def main() -> None:
    times = core()
    print(
        f"core: one month with {PARTICIPANTS} players' decisions (room + model-only network, "
        f"log): median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms"
    )
    figures = in_browsers()
    if figures is None:
        print("browser: Chromium not installed, the room with 21 pages is skipped")
        return
    cpu_ms, waits = figures
    print(
        f"room: {PARTICIPANTS} participants and a trainer in Chromium, every participant "
        f"deciding every month: server CPU {cpu_ms:.0f} ms per month (target: well under a "
        f"second; {cpu_ms / 1000:.2f} of it); from the last decision to the month on all "
        f"{PARTICIPANTS + 1} pages: median {statistics.median(waits):.1f} s, worst "
        f"{max(waits):.1f} s (the 21 browsers share this machine's 2 cores with the server)"
    )


if __name__ == "__main__":
    main()
