"""Progress bars for long commands, on a terminal only: cron mail and pipes stay plain."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click


class Bar:
    """One task's progress. Without a terminal every call is plain: `advance` does
    nothing and `echo` prints the line as it is."""

    def __init__(self, progress: Any = None) -> None:
        self._progress = progress

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._progress.task_ids[0])

    def echo(self, line: str) -> None:
        """A result line, printed above the bar (or plainly, without one)."""
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            click.echo(line)


@contextmanager
def progress_bar(label: str, total: int | None, *, stream: Any = None) -> Iterator[Bar]:
    """A rich progress bar with one task while the block runs, when `stream` (default
    stdout) is a terminal; otherwise a Bar whose calls are plain."""
    stream = stream or sys.stdout
    if not stream.isatty():
        yield Bar()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    progress = Progress(label, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        transient=True, console=Console(file=stream))
    progress.add_task(label, total=total)
    with progress:
        yield Bar(progress)
