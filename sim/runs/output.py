"""Writing results to disk, all or nothing.

Every file is first written under a temporary name in the target folder and only renamed
into place when all of them are complete, so an interrupted or failed write never leaves a
half-written table next to good ones.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from sim.reports import plots
from sim.runs.runner import RunResult


class OutputError(OSError):
    """The output folder cannot be used; phrased as one line for the user."""


def check_writable(target: Path, kind: str = "folder") -> None:
    """One line, before any work, if ``target`` (a folder, or a file with ``kind="file"``)
    cannot be written: an existing thing of the wrong kind, a file where a parent folder
    must go, a read-only file system or missing permission. Creates nothing."""
    if target.exists() and target.is_dir() != (kind == "folder"):
        what = "is a folder; give a file name" if kind == "file" else "exists and is not a folder"
        raise OutputError(f"{target}: {what}")
    start = target if kind == "folder" else target.parent
    existing = next((p for p in (start, *start.parents) if p.exists()), Path("."))
    if not existing.is_dir():
        raise OutputError(f"{target}: cannot create it: {existing} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=existing):  # what would be created goes here
            pass
    except OSError as error:
        raise OutputError(
            f"{target}: cannot write there ({error.strerror or error}: {existing})"
        ) from None


def prepare_folder(folder: Path) -> None:
    """Make sure results can go to ``folder``; called before long work, so a bad --out is
    one line at once rather than after minutes of runs."""
    check_writable(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot create folder ({error.strerror})") from None


def write_all(folder: Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Write each file with its writer; rename into place only when all succeeded."""
    prepare_folder(folder)
    for name in writers:
        if (folder / name).is_dir():
            raise OutputError(f"{folder / name}: is a folder; give a file name or another --out")
    return write_staged({folder / name: writer for name, writer in writers.items()}, where=folder)


def write_staged(
    writers: dict[Path, Callable[[Path], None]], where: Path | None = None
) -> list[Path]:
    """Write every file under a temporary name beside its final one, then rename all into
    place: all or nothing. ``where`` names the place in a failure's one line (default: the
    file that failed)."""
    staged: list[tuple[Path, Path]] = []
    final = None
    try:
        for final, writer in writers.items():
            final.parent.mkdir(parents=True, exist_ok=True)
            temp = final.parent / f".{final.stem}.partial-{os.getpid()}{final.suffix}"
            staged.append((temp, final))
            writer(temp)
        for temp, final in staged:
            os.replace(temp, final)
    except BaseException as error:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            place = where if where is not None else final
            raise OutputError(f"{place}: cannot write ({error.strerror or error})") from None
        raise
    return [final for _, final in staged]


RUN_PART = Path("runs") / "part-000001.parquet"


def run_manifest(result: RunResult) -> dict:
    """The run's provenance record, with the fields a comparison's and a sweep's manifest
    have (kind, title, seeds, versions, commit, times, status, run counts), so that
    ``kommune results`` reads a run's folder as it reads theirs."""
    from sim.runs import provenance

    now = provenance.now()
    return {
        "kind": "run",
        "title": f"Run: {result.scenario}, seed {result.seed}",
        "scenario": result.scenario,
        "seed": result.seed,
        "replicate_seeds": [result.seed],
        "months": result.months,
        "parameters": result.params.model_dump(),
        "events": [e.record() for e in result.events],
        "seconds": round(result.seconds, 4),
        "versions": provenance.versions(),
        "git": provenance.git(),
        "started": now,
        "ended": now,
        "status": "complete",
        "runs": {"total": 1, "done": 1, "failed": 0, "pending": 0},
    }


def check_run_folder(folder: Path) -> None:
    """One line, before the run, if ``folder`` holds another kind of result (a sweep's or
    a comparison's runs would be overwritten); a previous run's folder is replaced."""
    from sim.runs.results import ResultStore, kind_of

    check_writable(folder)
    manifest = ResultStore(folder).manifest()  # an unreadable one is named in one line
    if manifest is not None and kind_of(manifest) != "run":
        raise OutputError(f"{folder}: holds a {kind_of(manifest)}, not a run; choose another --out")


def write_run(result: RunResult, folder: Path) -> list[Path]:
    """The run in the result store's layout (``manifest.json``, ``runs/part-000001.parquet``:
    one row per month, with run_id, scenario, replicate and seed as a comparison has them),
    plus ``indicators.csv`` for a spreadsheet and ``indicators.png``; all or nothing."""
    from sim.runs.results import run_id

    for stale in ("run.json", "indicators.parquet"):  # what a run folder held before
        (folder / stale).unlink(missing_ok=True)
    title = f"Vernetzte Kommune: {result.scenario}, seed {result.seed}"
    rows = result.table.assign(
        run_id=run_id(result.scenario, 0), scenario=result.scenario, replicate=0, seed=result.seed
    )
    return write_all(
        folder,
        {
            "indicators.csv": lambda p: result.table.to_csv(p, index=False),
            "indicators.png": lambda p: plots.save(plots.indicator_figure(result.table, title), p),
            str(RUN_PART): lambda p: rows.to_parquet(p, index=False),
            "manifest.json": lambda p: p.write_text(
                json.dumps(run_manifest(result), indent=2, default=str) + "\n", encoding="utf-8"
            ),
        },
    )
