"""Files as people's editors and shells leave them: marks, line ends, pipes, loops, long
chains of parents, folders that cannot be written. Each is read kindly or refused with one
line (exit code 2) before any run starts, and nothing is created."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest

from sim.files.scenario import MAX_EXTENDS, load
from sim.runs.output import OutputError, check_writable

BODY = '[scenario]\ntitle_de = "a"\ntitle_en = "b"\n[parameters]\ncoordinator_hours = 10\n'


def one_line(code: int, out: str, err: str) -> str:
    assert code == 2 and out == "", (code, out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    "raw",
    [
        ("\ufeff" + BODY).encode("utf-8"),  # Windows Notepad's byte-order mark
        BODY.replace("\n", "\r").encode(),  # old Mac line ends
        BODY.replace("\n", "\r\n").encode(),  # Windows line ends
    ],
    ids=["bom", "cr", "crlf"],
)
def test_marks_and_line_ends_are_read_as_the_editor_shows_them(tmp_path, raw):
    path = tmp_path / "ours.toml"
    path.write_bytes(raw)
    scenario = load(str(path))
    assert scenario.params.coordinator_hours == 10 and scenario.title_de == "a"


def test_a_later_message_names_the_line_the_editor_shows(tmp_path, cli):
    path = tmp_path / "ours.toml"
    path.write_bytes(BODY.replace("= 10", "= 1000").replace("\n", "\r").encode())
    err = one_line(*cli("run", str(path), "--months", "2"))
    assert "line 5" in err and "coordinator_hours = 1000" in err


def test_what_is_not_a_file_is_named_as_what_it_is(tmp_path, cli):
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    cases = {folder: "is a folder, not a file", loop: "symbolic link that leads back"}
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.toml"
        os.mkfifo(fifo)
        cases[fifo] = "is not a regular file"
    for path, expected in cases.items():
        err = one_line(*cli("run", str(path), "--months", "2"))
        assert f"{path}: " in err and expected in err, err
        err = one_line(*cli("sweep", str(path)))
        assert expected in err, err


def _chain(tmp_path: Path, length: int) -> Path:
    (tmp_path / "s0.toml").write_text(BODY)
    for k in range(1, length):
        (tmp_path / f"s{k}.toml").write_text(f'extends = "s{k - 1}.toml"\n' + BODY)
    return tmp_path / f"s{length - 1}.toml"


def test_extends_chains_have_a_depth_limit(tmp_path, cli):
    (tmp_path / "ok").mkdir()
    (tmp_path / "long").mkdir()
    deepest = load(str(_chain(tmp_path / "ok", MAX_EXTENDS)))
    assert len(deepest.chain) == MAX_EXTENDS and deepest.params.coordinator_hours == 10
    err = one_line(*cli("run", str(_chain(tmp_path / "long", 1000)), "--months", "2"))
    assert f"longer than {MAX_EXTENDS} files" in err and "RecursionError" not in err


def test_design_size_is_computed_without_drawing_it(tmp_path):
    from sim.files.experiment import load_experiment

    path = tmp_path / "exp.toml"
    factors = (
        "[factors]\neye_level = { range = [0, 1], steps = 3 }\n"
        "hierarchy = { range = [0, 1], steps = 4 }\n"
    )
    for design in (
        'kind = "sobol"\nsamples = 8',
        'kind = "morris"\nsamples = 5',
        'kind = "lhs"\nsamples = 7',
        'kind = "factorial"',
    ):
        path.write_text(
            '[experiment]\ntitle = "t"\nreplications = 3\n[design]\n' + design + "\n" + factors
        )
        experiment = load_experiment(str(path))
        assert experiment.design.size == len(experiment.points())
        assert experiment.total_runs == 3 * len(experiment.points())


def test_a_large_design_runs_only_when_confirmed(tmp_path, cli):
    path = tmp_path / "big.toml"
    path.write_text(
        '[experiment]\ntitle = "t"\nmonths = 1\n[design]\nkind = "lhs"\n'
        "samples = 100001\n[factors]\neye_level = { range = [0, 1] }\n"
    )
    err = one_line(*cli("sweep", str(path), "--out", str(tmp_path / "out")))
    assert "100,001 runs" in err and "--large" in err
    assert not (tmp_path / "out").exists()
    from sim.files.experiment import LARGEST, load_experiment

    assert load_experiment(str(path), max_runs=LARGEST).total_runs == 100_001


def _below_a_file(tmp_path: Path) -> tuple[Path, Path]:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    return blocker, blocker / "sub"


@pytest.mark.parametrize(
    "command",
    [
        ["run", "--months", "2", "--out"],
        ["compare", "baseline", "coordinated", "--months", "2", "--replications", "2", "--out"],
        ["sweep", "tests/experiments/tiny.toml", "--out"],
        ["calibrate", "tests/calibration/tiny.toml", "--out"],
        ["scenarios", "new", "mine", "--out"],
    ],
    ids=["run", "compare", "sweep", "calibrate", "scenarios-new"],
)
def test_out_below_a_file_is_one_line(tmp_path, cli, command):
    blocker, target = _below_a_file(tmp_path)
    if command[0] == "scenarios":
        target = target / "mine.toml"
    err = one_line(*cli(*command, str(target)))
    assert f"{blocker} is a file, not a folder" in err
    assert blocker.read_text() == "x"


def test_a_read_only_place_is_named_before_anything_runs(tmp_path, cli, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    with pytest.raises(OutputError, match="Read-only file system"):
        check_writable(tmp_path / "out")
    for command in (["run", "--months", "2"], ["sweep", "tests/experiments/tiny.toml"]):
        err = one_line(*cli(*command, "--out", str(tmp_path / "out")))
        assert "cannot write there (Read-only file system" in err
    assert not (tmp_path / "out").exists()
