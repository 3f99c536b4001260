"""Finishing what is done when the user presses Ctrl-C again."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def shielded() -> Iterator[None]:
    """Ignore further Ctrl-C while the block saves finished work or stops worker processes.

    People press Ctrl-C twice. A second press that cut a flush in half would lose finished
    runs; one that cut a process pool's shutdown in half left its workers waiting on a
    queue lock for ever, so the command never ended. Signals can only be set from the
    main thread; elsewhere the block simply runs.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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
