"""Write articles and fetch outcomes, one transaction per page.

Each page's article row and its fetch row are committed together, so a run killed at any
moment leaves every finished page stored and no half-written one; the next run sees those
URLs as known and carries on (resume by construction, no checkpoint file).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import PERMANENT_KINDS, StoreError
from ..records import Article, PageOutcome, parse_iso
from .schema import ARTICLE_COLUMNS, ensure_schema
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
        a stored canonical URL counts as known), or failed for good (errors.PERMANENT_KINDS:
        a page over its extraction budget fails the same way every time)."""
        urls = list(dict.fromkeys(urls))
        found: set[str] = set()
        for i in range(0, len(urls), 400):
            chunk = urls[i:i + 400]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT url FROM articles WHERE url IN ({marks}) UNION "
                f"SELECT url FROM fetches WHERE url IN ({marks}) "
                "AND (status IN ('new', 'updated', 'unchanged') OR error_kind IN "
                f"({','.join('?' * len(PERMANENT_KINDS))}))",
                chunk + chunk + sorted(PERMANENT_KINDS),
            )
            found.update(r[0] for r in rows)
        return found

    def save(self, article: Article, outcome: PageOutcome, run_id: str) -> str:
        """Upsert the article and record the fetch in one transaction.

        Returns "new", "updated" or "unchanged" (same content hash as stored, or an
        older text than the stored one: see `save_many`).
        """
        status = self.save_many([(article, outcome)], run_id, newer_only=True)[0]
        return "unchanged" if status == "older" else status

    def save_many(self, items: Iterable[tuple[Article, PageOutcome]], run_id: str, *,
                  newer_only: bool = False) -> list[str]:
        """Save several pages in one transaction (bulk loads), each exactly as `save` does.

        With `newer_only`, the stored row does not depend on processing order: a URL keeps
        its latest text (a copy fetched before the stored one with other text is left
        out as "older"), described by the first fetch of that text.
        """
        statuses: list[str] = []
        try:
            with self.db.atomic():
                for article, outcome in items:
                    status = self._save_one(article, outcome, run_id, newer_only)
                    statuses.append(status)
        except sqlite3.Error as exc:
            self._stories = None  # it may hold rows that were rolled back: reload on use
            raise StoreError(f"articles: {exc}") from exc
        except BaseException:
            self._stories = None
            raise
        return statuses

    def _save_one(self, article: Article, outcome: PageOutcome, run_id: str,
                  newer_only: bool) -> str:
        prev = self.db.execute(
            "SELECT content_hash, fetched_at, story_id FROM articles WHERE url = ?",
            [article.url]).fetchone()
        earlier = newer_only and prev is not None and _is_older(article, prev[1])
        if prev is None:
            status = "new"
        elif prev[0] == article.content_hash:
            status = "unchanged"
        else:
            status = "older" if earlier else "updated"
        if status in ("new", "updated"):
            if self._stories is None:
                self._stories = StoryIndex(self.db)
            story_id = self._stories.story_for(article)
            self._upsert(replace(article, story_id=story_id))
            self._stories.add(article.url, article.simhash, story_id)
        elif status == "unchanged" and earlier:
            # The same text, fetched earlier (under another address of the page, or from
            # an older archive): the row describes the first fetch of its text, whatever
            # order the copies were processed in.
            self._upsert(replace(article, story_id=prev[2]))
        self._insert_outcome(outcome, run_id, "unchanged" if status == "older" else status)
        return status

    def record(self, outcome: PageOutcome, run_id: str) -> None:
        """Record a fetch that stored no article (failure or skip)."""
        try:
            with self.db.atomic():
                self._insert_outcome(outcome, run_id, outcome.status)
        except sqlite3.Error as exc:
            raise StoreError(f"fetches[{outcome.url}]: {exc}") from exc

    def _insert_outcome(self, outcome: PageOutcome, run_id: str, status: str) -> None:
        self.db.execute(_INSERT_FETCH, [
            run_id, outcome.url, outcome.source, status, outcome.http_status,
            outcome.error_kind, outcome.error, outcome.elapsed, outcome.at.isoformat()])

    def _upsert(self, article: Article) -> None:
        # Plain SQL rather than sqlite-utils' upsert, which commits on its own and would
        # split the page's transaction in two.
        row = article.to_row()
        self.db.execute(_UPSERT_ARTICLE, [row[c] for c in ARTICLE_COLUMNS])

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
        with self.db.atomic():
            self.db.table("http_cache").upsert(
                {"url": url, "etag": etag, "last_modified": last_modified, "checked_at": at},
                pk="url")

    def keep_raw(self, row: dict[str, Any]) -> None:
        """Record where a fetched page's raw bytes are (see store/raw.py)."""
        with self.db.atomic():
            self.db.table("raw_pages").upsert(row, pk="url")

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
              ) -> Iterator[dict[str, Any]]:
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


_UPSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))}) ON CONFLICT(url) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in ARTICLE_COLUMNS if c != "url"))
_INSERT_FETCH = ("INSERT INTO fetches (run_id, url, source, status, http_status, error_kind, "
                 "error, elapsed, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _is_older(article: Article, stored_fetched_at: str | None) -> bool:
    """Was `article` fetched before the stored copy? (Unknown times: not provably.)"""
    stored = parse_iso(stored_fetched_at)
    if article.fetched_at is None or stored is None:
        return False
    try:
        return article.fetched_at < stored
    except TypeError:  # naive vs aware
        return False

