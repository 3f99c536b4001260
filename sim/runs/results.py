"""Where a sweep's results live: a Parquet dataset that grows one part file at a time.

    DIR/manifest.json        the experiment, seeds, versions, sessions, counts
    DIR/experiment.toml      the experiment file as it was run
    DIR/design.parquet       point_id and factor values of every design point
    DIR/runs/part-*.parquet  result rows; every run lies wholly in exactly one part
    DIR/failures/part-*.parquet  every failed attempt, with its error

A part is written under a temporary name and renamed when complete, so a run is either in
the dataset or not at all, whatever happens to the process (Ctrl-C, kill -9, a lost
machine). Resuming reads which run ids are present and runs the rest: nothing lost, nothing
twice. The dataset is plain Parquet: DuckDB, pandas, polars or R read it directly.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from sim.params import ParameterError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one writer per folder is then up to you
    fcntl = None

TEMP = ".tmp-"
LOCK = ".lock"


class FolderInUse(ParameterError):
    """Another process writes to the result folder."""


@contextmanager
def writing(folder: Path, command: str) -> Iterator[None]:
    """Hold ``folder`` for one writer: a second sweep, comparison or calibration on the same
    folder (a ``--resume`` typed while the first still runs) would run the missing runs a
    second time and store them twice. The lock is the operating system's (``lockf``), so it
    ends with the process however that ends (kill -9 included) and never needs clearing by
    hand; forked worker processes do not inherit it. The folder is created if needed; if
    this call created it and the block fails before anything was written, it is removed
    again.
    """
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the block)
    try:
        if fcntl is not None:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise FolderInUse(
                    f"{folder}: in use by {holder}; wait until it ends, or choose another --out"
                ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"kommune {command} (process {os.getpid()} on {socket.gethostname()}, "
            f"since {time.strftime('%Y-%m-%d %H:%M:%S')})"
        )
        handle.flush()
        try:
            yield
        except BaseException:
            if created and {p.name for p in folder.iterdir()} <= {LOCK}:
                with contextlib.suppress(OSError):  # never hide the error that got us here
                    path.unlink(missing_ok=True)
                    folder.rmdir()
            raise
    finally:
        handle.close()


def check_resume(
    folder: Path,
    manifest: dict,
    *,
    kind: str,
    resume: bool,
    fingerprint: str,
    differs: str,
    versions: dict[str, str],
    error: type[Exception],
) -> None:
    """The checks every resumable command makes before it continues what ``folder`` holds:
    the same kind of result, ``--resume`` given, the same inputs (``fingerprint``; what
    ``differs`` otherwise) and the same model (``versions``, whose keys are compared)."""
    held = kind_of(manifest)
    if held != kind:
        raise error(f"{folder}: holds {_a(held)}, not {_a(kind)}; choose another --out")
    if not resume:
        raise error(
            f"{folder}: holds {_a(kind)} already; add --resume to continue it, or "
            "choose another --out"
        )
    if manifest.get("fingerprint") != fingerprint:
        raise error(
            f"{folder}: holds a different {kind} (fingerprint "
            f"{manifest.get('fingerprint')}, this one {fingerprint}: {differs} "
            "differ); choose another --out"
        )
    recorded = {k: manifest.get("versions", {}).get(k) for k in versions}
    if recorded != versions:
        raise error(
            f"{folder}: was run with {recorded}, this is {versions}; results would "
            "mix two models, so start afresh with another --out"
        )


def start_or_resume(
    folder: Path,
    *,
    kind: str,
    resume: bool,
    fingerprint: str,
    differs: str,
    versions: dict[str, str],
    error: type[Exception],
    needed: str,
) -> dict | None:
    """What ``folder`` holds for a resumable command: None for a fresh start (nothing
    there, and no --resume), else its manifest, checked to continue the same ``kind`` of
    result (``check_resume``) with its ``needed`` file in place."""
    manifest = ResultStore(folder).manifest()
    if manifest is None:
        if resume:
            raise error(
                f"{folder}: nothing to resume (no {kind}'s manifest.json there); start "
                "without --resume"
            )
        if folder.exists() and any(p.name != LOCK for p in folder.iterdir()):
            raise error(
                f"{folder}: exists and is not a {kind}'s result folder; choose another --out"
            )
        return None
    check_resume(
        folder,
        manifest,
        kind=kind,
        resume=resume,
        fingerprint=fingerprint,
        differs=differs,
        versions=versions,
        error=error,
    )
    if not (folder / needed).is_file():
        raise error(f"{folder}: no {needed} to resume from; start afresh with another --out")
    return manifest


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def kind_of(manifest: dict) -> str:
    """What a result folder holds, by its manifest: a run, a comparison, a calibration, a
    sweep (whose manifests predate the field)."""
    return manifest.get("kind", "sweep" if "experiment" in manifest else "other result")


def run_id(scenario: str, replicate: int) -> str:
    """A run's id in a comparison's or a single run's store: scenario and replicate."""
    return f"{scenario}/r{replicate:04d}"


class ResultStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runs = folder / "runs"
        self.failures = folder / "failures"
        self.manifest_path = folder / "manifest.json"
        self.design_path = folder / "design.parquet"
        self.damaged: list[tuple[Path, str]] = []  # parts found unreadable, with the reason

    # --- writing -------------------------------------------------------------------------
    def create(self) -> None:
        self.runs.mkdir(parents=True, exist_ok=True)
        self.failures.mkdir(parents=True, exist_ok=True)

    def clean(self) -> None:
        """Remove parts a killed process left half-written."""
        for folder in (self.runs, self.failures, self.folder):
            if folder.is_dir():
                for leftover in folder.glob(f"{TEMP}*"):
                    leftover.unlink()

    def _next_name(self, folder: Path) -> Path:
        numbers = [int(p.stem.split("-")[1]) for p in folder.glob("part-*.parquet")]
        return folder / f"part-{max(numbers, default=0) + 1:06d}.parquet"

    def _commit(self, folder: Path, table: pa.Table) -> Path:
        final = self._next_name(folder)
        temp = folder / f"{TEMP}{final.name}"
        pq.write_table(table, temp)
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, final)
        return final

    def append_runs(self, frame: pd.DataFrame, schema: pa.Schema | None = None) -> Path:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if schema is not None:
            table = table.select(schema.names).cast(schema)
        return self._commit(self.runs, table)

    def append_failures(self, frame: pd.DataFrame) -> Path:
        return self._commit(self.failures, pa.Table.from_pandas(frame, preserve_index=False))

    def write_json(self, path: Path, data: dict) -> None:
        temp = path.with_name(f"{TEMP}{path.name}")
        temp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
        os.replace(temp, path)

    def set_aside_damaged(self) -> list[tuple[Path, Path]]:
        """Move parts that cannot be read (a disk that filled, a copy that broke off) to
        ``DIR/damaged/``, where they can still be looked at; their runs count as not done,
        so the resuming command runs them again. Returns (where it was, where it went)."""
        moved = []
        for folder in (self.runs, self.failures):
            self._parts(folder)
        for path, _ in self.damaged:
            target = self.folder / "damaged" / f"{path.parent.name}-{path.name}"
            target.parent.mkdir(exist_ok=True)
            number = 1
            while target.exists():  # a part of the same name was set aside before
                number += 1
                target = target.with_name(f"{path.parent.name}-{path.stem}-{number}.parquet")
            os.replace(path, target)
            moved.append((path, target))
        self.damaged = []
        return moved

    def remove_duplicates(self) -> int:
        """Runs stored twice (two writers on one folder before folders were locked) are
        kept once, in the first part that holds them; later copies are removed from their
        parts. Returns how many copies were removed."""
        seen: set[str] = set()
        removed = 0
        for part in self._parts(self.runs):
            ids = pq.read_table(part, columns=["run_id"])["run_id"].to_pylist()
            twice = seen.intersection(ids)
            if twice:
                table = pq.read_table(part)
                kept = table.filter(pa.array([i not in twice for i in ids]))
                removed += len(twice)
                if kept.num_rows:
                    temp = self.runs / f"{TEMP}{Path(part).name}"
                    pq.write_table(kept, temp)
                    with open(temp, "rb") as handle:
                        os.fsync(handle.fileno())
                    os.replace(temp, part)
                else:
                    Path(part).unlink()
            seen.update(ids)
        return removed

    # --- reading -------------------------------------------------------------------------
    def _parts(self, folder: Path) -> list[str]:
        """The part files that can be read; the others are noted in ``damaged``."""
        good = []
        for path in sorted(folder.glob("part-*.parquet")):
            try:
                pq.read_metadata(path)
            except (OSError, pa.ArrowException) as error:
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                if all(path != known for known, _ in self.damaged):
                    self.damaged.append((path, reason))
                continue
            good.append(str(path))
        return good

    def warnings(self) -> list[str]:
        """One line per damaged part, for commands that read what is intact."""
        return [
            f"{path}: damaged, left out ({reason}); the command that wrote the folder, "
            "with --resume, sets it aside and runs its runs again"
            for path, reason in self.damaged
        ]

    def done_ids(self) -> set[str]:
        parts = self._parts(self.runs)
        if not parts:
            return set()
        column = ds.dataset(parts, format="parquet").to_table(columns=["run_id"])["run_id"]
        return set(column.unique().to_pylist())

    def read_runs(self, columns: list[str] | None = None) -> pd.DataFrame:
        parts = self._parts(self.runs)
        if not parts:
            return pd.DataFrame(columns=columns or [])
        return ds.dataset(parts, format="parquet").to_table(columns=columns).to_pandas()

    def read_failures(self) -> pd.DataFrame:
        parts = self._parts(self.failures)
        if not parts:
            return pd.DataFrame(columns=["run_id", "attempt", "error", "traceback"])
        return ds.dataset(parts, format="parquet").to_table().to_pandas()

    def manifest(self) -> dict | None:
        if not self.manifest_path.exists():
            return None
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ParameterError(
                f"{self.manifest_path}: unreadable ({error}); it was not "
                "written by this program, or was edited by hand"
            ) from None

    def design(self) -> pd.DataFrame:
        return pd.read_parquet(self.design_path)

    def connect(self):
        """A DuckDB connection with the views ``runs``, ``failures`` and ``design``."""
        import duckdb

        con = duckdb.connect()
        for name, folder in (("runs", self.runs), ("failures", self.failures)):
            parts = self._parts(folder)
            if parts:
                listed = ", ".join("'" + p.replace("'", "''") + "'" for p in parts)
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{listed}])")
        if self.design_path.exists():
            path = str(self.design_path).replace("'", "''")
            con.execute(f"CREATE VIEW design AS SELECT * FROM read_parquet('{path}')")
        return con
