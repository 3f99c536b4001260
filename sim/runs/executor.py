"""Where runs go: one executor for every command that runs the model.

``compare``, ``patterns``, ``validate``, ``sweep`` and the calibration's predictive check
hand their runs to ``Workers``: a ``concurrent.futures`` executor (this process, a pool of
local processes, or a Dask cluster through ``Client.get_executor``), how many runs to keep
in flight, and how many runs go into one submission (a *chunk*). One run per task is the
default everywhere: on a Dask cluster a task costs about 2 ms of scheduling and transfer,
0.5 % of a default run (``benchmarks/bench_sweep.py`` prints it), and larger chunks lose
more than that at the end of a sweep, where the last chunks keep one worker busy while the
others wait. Runs far shorter than the default (a few months of a small network) are
where chunks pay: ``KOMMUNE_DASK_CHUNK`` sets the runs per task on a cluster.

A run's result depends only on its parameters and seed, and every caller puts results
back in the order of its tasks, so results are the same whichever executor ran them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sim.params import ParameterError
from sim.runs.interrupts import end_with_parent, shielded

DASK_CHUNK = os.environ.get("KOMMUNE_DASK_CHUNK", "1")
"""Runs per Dask task (see the module's docstring; checked when a cluster is opened)."""
CORES_CHECK_SECONDS = 5.0
"""How often a cluster is asked how many cores it has now (workers come and go)."""
WORKER_CHECK_SECONDS = float(os.environ.get("KOMMUNE_WORKER_CHECK_SECONDS", "10"))
"""How long to wait for a finished task on a cluster before checking for workers."""


class WorkersLost(ParameterError):
    """Where runs go is gone or unusable: a cluster that cannot be reached or lost, a worker
    process that died, a bad setting (args[0]: one line saying so)."""


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


# --- local processes ----------------------------------------------------------------------------
def _ignore_interrupt(parent: int, through_server: bool = False) -> None:
    """Workers leave Ctrl-C to the main process, which stops the pool cleanly, and end
    when the main process is killed outright."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent(parent, through_server=through_server)


# Python warns on any fork() of a process with threads. Ours are OpenBLAS's workers,
# jemalloc's background thread (pyarrow) and Arrow's thread pools, all of which register
# fork handlers, and rich's progress-bar thread, whose lock no worker ever touches.
warnings.filterwarnings(
    "ignore",
    message=r"This process \(pid=\d+\) is multi-threaded, use of "
    r"fork\(\) may lead to deadlocks",
    category=DeprecationWarning,
)


def process_pool(workers: int, fork: bool = True) -> ProcessPoolExecutor:
    """Worker processes that start at once with the model already imported.

    On Linux the workers are forked from this process: importing pandas and Mesa afresh
    costs a new worker about 3 seconds, which would dominate short sweeps. Elsewhere (no
    safe fork), and for a web server (``fork=False``: its threads may hold a lock at the
    moment of a fork), they come from a fork server that imports the model once.
    """
    forked = fork and sys.platform == "linux"
    if forked:
        context = multiprocessing.get_context("fork")
    else:  # the workers' parent is the fork server, which ends only after its workers
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sim.runs.runner"])
    return ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_ignore_interrupt,
        initargs=(os.getpid(), not forked),
    )


class InProcess(Executor):
    """The calling process, one task at a time (``--workers 1``): a task runs when it is
    submitted, and Ctrl-C reaches it directly."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:
            future.set_exception(error)
        return future


# --- the one abstraction ----------------------------------------------------------------------
def run_chunk(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """One submission: ``function`` over a chunk of tasks, in order."""
    return [function(item) for item in items]


class Workers:
    """An executor, with the cores behind it (``cores``; a cluster's is asked again every
    ``CORES_CHECK_SECONDS``, as workers join or leave), how much to keep in flight
    (``slots``, in runs) and how many runs go into one submission (``chunk``)."""

    def __init__(
        self,
        executor: Executor,
        name: str,
        cores: int | Callable[[], int],
        chunk: int = 1,
        restart: Callable[[], Executor] | None = None,
        idle: Callable[[], None] | None = None,
        closing: Callable[[], None] | None = None,
    ) -> None:
        self.executor, self.name, self.chunk = executor, name, max(1, chunk)
        self._cores, self._known, self._asked = cores, 1, -float("inf")
        self._restart, self._idle, self._closing = restart, idle, closing
        self._replacing = threading.Lock()  # several threads may share one pool (a server)

    @property
    def cores(self) -> int:
        if not callable(self._cores):
            return self._cores
        if time.monotonic() - self._asked >= CORES_CHECK_SECONDS:
            self._known, self._asked = max(1, self._cores()), time.monotonic()
        return self._known

    @property
    def slots(self) -> int:
        return 1 if isinstance(self.executor, InProcess) else 4 * self.cores * self.chunk

    def submit(self, function: Callable[[Any], Any], items: Sequence[Any]) -> Future:
        """One future for ``function`` over ``items``; its result is their results, in
        order. A pool found broken here (a worker died under another caller's runs) is
        replaced once."""
        executor = self.executor
        try:
            future = executor.submit(run_chunk, function, list(items))
        except (BrokenProcessPool, RuntimeError):
            if self._restart is None:
                raise WorkersLost(
                    f"the worker processes ({self.name}) are gone; run the command again"
                ) from None
            self._replace(executor)
            executor = self.executor
            future = executor.submit(run_chunk, function, list(items))
        future.executor = executor  # type: ignore[attr-defined]
        return future

    def _replace(self, broken: Executor) -> None:
        """A new pool for a broken one, once, however many threads found it broken."""
        with self._replacing:
            if self.executor is broken and self._restart is not None:
                broken.shutdown(wait=False, cancel_futures=True)
                self.executor = self._restart()

    def wait(self, futures: Iterable[Future]) -> set[Future]:
        """Those of ``futures`` that have finished (at least one). A pool whose worker died
        is replaced, so the next submissions run; a cluster is checked for workers while
        nothing finishes."""
        futures = list(futures)
        timeout = WORKER_CHECK_SECONDS if self._idle else None
        while True:
            done, _ = wait(futures, timeout=timeout, return_when=FIRST_COMPLETED)
            if done:
                break
            self._idle()  # type: ignore[misc]
        broken = [
            f
            for f in done
            if not f.cancelled()
            and isinstance(f.exception(), BrokenProcessPool)
            and getattr(f, "executor", None) is self.executor  # not a late one from a pool
        ]  # that is already replaced
        if self._restart and broken:
            self._replace(self.executor)
        return done

    def unordered(
        self, function: Callable[[Any], Any], tasks: Sequence[Any]
    ) -> Iterator[tuple[int, Any]]:
        """(index, result) for every task, as chunks finish, with at most ``slots`` runs in
        flight (in this process: one at a time, so each result is handed on as it comes)."""
        spans = (
            range(s, min(s + self.chunk, len(tasks))) for s in range(0, len(tasks), self.chunk)
        )
        pending: dict[Future, range] = {}

        def fill() -> None:
            while sum(map(len, pending.values())) < self.slots:
                span = next(spans, None)
                if span is None:
                    return
                pending[self.submit(function, [tasks[i] for i in span])] = span

        try:
            fill()
            while pending:
                for future in self.wait(pending):
                    span = pending.pop(future)
                    try:
                        results = future.result()
                    except BrokenProcessPool:
                        raise WorkersLost(
                            "a worker process died (killed, or out of memory); run the command "
                            "again (a comparison with --out continues with --resume)"
                        ) from None
                    yield from zip(span, results, strict=True)
                fill()
        finally:
            with shielded():
                for future in pending:
                    future.cancel()

    def map(
        self,
        function: Callable[[Any], Any],
        tasks: Sequence[Any],
        done: Callable[[int], None] | None = None,
    ) -> list[Any]:
        """``function(task)`` for every task, in the order of the tasks; ``done(1)`` after
        each."""
        out: list[Any] = [None] * len(tasks)
        for index, result in self.unordered(function, tasks):
            out[index] = result
            if done:
                done(1)
        return out

    def close(self) -> None:
        with shielded():
            try:
                self.executor.shutdown(wait=True, cancel_futures=True)
            except TypeError:  # Dask's executor: not waiting cancels what still runs
                self.executor.shutdown(wait=False)
            finally:
                if self._closing:
                    self._closing()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def local(workers: int | None = None) -> Workers:
    """This process (one worker) or a pool of ``workers`` local processes (default: one per
    core, at most 8)."""
    workers = default_workers() if workers is None else workers
    if workers <= 1:
        return Workers(InProcess(), "in-process", cores=1)
    return Workers(
        process_pool(workers),
        f"local:{workers}",
        cores=workers,
        restart=lambda: process_pool(workers),
    )


def _dask_chunk() -> int:
    text = str(DASK_CHUNK).strip()
    if not text.isdigit() or int(text) < 1:
        raise WorkersLost(
            f"KOMMUNE_DASK_CHUNK = {DASK_CHUNK!r} is not allowed; allowed: a whole number of at "
            "least 1 (runs per task on a cluster)"
        )
    return int(text)


def dask(address: str, notify: Callable[[str], None] = print) -> Workers:
    """An existing Dask distributed cluster at ``address`` (a scheduler), checked to run
    the same versions as this machine; while nothing finishes and no worker is connected
    it says so once, and a scheduler that is gone raises ``WorkersLost``."""
    from distributed import Client

    from sim.runs.provenance import model_versions

    chunk = _dask_chunk()
    try:
        client = Client(address, timeout="10s")
    except (OSError, ValueError) as error:  # unreachable, or not an address at all
        raise WorkersLost(f"--scheduler {address}: cannot connect ({error})") from None
    try:
        theirs_by_worker = client.run(model_versions)
    except Exception as error:  # a worker without the project cannot even say its versions
        client.close()
        raise WorkersLost(
            f"--scheduler {address}: the workers cannot run the model "
            f"({type(error).__name__}: {error}); give them the project's environment"
        ) from None
    mine = model_versions()
    for worker, theirs in theirs_by_worker.items():
        if theirs != mine:
            client.close()
            raise WorkersLost(
                f"--scheduler {address}: worker {worker} runs {theirs}, this machine {mine}; "
                "results would differ, so give the workers the same environment"
            )
    warned = False

    def idle() -> None:
        nonlocal warned
        try:
            connected = client.scheduler_info().get("workers", {})
        except (OSError, TimeoutError) as error:  # the scheduler itself is gone
            raise WorkersLost(
                f"--scheduler {address}: lost the cluster ({error}); continue later with --resume"
            ) from None
        if not connected and not warned:
            notify(
                f"--scheduler {address}: no worker is connected; waiting for one to join "
                "(Ctrl-C stops, --resume continues)"
            )
        warned = not connected

    def cores() -> int:
        try:
            return sum(client.nthreads().values())
        except (OSError, TimeoutError):
            return 1

    return Workers(
        client.get_executor(pure=False),
        f"dask:{address}",
        cores=cores,
        chunk=chunk,
        idle=idle,
        closing=client.close,
    )


def open_workers(
    workers: int | None = None,
    scheduler: str | None = None,
    notify: Callable[[str], None] = print,
) -> Workers:
    """Where runs go: the Dask cluster at ``scheduler``, or ``workers`` local processes."""
    return dask(scheduler, notify) if scheduler else local(workers)
