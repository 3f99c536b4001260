"""Finishing what is done when the user presses Ctrl-C again."""

from __future__ import annotations

import signal
import threading
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
