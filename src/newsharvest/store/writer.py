"""Write articles and fetch outcomes, one transaction per page.

Each page's article row and its fetch row are committed together, so a run killed at any
moment leaves every finished page stored and no half-written one; the next run sees those
URLs as known and carries on (resume by construction, no checkpoint file).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import StoreError
from ..records import Article, PageOutcome
from .schema import ensure_schema
from .stories import StoryIndex


class Store:
    """A newsharvest SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._stories: StoryIndex | None = None  # loaded on the first save
        try:
            self.db = sqlite_utils.Database(str(path))
            ensure_schema(self.db)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open database: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these URLs were already harvested: stored as an article URL, or
        fetched successfully before under this address (a tracking-parameter variant of
        a stored canonical URL counts as known)."""
        urls = list(dict.fromkeys(urls))
        found: set[str] = set()
        for i in range(0, len(urls), 400):
            chunk = urls[i:i + 400]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT url FROM articles WHERE url IN ({marks}) UNION "
                f"SELECT url FROM fetches WHERE url IN ({marks}) "
                "AND status IN ('new', 'updated', 'unchanged')",
                chunk + chunk,
            )
            found.update(r[0] for r in rows)
        return found

    def save(self, article: Article, outcome: PageOutcome, run_id: str) -> str:
        """Upsert the article and record the fetch in one transaction.

        Returns "new", "updated" or "unchanged" (same content hash as stored).
        """
        try:
            with self.db.conn:
                prev = self.db.execute(
                    "SELECT content_hash FROM articles WHERE url = ?", [article.url]
                ).fetchone()
                status = "new" if prev is None else (
                    "unchanged" if prev[0] == article.content_hash else "updated"
                )
                if status != "unchanged":
                    if self._stories is None:
                        self._stories = StoryIndex(self.db)
                    story_id = self._stories.story_for(article)
                    linked = replace(article, story_id=story_id)
                    self.db.table("articles").upsert(linked.to_row(), pk="url")
                self._insert_outcome(outcome, run_id, status)
        except sqlite3.Error as exc:
            raise StoreError(f"articles[{article.url}]: {exc}") from exc
        if status != "unchanged" and self._stories is not None:
            self._stories.add(article.url, article.simhash, story_id)  # committed: remember it
        return status

    def record(self, outcome: PageOutcome, run_id: str) -> None:
        """Record a fetch that stored no article (failure or skip)."""
        try:
            with self.db.conn:
                self._insert_outcome(outcome, run_id, outcome.status)
        except sqlite3.Error as exc:
            raise StoreError(f"fetches[{outcome.url}]: {exc}") from exc

    def _insert_outcome(self, outcome: PageOutcome, run_id: str, status: str) -> None:
        self.db.table("fetches").insert({
            "run_id": run_id,
            "url": outcome.url,
            "source": outcome.source,
            "status": status,
            "http_status": outcome.http_status,
            "error_kind": outcome.error_kind,
            "error": outcome.error,
            "elapsed": outcome.elapsed,
            "at": outcome.at.isoformat(),
        })

    def validators(self, url: str) -> dict[str, str]:
        """Conditional-request headers for a URL fetched before (ETag, Last-Modified)."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM http_cache WHERE url = ?", [url]).fetchone()
        headers: dict[str, str] = {}
        if row and row[0]:
            headers["If-None-Match"] = row[0]
        if row and row[1]:
            headers["If-Modified-Since"] = row[1]
        return headers

    def remember(self, url: str, etag: str | None, last_modified: str | None, at: str) -> None:
        """Keep a response's validators for the next run's conditional request."""
        with self.db.conn:
            self.db.table("http_cache").upsert(
                {"url": url, "etag": etag, "last_modified": last_modified, "checked_at": at},
                pk="url")

    def keep_raw(self, row: dict[str, Any]) -> None:
        """Record where a fetched page's raw bytes are (see store/raw.py)."""
        with self.db.conn:
            self.db.table("raw_pages").upsert(row, pk="url")

    def query(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> Iterator[dict]:
        """Run a read query and yield rows as dicts."""
        try:
            cursor = self.db.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"query failed: {exc}") from exc
        names = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def count(self, table: str = "articles") -> int:
        return self.db.table(table).count
