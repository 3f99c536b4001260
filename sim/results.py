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

import json
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from sim.params import ParameterError

TEMP = ".tmp-"


class ResultStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runs = folder / "runs"
        self.failures = folder / "failures"
        self.manifest_path = folder / "manifest.json"
        self.design_path = folder / "design.parquet"

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

    # --- reading -------------------------------------------------------------------------
    def _parts(self, folder: Path) -> list[str]:
        return sorted(str(p) for p in folder.glob("part-*.parquet"))

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
            raise ParameterError(f"{self.manifest_path}: unreadable ({error}); it was not "
                                 "written by this program, or was edited by hand") from None

    def design(self) -> pd.DataFrame:
        return pd.read_parquet(self.design_path)

    def connect(self):
        """A DuckDB connection with the views ``runs``, ``failures`` and ``design``."""
        import duckdb

        con = duckdb.connect()
        for name, folder in (("runs", self.runs), ("failures", self.failures)):
            if self._parts(folder):
                glob = str(folder / "part-*.parquet").replace("'", "''")
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{glob}')")
        if self.design_path.exists():
            path = str(self.design_path).replace("'", "''")
            con.execute(f"CREATE VIEW design AS SELECT * FROM read_parquet('{path}')")
        return con
