"""The fetch log: one ``fetches`` row per URL attempt, and which URLs are already known."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from ..errors import PERMANENT_KINDS
from ..records import PageOutcome

SUCCESS_STATUSES = ("new", "updated", "unchanged")
_INSERT_FETCH = ("INSERT INTO fetches (run_id, url, source, status, http_status, error_kind, "
                 "error, elapsed, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def insert_outcome(db: sqlite_utils.Database, outcome: PageOutcome, run_id: str,
                   status: str) -> None:
    """Log one attempt (inside the caller's transaction)."""
    db.conn.execute(_INSERT_FETCH, outcome_values(outcome, run_id, status))


def insert_outcomes(db: sqlite_utils.Database, values: list[list[object]]) -> None:
    """Log several attempts (`outcome_values` of each), in order, in one statement (a
    single one, the harvest's page, without executemany's set-up)."""
    if len(values) == 1:
        db.conn.execute(_INSERT_FETCH, values[0])
    else:
        db.conn.executemany(_INSERT_FETCH, values)


def outcome_values(outcome: PageOutcome, run_id: str, status: str,
                   at: str | None = None) -> list[object]:
    """The parameters of one attempt's fetch row (`at`: `outcome.at.isoformat()`, when
    the caller has it: a load's pages share one time)."""
    return [run_id, outcome.url, outcome.source, status, outcome.http_status,
            outcome.error_kind, outcome.error, outcome.elapsed,
            outcome.at.isoformat() if at is None else at]


def known_urls(db: sqlite_utils.Database, urls: Iterable[str]) -> set[str]:
    """Which of these URLs were already harvested: stored as an article URL, or fetched
    successfully before under this address (a tracking-parameter variant of a stored
    canonical URL counts as known), or failed for good (errors.PERMANENT_KINDS: a page over
    its extraction budget fails the same way every time)."""
    urls = list(dict.fromkeys(urls))
    found: set[str] = set()
    for i in range(0, len(urls), 400):
        chunk = urls[i:i + 400]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT url FROM articles WHERE url IN ({marks}) UNION "
            f"SELECT url FROM fetches WHERE url IN ({marks}) "
            f"AND (status IN {SUCCESS_STATUSES!r} OR error_kind IN "
            f"({','.join('?' * len(PERMANENT_KINDS))}))",
            chunk + chunk + sorted(PERMANENT_KINDS),
        )
        found.update(r[0] for r in rows)
    return found
