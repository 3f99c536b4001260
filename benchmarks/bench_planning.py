"""How long a planner waits for a comparison on the Planung page.

Starts ``kommune dashboard``, opens ``/planung`` in Chromium (Playwright), adds two variants
(a funding cut, more coordination), sets 20 runs per scenario and presses "Vergleich
starten": the time from the click until the verdicts and the report are on the page, for
the default scenario (120 months, 3 scenarios x 20 runs, on the server's worker processes).
Target: under a minute on 2 cores. For comparison it prints the same comparison run by the
page's engine alone (``Plan.compare``, no browser, no report), and the first comparison
after the server's start separately, since it starts the worker processes.

Run:  uv run python benchmarks/bench_planning.py [--replications 20] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

TARGET = 60.0  # seconds, issue 11


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = free_port()
    kommune = Path(sys.executable).parent / "kommune"
    process = subprocess.Popen(
        [str(kommune), "dashboard", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the dashboard did not start")


def in_browser(url: str, replications: int, repeat: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url + "planung")
            page.wait_for_selector(".kommune-plan-base", timeout=60_000)
            page.click(".kommune-plan-add-variant")
            page.wait_for_selector(".kommune-plan-variant-0")
            page.locator(".kommune-plan-variant-0 .kommune-plan-add-event").click()
            page.wait_for_selector(".kommune-plan-variant-0 .kommune-plan-event")
            page.click(".kommune-plan-add-variant")
            page.wait_for_selector(".kommune-plan-variant-1")
            choice = page.locator(
                ".kommune-plan-variant-1 .kommune-plan-change-parameter input[type=text]"
            )
            choice.fill("coordinator_hours")
            page.locator(".v-menu__content .v-list-item", has_text="(coordinator_hours)").click()
            field = page.locator(".kommune-plan-variant-1 .kommune-plan-change-value input")
            field.fill("160")
            page.locator(".kommune-plan-variant-1 .kommune-plan-apply").click()
            page.wait_for_selector(".kommune-plan-variant-1 .kommune-plan-change")
            runs = page.locator(".kommune-plan-replications input")
            runs.fill(str(replications))
            runs.press("Enter")
            page.wait_for_selector(f".kommune-plan-run:has-text('{3 * replications} ')")
            started = time.perf_counter()
            page.click(".kommune-plan-run")
            page.wait_for_selector(".kommune-plan-report", timeout=600_000)
            times.append(time.perf_counter() - started)
            page.close()
        browser.close()
    return times


def engine_alone(replications: int) -> float:
    from sim.dashboard.plan import Plan, page_workers

    plan = Plan()
    plan.add_variant()
    plan.add_event(0, "funding_cut", 24)
    plan.add_variant()
    plan.set_in_variant(1, "coordinator_hours", "160")
    plan.replications = replications
    workers = page_workers()
    plan.replications = 2
    plan.compare(workers=workers)  # the pool's start, not counted
    plan.replications = replications
    started = time.perf_counter()
    plan.compare(workers=workers)
    seconds = time.perf_counter() - started
    plan.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    runs = 3 * args.replications
    print(
        f"3 scenarios x {args.replications} runs ({runs} runs of 120 months), "
        f"{os.cpu_count()} cores"
    )
    alone = engine_alone(args.replications)
    print(f"  engine alone (Plan.compare, workers started): {alone:6.1f} s")
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print("  in the browser: skipped (apt-get install chromium)")
        return
    process, url = start_server()
    try:
        times = in_browser(url, args.replications, args.repeat)
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
    first, rest = times[0], times[1:]
    print(f"  from the page, first after the server's start: {first:6.1f} s")
    for k, seconds in enumerate(rest, start=2):
        print(f"  from the page, comparison {k}:                  {seconds:6.1f} s")
    best = min(times)
    print(f"  best {best:.1f} s against the target of {TARGET:.0f} s: ratio {best / TARGET:.2f}")


if __name__ == "__main__":
    main()
