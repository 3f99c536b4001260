"""Running a calibration with pyabc's ABC-SMC: result folder, samplers, generations, resume.

pyabc runs one generation (population) at a time through its public steps
(``initialize_components_before_run``, ``run_generation``, ``check_terminate``: what
``ABCSMC.run`` does), so that progress is reported and the manifest updated after every
generation, and numpy's global random state is seeded from (seed, generation) before each:
pyabc draws its particles from that state. Every finished generation is in pyabc's History
database (sqlite, one transaction per generation); ``--resume`` continues from there with
``ABCSMC.load``.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

import numpy as np

from sim.runs.executor import Workers, WorkersLost, dask, default_workers, local
from sim.runs.interrupts import end_with_parent, shielded
from sim.runs.output import check_writable
from sim.runs.provenance import git as _git
from sim.runs.provenance import model_versions, opened, versions
from sim.runs.provenance import now as _now
from sim.runs.results import ResultStore, start_or_resume, writing

from .config import Calibration, CalibrationError
from .targets import Distance, Simulator

DATABASE = "history.db"
CALIBRATION_COPY = "calibration.toml"


def calibration_versions() -> dict[str, str]:
    """What decides a calibration's generations besides its file: the model's, Mesa's,
    numpy's and pyabc's versions."""
    return {**model_versions(), "pyabc": metadata.version("pyabc")}


@dataclass
class Generation:
    """One finished generation, as the History database has it."""

    t: int
    epsilon: float
    accepted: int
    evaluated: int
    seconds: float
    ess: float = float("nan")  # effective sample size of its importance weights

    @property
    def acceptance(self) -> float:
        return self.accepted / self.evaluated if self.evaluated else float("nan")


@dataclass
class Result:
    folder: Path
    generations: list[Generation]
    session_generations: list[int]
    stopped: str  # "generations", "min_epsilon", "budget" or "acceptance"
    marginals: list = field(default_factory=list)  # report.Marginal per parameter
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0


Progress = Callable[..., None]
"""``progress(event, **info)``; events: "generation-start" (t, epsilon, particles, counts:
a function giving (evaluated, accepted) so far), "generation-end" (generation),
"prior-sample" (particles, counts: pyabc's sample from the prior that sets the first
epsilon), "predictive" (done, total). ``counts`` is None when the particles run where they
cannot be counted (Dask)."""


# --- counting particles as they come, and Ctrl-C in workers --------------------------------
class Counters:
    """Particles evaluated and accepted in the running generation, in shared memory, so
    that worker processes can count and the progress display can read."""

    def __init__(self) -> None:
        self.array = multiprocessing.get_context("fork" if sys.platform == "linux" else None).Array(
            "q", 2
        )

    def reset(self) -> None:
        with self.array.get_lock():
            self.array[0] = self.array[1] = 0

    def counts(self) -> tuple[int, int]:
        return int(self.array[0]), int(self.array[1])


def _counting(simulate_one, counters: Counters, parent: int):
    def counted():
        if os.getpid() != parent:  # a worker: Ctrl-C is for the main process to handle
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            end_with_parent(parent)  # and kill -9 of the main process ends it too
        particle = simulate_one()
        with counters.array.get_lock():
            counters.array[0] += 1
            counters.array[1] += bool(particle.accepted)
        return particle

    return counted


def _sampler(workers: int, counters: Counters):
    """pyabc's single-core or multicore (evaluation-parallel) sampler, counting particles;
    a multicore sampler's workers ignore Ctrl-C and are ended when the main process stops."""
    from pyabc.sampler import MulticoreEvalParallelSampler, SingleCoreSampler

    class Single(SingleCoreSampler):
        def sample_until_n_accepted(self, n, simulate_one, t, **kwargs):
            return super().sample_until_n_accepted(
                n, _counting(simulate_one, counters, os.getpid()), t, **kwargs
            )

    class Multi(MulticoreEvalParallelSampler):
        def sample_until_n_accepted(self, n, simulate_one, t, **kwargs):
            before = set(multiprocessing.active_children())
            if not self.pickle:  # forked workers share the counters
                simulate_one = _counting(simulate_one, counters, os.getpid())
            try:
                return super().sample_until_n_accepted(n, simulate_one, t, **kwargs)
            except BaseException:
                with shielded():
                    for worker in set(multiprocessing.active_children()) - before:
                        worker.terminate()
                        worker.join(5)
                raise

    return Single() if workers <= 1 else Multi(n_procs=workers)


