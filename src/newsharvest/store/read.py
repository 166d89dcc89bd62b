"""The read side: filters, streaming export and per-source stats.

Every function takes an open ``sqlite_utils.Database`` or a path to an existing file and
returns plain rows (dicts or dataclasses); the CLI only formats them.

Dates: ``published`` is stored as ISO 8601 text with the page's own offset, so
``2025-10-14T05:30:00+08:00`` and ``2025-10-13T22:00:00+00:00`` do not sort as strings in
time order. Filters compare with ``julianday()`` (which applies the offset), behind a string
range one day wider than asked that lets SQLite use the ``published`` index first.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import sqlite_utils

from ..errors import NewsharvestError, StoreError
from . import typed
from .schema import ARTICLE_COLUMNS, ensure_schema

EXPORT_COLUMNS: tuple[str, ...] = tuple(ARTICLE_COLUMNS)
EXPORT_FORMATS = ("jsonl", "json", "csv", "parquet")
SUCCESS_STATUSES = ("new", "updated", "unchanged")
_LANGUAGE_NAMES = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}

# Views for people browsing the file (Datasette, sqlite3): plain SQL, no custom functions.
STORY_VIEWS = {
    "stories": """
        CREATE VIEW IF NOT EXISTS stories AS
        SELECT story_id, count(*) AS articles, count(DISTINCT source) AS sources,
               group_concat(DISTINCT source) AS source_names,
               min(published) AS first_published, max(published) AS last_published,
               min(title) AS a_title
        FROM articles WHERE story_id IS NOT NULL GROUP BY story_id""",
    "article_duplicates": """
        CREATE VIEW IF NOT EXISTS article_duplicates AS
        SELECT a.url, a.source, a.title, a.published, a.story_id,
               d.url AS duplicate_url, d.source AS duplicate_source,
               d.title AS duplicate_title, d.published AS duplicate_published
        FROM articles a JOIN articles d ON d.story_id = a.story_id AND d.url != a.url""",
}


@contextmanager
def open_database(db: sqlite_utils.Database | str | Path) -> Iterator[sqlite_utils.Database]:
    """Use an open database as is, or open (and afterwards close) the file at a path.

    A path must exist: reading never creates an empty database by mistake.
    """
    if isinstance(db, sqlite_utils.Database):
        yield db
        return
    if str(db) != ":memory:" and not Path(db).is_file():
        raise StoreError(f"{db}: no such database")
    database = None
    try:
        database = sqlite_utils.Database(str(db))
        ensure_schema(database)
    except sqlite3.OperationalError as exc:
        if database is not None:
            database.close()
        if "readonly" not in str(exc) and "read-only" not in str(exc):
            raise StoreError(f"{db}: cannot open database: {exc}") from exc
        database = _open_read_only(Path(db))
    except sqlite3.Error as exc:
        raise StoreError(f"{db}: cannot open database: {exc}") from exc
    try:
        yield database
    finally:
        database.close()


def _open_read_only(path: Path) -> sqlite_utils.Database:
    """A file this user may read but not write (a cron job's database, a copy on a
    read-only share): open it read-only and skip the schema upkeep, which writes."""
    from .search import register_functions  # search imports this module

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM articles LIMIT 1")
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open database read-only: {exc}") from exc
    database = sqlite_utils.Database(conn)
    register_functions(database)
    return database


def parse_when(value: str | date | datetime, *, end: bool = False) -> tuple[datetime, bool]:
    """A --since/--until value as an aware UTC datetime and whether the bound is inclusive.

    ``YYYY-MM-DD`` is a whole UTC day: as a start it means its midnight, as an `end` the
    next midnight (exclusive), so ``--until 2025-10-14`` includes that day. ISO datetimes
    keep their offset; without one they are UTC.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (date.fromisoformat(text) if len(text) == 10
                     else datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError as exc:
            raise NewsharvestError(
                f"bad date {text!r}: use YYYY-MM-DD or an ISO datetime") from exc
    if not isinstance(value, datetime):
        start = datetime(value.year, value.month, value.day, tzinfo=UTC)
        return (start + timedelta(days=1), False) if end else (start, True)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC), True


def _sql_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


