"""Sweeps: every run of an experiment, in parallel, streamed to disk, resumable.

The main process hands runs to workers (local processes, or a Dask cluster), keeps only a
bounded number in flight, and commits finished runs to the result store in small batches
(every ``FLUSH_RUNS`` runs or ``FLUSH_SECONDS`` seconds): results are never all in memory,
and an interruption costs at most the runs of one batch, which ``--resume`` runs again.
A run that raises is recorded with its error and retried up to the experiment's
``retries``; the sweep goes on. A run's result depends only on its parameters and seed, so
it is the same whichever worker, process or machine ran it.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from sim.files.experiment import Experiment, ExperimentError, RunTask
from sim.indicators import FINAL_MONTHS, INDICATORS, final_values
from sim.runs.executor import Workers, WorkersLost, open_workers
from sim.runs.interrupts import shielded
from sim.runs.output import check_writable
from sim.runs.provenance import git as _git
from sim.runs.provenance import model_versions, opened, versions
from sim.runs.provenance import now as _now
from sim.runs.results import LOCK, ResultStore, check_resume, writing
from sim.runs.runner import run

FLUSH_RUNS = 200
FLUSH_SECONDS = float(os.environ.get("KOMMUNE_FLUSH_SECONDS", "5"))
"""Commit finished runs at least this often (an interruption costs at most this much work)."""


# --- one run, in a worker ---------------------------------------------------------------------
@dataclass
class Outcome:
    run_id: str
    rows: pd.DataFrame | None
    error: str | None = None
    trace: str | None = None


def simulate(task: RunTask) -> pd.DataFrame:
    """The rows one run contributes: ids, seed, factor values, month, indicators."""
    table = run(task.params, task.seed, task.events, actors=task.actors).table
    if task.record == "final":
        values = final_values(table).to_frame().T
        values.insert(0, "month", int(table["month"].iloc[-1]))
    else:
        last = table["month"].iloc[-1]  # every k-th month, plus the whole final year,
        keep = (table["month"] % task.every == 0) | (table["month"] > last - FINAL_MONTHS)
        # so a run's final value (the final year's mean) is the same whatever is recorded
        values = table.loc[keep, ["month", *INDICATORS]].reset_index(drop=True)
    ids = {
        "run_id": task.run_id,
        "point_id": task.point_id,
        "replicate": task.replicate,
        "seed": task.seed,
        **task.factors,
    }
    front = pd.DataFrame({k: [v] * len(values) for k, v in ids.items()})
    return pd.concat([front, values.reset_index(drop=True)], axis=1)


def execute(task: RunTask) -> Outcome:
    """Run a task; an exception becomes a recorded failure, never a lost worker."""
    try:
        return Outcome(task.run_id, simulate(task))
    except Exception as error:
        return Outcome(
            task.run_id, None, f"{type(error).__name__}: {error}", traceback.format_exc()
        )


# --- the sweep -----------------------------------------------------------------------------------
class _WriteFailed(Exception):
    """Finished runs could not be stored (args[0]: the OSError)."""


@dataclass
class Summary:
    total: int
    done: int
    failed: int
    session_runs: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    set_aside: list[tuple[Path, Path]] = field(default_factory=list)  # (part, damaged/...)
    duplicates_removed: int = 0

    @property
    def pending(self) -> int:
        return self.total - self.done - self.failed


def _schema(experiment: Experiment, points: pd.DataFrame) -> pa.Schema:
    """One schema for every part, so parts written at different times always agree."""
    fields = [
        ("run_id", pa.string()),
        ("point_id", pa.int64()),
        ("replicate", pa.int64()),
        ("seed", pa.int64()),
    ]
    design = pa.Table.from_pandas(points.drop(columns="point_id"), preserve_index=False)
    fields += [(f.name, f.type) for f in design.schema]
    fields += [("month", pa.int64())] + [(name, pa.float64()) for name in INDICATORS]
    return pa.schema(fields)


def prepare(experiment: Experiment, store: ResultStore, resume: bool) -> dict:
    """Create the result folder, or check that resuming continues the same experiment."""
    check_writable(store.folder)
    manifest = store.manifest()
    if manifest is None:
        if store.folder.exists() and any(p.name != LOCK for p in store.folder.iterdir()):
            raise ExperimentError(
                f"{store.folder}: exists and is not a sweep's result folder; choose another --out"
            )
        store.create()
        shutil.copyfile(experiment.path, store.folder / "experiment.toml")
        points = experiment.points()
        points.to_parquet(store.design_path, index=False)
        manifest = {
            "experiment": experiment.describe(),
            "fingerprint": experiment.fingerprint(),
            "root_seed": experiment.seed,
            "replicate_seeds": experiment.seeds(),
            "design": {
                **experiment.design.describe(),
                "sampler_seed": experiment.design.seed,
                "points": len(points),
            },
            **opened(),
            "runs": {
                "total": len(points) * experiment.replications,
                "done": 0,
                "failed": 0,
                "pending": len(points) * experiment.replications,
            },
            "sessions": [],
        }
        return manifest
    check_resume(
        store.folder,
        manifest,
        kind="sweep",
        resume=resume,
        fingerprint=experiment.fingerprint(),
        differs="scenario, design, seeds or run length",
        versions=model_versions(),
        error=ExperimentError,
    )
    return manifest


def sweep(
    experiment: Experiment,
    out: Path,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: Callable[[int], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> Summary:
    """Run what is missing of ``experiment`` into ``out``.

    ``progress(n)``, the project's one progress convention (as ``replicate``, ``compare``
    and ``validate``): once with the runs a resumed sweep has already, then after each run
    that is settled (done, or failed for good; a run to be retried is not).
    """
    store = ResultStore(out)
    check_writable(out)
    # where runs go first: a cluster that cannot be reached must not leave a half-made folder
    notify = notify or (lambda message: print(f"kommune: {message}", file=sys.stderr))
    try:
        backend = open_workers(workers, scheduler, notify)
    except WorkersLost as lost:
        raise ExperimentError(lost.args[0]) from None
    try:
        with writing(out, f"sweep {experiment.name}"):
            return _sweep(experiment, store, backend, resume, progress)
    finally:
        with shielded():
            backend.close()


class _Ledger:
    """What a sweep session keeps on disk: the manifest (with this session's record), the
    finished runs and the failures, written in batches so that an interruption costs at
    most ``FLUSH_RUNS`` runs or ``FLUSH_SECONDS`` of work."""

    def __init__(self, experiment: Experiment, store: ResultStore, backend, resume: bool):
        self.store = store
        self.manifest = prepare(experiment, store, resume)
        store.clean()
        set_aside = store.set_aside_damaged()  # their runs count as not done: run again
        duplicates = store.remove_duplicates()
        self.points = store.design()
        self.schema = _schema(experiment, self.points)
        self.done_ids = store.done_ids()
        self.total = self.manifest["runs"]["total"]
        self.summary = Summary(
            total=self.total,
            done=len(self.done_ids),
            failed=0,
            set_aside=set_aside,
            duplicates_removed=duplicates,
        )
        self.session = {
            "started": _now(),
            "ended": None,
            "status": "running",
            "backend": backend.name,
            "host": socket.gethostname(),
            "git": _git(),
            "versions": versions(),
        }
        if set_aside or duplicates:
            self.session["repaired"] = {
                "set_aside": [str(p) for p, _ in set_aside],
                "duplicates_removed": duplicates,
            }
        self.manifest["sessions"].append(self.session)
        self.buffer: list[pd.DataFrame] = []
        self.failed_rows: list[dict] = []
        self.attempts: dict[str, int] = {}
        self.last_flush = self.started = time.monotonic()
        self.save("running")

    def save(self, status: str) -> None:
        summary = self.summary
        self.manifest["runs"] = {
            "total": self.total,
            "done": summary.done,
            "failed": summary.failed,
            "pending": summary.pending,
        }
        self.session["status"] = self.manifest["status"] = status
        if status != "running":
            self.session["ended"] = self.manifest["ended"] = _now()
        self.store.write_json(self.store.manifest_path, self.manifest)

    def record(self, task: RunTask, outcome: Outcome | None, retries: int) -> bool:
        """Note a finished run or a failed attempt; True if the task is to run again."""
        summary = self.summary
        if outcome is not None and outcome.rows is not None:
            self.buffer.append(outcome.rows)
            summary.done += 1
            summary.session_runs += 1
            return False
        attempt = self.attempts[task.run_id] = self.attempts.get(task.run_id, 0) + 1
        error = outcome.error if outcome else "worker process died"
        self.failed_rows.append(
            {
                "run_id": task.run_id,
                "attempt": attempt,
                "error": error,
                "traceback": outcome.trace if outcome else "",
                "when": _now(),
            }
        )
        if attempt <= retries:
            return True
        summary.failed += 1
        summary.failures.append(f"{task.run_id}: {error}")
        return False

    def due(self) -> bool:
        return (
            len(self.buffer) >= FLUSH_RUNS
            or bool(self.failed_rows)
            or time.monotonic() - self.last_flush >= FLUSH_SECONDS
        )

    def flush(self) -> None:
        try:
            if self.buffer:  # each buffer is emptied as soon as it is written, never twice
                self.store.append_runs(pd.concat(self.buffer, ignore_index=True), self.schema)
                self.buffer = []
            if self.failed_rows:
                self.store.append_failures(pd.DataFrame(self.failed_rows))
                self.failed_rows = []
            self.last_flush = time.monotonic()
            self.save("running")
        except OSError as error:
            raise _WriteFailed(error) from None

    def close(self, status: str) -> None:
        """Keep what is left and record how the session ended; a second Ctrl-C must not cut
        the saving short, and what cannot be written runs again."""
        with shielded():
            try:
                with contextlib.suppress(_WriteFailed):
                    self.flush()
            finally:
                self.summary.seconds = time.monotonic() - self.started
                self.summary.done = len(self.store.done_ids())  # what is stored, not what ran
                with contextlib.suppress(OSError):
                    self.save(status)


def _outcomes(future, tasks: list[RunTask]) -> list[Outcome | None]:
    """What became of each task of a finished submission: its outcome, ``None`` if its
    worker process died, or the error the cluster reported for the whole submission."""
    try:
        return future.result()
    except BrokenProcessPool:
        return [None] * len(tasks)
    except Exception as error:
        failed = Outcome("", None, f"{type(error).__name__}: {error}", traceback.format_exc())
        return [failed] * len(tasks)


def _run_all(todo, backend: Workers, ledger: _Ledger, retries: int, progress) -> None:
    """Keep the workers full until every task has finished or failed for good; tasks go
    out in chunks of ``backend.chunk``, a retried one in a chunk of its own."""
    in_flight: dict[object, list[RunTask]] = {}
    again: list[RunTask] = []
    while True:
        while sum(map(len, in_flight.values())) < backend.slots:
            chunk = again[:1] or list(itertools.islice(todo, backend.chunk))
            del again[:1]
            if not chunk:
                break
            in_flight[backend.submit(execute, chunk)] = chunk
        if not in_flight:
            return
        for future in backend.wait(list(in_flight)):
            tasks = in_flight.pop(future)
            for task, outcome in zip(tasks, _outcomes(future, tasks), strict=True):
                if ledger.record(task, outcome, retries):
                    again.append(task)
                elif progress:
                    progress(1)
        if ledger.due():
            with shielded():
                ledger.flush()


def _sweep(
    experiment: Experiment,
    store: ResultStore,
    backend,
    resume: bool,
    progress: Callable[[int], None] | None,
) -> Summary:
    ledger = _Ledger(experiment, store, backend, resume)
    todo = (t for t in experiment.tasks(ledger.points) if t.run_id not in ledger.done_ids)
    if progress and ledger.summary.done:
        progress(ledger.summary.done)  # what a resumed sweep has already
    status = "interrupted"
    try:
        try:
            _run_all(todo, backend, ledger, experiment.retries, progress)
        except WorkersLost as lost:
            raise ExperimentError(lost.args[0]) from None
        with shielded():
            ledger.flush()  # the last runs, here so that a failure to store them is reported
        summary = ledger.summary
        status = "complete" if summary.failed == 0 and summary.pending == 0 else "incomplete"
    except _WriteFailed as failed:  # the disk filled, or the folder turned read-only
        with shielded(), contextlib.suppress(_WriteFailed):
            ledger.flush()  # once more: space may have come back
        error, saved = failed.args[0], len(store.done_ids())
        raise ExperimentError(
            f"{store.folder}: cannot write ({error.strerror or error}); "
            f"{saved} of {ledger.total} runs are saved; make room (or make the "
            "folder writable), then continue with --resume"
        ) from None
    finally:
        ledger.close(status)
    return ledger.summary
