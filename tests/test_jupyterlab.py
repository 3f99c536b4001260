"""The dashboard inline in a notebook, in a real JupyterLab in Chromium (notebook 05): the
notebook runs cell by cell, the dashboard appears in its last cell and steps, and the page
asks nothing of any host but JupyterLab's own server. nbmake (pyproject's addopts) checks
that the notebooks run; this checks that what the last cell shows works in the front end a
researcher opens them in, with the widget extensions of the project's environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from test_browser import ARGS, ARTIFACTS, CHROMIUM, _free_port, serving, stop  # no Chromium: skip

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "05_inside_the_model.ipynb"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a free port, without token, serving a folder with notebook 05."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, root)
    port = _free_port()
    jupyter = Path(sys.executable).parent / "jupyter"
    command = [
        str(jupyter),
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI machines run as root
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    yield serving(process, f"http://127.0.0.1:{port}/", "JupyterLab", seconds=60)
    stop(process)


def test_the_dashboard_runs_inline_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(lab + "lab/tree/05_inside_the_model.ipynb")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_selector("text=| Idle", timeout=60_000)  # the kernel has started
        page.click("text=Run")  # the menu, as a researcher would
        page.click("text=Run All Cells")
        try:
            page.wait_for_selector(".kommune-step", timeout=120_000)  # the last cell's output
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-failed.png"))
            raise
        assert "identical: True" in page.inner_text(".jp-Notebook")  # cells ran in order
        page.wait_for_function(
            "() => document.querySelector('.kommune-month')?.innerText.startsWith('Monat 0 /')",
            timeout=30_000,
        )
        page.click(".kommune-step")
        page.wait_for_function(
            "() => document.querySelector('.kommune-month').innerText.startsWith('Monat 1 /')",
            timeout=30_000,
        )
        chromium.close()
    host = urlparse(lab).netloc
    elsewhere = {urlparse(u).netloc for u in requests if urlparse(u).scheme != "data"} - {host}
    assert not elsewhere, f"the page contacted {elsewhere}"
