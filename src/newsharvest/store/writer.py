"""`Store`: one newsharvest SQLite file, as the harvester, reextract and load use it.

A facade over modules with one job each: articles.py (upsert, dedupe, story linking),
fetchlog.py (the ``fetches`` log, known URLs), httpcache.py (ETag / Last-Modified), raw.py
(where raw pages are), fts.py (the search index). Each page's article row and its fetch
row are committed together, so a run killed at any moment leaves every finished page
stored and no half-written one; the next run sees those URLs as known and carries on
(resume by construction, no checkpoint file).

The search index and the story band index are brought up to date in batches (every
FLUSH_ROWS saved articles or FLUSH_SECONDS, and on close) rather than inside each page's
transaction: indexing a page alone cost more than the rest of saving it. Until then the
rows wait in the search index's queue and the sketches are marked unbanded, both committed
with the page; `search` and every read-write open index what waits first, and story
linking looks the unwritten band keys up in memory.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import StoreError
from ..records import Article, PageOutcome
from . import fetchlog, httpcache
from .articles import ArticleWriter
from .bulk import save_new
from .fts import sync_search_index
from .raw import record_raw
from .schema import ensure_schema

FLUSH_ROWS = 500  # saved articles between search-index updates
FLUSH_SECONDS = 5.0  # ... or this long, whichever comes first


class Store:
    """A newsharvest SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._articles: ArticleWriter | None = None  # made on the first save
        self._unindexed = 0
        self._indexed_at = time.monotonic()
        try:
            self.db = sqlite_utils.Database(str(path))
            ensure_schema(self.db, index_now=False)
            # A commit per page: checkpointing the WAL every 40 MB rather than every 4 MB
            # copies each often-written index page fewer times (8% of a save, measured by
            # bench/store_bench.py); the WAL file is cut back to 64 MB after a checkpoint.
            self.db.execute("PRAGMA wal_autocheckpoint=10000")
            self.db.execute("PRAGMA journal_size_limit=67108864")
            # Statement journals in memory: an insert into `articles` (search triggers, a
            # UNIQUE url) keeps one, a copy of every page it touches; in a temporary file
            # that was 40% of the insert (42 -> 26 us on bench/store_bench.py's rows). Set
            # after ensure_schema, so migrations' large sorts still spill to disk, and
            # before any TEMP object exists (changing it drops them).
            self.db.execute("PRAGMA temp_store=MEMORY")
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open database: {exc}") from exc

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def flush(self) -> None:
        """Index the articles saved since the last flush: the search index and the story
        band keys (search and story linking find them before it as well)."""
        try:
            with self.db.atomic():
                if self._articles is not None:
                    self._articles.stories.flush()
                sync_search_index(self.db)
        except BaseException as exc:
            if self._articles is not None:  # rolled back: its band keys are unwritten again
                self._articles.stories.reload()
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"articles_search: {exc}") from exc
            raise
        self._unindexed = 0
        self._indexed_at = time.monotonic()

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these URLs were already harvested (see fetchlog.known_urls)."""
        return fetchlog.known_urls(self.db, urls)

    def save(self, article: Article, outcome: PageOutcome, run_id: str) -> str:
        """Upsert the article and record the fetch in one transaction.

        Returns "new", "updated" or "unchanged" (same content hash as stored, or an
        older text than the stored one: see `save_many`).
        """
        status = self.save_many([(article, outcome)], run_id, newer_only=True)[0]
        return "unchanged" if status == "older" else status

    def save_many(self, items: Iterable[tuple[Article, PageOutcome]], run_id: str, *,
                  newer_only: bool = False,
                  values: Sequence[tuple[object, ...] | None] | None = None) -> list[str]:
        """Save several pages in one transaction (bulk loads), each exactly as `save` does.

        With `newer_only`, the stored row does not depend on processing order: a URL keeps
        its latest text (a copy fetched before the stored one with other text is left
        out as "older"), described by the first fetch of that text. `values`: per item,
        when known, the values `to_row` gives for it in column order (a loaded row already
        in that form: store/canonical.py), or None.
        """
        if self._articles is None:
            self._articles = ArticleWriter(self.db)
        statuses: list[str] = []
        batch = list(items)
        try:
            with self.db.atomic():
                if len(batch) > 1:  # its sketches and band lookups in bulk
                    self._articles.stories.prepare(a for a, _ in batch)
                new = (save_new(self._articles, batch, run_id, values) if len(batch) > 1
                       else None)
                if new is not None:  # all new pages: one statement per table
                    statuses = new
                else:
                    fetches = []
                    for article, outcome in batch:
                        status = self._articles.save(article, newer_only)
                        fetches.append(fetchlog.outcome_values(
                            outcome, run_id, "unchanged" if status == "older" else status))
                        statuses.append(status)
                    fetchlog.insert_outcomes(self.db, fetches)
                self._articles.stories.write_batch()
        except sqlite3.Error as exc:
            self._articles.stories.reload()  # forget the keys of rolled-back sketches
            raise StoreError(f"articles: {exc}") from exc
        except BaseException:
            self._articles.stories.reload()
            raise
        finally:
            self._articles.stories.done()
        self._unindexed += len(statuses)
        if (self._unindexed >= FLUSH_ROWS
                or time.monotonic() - self._indexed_at >= FLUSH_SECONDS):
            self.flush()
        return statuses

    def record(self, outcome: PageOutcome, run_id: str) -> None:
        """Record a fetch that stored no article (failure or skip)."""
        try:
            with self.db.atomic():
                fetchlog.insert_outcome(self.db, outcome, run_id, outcome.status)
        except sqlite3.Error as exc:
            raise StoreError(f"fetches[{outcome.url}]: {exc}") from exc

    def validators(self, url: str) -> dict[str, str]:
        """Conditional-request headers for a URL fetched before (ETag, Last-Modified)."""
        return httpcache.validators(self.db, url)

    def remember(self, url: str, etag: str | None, last_modified: str | None, at: str) -> None:
        """Keep a response's validators for the next run's conditional request."""
        httpcache.remember(self.db, url, etag, last_modified, at)

    def keep_raw(self, row: dict[str, Any]) -> None:
        """Record where a fetched page's raw bytes are (see store/raw.py)."""
        record_raw(self.db, row)

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
