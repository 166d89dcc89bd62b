"""Opening a newsharvest file for reading: an open database as is, a path opened with its
schema kept current, or read-only when this user may not write the file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from ..errors import StoreError
from .fts import register_functions
from .schema import UTC_COLUMNS, UTC_FORMAT, ensure_schema


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
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM articles LIMIT 1")
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open database read-only: {exc}") from exc
    database = sqlite_utils.Database(conn)
    register_functions(database)
    _utc_view(conn)
    return database


def _utc_view(conn: sqlite3.Connection) -> None:
    """A file made before the UTC columns, which read-only we cannot migrate: a TEMP view
    named ``articles`` (searched before the file's own table) adds them, so filters and
    queries that use them work on it too."""
    have = {row[1] for row in conn.execute("PRAGMA main.table_xinfo(articles)")}
    missing = [utc for utc in UTC_COLUMNS if utc not in have]
    if not missing:
        return
    added = ", ".join(f"strftime('{UTC_FORMAT}', {UTC_COLUMNS[utc]}) AS {utc}" for utc in missing)
    conn.execute(f"CREATE TEMP VIEW articles AS SELECT rowid AS rowid, *, {added} "
                 "FROM main.articles")
