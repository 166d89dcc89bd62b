"""Exported rows with their real types, for tools that read JSON and Parquet.

The store keeps SQLite-friendly text: ISO 8601 dates with the page's own offset, and
`authors`/`credits` as newline-separated text. Exports to formats that have richer types
give them: in JSON and JSON lines those two are lists (as in `extract --format json`); in
Parquet they are lists of strings and the three dates are UTC timestamp columns, so DuckDB,
pandas or Spark filter and sort them as times. CSV keeps the stored text (a cell holds no
list).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC
from typing import Any

from ..records import parse_iso
from .schema import arrow_schema

LIST_COLUMNS = ("authors", "credits")
TIME_COLUMNS = ("published", "modified", "fetched_at")


def with_lists(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each row with `authors` and `credits` as lists (empty when none)."""
    for row in rows:
        for name in LIST_COLUMNS:
            if name in row:
                row[name] = row[name].split("\n") if row[name] else []
        yield row


def with_times(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each row with its dates as aware UTC datetimes (None when absent or unreadable)."""
    for row in rows:
        for name in TIME_COLUMNS:
            if name in row:
                moment = parse_iso(row[name])
                row[name] = moment.astimezone(UTC) if moment and moment.tzinfo else moment
        yield row


def export_schema(columns: Sequence[str]) -> Any:
    """The Arrow schema of a Parquet export: the store's, with typed dates and lists."""
    import pyarrow as pa

    schema = arrow_schema(columns)
    for name in TIME_COLUMNS + LIST_COLUMNS:
        index = schema.get_field_index(name)
        if index != -1:
            kind = (pa.timestamp("us", tz="UTC") if name in TIME_COLUMNS
                    else pa.list_(pa.string()))
            schema = schema.set(index, pa.field(name, kind))
    return schema
