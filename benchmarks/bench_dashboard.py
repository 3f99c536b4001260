"""Is the dashboard fast enough for a live workshop? One step plus redraw, 200 actors.

Prints
* the server's share: one model step plus both chart options and their JSON, for a
  network of 200 actors (median and worst over 60 frames);
* the page's share on the server (default network): a click on "Schritt" in a headless
  page - step, render, widget updates, without the websocket;
* the server's side of a room without browsers: 20 play loops in one process, each
  drawing its charts and their JSON (no websocket) - CPU per month and the speed kept;
* a room: 20 browser sessions playing at once against one server (default network) - the
  server's CPU time per month shown, websocket included (a busy server draws several
  months per frame), how many participants one core keeps at 4 months per second, and the
  speed each session actually ran at;
* end to end in a real browser (if Chromium is installed), timed inside the page: from a
  click on "Schritt" until the month line and both charts show the next month and the
  frame is painted - the websocket round trip, the step, the new charts and the browser
  drawing them (median and worst over 20 clicks). Target: at most 100 ms median;
* ten sessions pressing "Schritt" at the same moment (ten browser pages, one server, 200
  actors each), each timed as above, over ten rounds. Target: at most 300 ms median. And
  where that time goes: the CPU a round costs the server and the ten Chromium pages, which
  in this benchmark run on the server's own cores (in a room, each on its own device).

Run:  uv run python benchmarks/bench_dashboard.py
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sim.dashboard.charts import SHOWN, indicators_option, network_option
from sim.dashboard.layout import NetworkLayout
from sim.dashboard.session import Session

SIZE = {"n_administration": 16, "n_carriers": 110, "n_volunteers": 74}  # 200 actors
SCENARIO = """[scenario]
title_de = "200 Akteure"
title_en = "200 actors"