def _to_stderr(message: str) -> None:
    print(f"kommune: {message}", file=sys.stderr)


class _Backend:
    """Where particles run. On this machine pyabc's own samplers (this process, or forked
    workers that share the particle counters); on a cluster pyabc's ConcurrentFutureSampler
    over the project's executor (``sim.runs.executor.dask``, with its version check). The
    posterior-predictive draws go through the project's executor in either case."""

    def __init__(self, workers: int | None, scheduler: str | None, counters: Counters) -> None:
        self.cluster: Workers | None = None
        if scheduler:
            self.cluster = dask(scheduler, notify=_to_stderr)
            from .cluster import ClusterSampler

            self.workers = 0
            self.name = self.cluster.name
            self.sampler = ClusterSampler(self.cluster)
            self.counting = False  # Dask workers cannot reach the shared counters
        else:
            self.workers = default_workers() if workers is None else workers
            self.name = "in-process" if self.workers <= 1 else f"local:{self.workers}"
            self.sampler = _sampler(self.workers, counters)
            self.counting = self.workers <= 1 or not self.sampler.pickle

    def map(self, function, tasks: list, done: Callable[[int], None] | None = None) -> list:
        """``function(task)`` for every task, in order; a cluster or worker lost on the way
        is one line (``CalibrationError``), the finished generations are kept."""
        try:
            if self.cluster is not None:
                return self.cluster.map(function, tasks, done)
            with local(min(self.workers, len(tasks))) as pool:
                return pool.map(function, tasks, done)
        except WorkersLost as lost:
            raise CalibrationError(lost.args[0]) from None

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.close()


# --- the result folder ------------------------------------------------------------------------
def prepare(cal: Calibration, folder: Path, resume: bool) -> dict:
    """Create the result folder, or check that resuming continues the same calibration."""
    check_writable(folder)
    manifest = start_or_resume(
        folder,
        kind="calibration",
        resume=resume,
        fingerprint=cal.fingerprint(),
        differs="scenario, months, seeds, particles, priors or targets",
        versions=calibration_versions(),
        error=CalibrationError,
        needed=DATABASE,
    )
    if manifest is None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cal.path, folder / CALIBRATION_COPY)
            if cal.observations_path is not None:
                shutil.copyfile(
                    cal.observations_path,
                    folder / f"observations{cal.observations_path.suffix.lower()}",
                )
        except OSError as error:
            raise CalibrationError(f"{folder}: cannot write ({error.strerror})") from None
        return {
            "kind": "calibration",
            "calibration": cal.describe(),
            "fingerprint": cal.fingerprint(),
            "root_seed": cal.seed,
            "seeds": cal.seeds(),
            "database": DATABASE,
            "run_id": None,
            **opened({"pyabc": metadata.version("pyabc")}),
            "generations": {"asked": cal.generations, "done": 0},
            "sessions": [],
        }
    # the same calibration, but how far to go (generations, min_epsilon) may have changed
    manifest["calibration"] = cal.describe()
    manifest["generations"]["asked"] = cal.generations
    with contextlib.suppress(OSError):
        shutil.copyfile(cal.path, folder / CALIBRATION_COPY)
    return manifest


def read_generations(history) -> list[Generation]:
    """Every finished generation in a History (not pyabc's calibration sample, t = -1),
    with the effective sample size of its weights, 1 / sum(w^2): how many particles the
    weighted population is worth. A few particles far out in pyabc's proposal carry most
    of the weight when it is small."""
    frame = history.get_all_populations()
    frame = frame[frame["t"] >= 0]
    out = []
    for row in frame.itertuples():
        _, w = history.get_distribution(m=0, t=int(row.t))
        out.append(
            Generation(
                int(row.t),
                float(row.epsilon),
                int(row.particles),
                int(row.samples),
                float(getattr(row, "wall_time", float("nan")) or float("nan")),
                float(1.0 / np.sum(np.asarray(w) ** 2)) if len(w) else float("nan"),
            )
        )
    return out


def evaluated_in_all(history) -> int:
    """Particles evaluated over the whole run, pyabc's sample from the prior included."""
    return int(history.get_all_populations()["samples"].sum())


