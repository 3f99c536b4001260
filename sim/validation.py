"""What each lever does, measured; and the validation page that cannot drift.

``LEVERS`` is one table, one row per claim about a lever: move ``parameter`` from ``low``
to ``high`` in a shipped ``scenario`` (plus ``extra`` parameter changes for both settings)
and ``indicator`` should move in the direction ``sign`` (+1 raises, -1 lowers), as the
``source`` says. ``check`` runs both settings with the same seeds (common random numbers,
``sim.replicate``) and judges the paired difference of the indicator's final value (mean
of the last 12 months, ``sim.indicators.final_values``):

* ``"direction"``: the mean paired difference lies beyond 2 standard errors in the stated
  direction;
* ``"sd"`` (the rule for every lever the workshop dashboard shows, ``sim.dashboard.session``
  LEVERS and STRUCTURE): in addition, it exceeds one seed-SD of the indicator (the pooled
  standard deviation across seeds of both settings): a lever a trainer moves in front of a
  room must make a difference larger than the luck of the draw.

A row for a dashboard lever may ask for less than "sd" only with a ``note`` saying why.

``kommune validate`` (``validate`` below) runs the docking checks (``sim.docking``), every
pattern claim (``sim.patterns``) and every lever row, and writes ``docs/validation.md``
with the same numbers as CSV in ``docs/validation/`` (``docking.csv``, ``patterns.csv``,
``levers.csv``) and the run's facts in ``docs/validation/run.json``. The page is rendered
from those CSV files alone, so ``tests/test_validation.py`` can check that the page, the
CSV files and the definitions in the code are in step.

To edit the table: change, add or remove a ``Lever(...)`` row below, then regenerate the
page (``uv run kommune validate``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.indicators import FINAL_MONTHS, INDICATORS
from sim.params import SPEC_BY_NAME, make_params
from sim.replicate import Condition, replicate, seeds_for
from sim.scenario import SCENARIO_DIR, Scenario, load

REQUIREMENTS = ("sd", "direction")
LEVER_SEED = 42
"""Root seed of the lever checks' seeds (``seeds_for(LEVER_SEED, n)``, as ``kommune compare``)."""


def dashboard_settings() -> tuple[str, ...]:
    """Every parameter the workshop dashboard shows: its levers and its structure settings."""
    from sim.dashboard import session

    return tuple(session.LEVERS) + tuple(session.STRUCTURE)


@dataclass(frozen=True, eq=False)
class Lever:
    """One lever check: parameter, where, which two settings, what should move, and why."""

    parameter: str
    scenario: str
    low: Any
    high: Any
    indicator: str
    sign: int  # +1: the indicator rises from low to high; -1: it falls
    source: str
    extra: dict[str, Any] = field(default_factory=dict)  # changed in both settings
    required: str | None = None  # None: "sd" for dashboard levers, "direction" for others
    note: str = ""  # why a dashboard lever asks for less than "sd"

    @property
    def id(self) -> str:
        return f"{self.parameter} -> {self.indicator} ({self.scenario})"

    @property
    def shown(self) -> bool:
        """Whether the workshop dashboard shows this parameter (a lever or a structure)."""
        return self.parameter in dashboard_settings()

    @property
    def requirement(self) -> str:
        if self.required is not None:
            return self.required
        return "sd" if self.shown else "direction"

    def condition(self, setting: Any) -> Condition:
        """The scenario with ``extra`` and the lever at ``setting``."""
        scenario = _scenario(self.scenario)
        values = {**scenario.params.model_dump(), **self.extra, self.parameter: setting}
        return Condition(make_params(values, where=f"lever {self.id}"), scenario.events)

    def definition(self) -> dict[str, str]:
        """The row as text, exactly as ``levers.csv`` records it."""
        return {
            "id": self.id,
            "parameter": self.parameter,
            "scenario": self.scenario,
            "low": json.dumps(self.low),
            "high": json.dumps(self.high),
            "extra": json.dumps(self.extra, sort_keys=True),
            "indicator": self.indicator,
            "sign": f"{self.sign:+d}",
            "required": self.requirement,
            "shown": "yes" if self.shown else "no",
            "source": self.source,
            "note": self.note,
        }


@cache
def _scenario(name: str) -> Scenario:
    return load(str(SCENARIO_DIR / f"{name}.toml"))


