"""The dashboard's server in a room without internet: it starts, serves the page and
tries no connection to any other host, not even a name lookup.

The server runs in its own network namespace (``unshare -n``) that has only the loopback
device, under ``strace``, which logs every ``connect``/``sendto``/``sendmsg`` of the server
and all its threads and children. In such a namespace a connection attempt fails at once
instead of waiting, so without the trace a version check or a CDN request would go
unnoticed; with it, the attempt itself is the failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

STRACE = shutil.which("strace")
UNSHARE = shutil.which("unshare")
START_BOUND = 60.0  # seconds to the first page; about 5-8 s on an idle 2-core machine


def _can_unshare() -> bool:
    if UNSHARE is None:
        return False
    done = subprocess.run([UNSHARE, "-n", "true"], capture_output=True)
    return done.returncode == 0


if STRACE is None and os.environ.get("KOMMUNE_REQUIRE_BROWSER"):
    pytest.fail("strace is required (KOMMUNE_REQUIRE_BROWSER) but not installed", pytrace=False)
pytestmark = [
    pytest.mark.skipif(STRACE is None, reason="strace is not installed (apt-get install strace)"),
    pytest.mark.skipif(
        not _can_unshare(), reason="no network namespaces here (unshare -n needs privileges)"
    ),
]

PROBE = textwrap.dedent(
    """
    import os, signal, subprocess, sys, time, urllib.request

    trace, out, host, limit, kommune = sys.argv[1:6]
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    server = subprocess.Popen(
        ["strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", trace,
         kommune, "dashboard", "--host", host, "--port", "8790"],
        stdout=open(out, "w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    start, page = time.monotonic(), b""
    try:
        while time.monotonic() - start < float(limit) and not page:
            try:
                page = urllib.request.urlopen("http://127.0.0.1:8790/", timeout=2).read()
            except OSError:
                time.sleep(0.25)
        print("seconds", time.monotonic() - start, "bytes", len(page))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    """
)


@pytest.mark.parametrize("host", ["0.0.0.0"])  # the room's setting; 127.0.0.1 starts alike
def test_the_server_starts_offline_and_tries_no_connection(tmp_path, host):
    trace, out = tmp_path / "trace.log", tmp_path / "server.log"
    kommune = Path(sys.executable).parent / "kommune"
    args = [str(trace), str(out), host, str(START_BOUND), str(kommune)]
    done = subprocess.run(
        [UNSHARE, "-n", sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=START_BOUND + 60,
    )
    found = re.search(r"seconds ([\d.]+) bytes (\d+)", done.stdout)
    assert found, done.stdout + done.stderr + out.read_text()
    seconds, size = float(found.group(1)), int(found.group(2))
    assert size > 10_000, out.read_text()  # the page itself came back ...
    assert seconds < START_BOUND  # ... in time

    # every call that names an address of the internet families (a connect, a datagram
    # sent to an address); replies on an accepted connection name none (sendto ... NULL)
    addressed = [
        line
        for line in trace.read_text().splitlines()
        if "AF_INET" in line and "resumed>" not in line
    ]
    outside = [
        line
        for line in addressed
        if not re.search(r'inet_addr\("127\.0\.0\.1"\)|inet_pton\(AF_INET6, "::1"', line)
    ]
    assert outside == [], "\n".join(outside[:10])
    assert not [line for line in addressed if "htons(53)" in line], "a name lookup (DNS)"
    printed = out.read_text()
    assert "Warning" not in printed and "Traceback" not in printed, printed
    assert "0.0.0.0" not in printed, printed