def _seed(root: int, *where: int) -> int:
    """A 32-bit seed for numpy's global state, from the root seed and a generation."""
    return int(np.random.SeedSequence([root, *(w + 2 for w in where)]).generate_state(1)[0])


@contextlib.contextmanager
def _quiet_pyabc():
    """pyabc logs every step at INFO; the progress display says what matters (ABC_LOG_LEVEL
    set by the user wins)."""
    import pyabc  # noqa: F401  (its import sets the level we change)

    logger = logging.getLogger("ABC")
    level = logger.level
    if "ABC_LOG_LEVEL" not in os.environ:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def make_abc(cal: Calibration, sampler):
    import pyabc

    from .model import EarlyRejecting

    prior = pyabc.Distribution(
        **{p.name: pyabc.RV("uniform", p.low, p.high - p.low) for p in cal.parameters}
    )
    simulator = Simulator(
        cal.base, cal.scenario.events, cal.patterns, cal.observations, tuple(cal.seeds())
    )
    # early rejection decides as pyabc's default acceptor does, for a distance that does
    # not adapt and an epsilon that is a number per generation: change them together
    distance = Distance(cal.targets)
    # Most particles meet many claims fully (distance terms of 0), so the posterior is flat
    # over the region where the claims hold, and a particle's weight is prior / proposal.
    # With a few dozen particles in several dimensions pyabc's default kernel leaves that
    # proposal lumpy and a few particles carry most of the weight (effective sample size 3
    # of 30 in the run of December 2026); a kernel twice as wide evens it out, at some cost
    # in acceptance. The epsilon is the plain median of the last generation's distances:
    # a weighted median would be set by those few particles (pyabc: either is correct).
    abc = pyabc.ABCSMC(
        EarlyRejecting(simulator, distance),
        prior,
        distance,
        population_size=cal.particles,
        transitions=pyabc.MultivariateNormalTransition(scaling=cal.kernel_scaling),
        sampler=sampler,
        eps=pyabc.QuantileEpsilon(alpha=0.5, weighted=False),
    )
    return abc, simulator


def calibrate(
    cal: Calibration,
    out: Path,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: Progress | None = None,
    stop_after: int | None = None,
) -> Result:
    """Run what is missing of calibration ``cal`` into ``out``, then write its outputs.

    ``stop_after`` (for tests) interrupts as Ctrl-C would, once that many generations are
    in the database.
    """
    check_writable(out)
    with writing(out, f"calibrate {cal.path.name}"):
        return _calibrate(cal, out, workers, scheduler, resume, progress, stop_after)


def _calibrate(
    cal: Calibration,
    out: Path,
    workers: int | None,
    scheduler: str | None,
    resume: bool,
    progress: Progress | None,
    stop_after: int | None,
) -> Result:
    from .report import write_outputs

    started = time.monotonic()
    note = progress or (lambda event, **info: None)
    counters = Counters()
    with _quiet_pyabc():  # a cluster that is not there: no folder
        backend = _Backend(workers, scheduler, counters)
    try:
        manifest = prepare(cal, out, resume)
    except BaseException:
        backend.close()
        raise
    store = ResultStore(out)
    session = {
        "started": _now(),
        "ended": None,
        "status": "running",
        "backend": backend.name,
        "host": socket.gethostname(),
        "generations": [],
        "git": _git(),
        "versions": {**versions(), "pyabc": metadata.version("pyabc")},
    }
    manifest["sessions"].append(session)

    def save(status: str) -> None:
        session["status"] = manifest["status"] = status
        if status != "running":
            session["ended"] = manifest["ended"] = _now()
        store.write_json(store.manifest_path, manifest)

    save("running")
    status = "interrupted"
    global_state = np.random.get_state()
    db = f"sqlite:///{(out / DATABASE).resolve()}"
    try:
        with _quiet_pyabc():
            abc, simulator = make_abc(cal, backend.sampler)
            history = _open(abc, cal, manifest, db, out)
            save("running")
            done = read_generations(history)
            stopped = _stopped(cal, done, evaluated_in_all(history))
            if stopped is None:
                stopped = _run(
                    abc,
                    cal,
                    done,
                    session,
                    manifest,
                    save,
                    counters,
                    backend.counting,
                    note,
                    stop_after,
                )
            history = abc.history
            generations = read_generations(history)
            manifest["generations"]["done"] = len(generations)
            manifest["stopped"] = stopped
            save("running")
            files, margins = write_outputs(
                cal,
                out,
                history,
                simulator,
                generations,
                stopped,
                manifest,
                backend,
                lambda done, total: note("predictive", done=done, total=total),
            )
        status = "complete"
    except KeyboardInterrupt:
        raise
    except BaseException:
        status = "failed"  # a bad input found late, or a bug: --resume tries again
        raise
    finally:
        with shielded():
            np.random.set_state(global_state)
            backend.close()
            save(status)
    return Result(
        out,
        generations,
        session["generations"],
        stopped,
        margins,
        files,
        time.monotonic() - started,
    )


