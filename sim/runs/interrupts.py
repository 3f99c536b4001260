"""Finishing what is done when the user presses Ctrl-C again, or when the command is told
to end (``kill``, a batch scheduler at its time limit)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class _Terminate:
    """SIGTERM as Ctrl-C, in the process that installed it; a worker forked from that
    process ends at SIGTERM as before (pools end their workers that way). ``pending``: a
    signal that came while finished work was being saved (``shielded``), raised after it."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.deferred = 0  # shields open
        self.pending = False

    def __call__(self, signum, frame) -> None:
        if os.getpid() != self.pid:  # a forked worker: the default, end at once
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        if self.deferred:
            self.pending = True
            return
        raise KeyboardInterrupt


@contextmanager
def stopping_on_terminate() -> Iterator[None]:
    """While the block runs (a command), ``kill`` (SIGTERM) stops it as Ctrl-C does: what
    is finished is saved, the manifest says "interrupted" and ``--resume`` continues. A
    batch scheduler sends SIGTERM at its time limit, and a calibration started in the
    background by a script cannot get Ctrl-C (the shell ignores it there). Only in the
    main thread; the previous handler comes back afterwards (tests call commands
    in-process)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _Terminate())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def shielded() -> Iterator[None]:
    """Ignore further Ctrl-C while the block saves finished work or stops worker processes,
    and hold a SIGTERM until it is done.

    People press Ctrl-C twice. A second press that cut a flush in half would lose finished
    runs; one that cut a process pool's shutdown in half left its workers waiting on a
    queue lock for ever, so the command never ended. A SIGTERM, by contrast, comes once:
    it is kept, and stops the command as soon as the block is done. Signals can only be
    set from the main thread; elsewhere the block simply runs.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    terminate = signal.getsignal(signal.SIGTERM)
    ours = isinstance(terminate, _Terminate) and terminate.pid == os.getpid()
    if ours:
        terminate.deferred += 1
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if ours:
            terminate.deferred -= 1
            if terminate.pending and not terminate.deferred:
                terminate.pending = False
                if sys.exc_info()[0] is None:  # not stopping already (an error, Ctrl-C)
                    raise KeyboardInterrupt


_watched: set[int] = set()


def end_with_parent(
    parent: int | None = None, poll_seconds: float = 0.5, through_server: bool = False
) -> None:
    """Make this worker process end when the process that started it is gone.

    ``kill -9`` of a sweep's main process gives its workers no chance to be told: they
    would run on, busy and orphaned, until their queue broke. A daemon thread notices the
    parent's disappearance (the parent process id changes when a process is orphaned) and
    ends the worker at once. ``parent`` is the process id the parent had when it started
    the worker (passed in, since a parent that died before this call would otherwise go
    unnoticed). ``through_server``: the worker came from a fork server, so its own parent
    is that server, which lives as long as its workers do; the worker then watches the
    process that asked for it by its id. Called once per process; later calls do nothing.
    """
    if os.getpid() in _watched:
        return
    _watched.add(os.getpid())
    parent = os.getppid() if parent is None else parent

    def alive() -> bool:
        if not through_server:
            return os.getppid() == parent
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # there, but another user's: not ours any more
            return False
        return True

    def watch() -> None:
        while alive():
            time.sleep(poll_seconds)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
