"""Tables, indexes, pragmas and migrations of the SQLite file.

Plain column types, ISO 8601 text dates and ordinary indexes, so the file is as useful in
Datasette, the sqlite3 shell or pandas as through newsharvest itself.

Dates: ``published`` and ``modified`` keep the page's own offset (``+08:00``), so their text
does not sort in time order. ``published_utc`` / ``modified_utc`` are the same moments in
UTC (``2025-10-13T21:30:00Z``, whole seconds); ``published_utc`` is indexed: every ordering
and time filter uses it. They are generated columns (VIRTUAL: computed by SQLite from
``published`` on read, ``published_utc`` stored in its index), so they are right whoever
writes the row (Datasette, the sqlite3 shell), and a file made before them gains them on
open with every row kept (``ALTER TABLE ... ADD COLUMN`` + ``CREATE INDEX``; SQLite >= 3.31).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from .fts import ensure_search
from .stories import ensure_story_tables
from .views import ensure_views

SCHEMA_VERSION = 3  # 2: published_utc, modified_utc; 3: UNUSED_INDEXES dropped
# Indexes of earlier versions that no query of newsharvest uses (EXPLAIN QUERY PLAN of
# store/filters.py, search.py, export.py, stats.py, views.py): every index is written on
# each saved article, and these two cost the harvest path about a tenth of its rate
# (bench/store_bench.py). ``published`` keeps the page's own offset, so nothing orders or
# filters on it (``published_utc`` does); nothing queries ``modified_utc``.
UNUSED_INDEXES = ("idx_articles_published", "idx_articles_modified_utc")

ARTICLE_COLUMNS: dict[str, type] = {
    "url": str,
    "source": str,
    "title": str,
    "published": str,
    "modified": str,
    "body": str,
    "language": str,
    "authors": str,
    "credits": str,
    "origin": str,
    "content_hash": str,
    "simhash": str,
    "story_id": str,
    "fetched_at": str,
    "extractor_version": str,
}
# Generated from the column named: the moment in UTC, as ISO 8601 text ending in Z.
UTC_COLUMNS: dict[str, str] = {"published_utc": "published", "modified_utc": "modified"}
UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _read_columns() -> dict[str, type]:
    """Every column a reader sees: the stored ones, each UTC column next to its source."""
    columns: dict[str, type] = {}
    for name, kind in ARTICLE_COLUMNS.items():
        columns[name] = kind
        columns.update({utc: str for utc, of in UTC_COLUMNS.items() if of == name})
    return columns


READ_COLUMNS = _read_columns()
FETCH_COLUMNS: dict[str, type] = {
    "id": int,
    "run_id": str,
    "url": str,
    "source": str,
    "status": str,
    "http_status": int,
    "error_kind": str,
    "error": str,
    "elapsed": float,
    "at": str,
}


def arrow_schema(columns: Sequence[str] | None = None,
                 extra: Sequence[tuple[str, type]] = ()) -> Any:
    """The Arrow schema of article columns (all, or `columns`) plus `extra` (name, type)
    fields: Parquet export and ingest parts share one mapping of types. Needs pyarrow."""
    import pyarrow as pa

    kinds = {str: pa.string(), int: pa.int64(), float: pa.float64(), bytes: pa.binary()}
    names = list(columns) if columns is not None else list(ARTICLE_COLUMNS)
    return pa.schema([pa.field(n, kinds[READ_COLUMNS[n]]) for n in names]
                     + [pa.field(n, kinds[kind]) for n, kind in extra])


def ensure_schema(db: sqlite_utils.Database, *, index_now: bool = True) -> None:
    """Create what is missing and migrate an older file; safe to call on every open.

    `index_now`: index each article change in the search index inside its own transaction
    (any writer); the `Store` passes False and indexes in batches (see writer.py).
    """
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
    db.execute("PRAGMA busy_timeout=5000")
    articles = db.table("articles")
    if not articles.exists():
        articles.create(ARTICLE_COLUMNS, pk="url", not_null={"body", "content_hash"})
    else:
        missing = {k: v for k, v in ARTICLE_COLUMNS.items() if k not in articles.columns_dict}
        for name, kind in missing.items():
            articles.add_column(name, kind)
    _add_utc_columns(db)
    for cols in (["source"], ["language"], ["content_hash"], ["story_id"]):
        articles.create_index(cols, if_not_exists=True)
    for name in UNUSED_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {name}")
    fetches = db.table("fetches")
    if not fetches.exists():
        fetches.create(FETCH_COLUMNS, pk="id")
    for cols in (["url"], ["source", "at"], ["run_id"]):
        fetches.create_index(cols, if_not_exists=True)
    cache = db.table("http_cache")
    if not cache.exists():
        cache.create({"url": str, "etag": str, "last_modified": str, "checked_at": str},
                     pk="url")
    raw = db.table("raw_pages")
    if not raw.exists():
        raw.create({"url": str, "source": str, "final_url": str, "sha256": str,
                    "content_type": str, "date": str, "fetched_at": str}, pk="url")
    meta = db.table("newsharvest_meta")
    if not meta.exists():
        meta.create({"key": str, "value": str}, pk="key")
    meta.upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")
    ensure_views(db)
    ensure_story_tables(db)
    ensure_search(db, index_now=index_now)  # full-text index and its triggers


def _add_utc_columns(db: sqlite_utils.Database) -> None:
    """The generated UTC columns and the index of ``published_utc`` (a migration for
    older files)."""
    have = {row[1] for row in db.execute("PRAGMA table_xinfo(articles)")}
    for utc, source in UTC_COLUMNS.items():
        if utc not in have:
            db.execute(f"ALTER TABLE articles ADD COLUMN {utc} TEXT GENERATED ALWAYS AS "
                       f"(strftime('{UTC_FORMAT}', {source})) VIRTUAL")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_published_utc "
               "ON articles(published_utc)")
