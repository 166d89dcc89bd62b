"""Build a large load's search index on the other core, while the load writes its rows.

`load` rebuilds the full-text index at the end when it wrote most of the file
(fts.paused_search_index). That fill is serial work after the rows: preparing the text
and FTS5's own insert were about 40% of a 20,000-row load (bench/store_bench.py). Both
are independent of dedupe and story linking, so a helper process does them meanwhile:

* the helper (``python -m newsharvest.store.sideworker DB SIDE SPEC``) reads the committed
  article rows of DB through its own read-only connection, in rowid order as the load
  commits them (WAL lets it read while the load writes), and indexes them into an FTS5
  table of the same definition and settings in a scratch file SIDE, exactly as
  ``fts._fill`` would (same rows, same order, same configuration, then 'optimize');
* when the load has committed its last row, it tells the helper (a line on its stdin),
  which indexes what is left and answers with how many rows it indexed and the last
  rowid (a line on its stdout);
* in one transaction, on a connection of its own, the index of DB is replaced by the
  helper's (FTS5's shadow tables copied as they are) and the queue emptied, provided the
  helper indexed exactly the rows DB holds: the same count and last rowid, no row's title
  or body changed nor any row deleted by the load since the helper started (TEMP
  triggers on the load's connection count them) and nothing committed by another
  connection (``PRAGMA data_version``). Otherwise nothing is swapped and the caller
  rebuilds the index itself, as before: a part with a newer text of a loaded URL, a
  helper that failed or could not start, a machine with one core.

The swap runs on its own connection because FTS5 keeps the structure of an index in
memory per connection: on the connection that recreated the table, a copy made in the
same transaction was not seen (searches found nothing). Another connection's schema
change makes every other connection re-open the table.

Nothing of the database's own safety changes: until the swap commits, every loaded row
waits in the index queue (fts.py), so a load killed at any moment, helper and all, leaves
a queue that the next open indexes. The helper stops when its stdin closes (the load
ended or died) and deletes its scratch file; a folder left by a load killed together with
its helper is deleted by the next helper's start (`sweep`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

from ..cpus import available_cpus
from .fts import (
    BULK_CONFIG,
    CREATE_INDEX,
    FILL_ROWS,
    QUEUE,
    SEARCH_TABLE,
    STEADY_CONFIG,
)
from .sideworker import DONE

log = logging.getLogger(__name__)

PREFIX = "newsharvest-search-"  # scratch folders: PREFIX + the load's process id + "-..."
MIN_ROWS = 10_000  # smaller loads rebuild on their own: the helper costs a new Python (0.1 s)
CHANGES = "newsharvest_side_changes"  # TEMP: rows changed on the load's connection
WATCH = (f"CREATE TEMP TABLE IF NOT EXISTS {CHANGES} (article INTEGER)",
         f"CREATE TEMP TRIGGER IF NOT EXISTS {CHANGES}_au AFTER UPDATE OF title, body "
         "ON main.articles WHEN old.title IS NOT new.title OR old.body IS NOT new.body "
         f"BEGIN INSERT INTO {CHANGES} VALUES (old.rowid); END",
         f"CREATE TEMP TRIGGER IF NOT EXISTS {CHANGES}_ad AFTER DELETE ON main.articles "
         f"BEGIN INSERT INTO {CHANGES} VALUES (old.rowid); END")
SHADOW_TABLES = tuple(f"{SEARCH_TABLE}_{suffix}" for suffix in ("data", "idx", "docsize",
                                                                  "config"))
# What the helper needs of fts.py, passed on its command line: it imports no more than
# ngrams.py (sqlite-utils alone took 0.35 s to import, a pandas it does not use included).
SPEC = {"table": SEARCH_TABLE, "create": CREATE_INDEX, "bulk": BULK_CONFIG,
        "steady": STEADY_CONFIG, "rows": FILL_ROWS}


class SideBuild:
    """The helper process of one load, and its scratch file."""

    def __init__(self, db: sqlite3.Connection, db_path: Path) -> None:
        for sql in WATCH:
            db.execute(sql)
        self.db = db
        self.db_path = db_path
        self.version = db.execute("PRAGMA data_version").fetchone()[0]
        sweep()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        self.side = self.folder / "index.db"
        package_root = str(Path(__file__).resolve().parents[2])  # holds newsharvest/
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ,
               "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", f"{__package__}.sideworker", str(db_path),
                 str(self.side), json.dumps(SPEC)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
        except OSError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    @classmethod
    def start(cls, db: sqlite3.Connection, db_path: str | Path, rows: int
              ) -> SideBuild | None:
        """A helper for a load on `db` (the connection that will write, to `db_path`)
        expected to write `rows` rows, when it is worth one (enough rows, a second core, a
        file on disk); None otherwise."""
        if rows < MIN_ROWS or available_cpus() < 2 or str(db_path) == ":memory:":
            return None
        try:
            return cls(db, Path(db_path))
        except OSError as exc:
            log.warning("search index helper did not start: %s", exc)
            return None

    def finish(self) -> tuple[int, int] | None:
        """Tell the helper every row is written; (rows indexed, last rowid) once it has
        indexed them, or None when it failed."""
        try:
            answer, _ = self.process.communicate(DONE + "\n")
        except OSError:  # it is gone
            answer = ""
        try:
            if self.process.returncode != 0:
                raise ValueError(answer)
            result = json.loads(answer)
            return int(result["rows"]), int(result["last"])
        except (ValueError, TypeError, KeyError):
            log.warning("search index helper failed (exit %s): rebuilding the index here",
                        self.process.returncode)
            return None

    def swap_into(self) -> bool:
        """Replace the index of the load's file by the helper's, in one transaction, when the
        helper indexed exactly the file's rows (see the module's docstring); False, with
        nothing changed, otherwise. Call with no transaction open on the load's
        connection."""
        built = self.finish()
        if built is None:
            return False
        conn = sqlite3.connect(self.db_path, isolation_level=None, timeout=60)
        try:
            conn.execute("ATTACH DATABASE ? AS side", [str(self.side)])
            conn.execute("BEGIN IMMEDIATE")  # from here on no other connection writes
            rows, last = conn.execute("SELECT count(*), max(rowid) FROM articles").fetchone()
            changed = (self.db.execute(f"SELECT 1 FROM temp.{CHANGES} LIMIT 1").fetchone()
                       or self.db.execute("PRAGMA data_version").fetchone()[0] != self.version)
            if (rows, last or 0) != built or changed:
                conn.execute("ROLLBACK")
                log.info("rows changed during the load: rebuilding the search index here")
                return False
            conn.execute(f"DROP TABLE {SEARCH_TABLE}")
            conn.execute(CREATE_INDEX)
            for table in SHADOW_TABLES:
                conn.execute(f"DELETE FROM main.{table}")
                conn.execute(f"INSERT INTO main.{table} SELECT * FROM side.{table}")
            conn.execute(f"DELETE FROM {QUEUE}")
            conn.execute("COMMIT")
            return True
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            log.warning("search index helper's index not taken (%s): rebuilding here", exc)
            return False
        finally:
            conn.close()

    def close(self) -> None:
        """Stop the helper if it still runs, and delete its scratch file and the TEMP
        triggers."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.folder, ignore_errors=True)
        # Tidiness only (TEMP objects end with the connection): a connection broken by the
        # error being raised must not hide it.
        with suppress(sqlite3.Error):
            for name in ("au", "ad"):
                self.db.execute(f"DROP TRIGGER IF EXISTS temp.{CHANGES}_{name}")
            self.db.execute(f"DROP TABLE IF EXISTS temp.{CHANGES}")


def sweep() -> None:
    """Delete the scratch folders of loads that died with their helper (a kill of both,
    a power cut): each is named after its load's process id, and only those whose process
    is gone are deleted. POSIX only (elsewhere os.kill cannot merely ask)."""
    if os.name != "posix":
        return
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*-*"):
        pid = folder.name[len(PREFIX):].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # alive, another user's
            continue
