"""Articles out: streaming iteration and export as jsonl, json, csv or Parquet."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import sqlite_utils

from ..errors import NewsharvestError, StoreError
from . import typed
from .database import open_database
from .filters import Filters
from .schema import READ_COLUMNS

EXPORT_COLUMNS: tuple[str, ...] = tuple(READ_COLUMNS)
EXPORT_FORMATS = ("jsonl", "json", "csv", "parquet")


def iter_articles(db: sqlite_utils.Database | str | Path, filters: Filters | None = None, *,
                  columns: Sequence[str] = EXPORT_COLUMNS) -> Iterator[dict[str, Any]]:
    """Stream matching articles as dicts (in storage order), one row in memory at a time."""
    unknown = [c for c in columns if c not in READ_COLUMNS]
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
    parquet (needs the ``parquet`` extra, pyarrow) to a binary stream or path.

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
