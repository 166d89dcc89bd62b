"""Tables, indexes and pragmas of the SQLite file.

Plain column types, ISO 8601 text dates and ordinary indexes, so the file is as useful in
Datasette, the sqlite3 shell or pandas as through newsharvest itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from .fts import ensure_search
from .views import ensure_views

SCHEMA_VERSION = 1

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

    kinds = {str: pa.string(), int: pa.int64(), float: pa.float64()}
    names = list(columns) if columns is not None else list(ARTICLE_COLUMNS)
    return pa.schema([pa.field(n, kinds[ARTICLE_COLUMNS[n]]) for n in names]
                     + [pa.field(n, kinds[kind]) for n, kind in extra])


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create what is missing; safe to call on every open."""
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
    for cols in (["source"], ["published"], ["language"], ["content_hash"], ["story_id"]):
        articles.create_index(cols, if_not_exists=True)
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
    ensure_search(db)  # full-text index and its triggers