# --- the table (edit here; then `uv run kommune validate`) -----------------------------------

DUPLICATES_ARISING = {"initial_duplicates": 8, "duplicate_emergence": 3.0}

LEVERS: tuple[Lever, ...] = (
    Lever(
        "coordinator_hours",
        "default",
        0.0,
        160.0,
        "effectiveness",
        +1,
        "[000] jemand, der das Netzwerk koordiniert; [002] These 2",
    ),
    Lever(
        "coordinator_competence",
        "coordinated",
        0.0,
        1.0,
        "effectiveness",
        +1,
        "[004] Fortbildung der Koordination",
    ),
    Lever(
        "leadership_support",
        "coordinated",
        0.0,
        1.0,
        "effectiveness",
        +1,
        "[004] Führungskräfte; [001] Unterstützung der Verwaltungsspitze",
    ),
    Lever("joint_funding_share", "default", 0.0, 0.8, "cooperation", +1, "[001], [002] These 1"),
    Lever("competition_intensity", "default", 0.1, 0.9, "carrier_motivation", -1, "[002] These 1"),
    Lever("eye_level", "default", 0.1, 0.9, "coverage_hard_to_reach", +1, "[002] These 3"),
    Lever("eye_level", "default", 0.1, 0.9, "volunteer_retention", +1, "[002] These 3"),
    Lever(
        "hierarchy",
        "default",
        0.0,
        1.0,
        "volunteer_retention",
        -1,
        "[004] Hierarchien vs heterarchische Netzwerkarbeit",
    ),
    Lever(
        "hierarchy",
        "default",
        0.0,
        1.0,
        "coverage_hard_to_reach",
        -1,
        "[004] Hierarchien vs heterarchische Netzwerkarbeit",
    ),
    Lever("persistence", "coordinator_ends", 0.0, 0.9, "members", +1, "[003] Durchhaltevermögen"),
    Lever("governance", "default", "shared", "nao", "effectiveness", +1, "Provan & Kenis 2008"),
    Lever(
        "volunteers_in_steering",
        "default",
        False,
        True,
        "coverage_hard_to_reach",
        +1,
        "[003] Zielgruppen in der Steuerungsgruppe; [002] These 3",
    ),
    Lever(
        "n_volunteers",
        "default",
        4,
        30,
        "coverage_hard_to_reach",
        +1,
        "[002] These 3 (Ehrenamt erreicht neue Zielgruppen); [003]",
    ),
    Lever(
        "n_carriers",
        "competitive_funding",
        8,
        40,
        "carrier_motivation",
        -1,
        "[001] Sprachkursträger; [002] These 1 (more competitors)",
    ),
    # duplicates that keep arising (3 ad-hoc groups a year): how many stand at a time is
    # how fast they arise times how long a merge takes, so slow decisions show
    Lever(
        "bureaucratic_delay",
        "transparency",
        0.0,
        1.0,
        "duplicate_structures",
        +1,
        "[001] schädliche Prozessdauer",
        extra=DUPLICATES_ARISING,
    ),
    Lever(
        "steering_interval",
        "transparency",
        1,
        12,
        "duplicate_structures",
        +1,
        "[003] Steuerungsgruppe: richtungsweisende Entscheidungen",
        extra=DUPLICATES_ARISING,
    ),
    Lever(
        "working_group_interval",
        "default",
        1,
        6,
        "effectiveness",
        -1,
        "[003] Begegnung; regelmäßiges Treffen",
    ),
    Lever(
        "coordinator_cost_share",
        "coordinated",
        0.0,
        1.0,
        "coverage_simple",
        -1,
        "Provan & Kenis 2008 (equal resources)",
    ),
    Lever("tolerance", "default", 0.05, 0.4, "goal_consensus", +1, "Deffuant et al. 2000"),
)