[parameters]
n_administration = 16
n_carriers = 110
n_volunteers = 74
"""


def server_side(frames: int = 60) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.toml"
        path.write_text(SCENARIO)
        session = Session(str(path))
    side = session.sides[0]
    layout = NetworkLayout(side.model)
    times = []
    for k in range(frames + 3):
        started = time.perf_counter()
        session.step()
        network = network_option(side.model, layout)
        lines = indicators_option([{n: session.series(n) for n in (*SHOWN, "nette_runde")}], 120)
        json.dumps(network)
        json.dumps(lines)
        if k >= 3:
            times.append((time.perf_counter() - started) * 1000)
    return times


# Runs in the page: click "Schritt" (the button itself, as a trainer would), then wait
# until the month line and both charts show month k - ECharts writes each chart's
# description into its aria-label as it draws - and one more frame is painted.
FRAME_JS = """
k => new Promise((resolve, reject) => {
  const started = performance.now();
  document.querySelector('.kommune-step button, button.kommune-step').click();
  const drawn = () => {
    const month = document.querySelector('.kommune-month').innerText;
    const charts = [...document.querySelectorAll('.solara-echarts')]
      .map(c => c.getAttribute('aria-label') || '');
    return month.includes(`Monat ${k} /`) && charts.length >= 2
      && charts.every(label => label.includes(`Monat ${k}`));
  };
  const poll = () => {
    if (drawn()) {
      requestAnimationFrame(() => resolve(performance.now() - started));
    } else if (performance.now() - started > 10000) {
      reject(new Error(`month ${k} not drawn within 10 s`));
    } else {
      requestAnimationFrame(poll);
    }
  };
  poll();
})
"""


def page_frames(frames: int = 60) -> list[float]:
    import ipyvuetify as v
    import solara

    from sim.dashboard.app import Dashboard

    _box, rc = solara.render(Dashboard(inline=True), handle_error=False)
    (step,) = [w for w in rc.find(v.Btn).widgets if "kommune-step" in (w.class_ or "").split()]
    times = []
    for k in range(frames + 3):
        started = time.perf_counter()
        step.click()
        if k >= 3:
            times.append((time.perf_counter() - started) * 1000)
    rc.close()
    return times


def _serve(scenario: str | None):
    """Start ``kommune dashboard`` on a free port; yields (url, server process)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kommune = Path(sys.executable).parent / "kommune"
    server = subprocess.Popen(
        [str(kommune), "dashboard", *([scenario] if scenario else []), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(240):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    return url, server


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _browser_cpu_seconds() -> float:
    """CPU time of every Chromium process on the machine (renderers, GPU, browser): run
    the benchmark with no other browser at work."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if "chrom" in (entry / "comm").read_text():
                    total += _cpu_seconds(int(entry.name))
    return total


def room(participants: int = 20, seconds: float = 15.0) -> tuple[float, list[float]] | None:
    chromium = shutil.which("chromium")
    if chromium is None or not Path("/proc").exists():
        return None
    from playwright.sync_api import sync_playwright

    url, server = _serve(None)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            pages = []
            for _ in range(participants):
                page = b.new_context().new_page()
                page.goto(url)
                page.wait_for_selector(".kommune-month", timeout=60_000)
                pages.append(page)
            for page in pages:
                page.click(".kommune-play")
            time.sleep(2)  # all playing
            before = _cpu_seconds(server.pid)
            start = [(_month(page), time.monotonic()) for page in pages]
            time.sleep(seconds)
            end = [(_month(page), time.monotonic()) for page in pages]
            after = _cpu_seconds(server.pid)
            b.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    rates = [(m1 - m0) / (t1 - t0) for (m0, t0), (m1, t1) in zip(start, end, strict=True)]
    months = sum(m1 - m0 for (m0, _), (m1, _) in zip(start, end, strict=True))
    return (after - before) * 1000 / max(1, months), rates


def play_loops(sessions: int = 20, seconds: float = 10.0) -> tuple[float, list[float]]:
    """The server's side of a room without browsers: ``sessions`` dashboard play loops at 4
    months per second in this process, each drawing its month's charts and their JSON as
    it would for its page (no websocket). Returns the CPU time per month (ms) and the
    speed each session kept (months per second)."""
    import threading
    from types import SimpleNamespace

    from sim.dashboard.app import Live, frame_content, play

    lives = [Live("default") for _ in range(sessions)]
    playing = [SimpleNamespace(value=True, set=lambda value: None) for _ in lives]
    speed = SimpleNamespace(value=4)

    def drawing(live):
        def redraw() -> None:
            with live.lock:
                json.dumps(frame_content(live, "de", 1.0), default=str)

        return redraw

    threads = [
        threading.Thread(target=play, args=(live, on, speed, drawing(live)), daemon=True)
        for live, on in zip(lives, playing, strict=True)
    ]
    for thread in threads:
        thread.start()
    time.sleep(2.0)  # all playing
    months, started, cpu = (
        [live.session.month for live in lives],
        time.monotonic(),
        time.process_time(),
    )
    time.sleep(seconds)
    done = [live.session.month - m for live, m in zip(lives, months, strict=True)]
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    for on in playing:
        on.value = False
    for thread in threads:
        thread.join(5)
    return cpu * 1000 / max(1, sum(done)), [d / elapsed for d in done]


def _month(page) -> int:
    import re

    return int(re.search(r"(\d+) / \d+", page.inner_text(".kommune-month")).group(1))


@contextlib.contextmanager
def _pages(count: int):
    """``count`` browser pages (each its own session) on a dashboard of 200 actors."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.toml"
        path.write_text(SCENARIO)
        url, server = _serve(str(path))
        try:
            with sync_playwright() as p:
                b = p.chromium.launch(
                    executable_path=shutil.which("chromium"),
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                pages = []
                for _ in range(count):
                    page = b.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                    page.goto(url)
                    page.wait_for_selector(".kommune-month", timeout=60_000)
                    pages.append(page)
                yield pages, server.pid
                b.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


# A page that takes the server's answer but draws no chart: each chart only writes the
# description of the option it got where ECharts would, so FRAME_JS ends when the whole
# answer (the indicator chart comes last) has arrived - the server's share of a click,
# apart from the drawing on the device.
NO_CHARTS_JS = """
async () => {
  const charts = () => [...document.querySelectorAll('.solara-echarts')];
  while (charts().length < 2 || !charts().every(el => el.__vue__ && el.__vue__.chart)) {
    await new Promise(resolve => setTimeout(resolve, 50));  // ECharts still loading
  }
  for (const el of charts()) {
    el.__vue__.chart.setOption = option =>
      el.setAttribute('aria-label', option.aria.label.description);
  }
}
"""


def browser(clicks: int = 20) -> tuple[list[float], list[float]] | None:
    """One page: ``clicks`` times from a click to the month drawn, then ``clicks`` times
    from a click to the server's whole answer arrived (the charts not drawn)."""
    if shutil.which("chromium") is None:
        return None
    with _pages(1) as ((page,), _server):
        drawn = [page.evaluate(FRAME_JS, k) for k in range(1, clicks + 4)][3:]
        page.evaluate(NO_CHARTS_JS)
        answered = [page.evaluate(FRAME_JS, k) for k in range(clicks + 4, 2 * clicks + 7)][3:]
        return drawn, answered


# Set up in each page without waiting: at the shared wall-clock moment ``at`` the page
# clicks "Schritt" and keeps its time in window.kommuneTimed.
TIMED_AT_JS = (
    "([k, at]) => { window.kommuneTimed = null; setTimeout(() => ("
    + FRAME_JS.strip()
    + ")(k).then(ms => { window.kommuneTimed = ms; }), at - Date.now()); }"
)


def steps_at_once(
    sessions: int = 10, rounds: int = 10, charts: bool = True
) -> tuple[list[float], float, float] | None:
    """Ten participants press "Schritt" at the same moment: each page's time from its
    click to its next month painted, over ``rounds`` rounds (the first two not counted);
    and the CPU time a round costs the server and the browsers (ms, median over rounds),
    measured from just before the clicks to just after the last page drew its month.
    ``charts=False``: the pages draw no charts, so the times are the server's answers to
    ten clicks at once, as devices of their own would get them."""
    if shutil.which("chromium") is None:
        return None
    times, server_cpu, browser_cpu = [], [], []
    with _pages(sessions) as (pages, server):
        if not charts:
            for page in pages:
                page.evaluate(NO_CHARTS_JS)
        for k in range(1, rounds + 3):
            at = int(time.time() * 1000) + 1500
            for page in pages:
                page.evaluate(TIMED_AT_JS, [k, at])
            time.sleep(max(0.0, at / 1000 - time.time() - 0.1))
            cpu = _cpu_seconds(server), _browser_cpu_seconds()
            results = []
            for page in pages:
                page.wait_for_function("() => window.kommuneTimed !== null", timeout=30_000)
                results.append(page.evaluate("() => window.kommuneTimed"))
            if k > 2:
                times += results
                server_cpu.append((_cpu_seconds(server) - cpu[0]) * 1000)
                browser_cpu.append((_browser_cpu_seconds() - cpu[1]) * 1000)
    return times, statistics.median(server_cpu), statistics.median(browser_cpu)


def report(label: str, times: list[float], target: float = 200) -> None:
    print(
        f"{label}: median {statistics.median(times):6.1f} ms, worst {max(times):6.1f} ms "
        f"over {len(times)}  (target: median at most {target:.0f} ms, "
        f"{statistics.median(times) / target:.2f} of it)"
    )


def main() -> None:
    report("server: step + charts + JSON, 200 actors", server_side())
    report("server: one frame of the page, headless (default network)", page_frames())
    cpu_ms, rates = play_loops()
    print(
        f"server alone: 20 play loops at 4 months per second in one process (charts and JSON, "
        f"no websocket): {cpu_ms:.1f} ms CPU per month, so one core keeps about "
        f"{1000 / cpu_ms / 4:.0f} sessions at full speed; the sessions ran at "
        f"{min(rates):.1f}-{max(rates):.1f} months per second"
    )
    room_figures = room()
    if room_figures is not None:
        cpu_ms, rates = room_figures
        print(
            f"room: 20 sessions playing at 4 months per second at once: {cpu_ms:.1f} ms server "
            f"CPU per month shown, so one core keeps about {1000 / cpu_ms / 4:.0f} participants "
            f"at full speed; here the sessions ran at {min(rates):.1f}-{max(rates):.1f} months "
            "per second (the 20 browsers share this machine's 2 cores with the server)"
        )
    one = browser()
    if one is None:
        print("browser: Chromium not installed, end-to-end measurement skipped")
        return
    drawn, answered = one
    report("browser: click 'Schritt' to next month drawn, 200 actors", drawn, 100)
    drawing = statistics.median(drawn) - statistics.median(answered)
    print(
        f"  of which the server's answer {statistics.median(answered):.1f} ms and the drawing "
        f"in the page {drawing:.1f} ms (medians)"
    )
    times, server_ms, browser_ms = steps_at_once()
    report("browser: 10 sessions click 'Schritt' at once, 200 actors each", times, 300)
    print(
        f"  CPU per round of ten clicks: server {server_ms:.0f} ms, the ten Chromium pages "
        f"{browser_ms:.0f} ms ({browser_ms / (server_ms + browser_ms):.0%} of it): here the "
        "pages draw on the server's 2 cores, in a room each on its own device"
    )
    answers, server_ms, browser_ms = steps_at_once(charts=False)
    own = [t + drawing for t in answers]
    report("  the server's answers to 10 clicks at once (pages drawing no charts)", answers, 300)
    report("  so on devices of their own (answer + one page's drawing; an estimate)", own, 300)


if __name__ == "__main__":
    main()
