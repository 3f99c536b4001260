"""The one executor: results in task order whatever runs them, chunked or not, streamed one
at a time in this process, a dead worker replaced."""

from __future__ import annotations

import os
import signal

import pytest

from sim.params import make_params
from sim.runs import executor
from sim.runs.executor import InProcess, Workers, local, run_chunk
from sim.runs.replicate import Condition, replicate


def square(x: int) -> int:
    return x * x


def die_on(x: int) -> int:
    if x == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_map_keeps_the_order_of_the_tasks_in_every_setting():
    tasks = list(range(23))
    want = [x * x for x in tasks]
    with local(1) as one:
        assert one.map(square, tasks) == want
    with local(2) as two:
        assert two.map(square, tasks) == want
        two.chunk = 4  # chunks of four, the last one short
        assert two.map(square, tasks) == want
    assert run_chunk(square, [2, 3]) == [4, 9]


def test_progress_counts_every_task_not_every_chunk():
    counted = []
    with local(2) as pool:
        pool.chunk = 5
        pool.map(square, list(range(12)), done=counted.append)
    assert counted == [1] * 12


def test_in_process_hands_each_result_on_before_the_next_run():
    ran = []

    def note(x: int) -> int:
        ran.append(x)
        return x

    pool = Workers(InProcess(), "in-process", cores=1)
    stream = pool.unordered(note, [0, 1, 2])
    assert next(stream) == (0, 0) and ran == [0]  # nothing else has run yet
    stream.close()
    assert ran == [0]


def test_a_dead_worker_is_one_line_and_the_pool_is_replaced():
    with local(2) as pool:
        with pytest.raises(executor.WorkersLost, match="a worker process died"):
            pool.map(die_on, [1, 2, 3, 4])
        assert pool.map(square, [1, 2, 3]) == [1, 4, 9]  # a fresh pool runs on


def test_replications_are_the_same_in_process_on_local_processes_and_chunked():
    conditions = {
        "a": Condition(make_params({"months": 12, "spinup_months": 0})),
        "b": Condition(make_params({"months": 12, "spinup_months": 0, "coordinator_hours": 0.0})),
    }
    one = replicate(conditions, [1, 2, 3], workers=1)
    two = replicate(conditions, [1, 2, 3], workers=2)
    with local(2) as chunked:
        chunked.chunk = 2
        three = replicate(conditions, [1, 2, 3], workers=chunked)
    for name in conditions:
        for k in range(3):
            assert one[name][k].equals(two[name][k])
            assert one[name][k].equals(three[name][k])


@pytest.mark.parametrize("setting", ["0", "-2", "eight", "1.5"])
def test_a_bad_runs_per_task_setting_is_one_line_before_any_connection(monkeypatch, setting):
    monkeypatch.setattr(executor, "DASK_CHUNK", setting)
    with pytest.raises(executor.WorkersLost, match=r"KOMMUNE_DASK_CHUNK .* allowed: a whole"):
        executor.dask("tcp://127.0.0.1:1")


def test_a_fork_server_pools_workers_end_with_the_process_that_asked_for_them(tmp_path):
    """The Planung page's pool (fork server): killed outright, the server leaves no worker
    and no fork server behind (each holds the other's life line, so neither would end)."""
    import os
    import subprocess
    import sys
    import time

    script = tmp_path / "owner.py"
    script.write_text(
        "import os, sys\n"
        "from sim.runs import executor\n"
        "def main():\n"
        "    pool = executor.process_pool(2, fork=False)\n"
        "    futures = [pool.submit(os.getpid) for _ in range(8)]\n"
        "    pids = {f.result() for f in futures}\n"
        "    print(*pids, file=sys.stdout, flush=True)\n"
        "    os._exit(0)  # as a killed server: nothing is shut down\n"
        "if __name__ == '__main__':\n"
        "    main()\n",
        encoding="utf-8",
    )
    out = tmp_path / "pids.txt"  # a file, not a pipe: the workers hold on to the pipe
    with out.open("w") as stdout:
        subprocess.run([sys.executable, str(script)], stdout=stdout, timeout=120, check=True)
    pids = [int(p) for p in out.read_text().split()]
    assert pids
    parents = set()
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:  # the fork server is their parent
            parents.add(int(stat.read().rsplit(")", 1)[1].split()[1]))
    deadline = time.monotonic() + 20
    left = set(pids) | parents
    while left and time.monotonic() < deadline:
        left = {pid for pid in left if os.path.exists(f"/proc/{pid}")}
        time.sleep(0.2)
    assert not left, f"still running: {left}"