def check_definitions(levers: Iterable[Lever]) -> None:
    """Names, directions and requirements of every row; a typo fails at import, not a run.
    (Whether each row's settings are allowed values is checked by building its conditions,
    in tests/test_validation.py.)"""
    ids = set()
    for lever in levers:
        where = f"sim.validation.LEVERS: {lever.id}"
        if lever.parameter not in SPEC_BY_NAME:
            raise ValueError(f"{where}: unknown parameter '{lever.parameter}'")
        wrong = [k for k in lever.extra if k not in SPEC_BY_NAME or k == lever.parameter]
        if wrong:
            raise ValueError(f"{where}: extra must set other, known parameters, not {wrong}")
        if not (SCENARIO_DIR / f"{lever.scenario}.toml").is_file():
            raise ValueError(f"{where}: no shipped scenario '{lever.scenario}'")
        if lever.indicator not in INDICATORS:
            raise ValueError(f"{where}: unknown indicator '{lever.indicator}'")
        if lever.sign not in (1, -1):
            raise ValueError(f"{where}: sign must be +1 or -1")
        if lever.required not in (None, *REQUIREMENTS):
            raise ValueError(f"{where}: required must be one of {REQUIREMENTS}")
        if lever.shown and lever.requirement != "sd" and not lever.note:
            raise ValueError(
                f"{where}: the dashboard shows {lever.parameter}, so it requires "
                "'sd' unless a note says why not"
            )
        if lever.low == lever.high:
            raise ValueError(f"{where}: low and high are the same setting")
        if lever.id in ids:
            raise ValueError(f"{where}: a second row with the same id")
        ids.add(lever.id)


check_definitions(LEVERS)


# --- checking -----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class LeverResult:
    lever: Lever
    n: int
    low_mean: float
    high_mean: float
    diff: float  # mean paired difference, high - low
    se: float  # its standard error
    seed_sd: float  # pooled SD of the indicator across seeds (both settings)

    @property
    def ratio(self) -> float:
        """diff / seed-SD (signed)."""
        if self.seed_sd > 0:
            return self.diff / self.seed_sd
        return float(np.sign(self.diff)) * np.inf if self.diff else float("nan")

    @property
    def verdict(self) -> str:
        """holds; below 1 SD (right direction, clear, but smaller than the seeds' spread);
        unclear (within 2 standard errors); reversed (clearly the other way)."""
        toward = self.lever.sign * self.diff
        if toward <= 2 * self.se:
            return "reversed" if -toward > 2 * self.se else "unclear"
        if self.lever.requirement == "sd" and toward <= self.seed_sd:
            return "below 1 SD"
        return "holds"

    @property
    def holds(self) -> bool:
        return self.verdict == "holds"

    def explain(self) -> str:
        lever = self.lever
        return (
            f"{lever.id}: {lever.parameter} {json.dumps(lever.low)} -> "
            f"{json.dumps(lever.high)} moves {lever.indicator} by {self.diff:+.4f} "
            f"(SE {self.se:.4f}, seed-SD {self.seed_sd:.4f}, n = {self.n}); expected "
            f"{'+' if lever.sign > 0 else '-'}, required '{lever.requirement}': "
            f"{self.verdict}"
        )


def _key(condition: Condition) -> str:
    return json.dumps(
        [condition.params.model_dump(), [repr(e) for e in condition.events]],
        sort_keys=True,
        default=str,
    )


def lever_conditions(levers: Sequence[Lever]) -> tuple[dict[str, Condition], list[tuple]]:
    """The distinct conditions the rows need (rows that share a setting share its runs) and,
    per row, the names of its low and high condition."""
    by_key: dict[str, str] = {}
    conditions: dict[str, Condition] = {}
    pairs = []
    for lever in levers:
        pair = []
        for setting in (lever.low, lever.high):
            condition = lever.condition(setting)
            key = _key(condition)
            if key not in by_key:
                by_key[key] = f"c{len(by_key)}"
                conditions[by_key[key]] = condition
            pair.append(by_key[key])
        pairs.append(tuple(pair))
    return conditions, pairs


def check_all(
    levers: Sequence[Lever],
    seeds: Iterable[int],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[LeverResult]:
    """Check every row, all runs in one pool (``progress(1)`` after each run)."""
    seeds = list(seeds)
    if len(seeds) < 2:
        raise ValueError("a lever check needs at least 2 seeds")
    conditions, pairs = lever_conditions(levers)
    tables = replicate(conditions, seeds, workers=workers, progress=progress)
    results = []
    for lever, (low, high) in zip(levers, pairs, strict=True):
        a = np.array([float(t[lever.indicator].iloc[-FINAL_MONTHS:].mean()) for t in tables[low]])
        b = np.array([float(t[lever.indicator].iloc[-FINAL_MONTHS:].mean()) for t in tables[high]])
        d = b - a
        results.append(
            LeverResult(
                lever,
                len(seeds),
                float(a.mean()),
                float(b.mean()),
                float(d.mean()),
                float(d.std(ddof=1) / np.sqrt(len(d))),
                float(np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)),
            )
        )
    return results


