"""Links found but not yet done, kept in the database so no run can forget them.

A link enters ``pending_links`` as soon as discovery finds it (before the feed's ETag /
Last-Modified is saved, so a later 304 can never hide it) and leaves when its page is done:
stored, unchanged, skipped on purpose (robots.txt, not HTML) or failed for good (404, no
article text). A page cut by ``--limit``, ``--time-budget`` or a kill simply stays, due at
the next run. A transient failure (timeout, connection error, 429/5xx) is retried by later
runs with a back-off, until ``MAX_ATTEMPTS`` runs have failed; the row then stays as a
record that the link was given up (so rediscovering it does not start the count again).

::

    pending_links(
        source     TEXT  -- the source's name
        url        TEXT  -- the link as discovered; PRIMARY KEY (source, url)
        published  TEXT  -- ISO 8601 UTC date from the feed/sitemap, or NULL
        title      TEXT  -- title from the feed/sitemap/listing, or NULL
        found_at   TEXT  -- ISO 8601 UTC, first discovery
        attempts   INTEGER  -- runs whose fetch failed transiently
        next_try   TEXT  -- ISO 8601 UTC; not before this time (NULL: now)
        last_error TEXT  -- the last transient failure
    )

The table is created on first use (``PendingLinks(db)``); read-only commands never touch it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils

from ..records import parse_iso

MAX_ATTEMPTS = 5  # runs with a transient failure before a link is given up
RETRY_BACKOFF = 900.0  # seconds; the n-th failure waits BACKOFF * 2**(n-2) (first: none)
MAX_BACKOFF = 86400.0
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
DONE_STATUSES = frozenset({"new", "updated", "unchanged", "skipped"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_links (
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    published TEXT,
    title TEXT,
    found_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try TEXT,
    last_error TEXT,
    PRIMARY KEY (source, url)
)"""


@dataclass(frozen=True, slots=True)
class PendingLink:
    """A link waiting for a run: what discovery knew about it and how it went so far."""

    url: str
    published: datetime | None = None
    title: str | None = None
    attempts: int = 0


class PendingLinks:
    """The ``pending_links`` table of one database (see the module docstring)."""

    def __init__(self, db: sqlite_utils.Database, *, backoff: float = RETRY_BACKOFF,
                 max_attempts: int = MAX_ATTEMPTS) -> None:
        self.db, self.backoff, self.max_attempts = db, backoff, max_attempts
        with db.atomic():
            db.execute(_SCHEMA)

    def add(self, source: str, links: Iterable[PendingLink], *,
            now: datetime | None = None) -> None:
        """Remember links (one transaction); a link already pending keeps its history."""
        at = (now or datetime.now(UTC)).isoformat()
        rows = [(source, link.url, link.published.isoformat() if link.published else None,
                 link.title, at) for link in links]
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO pending_links (source, url, published, title, "
                "found_at) VALUES (?, ?, ?, ?, ?)", rows)

    def due(self, source: str, *, now: datetime | None = None) -> list[PendingLink]:
        """Links of `source` to try now, oldest first (given-up ones excluded)."""
        at = (now or datetime.now(UTC)).isoformat()
        rows = self.db.execute(
            "SELECT url, published, title, attempts FROM pending_links WHERE source = ? "
            "AND attempts < ? AND (next_try IS NULL OR next_try <= ?) ORDER BY rowid",
            [source, self.max_attempts, at]).fetchall()
        return [PendingLink(url, parse_iso(published), title, attempts)
                for url, published, title, attempts in rows]

    def count(self, source: str) -> int:
        """Links of `source` still to do (given-up ones excluded)."""
        return int(self.db.execute(
            "SELECT count(*) FROM pending_links WHERE source = ? AND attempts < ?",
            [source, self.max_attempts]).fetchone()[0])

    def drop(self, source: str, urls: Sequence[str]) -> None:
        """Forget links that are done (stored since, or by another run)."""
        with self.db.atomic():
            self.db.conn.executemany(
                "DELETE FROM pending_links WHERE source = ? AND url = ?",
                [(source, url) for url in urls])

    def settle(self, source: str, url: str, run_id: str, *,
               now: datetime | None = None) -> str:
        """After a page step: read what it recorded in `fetches` for this run and keep or
        drop the link. Returns "done", "retry", "given-up", "pending" (nothing recorded:
        the step was cut off, the link waits as it was) or "store" (the page could not be
        stored, e.g. a full disk: the link waits as it was, and the caller should stop)."""
        row = self.db.execute(
            "SELECT status, http_status, error_kind, error FROM fetches WHERE url = ? "
            "AND run_id = ? ORDER BY id DESC LIMIT 1", [url, run_id]).fetchone()
        if row is None:
            return "pending"
        status, http_status, kind, error = row
        if kind == "store":
            return "store"
        if status in DONE_STATUSES or not _transient(kind, http_status):
            self.drop(source, [url])
            return "done"
        return self._failed(source, url, error, now or datetime.now(UTC))

    def _failed(self, source: str, url: str, error: str | None, now: datetime) -> str:
        found = self.db.execute(
            "SELECT attempts FROM pending_links WHERE source = ? AND url = ?",
            [source, url]).fetchone()
        attempts = (found[0] if found else 0) + 1
        wait = 0.0 if attempts == 1 else min(MAX_BACKOFF, self.backoff * 2 ** (attempts - 2))
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO pending_links (source, url, found_at, attempts, next_try, "
                "last_error) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(source, url) DO UPDATE "
                "SET attempts = excluded.attempts, next_try = excluded.next_try, "
                "last_error = excluded.last_error",
                [source, url, now.isoformat(), attempts,
                 (now + timedelta(seconds=wait)).isoformat(), error])
        return "given-up" if attempts >= self.max_attempts else "retry"


def _transient(kind: str | None, http_status: int | None) -> bool:
    """A failure worth another run: the network or the server, not the page itself."""
    return kind == "fetch" and (http_status is None or http_status in TRANSIENT_STATUSES)
