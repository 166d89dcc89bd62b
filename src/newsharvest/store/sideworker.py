"""The helper process of store/sidebuild.py: index a database's rows, as a load commits
them, into an FTS5 table in a scratch file.

Run as ``python -m newsharvest.store.sideworker DB SIDE SPEC`` (SPEC: the index's
definition and settings, JSON, from sidebuild.SPEC). It reads DB's committed article rows
in rowid order through a read-only connection and indexes them exactly as fts._fill does
(same rows, same order, same settings, then 'optimize'). When a line "done" arrives on
stdin it indexes what is left and prints how many rows it indexed and the last rowid; when
stdin closes without it (the load ended or died), it stops and deletes SIDE's folder.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any

from .ngrams import prepare_text

DONE = "done"
IDLE_SECONDS = 0.05  # wait between looks for new rows when it has caught up


def build(db_path: str, side_path: str, spec: dict[str, Any]) -> int:
    """Index DB's rows into SIDE as they are committed (see the module docstring)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the load decides: stdin says when to stop
    done = threading.Event()
    gone = threading.Event()

    def watch() -> None:
        for line in sys.stdin:
            if line.strip() == DONE:
                done.set()
                return
        gone.set()  # stdin closed without "done": the load ended or died

    threading.Thread(target=watch, daemon=True).start()
    table = spec["table"]
    source = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    side = sqlite3.connect(side_path, isolation_level=None)
    try:
        side.execute("PRAGMA journal_mode=OFF")  # a scratch file: the load has the queue
        side.execute("PRAGMA synchronous=OFF")
        side.execute(spec["create"])
        set_config(side, table, spec["bulk"])
        side.execute("BEGIN")
        insert = f"INSERT INTO {table}(rowid, title, body) VALUES (?, ?, ?)"
        last, count = 0, 0
        while True:
            finishing = done.is_set()  # set before this read: it sees the last commit
            rows = source.execute("SELECT rowid, title, body FROM articles WHERE rowid > ? "
                                  "ORDER BY rowid LIMIT ?", [last, spec["rows"]]).fetchall()
            if rows:
                side.executemany(insert, [(rowid, prepare_text(title), prepare_text(body))
                                          for rowid, title, body in rows])
                last, count = rows[-1][0], count + len(rows)
            elif finishing:
                break
            elif gone.is_set():
                return 1
            else:
                done.wait(IDLE_SECONDS)
        side.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        set_config(side, table, spec["steady"])
        side.execute("COMMIT")
    finally:
        source.close()
        side.close()
        if not done.is_set():
            shutil.rmtree(Path(side_path).parent, ignore_errors=True)
    print(json.dumps({"rows": count, "last": last}), flush=True)
    return 0


def set_config(conn: sqlite3.Connection, table: str, config: dict[str, int]) -> bool:
    """Set FTS5 options of the index `table`: all of them, or none and False when this
    SQLite does not know one (``hashsize`` is recent). On a plain connection, inside a
    transaction or not (a savepoint): fts.py uses it too, this module cannot import fts.py
    (sqlite-utils)."""
    conn.execute("SAVEPOINT newsharvest_config")
    try:
        for key, value in config.items():
            conn.execute(f"INSERT INTO {table}({table}, rank) VALUES (?, ?)", [key, value])
    except sqlite3.OperationalError:
        conn.execute("ROLLBACK TO newsharvest_config")
        return False
    finally:
        conn.execute("RELEASE newsharvest_config")
    return True


if __name__ == "__main__":
    sys.exit(build(sys.argv[1], sys.argv[2], json.loads(sys.argv[3])))
