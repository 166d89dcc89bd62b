"""sideworker.set_config: FTS5 options all set, or none when one is unknown (the path an
SQLite without ``hashsize`` takes), inside a transaction or not."""

from __future__ import annotations

import sqlite3

import pytest

from newsharvest.store.sideworker import set_config


def options(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT k, v FROM t_config WHERE k != 'version'").fetchall())


@pytest.mark.parametrize("in_transaction", [False, True])
def test_all_options_or_none(in_transaction):
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    if in_transaction:
        conn.execute("BEGIN")
    assert set_config(conn, "t", {"automerge": 2, "crisismerge": 20})
    assert not set_config(conn, "t", {"automerge": 7, "no-such-option": 1})
    assert options(conn) == {"automerge": 2, "crisismerge": 20}
    assert conn.in_transaction == in_transaction  # its savepoint is released either way
    if in_transaction:
        conn.execute("COMMIT")
    assert options(conn) == {"automerge": 2, "crisismerge": 20}
