"""Merge Parquet parts (from `newsharvest ingest`, any engine) and the SQLite files of
sharded harvests (`harvest --shard I/N`) into one SQLite store.

Rows go through `Store.save_many`, so the same dedupe rules as for harvested pages
apply: one row per canonical URL (the most recently fetched copy wins, whatever order
the parts are loaded in), exact copies and near copies joined under one `story_id`. A
batch of pages none of which is stored yet (most of a load) is decided in memory and
written with one statement per table (store/bulk.py), with the same result.
Pages are committed in batches, and the full-text index is brought up to date once at the
end instead of row by row (the difference is large: see bench/search_bench.py): rebuilt
when the load wrote a large share of the file, else updated with just the loaded rows, so a
small part loaded into a large file costs in proportion to the part.
Loading the same parts twice changes nothing. Parts made by `ingest` carry each body's
story sketch (made by normalize in the extraction workers), so linking here only compares;
rows without one (older parts, shard databases) are sketched here.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..location import Location, is_url
from ..lock import RunLock
from ..records import Article, OutcomeStatus, PageOutcome
from .canonical import ROW_VALUES as _ROW_VALUES
from .canonical import canonical
from .fts import paused_search_index
from .schema import ARTICLE_COLUMNS
from .sidebuild import SideBuild
from .writer import Store

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
# Rows per transaction (and per Arrow batch read: memory stays flat). Each commit writes
# every index page the batch touched, and as the file grows a batch's scattered keys touch
# a page per row: on a 100,000-row load 5,000 rows per batch ran 1.2-1.3x faster than
# 1,000 (bench/store_bench.py --rows 100000), for about 100 MB more peak memory.
BATCH_ROWS = 5000
# synchronous stays the store's NORMAL (schema.py): with WAL it skips the fsync of each
# commit, and unlike OFF a power cut cannot corrupt a file that may hold harvested articles.
BULK_PRAGMAS = {"cache_size": -65536}  # 64 MiB of cache


def load_parts(parts: Sequence[str | Path], db_path: str | Path, *,
               on_part: Callable[[str | Path, Counter[str]], None] | None = None
               ) -> Counter[str]:
    """Load every part into `db_path`; returns counts of new/updated/unchanged/older rows.

    A part that cannot be read is counted as "bad_parts" and logged; the others load.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError("loading parts needs pyarrow: pip install 'newsharvest[ingest]'"
                          ) from exc
    paths = [str(p) if is_url(p) else Path(p) for p in parts]
    for path in paths:
        if isinstance(path, str):
            continue  # a remote part: read errors are reported per part below
        if not path.is_file():
            raise ConfigError("part not found", path=str(path))
        if Path(db_path).exists() and path.resolve() == Path(db_path).resolve():
            raise ConfigError("is the database being loaded into", path=str(path))
    run_id = datetime.now(UTC).strftime("load-%Y%m%dT%H%M%SZ")
    totals: Counter[str] = Counter()
    with RunLock(db_path), Store(db_path) as store, _side_build(store, paths, pq) as side, \
            _bulk_pragmas(store.db.conn), paused_search_index(store.db, side):
        for path in paths:
            counts: Counter[str] = Counter()
            try:
                for rows in _batches(path, pq):
                    _load_rows(store, rows, run_id, counts)
            except (OSError, ValueError, sqlite3.Error) as exc:  # pyarrow's derive from these
                # (A StoreError, writing the target, is none of these: the load stops.)
                counts["bad_parts"] += 1
                log.warning("%s: cannot read part: %s", path, exc)
            totals.update(counts)
            if on_part is not None:
                on_part(path, counts)
    return totals


@contextmanager
def _side_build(store: Store, paths: Sequence[str | Path], pq: Any
                ) -> Iterator[SideBuild | None]:
    """A helper building the search index on another core (store/sidebuild.py), for a
    load that will rebuild it: the parts hold at least as many rows as the file."""
    stored = store.db.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0
    expected = sum(_rows_in(path, pq) for path in paths)
    side = SideBuild.start(store.db.conn, store.path, expected) if expected >= stored else None
    try:
        yield side
    finally:
        if side is not None:
            side.close()


def _rows_in(path: str | Path, pq: Any) -> int:
    """Rows of a local part or SQLite file, from its metadata (0: unknown, remote)."""
    if isinstance(path, str):
        return 0
    try:
        with path.open("rb") as f:
            if f.read(16) != SQLITE_MAGIC:
                return int(pq.ParquetFile(path).metadata.num_rows)
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0)
        finally:
            conn.close()
    except (OSError, ValueError, sqlite3.Error):  # reported when the part is read
        return 0


@contextmanager
def _bulk_pragmas(conn: sqlite3.Connection) -> Iterator[None]:
    """Settings of this connection only, for the load, put back afterwards: a page cache
    that holds the indexes being filled."""
    saved = {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in BULK_PRAGMAS}
    for name, value in BULK_PRAGMAS.items():
        conn.execute(f"PRAGMA {name}={value}")
    try:
        yield
    finally:
        for name, value in saved.items():
            conn.execute(f"PRAGMA {name}={value}")


def _batches(path: str | Path, pq: Any) -> Iterator[list[dict[str, Any]]]:
    """Rows of a Parquet part (a path or an fsspec URL), or of the articles table of a
    newsharvest SQLite file (a path)."""
    where = Location(path)
    with where.open("rb") as f:
        if f.read(16) != SQLITE_MAGIC:
            f.seek(0)
            parquet = f if where.fs is not None else where.path  # Arrow reads local files
            for batch in pq.ParquetFile(parquet).iter_batches(batch_size=BATCH_ROWS):
                # Column by column, then rows: half the time of Arrow's own to_pylist.
                columns = batch.to_pydict()
                names = list(columns)
                yield [dict(zip(names, values, strict=True))
                       for values in zip(*columns.values(), strict=True)]
            return
    if where.fs is not None:
        raise ValueError(f"{path}: a SQLite file to load must be on the local disk")
    conn = sqlite3.connect(f"{Path(where.path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        cursor = conn.execute("SELECT * FROM articles ORDER BY rowid")
        names = [d[0] for d in cursor.description]
        while rows := cursor.fetchmany(BATCH_ROWS):
            yield [dict(zip(names, row, strict=True)) for row in rows]
    finally:
        conn.close()


def _load_rows(store: Store, rows: Sequence[dict[str, Any]], run_id: str,
               counts: Counter[str]) -> None:
    now = datetime.now(UTC)
    items = []
    values: list[tuple[object, ...] | None] = []
    whole = bool(rows) and rows[0].keys() >= ARTICLE_COLUMNS.keys()
    for row in rows:
        # A part made by ingest carries normalize's sketch of each body (``story_sketch``,
        # checked against the text and version by sketch.unpack): linking uses it as is.
        article = Article.from_row(row)
        outcome = PageOutcome(url=row.get("requested_url") or article.url,
                              source=article.source or "", status=OutcomeStatus.NEW, at=now,
                              http_status=200)
        items.append((article, outcome))
        values.append(_ROW_VALUES(row) if whole and canonical(row, article) else None)
    counts.update(store.save_many(items, run_id, newer_only=True, values=values))