@dataclass(frozen=True, slots=True)
class Filters:
    """Which articles: any of `languages` (``zh`` means every Chinese tag), any of
    `sources`, published in [since, until] (articles without a date are then left out)."""

    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: str | date | datetime | None = None
    until: str | date | datetime | None = None

    @classmethod
    def of(cls, lang: str | Sequence[str] | None = None,
           source: str | Sequence[str] | None = None,
           since: str | date | datetime | None = None,
           until: str | date | datetime | None = None) -> Filters:
        def many(value: str | Sequence[str] | None) -> tuple[str, ...]:
            if value is None:
                return ()
            return (value,) if isinstance(value, str) else tuple(value)

        return cls(many(lang), many(source), since, until)

    def where(self, alias: str = "a") -> tuple[str, list[Any]]:
        """A SQL condition on the articles table under `alias`, and its parameters."""
        col = f"{alias}." if alias else ""
        parts: list[str] = []
        params: list[Any] = []
        if self.languages:
            exact = [_LANGUAGE_NAMES.get(x.lower(), x) for x in self.languages]
            cond = [f"{col}language IN ({','.join('?' * len(exact))})"]
            params.extend(exact)
            for bare in {x.lower() for x in self.languages if "-" not in x}:
                cond.append(f"{col}language LIKE ?")  # zh -> zh-Hans, zh-Hant, zh-HK...
                params.append(f"{bare}-%")
            parts.append("(" + " OR ".join(cond) + ")")
        if self.sources:
            parts.append(f"{col}source IN ({','.join('?' * len(self.sources))})")
            params.extend(self.sources)
        if self.since is not None:
            moment, _ = parse_when(self.since)
            parts.append(f"{col}published >= ? AND julianday({col}published) >= julianday(?)")
            params += [(moment - timedelta(days=1)).date().isoformat(), _sql_time(moment)]
        if self.until is not None:
            moment, inclusive = parse_when(self.until, end=True)
            op = "<=" if inclusive else "<"
            parts.append(f"{col}published < ? AND julianday({col}published) {op} julianday(?)")
            params += [(moment + timedelta(days=2)).date().isoformat(), _sql_time(moment)]
        return (" AND ".join(parts) or "1"), params


def iter_articles(db: sqlite_utils.Database | str | Path, filters: Filters | None = None, *,
                  columns: Sequence[str] = EXPORT_COLUMNS) -> Iterator[dict[str, Any]]:
    """Stream matching articles as dicts (in storage order), one row in memory at a time."""
    unknown = [c for c in columns if c not in ARTICLE_COLUMNS]
    if unknown:
        raise NewsharvestError(f"unknown article column(s): {', '.join(unknown)}")
    where, params = (filters or Filters()).where("a")
    names = ", ".join(f"a.[{c}]" for c in columns)
    with open_database(db) as conn:
        try:
            cursor = conn.execute(
                f"SELECT {names} FROM articles a WHERE {where} ORDER BY a.rowid", params)
        except sqlite3.Error as exc:
            raise StoreError(f"reading articles failed: {exc}") from exc
        for row in cursor:
            yield dict(zip(columns, row, strict=True))


def write_rows(rows: Iterable[dict[str, Any]], out: IO[str], fmt: str,
               columns: Sequence[str] | None = None) -> int:
    """Write rows to a text stream as jsonl, json (one array) or csv, streaming.

    `columns` gives the csv header when there may be no rows. Returns the row count.
    """
    count = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "json":
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
    elif fmt == "csv":
        writer = None
        if columns is not None:
            writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
            writer.writeheader()
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
                writer.writeheader()
            writer.writerow(row)
            count += 1
    else:
        raise NewsharvestError(f"unknown text format {fmt!r}")
    return count


def export_articles(db: sqlite_utils.Database | str | Path, out: IO[Any] | str | Path,
                    fmt: str = "jsonl", filters: Filters | None = None, *,
                    columns: Sequence[str] = EXPORT_COLUMNS, batch_size: int = 5000,
                    on_row: Callable[[], None] | None = None) -> int:
    """Export matching articles, streaming: jsonl/json/csv to a text stream or path,
    parquet (needs the ``parquet`` extra, pyarrow) to a binary stream or path. JSON and
    Parquet get typed values (lists, UTC timestamps: see store/typed.py).

    Returns the number of rows written.
    """
    if fmt not in EXPORT_FORMATS:
        raise NewsharvestError(f"unknown export format {fmt!r} (use {', '.join(EXPORT_FORMATS)})")
    rows = iter_articles(db, filters, columns=columns)
    if on_row is not None:
        rows = _counted(rows, on_row)
    if fmt == "parquet":
        return _write_parquet(typed.with_times(typed.with_lists(rows)), out, columns,
                              batch_size)
    if fmt in ("json", "jsonl"):
        rows = typed.with_lists(rows)
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            return write_rows(rows, handle, fmt, columns)
    return write_rows(rows, out, fmt, columns)


def _counted(rows: Iterator[dict[str, Any]],
             on_row: Callable[[], None]) -> Iterator[dict[str, Any]]:
    for row in rows:
        on_row()
        yield row


def _write_parquet(rows: Iterator[dict[str, Any]], out: IO[bytes] | str | Path,
                   columns: Sequence[str], batch_size: int) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise NewsharvestError(
            "parquet export needs pyarrow: pip install 'newsharvest[parquet]'") from exc
    schema = typed.export_schema(columns)
    count = 0
    sink = str(out) if isinstance(out, Path) else out
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or not count:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


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
