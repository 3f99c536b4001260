"""The cheapest lever setting that reaches a target: Optuna over the run engine.

Every trial is a setting of the levers; it runs the same seeds as every other trial (common
random numbers; runs of one seed part ways within a few years, so they share only part of
the luck) and counts the seeds whose final value of the indicator reaches the target.
Optuna's TPE sampler minimises the setting's cost under the constraint that the share of
seeds reaching the target is at least the share asked for (``constraints_func``). The
first two trials are the cheapest and the dearest corner of the levers' box, so that a
target no setting reaches is known early.

Trials are kept in Optuna's journal file (``study.log``) as they finish: an interrupted
optimisation continues with ``--resume`` where it stopped. Each trial's sampler is seeded
from (seed, number of finished trials), and TPE reads only finished trials, so a resumed
optimisation proposes the same settings as one that ran through, also when the
interruption cut a trial in half (that trial is marked failed and not counted).

The recommendation is the cheapest setting that met the constraint; it is run again on
fresh seeds (never the optimisation's), so that the share and the mean it reports are not
the ones it was chosen for (a winner's curse).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from sim.indicators import final_values
from sim.params import make_params
from sim.runs.interrupts import shielded
from sim.runs.output import check_writable
from sim.runs.provenance import git as _git
from sim.runs.provenance import model_versions, opened
from sim.runs.provenance import now as _now
from sim.runs.replicate import Condition, replicate
from sim.runs.results import ResultStore, start_or_resume, writing

from .config import Evaluation, Optimization, OptimizationError

JOURNAL = "study.log"
COPY = "optimization.toml"


def optimization_versions() -> dict[str, str]:
    """What decides the trials besides the file: the model's, Mesa's, numpy's and Optuna's
    versions."""
    return {**model_versions(), "optuna": metadata.version("optuna")}


@dataclass
class Result:
    folder: Path
    trials: pd.DataFrame
    recommended: dict | None  # the cheapest feasible trial, on the optimisation's seeds
    check: Evaluation | None  # the same setting on fresh seeds
    session_trials: int
    seconds: float
    files: list[Path]


def evaluate(
    opt: Optimization, values: dict[str, float], seeds: list[int], workers=None, progress=None
) -> Evaluation:
    """Run ``values`` (the levers' settings on top of the base scenario) over ``seeds``."""
    condition = Condition(
        make_params({**opt.base, **values}), opt.scenario.events, opt.scenario.actors
    )
    tables = replicate({"setting": condition}, seeds, workers=workers, progress=progress)
    finals = tuple(float(final_values(t)[opt.indicator]) for t in tables["setting"])
    share = float(np.mean([opt.reaches(v) for v in finals]))
    return Evaluation(dict(values), opt.cost(values), share, finals)


def _quiet():
    import optuna

    optuna.logging.set_verbosity(logging.WARNING)
    return optuna


def _sampler(opt: Optimization, number: int):
    """TPE, seeded from (seed, finished trials). It reads each trial's constraint (the share
    asked for minus the share reached; at most 0 is feasible) from ``set_constraint``."""
    optuna = _quiet()
    seed = int(np.random.SeedSequence([opt.seed, number]).generate_state(1)[0])
    startup = max(2, min(10, opt.trials // 4))
    return optuna.samplers.TPESampler(seed=seed, n_startup_trials=startup)


def _suggest(trial, opt: Optimization) -> dict[str, float]:
    values = {}
    for lever in opt.levers:
        if lever.integer:
            values[lever.name] = trial.suggest_int(
                lever.name, int(lever.low), int(lever.high), step=int(lever.step or 1)
            )
        else:
            values[lever.name] = trial.suggest_float(
                lever.name, lever.low, lever.high, step=lever.step
            )
    return values


def _prepare(opt: Optimization, folder: Path, resume: bool) -> dict:
    manifest = start_or_resume(
        folder,
        kind="optimization",
        resume=resume,
        fingerprint=opt.fingerprint(),
        differs="scenario, months, target, seeds or levers",
        versions=optimization_versions(),
        error=OptimizationError,
        needed=JOURNAL,
    )
    if manifest is None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / COPY).write_text(opt.path.read_text(encoding="utf-8"), encoding="utf-8")
        return {
            "kind": "optimization",
            "optimization": opt.describe(),
            "fingerprint": opt.fingerprint(),
            "seeds": opt.seeds(),
            "check_seeds": opt.check_seeds(),
            "journal": JOURNAL,
            **opened({"optuna": metadata.version("optuna")}),
            "trials": {"asked": opt.trials, "done": 0},
            "sessions": [],
        }
    manifest["optimization"] = opt.describe()  # the number of trials may have changed
    manifest["trials"]["asked"] = opt.trials
    return manifest


def _study(opt: Optimization, folder: Path):
    optuna = _quiet()
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    storage = JournalStorage(JournalFileBackend(str(folder / JOURNAL)))
    study = optuna.create_study(
        storage=storage,
        study_name=f"kommune-{opt.fingerprint()}",
        direction="minimize",
        load_if_exists=True,
    )
    for trial in study.trials:  # cut off by an interruption: never finished, never counted
        if trial.state == optuna.trial.TrialState.RUNNING:
            study.tell(trial.number, state=optuna.trial.TrialState.FAIL)
    return study


def trials_table(study, opt: Optimization) -> pd.DataFrame:
    """Every finished trial: its setting, cost, share of seeds reaching the target, mean
    final value, and whether it met the constraint."""
    optuna = _quiet()
    rows = []
    for trial in study.trials:
        if trial.state != optuna.trial.TrialState.COMPLETE:
            continue
        rows.append(
            {
                "trial": trial.number,
                **{lever.name: trial.params[lever.name] for lever in opt.levers},
                "cost": trial.value,
                "share": trial.user_attrs["share"],
                "mean": trial.user_attrs["mean"],
                "feasible": trial.user_attrs["shortfall"] <= 0,
            }
        )
    columns = ["trial", *(lever.name for lever in opt.levers), "cost", "share", "mean", "feasible"]
    return pd.DataFrame(rows, columns=columns)


def optimize(
    opt: Optimization,
    out: Path,
    workers: int | None = None,
    resume: bool = False,
    progress=None,
    stop_after: int | None = None,
) -> Result:
    """Run the missing trials of ``opt`` into ``out``, check the recommendation on fresh
    seeds and write the outputs. ``stop_after`` (for tests) interrupts as Ctrl-C would once
    that many trials are finished."""
    check_writable(out)
    with writing(out, f"optimize {opt.path.name}"):
        return _optimize(opt, out, workers, resume, progress, stop_after)


def _optimize(opt, out, workers, resume, progress, stop_after) -> Result:
    from .report import write_outputs

    optuna = _quiet()
    started = time.monotonic()
    manifest = _prepare(opt, out, resume)
    store = ResultStore(out)
    session = {
        "started": _now(),
        "ended": None,
        "status": "running",
        "host": socket.gethostname(),
        "git": _git(),
        "trials": 0,
    }
    manifest["sessions"].append(session)

    def save(status: str) -> None:
        session["status"] = manifest["status"] = status
        if status != "running":
            session["ended"] = manifest["ended"] = _now()
        store.write_json(store.manifest_path, manifest)

    save("running")
    status = "interrupted"
    try:
        study = _study(opt, out)
        seeds = opt.seeds()
        complete = optuna.trial.TrialState.COMPLETE
        corners = [  # the cheapest and the dearest setting first
            {lever.name: lever.low for lever in opt.levers},
            {lever.name: lever.high for lever in opt.levers},
        ]
        while (done := sum(t.state == complete for t in study.trials)) < opt.trials:
            if stop_after is not None and done >= stop_after:
                raise KeyboardInterrupt
            # numbered by finished trials, so that a trial cut off mid-way changes nothing
            if done < len(corners):
                study.enqueue_trial(corners[done])
            study.sampler = _sampler(opt, done)
            trial = study.ask()
            values = _suggest(trial, opt)
            known = _tried(study, values)
            if known is None:
                result = evaluate(opt, values, seeds, workers, progress)
                share, mean = result.share, result.mean
            else:  # the same setting on the same seeds gives the same result: not run again
                share, mean = known
                if progress:
                    progress(opt.replications)
            trial.set_user_attr("share", share)
            trial.set_user_attr("mean", mean)
            trial.set_user_attr("shortfall", opt.share - share)
            trial.set_user_attr("repeat", known is not None)
            trial.set_constraint("shortfall", opt.share - share)
            study.tell(trial, opt.cost(values))
            session["trials"] += 1
            manifest["trials"]["done"] = done + 1
            save("running")
        table = trials_table(study, opt)
        recommended = recommend(table, opt.direction)
        check = None
        if recommended is not None:
            values = {lever.name: recommended[lever.name] for lever in opt.levers}
            check = evaluate(opt, values, opt.check_seeds(), workers, progress)
        manifest["recommended"] = (
            None
            if check is None
            else {
                "values": check.values,
                "cost": check.cost,
                "share_on_fresh_seeds": check.share,
                "mean_on_fresh_seeds": check.mean,
            }
        )
        files = write_outputs(opt, out, table, recommended, check, manifest)
        status = "complete"
    except KeyboardInterrupt:
        raise
    except BaseException:
        status = "failed"
        raise
    finally:
        with shielded():
            save(status)
    return Result(
        out, table, recommended, check, session["trials"], time.monotonic() - started, files
    )


def _tried(study, values: dict[str, float]) -> tuple[float, float] | None:
    """(share, mean) of a finished trial with exactly this setting, if there is one: TPE
    proposes a setting it has tried again now and then (on a grid of steps, often)."""
    optuna = _quiet()
    for trial in study.trials:
        if trial.state == optuna.trial.TrialState.COMPLETE and trial.params == values:
            return trial.user_attrs["share"], trial.user_attrs["mean"]
    return None


def recommend(table: pd.DataFrame, direction: int) -> dict | None:
    """The cheapest trial that met the constraint (the larger share, then the better mean,
    among equally cheap ones; ``direction`` -1: lower is better); None if none did."""
    feasible = table[table["feasible"]]
    if feasible.empty:
        return None
    ascending = [True, False, direction < 0]
    row = feasible.sort_values(["cost", "share", "mean"], ascending=ascending).iloc[0]
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.to_dict().items()}


def runs_left(opt: Optimization, folder: Path) -> int:
    """Model runs still to do (for a progress bar): trials not yet finished, and the check."""
    done = 0
    manifest = ResultStore(folder).manifest() if folder.exists() else None
    if manifest and manifest.get("kind") == "optimization":
        with contextlib.suppress(KeyError, TypeError):
            done = int(manifest["trials"]["done"])
    return max(0, opt.trials - done) * opt.replications + opt.check_replications
