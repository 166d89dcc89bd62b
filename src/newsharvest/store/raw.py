"""Content-addressed store of fetched pages (``--keep-raw``) for offline re-extraction.

Each body is gzip-compressed under ``<root>/<sha[:2]>/<sha>.html.gz``, named by the SHA-256
of the raw bytes, so the same page fetched twice is stored once. The `raw_pages` table maps
each URL to its latest body and the response headers that decoding and dating need.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import sqlite_utils


class RawStore:
    """A folder of gzip files named by content hash."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / f"{sha}.html.gz"

    def put(self, content: bytes) -> str:
        """Store the bytes (once) and return their SHA-256."""
        sha = hashlib.sha256(content).hexdigest()
        target = self.path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename: a killed run never leaves a truncated file under the name.
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(gzip.compress(content, compresslevel=6))
            os.replace(tmp, target)
        return sha

    def get(self, sha: str) -> bytes:
        return gzip.decompress(self.path(sha).read_bytes())


def record_raw(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    """Record where a fetched page's raw bytes are (the `raw_pages` row of its URL)."""
    with db.atomic():
        db.table("raw_pages").upsert(row, pk="url")
