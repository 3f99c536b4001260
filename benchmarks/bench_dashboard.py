"""Is the dashboard fast enough for a live workshop? One step plus redraw, 200 actors.

Prints
* the server's share: one model step plus both chart options and their JSON, for a
  network of 200 actors (median and worst over 60 frames);
* end to end in a real browser (if Chromium is installed), timed inside the page: from a
  click on "Schritt" until the month line and both charts show the next month and the
  frame is painted - the websocket round trip, the step, the new charts and the browser
  drawing them (median and worst over 20 clicks).

Target: at most 200 ms.

Run:  uv run python benchmarks/bench_dashboard.py
"""

from __future__ import annotations

import json
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
        lines = indicators_option([{n: session.series(n) for n in (*SHOWN, "nette_runde")}],
                                  120)
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


def browser(clicks: int = 20) -> list[float] | None:
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.toml"
        path.write_text(SCENARIO)
        kommune = Path(sys.executable).parent / "kommune"
        server = subprocess.Popen([str(kommune), "dashboard", str(path), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            for _ in range(240):
                try:
                    urllib.request.urlopen(url, timeout=1)
                    break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path=chromium,
                                      args=["--no-sandbox", "--disable-gpu",
                                            "--disable-background-networking"])
                page = b.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url)
                page.wait_for_selector(".kommune-month", timeout=60_000)
                times = [page.evaluate(FRAME_JS, k) for k in range(1, clicks + 4)][3:]
                b.close()
            return times
        finally:
            server.terminate()
            server.wait(timeout=30)


def report(label: str, times: list[float]) -> None:
    print(f"{label}: median {statistics.median(times):6.1f} ms, worst {max(times):6.1f} ms "
          f"over {len(times)}  (target: at most 200 ms)")


def main() -> None:
    report("server: step + charts + JSON, 200 actors", server_side())
    times = browser()
    if times is None:
        print("browser: Chromium not installed, end-to-end measurement skipped")
    else:
        report("browser: click 'Schritt' to next month drawn", times)


if __name__ == "__main__":
    main()
