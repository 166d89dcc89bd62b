"""Progress bars for long commands, on a terminal only: cron mail and pipes stay plain."""

from __future__ import annotations

import sys
from typing import Any


def terminal_progress(label: str, total: int | None, *, stream: Any = None) -> Any:
    """A started-later rich Progress with one task, or None when `stream` is not a TTY."""
    stream = stream or sys.stdout
    if not stream.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    progress = Progress(label, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        transient=True, console=Console(file=stream))
    progress.add_task(label, total=total)
    return progress
