"""Per-source health: stored articles, last success and failure, failure rate, body
length and language mix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from .database import open_database
from .fetchlog import SUCCESS_STATUSES


@dataclass(slots=True)
class SourceStats:
    """One source's health: stored articles and how its recent fetches went."""

    source: str
    articles: int = 0
    last_success: str | None = None
    last_failure: str | None = None
    last_failure_reason: str | None = None
    runs: int = 0  # recent runs counted in the failure rate
    fetches: int = 0  # fetch attempts in those runs (skips not counted)
    failures: int = 0
    median_body_length: float | None = None
    languages: dict[str, int] = field(default_factory=dict)

    @property
    def failure_rate(self) -> float | None:
        return self.failures / self.fetches if self.fetches else None

    def to_row(self) -> dict[str, Any]:
        row = {name: getattr(self, name) for name in self.__slots__}
        row["failure_rate"] = None if self.failure_rate is None else round(self.failure_rate, 4)
        return row


def source_stats(db: sqlite_utils.Database | str | Path, *, runs: int = 5) -> list[SourceStats]:
    """Per source: articles stored, last success, last failure and why, failure rate over
    the last `runs` harvest runs that touched it, median body length, language mix."""
    stats: dict[str, SourceStats] = {}

    def get(name: str | None) -> SourceStats:
        key = name if name is not None else "(none)"
        return stats.setdefault(key, SourceStats(key))

    with open_database(db) as conn:
        for name, count, median in conn.execute(_MEDIAN_SQL):
            entry = get(name)
            entry.articles, entry.median_body_length = count, median
        for name, language, count in conn.execute(
                "SELECT source, language, count(*) FROM articles GROUP BY source, language "
                "ORDER BY source, count(*) DESC"):
            get(name).languages[language or "unknown"] = count
        for name, at in conn.execute(
                "SELECT source, at FROM (SELECT source, at, row_number() OVER (PARTITION BY "
                "source ORDER BY julianday(at) DESC, id DESC) AS r FROM fetches WHERE status "
                f"IN {SUCCESS_STATUSES!r}) WHERE r = 1"):
            get(name).last_success = at
        for name, at, kind, error in conn.execute(
                "SELECT source, at, error_kind, error FROM (SELECT *, row_number() OVER "
                "(PARTITION BY source ORDER BY julianday(at) DESC, id DESC) AS r FROM fetches "
                "WHERE status = 'failed') WHERE r = 1"):
            entry = get(name)
            entry.last_failure = at
            entry.last_failure_reason = ": ".join(p for p in (kind, error) if p) or None
        for name, nruns, attempts, failures in conn.execute(_RATE_SQL, [runs]):
            entry = get(name)
            entry.runs, entry.fetches, entry.failures = nruns, attempts, failures
    return [stats[k] for k in sorted(stats)]


_MEDIAN_SQL = """
WITH l AS (
  SELECT source, length(body) AS n,
         row_number() OVER (PARTITION BY source ORDER BY length(body)) AS i,
         count(*) OVER (PARTITION BY source) AS c
  FROM articles)
SELECT source, max(c), avg(n) FROM l WHERE i IN ((c + 1) / 2, (c + 2) / 2) GROUP BY source
"""

_RATE_SQL = """
WITH recent AS (
  SELECT source, run_id,
         row_number() OVER (PARTITION BY source ORDER BY max(id) DESC) AS r
  FROM fetches GROUP BY source, run_id)
SELECT f.source, count(DISTINCT f.run_id),
       count(*) FILTER (WHERE f.status != 'skipped'),
       count(*) FILTER (WHERE f.status = 'failed')
FROM fetches f JOIN recent ON recent.source IS f.source AND recent.run_id IS f.run_id
WHERE recent.r <= ? GROUP BY f.source
"""
