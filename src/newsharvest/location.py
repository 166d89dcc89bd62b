"""Where WARCs and parts live: a local path, or any fsspec URL (s3://, gs://, https://...).

CC-NEWS is read straight from object storage on clusters (s3://commoncrawl/...), and a
Ray cluster's workers share no disk, so the WARCs, the output folder and the parts `load`
reads may all be URLs.
Local paths keep using the operating system directly (fastest, and `os.replace` is the
atomic rename that makes a part appear whole). Remote file systems need their fsspec
package installed (s3fs for s3://, gcsfs for gs://).
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import IO, Any


def is_url(where: str | Path) -> bool:
    """A remote location (anything with a scheme but file://)."""
    text = str(where)
    return "://" in text and not text.startswith("file://")


class Location:
    """A file or folder, local or remote, with the few operations ingest needs."""

    def __init__(self, where: str | Path) -> None:
        text = str(where)
        self.fs: Any = None
        if is_url(text):
            import fsspec

            self.fs, self.path = fsspec.core.url_to_fs(text)
            self.text = text
        else:
            self.path = text.removeprefix("file://")
            self.text = self.path

    def __str__(self) -> str:
        return self.text

    @property
    def name(self) -> str:
        return posixpath.basename(self.path.rstrip("/")) if self.fs else Path(self.path).name

    def identity(self) -> str:
        """What names this location stably: the absolute path, or the URL."""
        return self.text if self.fs else str(Path(self.path).resolve())

    def child(self, name: str) -> Location:
        if self.fs is None:
            return Location(os.path.join(self.path, name))
        return Location(self.text.rstrip("/") + "/" + name)

    def open(self, mode: str = "rb") -> IO[bytes]:
        return open(self.path, mode) if self.fs is None else self.fs.open(self.path, mode)

    def size(self) -> int:
        return os.path.getsize(self.path) if self.fs is None else int(self.fs.size(self.path))

    def exists(self) -> bool:
        return os.path.exists(self.path) if self.fs is None else bool(self.fs.exists(self.path))

    def makedirs(self) -> None:
        if self.fs is None:
            os.makedirs(self.path, exist_ok=True)
        else:
            self.fs.makedirs(self.path, exist_ok=True)

    def replace(self, target: Location) -> None:
        """Move this file onto `target`: atomic locally; on object stores the object
        appears only once it is complete, which is what resuming needs."""
        if self.fs is None:
            os.replace(self.path, target.path)
        else:
            self.fs.mv(self.path, target.path)

    def remove(self) -> None:
        if self.exists():
            os.remove(self.path) if self.fs is None else self.fs.rm(self.path)

    def glob(self, pattern: str) -> list[str]:
        """Files matching a glob pattern relative to this folder, as locations' text."""
        if self.fs is None:
            return sorted(str(p) for p in Path(self.path).glob(pattern) if p.is_file())
        found = self.fs.glob(self.path.rstrip("/") + "/" + pattern)
        return sorted(self.fs.unstrip_protocol(p) for p in found)
