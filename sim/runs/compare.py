"""What-if comparison of scenarios: replications, intervals, differences, verdicts.

Every scenario runs the same R seeds (common random numbers). For each indicator the
*final value* of a run is its mean over the last 12 months (a single month would mix in
the meeting calendar and month-to-month noise). For each scenario we report the mean over
the runs with its 95 % t-interval; for every scenario after the first, the paired
difference to the first (run k against run k, same seed) with its 95 % t-interval, and a
verdict:

* **better / worse** (or **higher / lower** for indicators without a better direction)
  when the interval of the difference lies entirely on one side of zero *and* the mean
  difference is at least the indicator's resolution (a difference too small to matter is
  not called one, however many runs make it "significant");
* **no clear difference** otherwise.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.files.scenario import Scenario
from sim.i18n import t
from sim.indicators import FINAL_MONTHS, INDICATORS, final_values
from sim.params import ParameterError
from sim.runs import provenance
from sim.runs.interrupts import shielded
from sim.runs.output import check_writable
from sim.runs.provenance import fingerprint as provenance_fingerprint
from sim.runs.provenance import model_versions
from sim.runs.replicate import Condition, runs, seeds_for
from sim.runs.results import LOCK, ResultStore, check_resume, run_id, writing


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float

    @classmethod
    def of(cls, values: np.ndarray) -> Interval:
        values = np.asarray(values, dtype=float)
        mean = float(values.mean())
        if len(values) < 2:
            return cls(mean, float("nan"), float("nan"))
        half = float(cls.half_width(values))
        return cls(mean, mean - half, mean + half)

    @staticmethod
    def half_width(values: np.ndarray) -> np.ndarray:
        """Half the 95 % t-interval of the mean over the first axis (runs); at least 2."""
        n = len(values)
        return stats.t.ppf(0.975, n - 1) * np.std(values, axis=0, ddof=1) / np.sqrt(n)

    def as_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "ci_low": self.low, "ci_high": self.high}

    def within(self, low: float, high: float) -> Interval:
        """The interval of a bounded quantity, cut to its range (a share stays in [0, 1])."""
        return Interval(self.mean, min(max(self.low, low), high), max(min(self.high, high), low))


def verdict(indicator: str, diff: Interval) -> str:
    """'better', 'worse', 'higher', 'lower' or 'none' for a difference to the reference."""
    meta = INDICATORS[indicator]
    clear = (diff.low > 0 or diff.high < 0) and abs(diff.mean) >= meta.resolution
    if not clear:
        return "none"
    up = diff.mean > 0
    if meta.better == 0:
        return "higher" if up else "lower"
    return "better" if up == (meta.better > 0) else "worse"


@dataclass
class Comparison:
    scenarios: list[Scenario]
    seeds: list[int]
    tables: dict[str, list[pd.DataFrame]]  # scenario name -> one monthly table per seed

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    @property
    def reference(self) -> str:
        return self.names[0]

    @property
    def months(self) -> int:
        return self.scenarios[0].params.months

    def finals(self) -> pd.DataFrame:
        """One row per run: scenario, replicate, seed and every indicator's final value."""
        rows = []
        for name in self.names:
            for k, table in enumerate(self.tables[name]):
                rows.append(
                    {
                        "scenario": name,
                        "replicate": k,
                        "seed": self.seeds[k],
                        **final_values(table).to_dict(),
                    }
                )
        return pd.DataFrame(rows)

    def results(self) -> dict[str, dict[str, Interval]]:
        finals = self.finals()
        return {
            name: {
                i: Interval.of(finals.loc[finals.scenario == name, i].to_numpy()).within(
                    0.0, 1.0 if INDICATORS[i].unit == "share" else float("inf")
                )
                for i in INDICATORS
            }
            for name in self.names
        }

    def differences(self) -> dict[str, dict[str, tuple[Interval, str]]]:
        """Paired difference to the reference, with verdict, for every other scenario."""
        finals = self.finals()
        ref = finals[finals.scenario == self.reference].sort_values("replicate")
        out = {}
        for name in self.names[1:]:
            other = finals[finals.scenario == name].sort_values("replicate")
            out[name] = {}
            for i in INDICATORS:
                diff = Interval.of(other[i].to_numpy() - ref[i].to_numpy())
                out[name][i] = (diff, verdict(i, diff))
        return out

    def table(self, lang: str = "en") -> pd.DataFrame:
        """The long comparison table (one row per scenario and indicator) for CSV/Excel."""
        results, diffs = self.results(), self.differences()
        rows = []
        for name in self.names:
            for i, meta in INDICATORS.items():
                r = results[name][i]
                d, v = diffs[name][i] if name in diffs else (None, None)
                rows.append(
                    {
                        "scenario": name,
                        "indicator": i,
                        "label": meta.label(lang),
                        "mean": r.mean,
                        "ci_low": r.low,
                        "ci_high": r.high,
                        "diff_to": None if d is None else self.reference,
                        "diff_mean": None if d is None else d.mean,
                        "diff_ci_low": None if d is None else d.low,
                        "diff_ci_high": None if d is None else d.high,
                        "verdict": None if v is None else t(v, lang),
                    }
                )
        return pd.DataFrame(rows)

    def as_json(self) -> dict:
        return {
            "reference": self.reference,
            "replications": len(self.seeds),
            "months": self.months,
            "seeds": self.seeds,
            "final": f"mean of the last {FINAL_MONTHS} months of each run",
            "results": {
                name: {i: r.as_dict() for i, r in res.items()}
                for name, res in self.results().items()
            },
            "differences": {
                name: {i: {**d.as_dict(), "verdict": v} for i, (d, v) in res.items()}
                for name, res in self.differences().items()
            },
        }

    def runs_frame(self) -> pd.DataFrame:
        """Every monthly row of every run, with scenario, replicate and seed columns."""
        frames = []
        for name in self.names:
            for k, table in enumerate(self.tables[name]):
                frames.append(table.assign(scenario=name, replicate=k, seed=self.seeds[k]))
        return pd.concat(frames, ignore_index=True)


