"""The sweep engine: streaming, manifest, stable ids, retries, resume after kill -9, Dask."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import sim.runs.sweep
from sim.files.experiment import load_experiment
from sim.runs.results import ResultStore
from sim.runs.sweep import sweep

HERE = Path(__file__).parent / "experiments"
TINY = HERE / "tiny.toml"


def ordered(folder: Path) -> pd.DataFrame:
    return ResultStore(folder).read_runs().sort_values(["run_id", "month"]).reset_index(drop=True)


def test_small_sweep_end_to_end(tmp_path):
    exp = load_experiment(str(TINY))
    summary = sweep(exp, tmp_path / "out", workers=1)
    assert (summary.done, summary.failed, summary.pending) == (8, 0, 0)
    runs = ordered(tmp_path / "out")
    assert len(runs) == 8 and runs["run_id"].is_unique
    assert list(runs.columns[:6]) == [
        "run_id",
        "point_id",
        "replicate",
        "seed",
        "coordinator_hours",
        "governance",
    ]
    assert set(runs["replicate"]) == {0, 1}
    assert runs.groupby("replicate")["seed"].nunique().eq(1).all()  # common random numbers
    assert runs["effectiveness"].between(0, 1).all()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["runs"] == {"total": 8, "done": 8, "failed": 0, "pending": 0}
    assert manifest["status"] == "complete" and manifest["ended"]
    assert manifest["root_seed"] == 11 and len(manifest["replicate_seeds"]) == 2
    assert manifest["design"]["sampler_seed"] == 3 and manifest["design"]["points"] == 4
    for package in ("python", "mesa", "numpy", "pandas", "pyarrow", "salib", "dask"):
        assert package in manifest["versions"]
    assert "commit" in manifest["git"]
    assert manifest["sessions"][0]["backend"] == "in-process"
    assert (tmp_path / "out" / "experiment.toml").read_text() == TINY.read_text()


def test_progress_counts_every_run_once_also_what_a_resume_finds(tmp_path):
    """The one progress convention: progress(n) for n more settled runs."""
    exp = load_experiment(str(TINY))
    calls: list[int] = []
    sweep(exp, tmp_path / "out", workers=2, progress=calls.append)
    assert calls == [1] * 8
    calls.clear()
    sweep(exp, tmp_path / "out", workers=1, resume=True, progress=calls.append)
    assert calls == [8]  # all there already: one call, nothing run


def test_same_experiment_gives_the_same_runs_whatever_the_workers(tmp_path):
    exp = load_experiment(str(TINY))
    sweep(exp, tmp_path / "a", workers=1)
    sweep(exp, tmp_path / "b", workers=2)
    pd.testing.assert_frame_equal(ordered(tmp_path / "a"), ordered(tmp_path / "b"))
    assert [t.run_id for t in exp.tasks()] == [t.run_id for t in load_experiment(str(TINY)).tasks()]


def test_existing_results_need_resume_and_the_same_experiment(tmp_path, cli):
    out = tmp_path / "out"
    code, _, _ = cli("sweep", str(TINY), "--out", str(out), "--workers", "1")
    assert code == 0
    code, _, err = cli("sweep", str(TINY), "--out", str(out), "--workers", "1")
    assert code == 2 and "--resume" in err
    code, out_text, _ = cli("sweep", str(TINY), "--out", str(out), "--workers", "1", "--resume")
    assert code == 0 and "(0 in this session" in out_text
    other = tmp_path / "other.toml"
    other.write_text(TINY.read_text().replace("seed = 11", "seed = 12"))
    code, _, err = cli("sweep", str(other), "--out", str(out), "--resume")
    assert code == 2 and "holds a different sweep" in err


def test_a_failing_run_is_recorded_retried_and_the_sweep_goes_on(tmp_path, monkeypatch, cli):
    real = sim.runs.sweep.simulate
    calls: dict[str, int] = {}

    def flaky(task):
        calls[task.run_id] = calls.get(task.run_id, 0) + 1
        if task.run_id == "p000001-r000" and calls[task.run_id] == 1:
            raise RuntimeError("transient trouble")
        if task.run_id == "p000002-r001":
            raise ValueError("always broken")
        return real(task)

    monkeypatch.setattr(sim.runs.sweep, "simulate", flaky)
    out = tmp_path / "out"
    code, _, err = cli("sweep", str(TINY), "--out", str(out), "--workers", "1")
    assert code == 1 and "1 runs failed" in err and "p000002-r001" in err
    store = ResultStore(out)
    assert "p000001-r000" in store.done_ids() and "p000002-r001" not in store.done_ids()
    assert len(store.done_ids()) == 7
    failures = store.read_failures()
    assert set(failures["run_id"]) == {"p000001-r000", "p000002-r001"}
    assert (failures["run_id"] == "p000002-r001").sum() == 3  # 1 + 2 retries
    assert "always broken" in failures.loc[failures.run_id == "p000002-r001", "error"].iloc[0]
    manifest = store.manifest()
    assert manifest["runs"]["failed"] == 1 and manifest["status"] == "incomplete"
    monkeypatch.setattr(sim.runs.sweep, "simulate", real)
    code, _, _ = cli("sweep", str(TINY), "--out", str(out), "--workers", "1", "--resume")
    assert code == 0 and len(store.done_ids()) == 8


def test_killed_sweep_resumes_to_exactly_the_uninterrupted_result(tmp_path):
    experiment = HERE / "killable.toml"
    reference = tmp_path / "reference"
    sweep(load_experiment(str(experiment)), reference, workers=2)

    out = tmp_path / "killed"
    kommune = Path(sys.executable).parent / "kommune"
    env = {**os.environ, "KOMMUNE_FLUSH_SECONDS": "0.3"}
    process = subprocess.Popen(
        [str(kommune), "sweep", str(experiment), "--out", str(out), "--workers", "2"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    store = ResultStore(out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = len(store.done_ids()) if store.runs.exists() else 0
        if done >= 5:
            break
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)  # the sweep and its workers, no chance to clean up
    process.wait()
    total = load_experiment(str(experiment)).total_runs
    assert 5 <= len(store.done_ids()) < total, "the kill should land half-way"

    summary = sweep(load_experiment(str(experiment)), out, workers=2, resume=True)
    assert summary.done == total and 0 < summary.session_runs < total
    resumed = ordered(out)
    assert resumed["run_id"].is_unique and len(resumed) == total  # every run exactly once
    pd.testing.assert_frame_equal(resumed, ordered(reference))
    manifest = store.manifest()
    assert manifest["status"] == "complete" and len(manifest["sessions"]) == 2
    assert manifest["sessions"][0]["status"] == "running"  # the killed session never ended


def _killable_sweep(out: Path, flush_seconds: float, **popen):
    """``kommune sweep killable.toml`` on 2 workers, returned once its first runs are
    stored: (process, store); stderr is piped."""
    kommune = Path(sys.executable).parent / "kommune"
    process = subprocess.Popen(
        [str(kommune), "sweep", str(HERE / "killable.toml"), "--out", str(out), "--workers", "2"],
        env={**os.environ, "KOMMUNE_FLUSH_SECONDS": str(flush_seconds)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )
    store = ResultStore(out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (store.runs.exists() and store.done_ids()):
        time.sleep(0.1)
    return process, store


def test_ctrl_c_pressed_twice_still_saves_and_ends(tmp_path):
    """A second, impatient Ctrl-C must not cut the saving or the pool's shutdown short
    (it once left the workers waiting on a queue lock, and the command never ended)."""
    out = tmp_path / "twice"
    process, store = _killable_sweep(
        out,
        flush_seconds=0.3,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    for _ in range(2):  # Ctrl-C in a terminal reaches the whole process group
        os.killpg(process.pid, signal.SIGINT)
        time.sleep(0.02)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("the sweep hung after two Ctrl-C")
    assert "interrupted" in err and "--resume" in err and "Traceback" not in err
    manifest = store.manifest()
    assert manifest["status"] == "interrupted"
    assert manifest["runs"]["done"] == len(store.done_ids()) > 0


def test_kill_stops_a_sweep_as_ctrl_c_does(tmp_path):
    """SIGTERM (``kill``, a batch scheduler at its time limit) saves what is finished and
    marks the sweep interrupted, so --resume continues; before, the finished runs not yet
    flushed were lost and the manifest said "running" for ever."""
    process, store = _killable_sweep(tmp_path / "terminated", flush_seconds=2)
    flushed = len(store.done_ids())
    time.sleep(1.5)  # more runs finish, not flushed yet
    process.send_signal(signal.SIGTERM)  # to the main process only, as kill does
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("the sweep did not end after SIGTERM")
    assert "interrupted" in err and "--resume" in err and "Traceback" not in err, err
    manifest = store.manifest()
    assert manifest["status"] == "interrupted"
    assert manifest["runs"]["done"] == len(store.done_ids()) > flushed  # the rest saved
    assert len(store.done_ids()) < 36  # stopped, not finished


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WORKERS: dict[str, subprocess.Popen] = {}  # the worker process of each test cluster


@pytest.fixture
def dask_cluster():
    """A real Dask scheduler and worker, started on 127.0.0.1 for this test."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    python = sys.executable
    scheduler = subprocess.Popen(
        [
            python,
            "-m",
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [
            python,
            "-m",
            "distributed.cli.dask_worker",
            address,
            "--nworkers",
            "1",
            "--nthreads",
            "2",
            "--no-dashboard",
            "--host",
            "127.0.0.1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from distributed import Client

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with Client(address, timeout="2s") as client:
                    if client.nthreads():
                        break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("the Dask cluster did not come up")
        WORKERS[address] = worker
        yield address
    finally:
        for process in (worker, scheduler):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_dask_cluster_gives_the_same_results_as_local_processes(tmp_path, dask_cluster):
    exp = load_experiment(str(TINY))
    summary = sweep(exp, tmp_path / "dask", scheduler=dask_cluster)
    assert summary.done == 8
    sweep(exp, tmp_path / "local", workers=2)
    pd.testing.assert_frame_equal(ordered(tmp_path / "dask"), ordered(tmp_path / "local"))
    manifest = ResultStore(tmp_path / "dask").manifest()
    assert manifest["sessions"][0]["backend"] == f"dask:{dask_cluster}"


def test_a_sweep_that_lost_every_worker_says_so(tmp_path, dask_cluster):
    kommune = Path(sys.executable).parent / "kommune"
    env = {**os.environ, "KOMMUNE_WORKER_CHECK_SECONDS": "1"}
    out = tmp_path / "lost"
    process = subprocess.Popen(
        [
            str(kommune),
            "sweep",
            str(HERE / "killable.toml"),
            "--out",
            str(out),
            "--scheduler",
            dask_cluster,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        store = ResultStore(out)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (store.runs.exists() and store.done_ids()):
            time.sleep(0.2)
        nanny = WORKERS[dask_cluster]
        for worker in [*psutil_children(nanny.pid)]:  # the cluster's only worker is gone
            worker.kill()
        nanny.kill()
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
        reader.start()
        deadline = time.monotonic() + 150  # the scheduler notices a lost worker late
        while time.monotonic() < deadline and not any("no worker" in x for x in lines):
            time.sleep(0.2)
        assert any(f"--scheduler {dask_cluster}: no worker is connected" in x for x in lines), lines
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    assert len(ResultStore(out).done_ids()) >= 1  # what finished before is kept


def psutil_children(pid: int) -> list:
    """The worker processes a Dask nanny started (killing the nanny alone may leave them)."""
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_results_command_runs_sql(tmp_path, cli):
    out = tmp_path / "out"
    sweep(load_experiment(str(TINY)), out, workers=1)
    code, text, _ = cli("results", str(out), "SELECT count(*) AS n FROM runs")
    assert code == 0 and text.split() == ["n", "8"]
    code, csv, _ = cli(
        "results",
        str(out),
        "SELECT d.governance, count(*) AS n FROM runs "
        "JOIN design d USING (point_id) GROUP BY 1 ORDER BY 1",
        "--csv",
    )
    assert code == 0 and csv.splitlines()[0] == "governance,n"
    code, _, err = cli("results", str(out), "SELEC 1")
    assert code == 2 and err.startswith("kommune: SQL:")


def test_a_scheduler_that_cannot_be_reached_leaves_no_folder_behind(tmp_path, cli):
    out = tmp_path / "never"
    code, _, err = cli("sweep", str(TINY), "--out", str(out), "--scheduler", "not-an-address")
    assert code == 2 and "--scheduler not-an-address: cannot connect" in err
    assert not out.exists()  # so the same command works once the cluster is up


def test_bad_result_folders_are_one_line(tmp_path, cli):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    code, _, err = cli("sweep", str(TINY), "--out", str(a_file), "--workers", "1")
    assert code == 2 and "exists and is not a folder" in err
    out = tmp_path / "out"
    sweep(load_experiment(str(TINY)), out, workers=1)
    (out / "manifest.json").write_text("{ not json")
    code, _, err = cli("sweep", str(TINY), "--out", str(out), "--resume")
    assert code == 2 and "manifest.json: unreadable" in err and len(err.splitlines()) == 1


def test_resume_refuses_results_of_another_model_version(tmp_path, cli):
    out = tmp_path / "out"
    sweep(load_experiment(str(TINY)), out, workers=1)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["versions"]["mesa"] = "0.0.1"
    (out / "manifest.json").write_text(json.dumps(manifest))
    code, _, err = cli("sweep", str(TINY), "--out", str(out), "--resume", "--workers", "1")
    assert code == 2 and "results would mix two models" in err