def check(lever: Lever, seeds: Iterable[int], workers: int | None = None) -> LeverResult:
    """Run both settings of ``lever`` with the same ``seeds`` and judge the difference."""
    return check_all([lever], seeds, workers)[0]


def lever_runs(levers: Sequence[Lever], n: int) -> int:
    return len(lever_conditions(levers)[0]) * n


# --- the page -----------------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "validation.md"
TABLES = ("docking", "patterns", "levers")
MARK = "<!-- generated by `kommune validate`; do not edit by hand -->"


def tables_folder(page: Path) -> Path:
    """Where the CSV files of a page go: docs/validation.md -> docs/validation/."""
    return page.with_suffix("")


def docking_rows(results) -> list[dict[str, Any]]:
    return [
        {
            "check": c.name,
            "what": c.what,
            "source": c.source,
            "tolerance": c.tolerance,
            "measured": value,
            "verdict": "holds" if holds else "fails",
        }
        for c, value, holds in results
    ]


def _conditions(pattern) -> str:
    """A short fingerprint of a pattern's conditions and events (a changed condition with an
    unchanged claim text still makes the page stale)."""
    text = json.dumps(
        [pattern.conditions, {k: [repr(e) for e in v] for k, v in pattern.events.items()}],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def pattern_definitions(patterns) -> list[dict[str, str]]:
    return [
        {
            "pattern": str(p.number),
            "claim": claim.text,
            "source": p.source,
            "margin": repr(float(claim.margin)),
            "checked": "yes" if claim.checked else "no",
            "conditions": _conditions(p),
        }
        for p in patterns
        for claim in p.claims
    ]


def pattern_rows(patterns, verdicts) -> list[dict[str, Any]]:
    rows = []
    for definition, v in zip(
        pattern_definitions(patterns), [v for vs in verdicts for v in vs], strict=True
    ):
        verdict = "reported" if not v.claim.checked else "holds" if v.holds else "fails"
        rows.append(
            {
                **definition,
                "n": v.n,
                "mean": v.mean,
                "ci_low": v.ci_low,
                "ci_high": v.ci_high,
                "verdict": verdict,
            }
        )
    return rows


def lever_rows(results: Sequence[LeverResult]) -> list[dict[str, Any]]:
    return [
        {
            **r.lever.definition(),
            "n": r.n,
            "low_mean": r.low_mean,
            "high_mean": r.high_mean,
            "diff": r.diff,
            "se": r.se,
            "seed_sd": r.seed_sd,
            "ratio": r.ratio,
            "verdict": r.verdict,
        }
        for r in results
    ]


def to_csv(rows: list[dict[str, Any]]) -> str:
    return pd.DataFrame(rows).to_csv(index=False, lineterminator="\n")


def read_csv(text: str) -> pd.DataFrame:
    """A table as text cells, exactly as written (the page is rendered from these)."""
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _num(text: str, digits: int = 3) -> str:
    value = float(text)
    if np.isnan(value):
        return "–"
    if np.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{value:.{digits}f}"


def _measured(text: str) -> str:
    """A measured value: whole numbers (counts) without decimals."""
    value = float(text)
    return f"{value:.0f}" if value.is_integer() else _num(text)


def _signed(text: str, digits: int = 3) -> str:
    value = float(text)
    return f"{value:+.{digits}f}" if np.isfinite(value) else _num(text, digits)


def _setting(text: str) -> str:
    value = json.loads(text)
    if isinstance(value, bool):
        return str(value).lower()
    return value if isinstance(value, str) else f"{value:g}"


def _count(frame: pd.DataFrame, checked: pd.Series | None = None) -> str:
    judged = frame if checked is None else frame[checked]
    return f"{int((judged['verdict'] == 'holds').sum())} of {len(judged)} hold"


def render(tables: dict[str, pd.DataFrame], run: dict[str, Any]) -> str:
    """The page, from the CSV tables (as text cells) and the run's facts alone."""
    docking, patterns, levers = (tables[name] for name in TABLES)
    commit = (run["commit"] or "unknown")[:10] + (
        " (with uncommitted changes)" if run["dirty"] else ""
    )
    checked = patterns["checked"] == "yes"
    folder = run["tables"]
    lines = [
        "# Validation: docking, patterns and levers",
        "",
        MARK,
        "",
        f"*Generated by `{run['command']}` on {run['date']} at commit {commit}, "
        f"{run['replications']} replications (patterns: seeds {run['pattern_seeds']}; levers: "
        f"{run['lever_seeds']}). Regenerate with `uv run {run['command']}`; publish with 20 "
        f"replications (the default). The same numbers as CSV: `{folder}/docking.csv`, "
        f"`{folder}/patterns.csv`, `{folder}/levers.csv`.*",
        "",
        f"**Summary.** Docking: {_count(docking)}. Patterns: {_count(patterns, checked)} "
        f"({int((~checked).sum())} more reported, not judged). Levers: {_count(levers)}.",
        "",
        "## Docking",
        "",
        "Two submodels on their own against the literature they come from, with the functions "
        "the model calls (`sim/docking.py`, asserted by `tests/test_docking.py`).",
        "",
        "| check | what | source | measured | tolerance | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for r in docking.itertuples():
        lines.append(
            f"| `{r.check}` | {_cell(r.what)} | {_cell(r.source)} | "
            f"{_measured(r.measured)} | {_cell(r.tolerance)} | {r.verdict} |"
        )
    lines += [
        "",
        "## Patterns",
        "",
        "Each claim is a contrast per seed between conditions run with the same seeds "
        "(`sim/patterns.py`, docs/ODD.md section 8); it holds when the lower end of the 95 % "
        "t-interval of its mean lies above the margin. Rows marked *reported* are shown with "
        "their interval and never judged.",
        "",
        "| pattern | claim | source | mean (95 % CI) | margin | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for r in patterns.itertuples():
        verdict = "*reported*" if r.verdict == "reported" else r.verdict
        lines.append(
            f"| {r.pattern} | {_cell(r.claim)} | {_cell(r.source)} | "
            f"{_signed(r.mean)} ({_signed(r.ci_low)} to {_signed(r.ci_high)}) | "
            f"{_signed(r.margin, 2)} | {verdict} |"
        )
    lines += [
        "",
        "## Levers",
        "",
        "What each lever does, measured (`sim/validation.py`, `LEVERS`): the lever moves from "
        "its low to its high setting in the scenario, everything else as there (plus the "
        "extra changes listed), with the same seeds for both settings. The difference is the "
        f"mean paired difference (high - low) of the indicator's final value (mean of the last "
        f"{FINAL_MONTHS} months) ± its standard error; the seed-SD is the pooled standard "
        "deviation of the indicator across seeds; the ratio is difference / seed-SD. "
        "Required *direction*: the difference lies beyond 2 standard errors in the expected "
        "direction; *sd* (every lever the workshop dashboard shows): also larger than one "
        "seed-SD. Verdicts: holds; below 1 SD; unclear (within 2 standard errors); reversed.",
        "",
        "| lever | scenario | low → high | source | indicator | expected | means (low → high) "
        "| difference ± SE | seed-SD | ratio | required | verdict | dashboard |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in levers.itertuples():
        extra = json.loads(r.extra)
        setting = f"{_setting(r.low)} → {_setting(r.high)}" + (
            "; " + ", ".join(f"{k} = {_setting(json.dumps(v))}" for k, v in extra.items())
            if extra
            else ""
        )
        required = r.required + (f" ({_cell(r.note)})" if r.note else "")
        lines.append(
            f"| `{r.parameter}` | {r.scenario} | {_cell(setting)} | {_cell(r.source)} | "
            f"{r.indicator} | {'raises' if r.sign == '+1' else 'lowers'} | "
            f"{_num(r.low_mean)} → {_num(r.high_mean)} | {_signed(r.diff)} ± {_num(r.se)} | "
            f"{_num(r.seed_sd)} | {_signed(r.ratio, 2)} | {required} | {r.verdict} | "
            f"{r.shown} |"
        )
    return "\n".join(lines) + "\n"


def git_commit() -> tuple[str | None, bool | None]:
    from sim.provenance import git as _git

    found = _git()
    return found["commit"], found["dirty"]


def _stage_and_replace(files: dict[Path, str]) -> list[Path]:
    """Write every file under a temporary name next to it, then rename all into place."""
    from sim.output import write_staged

    def text_writer(text: str):
        return lambda path: path.write_text(text, encoding="utf-8")

    return write_staged({final: text_writer(text) for final, text in files.items()})


def check_out(page: Path) -> None:
    """A bad --out is one line before any run (sim.output.OutputError)."""
    from sim.output import OutputError

    if page.is_dir():
        raise OutputError(f"--out: {page} is a folder; give a file such as docs/validation.md")
    if page.suffix != ".md":
        raise OutputError(
            f"--out: {page} is not a Markdown file; give a path ending in .md, "
            "e.g. docs/validation.md"
        )
    for folder in page.parents:  # the nearest existing ancestor must be a writable folder
        if folder.exists():
            if not folder.is_dir():
                raise OutputError(f"--out: {folder} is not a folder")
            if not os.access(folder, os.W_OK | os.X_OK):
                raise OutputError(f"--out: cannot write in {folder}")
            break
    tables = tables_folder(page)
    if tables.exists() and not tables.is_dir():
        raise OutputError(f"--out: {tables} (for the CSV files) exists and is not a folder")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def validate(
    page: Path,
    replications: int,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run every docking check, pattern claim and lever row and write the page and its CSV
    files (all or nothing). Returns counts of checks that hold and fail."""
    from sim import docking, patterns

    workers_used = workers
    if workers_used is None:
        from sim.replicate import default_workers

        workers_used = default_workers()
    pattern_seeds = range(replications)
    lever_seeds = seeds_for(LEVER_SEED, replications)
    dock = docking.evaluate_docking(docking.DOCKING, workers=workers_used, progress=progress)
    verdicts = [
        patterns.evaluate(p, pattern_seeds, workers=workers, progress=progress)
        for p in patterns.PATTERNS
    ]
    levers = check_all(LEVERS, lever_seeds, workers=workers, progress=progress)
    texts = {
        "docking": to_csv(docking_rows(dock)),
        "patterns": to_csv(pattern_rows(patterns.PATTERNS, verdicts)),
        "levers": to_csv(lever_rows(levers)),
    }
    folder = tables_folder(page)
    commit, dirty = git_commit()
    command = f"kommune validate --replications {replications}"
    if page.resolve() != PAGE:
        command += f" --out {page}"
    run = {
        "command": command,
        "replications": replications,
        "date": date.today().isoformat(),
        "commit": commit,
        "dirty": dirty,
        "pattern_seeds": f"0-{replications - 1}",
        "lever_seeds": f"{replications} seeds from root {LEVER_SEED} (seeds_for)",
        "tables": _display(folder),
    }
    page_text = render({name: read_csv(text) for name, text in texts.items()}, run)
    _stage_and_replace(
        {
            **{folder / f"{name}.csv": text for name, text in texts.items()},
            folder / "run.json": json.dumps(run, indent=1) + "\n",
            page: page_text,
        }
    )
    tables = {name: read_csv(text) for name, text in texts.items()}
    judged = tables["patterns"][tables["patterns"]["checked"] == "yes"]
    return {
        name: (int((frame["verdict"] == "holds").sum()), len(frame))
        for name, frame in (
            ("docking", tables["docking"]),
            ("patterns", judged),
            ("levers", tables["levers"]),
        )
    }


def total_steps(replications: int) -> int:
    """How often ``validate`` advances its progress bar."""
    from sim import docking, patterns

    return (
        docking.docking_steps(docking.DOCKING)
        + sum(len(p.conditions) for p in patterns.PATTERNS) * replications
        + lever_runs(LEVERS, replications)
    )


def read_page_tables(page: Path = PAGE) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """The CSV tables (as text cells) and run facts written beside ``page``."""
    folder = tables_folder(page)
    tables = {
        name: read_csv((folder / f"{name}.csv").read_text(encoding="utf-8")) for name in TABLES
    }
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    return tables, run


__all__ = ["LEVERS", "Lever", "LeverResult", "check", "check_all", "render", "validate"]