def compare(
    scenarios: list[Scenario],
    replications: int,
    root_seed: int = 42,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Comparison:
    """Run every scenario ``replications`` times with common random numbers, in memory
    (:func:`compare_into` stores the runs as they finish and can resume)."""
    seeds = seeds_for(root_seed, replications)
    conditions = {s.name: Condition(s.params, s.events, s.actors) for s in scenarios}
    tables: dict[str, list] = {s.name: [None] * replications for s in scenarios}
    for name, k, table in runs(conditions, seeds, workers):
        tables[name][k] = table
        if progress:
            progress(1)
    return Comparison(list(scenarios), seeds, tables)


# --- a comparison that streams into a result folder and resumes ---------------------------
def fingerprint(scenarios: list[Scenario], replications: int, root_seed: int) -> str:
    """A hash of everything that decides the runs (not titles or descriptions)."""
    content = {
        "scenarios": [
            {
                "name": s.name,
                "params": s.params.model_dump(),
                "events": [e.record() for e in s.events],
                **({"actors": s.actors.digest} if s.actors else {}),
            }
            for s in scenarios
        ],
        "replications": replications,
        "root_seed": root_seed,
    }
    return provenance_fingerprint(content)


class CompareError(ParameterError):
    """A comparison folder that cannot be used, as one line."""


def _prepare(
    store: ResultStore,
    scenarios: list[Scenario],
    replications: int,
    root_seed: int,
    resume: bool,
    command: str,
) -> dict:
    """A new comparison's manifest, or the recorded one when resuming the same comparison."""
    manifest = store.manifest()
    print_ = fingerprint(scenarios, replications, root_seed)
    if manifest is None:
        if any(p.name != LOCK for p in store.folder.iterdir()):
            raise CompareError(
                f"{store.folder}: exists and is not a comparison's result "
                "folder; choose another --out"
            )
        if resume:
            raise CompareError(
                f"{store.folder}: nothing to resume (no comparison's "
                "manifest.json there); start without --resume"
            )
        store.create()
        total = len(scenarios) * replications
        title = "Comparison: " + ", ".join(s.name for s in scenarios)
        return {
            "kind": "comparison",
            "title": title,
            "command": command,
            "fingerprint": print_,
            "scenarios": [
                {
                    "name": s.name,
                    "title_en": s.title_en,
                    "title_de": s.title_de,
                    "parameters": s.params.model_dump(),
                    "events": [e.record() for e in s.events],
                    "actors": s.actors.record() if s.actors else None,
                }
                for s in scenarios
            ],
            "root_seed": root_seed,
            "replicate_seeds": seeds_for(root_seed, replications),
            **provenance.opened(),
            "runs": {"total": total, "done": 0, "failed": 0, "pending": total},
            "sessions": [],
        }
    check_resume(
        store.folder,
        manifest,
        kind="comparison",
        resume=resume,
        fingerprint=print_,
        differs="scenarios, parameters, replications or seed",
        versions=model_versions(),
        error=CompareError,
    )
    return manifest


def _stored_tables(
    store: ResultStore, names: list[str], replications: int
) -> tuple[dict[str, list], set[tuple[str, int]]]:
    """The monthly tables already in the store, by scenario and replicate (None where a run
    is missing), and which (scenario, replicate) pairs they are."""
    tables: dict[str, list] = {name: [None] * replications for name in names}
    stored = store.read_runs()
    groups = stored.groupby(["scenario", "replicate"]) if len(stored) else ()
    for (name, k), table in groups:
        tables[name][int(k)] = (
            table.drop(columns=["run_id", "scenario", "replicate", "seed"])
            .sort_values("month")
            .reset_index(drop=True)
        )
    have = {(name, k) for name in names for k in range(replications) if tables[name][k] is not None}
    return tables, have


def compare_into(
    folder: Path,
    scenarios: list[Scenario],
    replications: int,
    root_seed: int = 42,
    workers: int | None = None,
    resume: bool = False,
    progress: Callable[[int], None] | None = None,
    command: str = "compare",
    flush_seconds: float = 2.0,
) -> Comparison:
    """:func:`compare`, with every finished run stored in ``folder`` as it finishes (the
    sweep's layout: ``manifest.json``, ``runs/part-*.parquet``), so that an interruption
    (Ctrl-C, kill -9, a lost machine) keeps every finished run and ``resume`` runs only
    what is missing. The result equals an uninterrupted comparison's, run for run.
    """
    check_writable(folder)
    store = ResultStore(folder)
    with writing(folder, command):
        manifest = _prepare(store, scenarios, replications, root_seed, resume, command)
        store.clean()
        repaired = {
            "set_aside": [str(a) for a, _ in store.set_aside_damaged()],
            "duplicates_removed": store.remove_duplicates(),
        }
        seeds = seeds_for(root_seed, replications)
        tables, have = _stored_tables(store, [s.name for s in scenarios], replications)
        session = {
            "started": provenance.now(),
            "ended": None,
            "status": "running",
            "resumed_with": len(have),
        }
        if repaired["set_aside"] or repaired["duplicates_removed"]:
            session["repaired"] = repaired
        manifest["sessions"].append(session)
        buffer: list[pd.DataFrame] = []
        last = time.monotonic()
        stored = len(have)  # runs in the store: counted as parts are written, not re-read

        def save(status: str) -> None:
            done = stored  # what is stored, not what ran
            total = manifest["runs"]["total"]
            manifest["runs"] = {"total": total, "done": done, "failed": 0, "pending": total - done}
            session["status"] = manifest["status"] = status
            if status != "running":
                session["ended"] = manifest["ended"] = provenance.now()
            store.write_json(store.manifest_path, manifest)

        def flush() -> None:
            nonlocal buffer, last, stored
            try:
                if buffer:
                    store.append_runs(pd.concat(buffer, ignore_index=True))
                    stored += len(buffer)
                    buffer = []
                last = time.monotonic()
                save("running")
            except OSError as error:  # the disk filled, or the folder turned read-only
                raise CompareError(
                    f"{folder}: cannot write ({error.strerror or error}); "
                    f"{stored} of {manifest['runs']['total']} runs are saved; "
                    "make room (or make the folder writable), then continue with "
                    "--resume"
                ) from None

        save("running")
        if progress and have:
            progress(len(have))
        conditions = {s.name: Condition(s.params, s.events, s.actors) for s in scenarios}
        status = "interrupted"
        try:
            for name, k, table in runs(conditions, seeds, workers, skip=have):
                tables[name][k] = table
                buffer.append(
                    table.assign(run_id=run_id(name, k), scenario=name, replicate=k, seed=seeds[k])
                )
                if time.monotonic() - last >= flush_seconds:
                    with shielded():
                        flush()
                if progress:
                    progress(1)
            with shielded():
                flush()  # the last runs, here so that a failure to store them is reported
            status = "complete"
        finally:
            with shielded():
                with contextlib.suppress(CompareError):
                    flush()  # what cannot be stored is run again by --resume
                with contextlib.suppress(OSError):
                    save(status)
    return Comparison(list(scenarios), seeds, tables)
