"""A lock per database file, so two overlapping cron runs never harvest into one file.

The lock is taken on the database's *real* path (symlinks resolved), so a second run that
reaches the same file through a symlink or another relative path meets the same lock.
It is a `filelock.FileLock` (an OS lock: flock on POSIX, msvcrt on Windows), which the
operating system drops when the process dies, so a killed run never leaves a stale lock.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from .errors import ConfigError, LockHeldError, StoreError


def lock_path(db_path: str | Path) -> Path:
    """`<real path of the database>.lock`: one lock whatever name the file is reached by."""
    return Path(f"{os.path.realpath(db_path)}.lock")


class RunLock:
    """An exclusive, non-blocking lock on ``<real db path>.lock``, released on every exit."""

    def __init__(self, db_path: str | Path) -> None:
        self.path = lock_path(db_path)
        self._lock = FileLock(self.path, timeout=0, thread_local=False)

    def __enter__(self) -> RunLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except Timeout:
            raise LockHeldError(
                f"another harvest is running on this database (lock {self.path})"
            ) from None
        except OSError as exc:
            message = f"cannot create the lock file {self.path}: {exc.strerror or exc}"
            if exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
                raise StoreError(message) from None  # the disk failed: exit 1
            # a read-only directory, missing permissions, a file where a folder should be:
            # the --db path is wrong, which is a usage error (exit 2)
            raise ConfigError(message) from None
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._lock.release(force=True)
