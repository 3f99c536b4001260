"""The result folder keeps its promise: one writer at a time, damaged parts named and run
again, runs stored twice repaired, a full disk one line with nothing lost, and no worker
process left running when the sweep is killed."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.files.experiment import load_experiment
from sim.runs.results import FolderInUse, ResultStore, writing
from sim.runs.sweep import sweep

HERE = Path(__file__).parent / "experiments"
TINY = HERE / "tiny.toml"
KOMMUNE = Path(sys.executable).parent / "kommune"


def ordered(folder: Path) -> pd.DataFrame:
    return ResultStore(folder).read_runs().sort_values(["run_id", "month"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("store") / "reference"
    sweep(load_experiment(str(TINY)), out, workers=1)
    return out


def test_a_second_writer_gets_one_line_naming_the_folder_and_the_first(tmp_path, cli):
    out = tmp_path / "busy"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from sim.runs.results import writing\n"
            "with writing(Path(sys.argv[1]), 'sweep tiny'):\n"
            "    print('held', flush=True); time.sleep(60)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        for command in (
            ["sweep", str(TINY), "--resume"],
            ["sweep", str(TINY)],
            ["calibrate", "tests/calibration/tiny.toml", "--resume"],
        ):
            code, out_text, err = cli(*command, "--out", str(out))
            assert code == 2 and out_text == "" and err.count("\n") == 1, err
            assert f"{out}: in use by kommune sweep tiny (process {holder.pid}" in err
        with pytest.raises(FolderInUse), writing(out, "compare"):
            pass
    finally:
        holder.kill()
        holder.wait()
    with writing(out, "sweep"):  # the lock ends with its process, kill -9 included
        pass


def test_a_refused_start_leaves_no_folder_behind(tmp_path, cli):
    code, _, err = cli(
        "calibrate", "tests/calibration/tiny.toml", "--resume", "--out", str(tmp_path / "new")
    )
    assert code == 2 and "nothing to resume" in err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("damage", ["truncated", "empty"])
def test_a_damaged_part_is_named_set_aside_and_its_runs_run_again(
    tmp_path, cli, reference, damage, monkeypatch
):
    out = tmp_path / "damaged"
    monkeypatch.setattr("sim.runs.sweep.FLUSH_SECONDS", 0.0)
    sweep(load_experiment(str(TINY)), out, workers=1)  # one part per run
    store = ResultStore(out)
    parts = sorted(store.runs.glob("part-*.parquet"))
    assert len(parts) >= 2
    victim = parts[1]
    data = victim.read_bytes()
    victim.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"")

    code, text, err = cli("results", str(out), "SELECT count(DISTINCT run_id) AS n FROM runs")
    assert code == 0 and "Traceback" not in err
    assert f"{victim}: damaged, left out" in err and "--resume" in err
    intact = len(ResultStore(out).done_ids())
    assert int(text.split()[-1]) == intact == 8 - 1  # every other run is still there

    code, _, err = cli("sweep", str(TINY), "--out", str(out), "--workers", "1", "--resume")
    assert code == 0 and f"{victim} could not be read; set aside" in err
    assert (out / "damaged" / f"runs-{victim.name}").exists() and not victim.exists()
    pd.testing.assert_frame_equal(ordered(out), ordered(reference))
    assert ResultStore(out).manifest()["sessions"][-1]["repaired"]["set_aside"]


def test_runs_stored_twice_are_kept_once_by_resume(tmp_path, cli, reference):
    out = tmp_path / "twice"
    sweep(load_experiment(str(TINY)), out, workers=1)
    store = ResultStore(out)
    frame = store.read_runs()
    store.append_runs(frame[frame["run_id"].isin(sorted(frame["run_id"].unique())[:3])])
    assert len(store.read_runs()) == len(frame) + 3  # what a second writer once left

    code, _, err = cli("sweep", str(TINY), "--out", str(out), "--workers", "1", "--resume")
    assert code == 0 and "3 runs were stored twice" in err
    pd.testing.assert_frame_equal(ordered(out), ordered(reference))


@pytest.mark.parametrize(
    ("flush_seconds", "fail_from", "saved"),
    [
        (0.0, 3, 2),  # stored run by run: two runs made it before the disk filled
        (1e9, 1, 0),  # every run still buffered when the last write fails
    ],
)
def test_a_full_disk_is_one_line_and_resume_completes_it(
    tmp_path, cli, reference, monkeypatch, flush_seconds, fail_from, saved
):
    out = tmp_path / "full"
    real = ResultStore.append_runs
    calls = {"n": 0}

    def fill_up(self, frame, schema=None):
        calls["n"] += 1
        if calls["n"] >= fail_from:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, frame, schema)

    monkeypatch.setattr("sim.runs.sweep.FLUSH_SECONDS", flush_seconds)
    monkeypatch.setattr(ResultStore, "append_runs", fill_up)
    code, text, err = cli("sweep", str(TINY), "--out", str(out), "--workers", "1")
    assert code == 2 and text == "" and err.count("\n") == 1 and "Traceback" not in err, err
    assert f"{out}: cannot write (No space left on device); {saved} of 8 runs are saved" in err
    manifest = ResultStore(out).manifest()
    assert manifest["status"] != "complete" and manifest["runs"]["done"] == saved
    monkeypatch.setattr(ResultStore, "append_runs", real)
    code, _, _ = cli("sweep", str(TINY), "--out", str(out), "--workers", "1", "--resume")
    assert code == 0
    pd.testing.assert_frame_equal(ordered(out), ordered(reference))


def test_a_full_disk_during_a_comparison_is_one_line(tmp_path, cli, monkeypatch):
    def full(self, frame, schema=None):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(ResultStore, "append_runs", full)
    out = tmp_path / "cmp"
    code, text, err = cli(
        "compare", "baseline", "coordinated", "-r", "2", "--months", "6", "--out", str(out)
    )
    assert code == 2 and text == "" and err.count("\n") == 1 and "Traceback" not in err, err
    assert f"{out}: cannot write (No space left on device); 0 of 4 runs are saved" in err


def test_analyze_names_a_folder_that_holds_no_sweep(tmp_path, cli):
    out = tmp_path / "cmp"
    assert (
        cli("compare", "baseline", "coordinated", "-r", "2", "--months", "6", "--out", str(out))[0]
        == 0
    )
    code, text, err = cli("analyze", str(out))
    assert text == ""
    assert code == 2 and err.count("\n") == 1 and "holds a comparison, not a sweep" in err


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's record is left


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_killing_the_sweep_ends_its_workers(tmp_path):
    out = tmp_path / "orphans"
    process = subprocess.Popen(
        [str(KOMMUNE), "sweep", str(HERE / "killable.toml"), "--out", str(out), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = _children(process.pid)
    assert len(workers) >= 2, "the sweep should have started its workers"
    os.kill(process.pid, signal.SIGKILL)  # the main process only: no chance to tell anyone
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = {p for p in workers if _running(p)}
        if not alive:
            break
        time.sleep(0.2)
    assert not alive, f"workers {alive} outlived the sweep"
    with writing(out, "sweep"):  # and the folder is free again at once
        pass


def test_one_resume_check_for_every_kind_of_result(tmp_path):
    from sim.files.experiment import ExperimentError
    from sim.runs.results import check_resume

    versions = {"mesa": "3"}
    sweep_manifest = {"experiment": {}, "fingerprint": "a", "versions": versions}
    calibration = {"kind": "calibration", "fingerprint": "a", "versions": versions}

    def check(manifest, kind="sweep", resume=True, fingerprint="a", now=versions):
        check_resume(
            tmp_path,
            manifest,
            kind=kind,
            resume=resume,
            fingerprint=fingerprint,
            differs="inputs",
            versions=now,
            error=ExperimentError,
        )

    check(sweep_manifest)  # the same sweep, resumed: fine
    for manifest, kwargs, message in [
        (calibration, {}, "holds a calibration, not a sweep"),
        (sweep_manifest, {"resume": False}, "holds a sweep already; add --resume"),
        (
            sweep_manifest,
            {"fingerprint": "b"},
            "holds a different sweep (fingerprint a, this one b: inputs differ)",
        ),
        (sweep_manifest, {"now": {"mesa": "4"}}, "results would mix two models"),
    ]:
        with pytest.raises(ExperimentError, match=re.escape(message)):
            check(manifest, **kwargs)