def _open(abc, cal: Calibration, manifest: dict, db: str, out: Path):
    """A new run in the database, or the recorded one to continue. A run without one
    finished generation holds nothing worth keeping: it starts afresh."""
    from pyabc import History

    run_id = manifest.get("run_id")
    if run_id is not None:
        if History(db, _id=run_id).n_populations > 0:
            return abc.load(db, run_id)
        for leftover in out.glob(f"{DATABASE}*"):
            leftover.unlink()
    history = abc.new(db, {}, meta_info={"calibration": cal.name, "fingerprint": cal.fingerprint()})
    manifest["run_id"] = int(history.id)
    return history


def _stopped(cal: Calibration, done: list[Generation], evaluated: int) -> str | None:
    """Why a calibration with these finished generations, and ``evaluated`` particles
    evaluated in all, is complete (None: it is not). Checked between generations only,
    so a generation under way always finishes."""
    if len(done) >= cal.generations:
        return "generations"
    if done and done[-1].epsilon <= cal.min_epsilon:
        return "min_epsilon"
    if cal.max_evaluations and evaluated >= cal.max_evaluations:
        return "budget"
    if done and done[-1].acceptance < cal.min_acceptance:
        return "acceptance"
    return None


def _run(
    abc,
    cal: Calibration,
    done: list[Generation],
    session: dict,
    manifest: dict,
    save,
    counters: Counters,
    counting: bool,
    note: Progress,
    stop_after: int | None,
) -> str:
    """The missing generations, one at a time; why they stopped."""
    counts = counters.counts if counting else None
    remaining = cal.generations - len(done)
    counters.reset()
    if not done:  # pyabc first runs a sample from the prior to set the first epsilon
        note("prior-sample", particles=cal.particles, counts=counts)
    np.random.seed(_seed(cal.seed, len(done), -1))  # pyabc's calibration sample, at t = 0
    t = abc.initialize_components_before_run(
        minimum_epsilon=cal.min_epsilon,
        max_nr_populations=remaining,
        min_acceptance_rate=0.0,
        max_total_nr_simulations=np.inf,
        max_walltime=None,
        min_eps_diff=0.0,
    )
    try:
        while True:
            counters.reset()
            note(
                "generation-start",
                t=t,
                epsilon=float(abc.eps(t)),
                particles=cal.particles,
                counts=counts,
            )
            np.random.seed(_seed(cal.seed, t))
            outcome = abc.run_generation(t=t)
            if not outcome["successful"]:
                raise CalibrationError(
                    f"generation {t}: the sampler could not fill it (a "
                    "worker failed); --resume tries it again"
                )
            generation = read_generations(abc.history)[-1]
            session["generations"].append(t)
            manifest["generations"]["done"] = t + 1
            save("running")
            note("generation-end", generation=generation)
            if stop_after is not None and t + 1 >= stop_after:
                raise KeyboardInterrupt  # tests: as if Ctrl-C came right now
            if abc.check_terminate(t=t, acceptance_rate=outcome["acceptance_rate"]):
                break
            if _stopped(cal, read_generations(abc.history), evaluated_in_all(abc.history)):
                break
            t += 1
    finally:
        with shielded():
            abc.history.done(end_time=datetime.now())
            abc.sampler.stop()
    history = abc.history
    return _stopped(cal, read_generations(history), evaluated_in_all(history)) or "generations"


def describe_generation(g: Generation) -> str:
    return (
        f"generation {g.t}: epsilon {g.epsilon:.4g}, {g.accepted} accepted of "
        f"{g.evaluated} ({g.acceptance:.0%}), effective sample size {g.ess:.1f}"
    )
