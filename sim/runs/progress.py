"""The progress bar every long command shows: done of total, rate and time remaining.

It draws on standard error, so ``--json`` output on standard output stays clean, and it
disappears when the work is done.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} runs/s" if speed else "– runs/s", style="cyan")


@contextmanager
def progress_bar(label: str, total: int) -> Iterator:
    """Yields ``advance(n=1)``."""
    columns = (
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        "eta",
        TimeRemainingColumn(),
    )
    console = Console(stderr=True)
    # off the terminal (a log, a pipe) a transient bar shows nothing but leaves a blank line
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)
