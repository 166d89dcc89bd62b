"""The full-text index over articles, in the same SQLite file: an FTS5 table over text
with each Han character a token, its sync triggers and rebuilds (queries: store/search.py).

Why not the trigram tokenizer: trigram never matches a term shorter than 3 characters, and
most Chinese words (算力, 芯片, 台湾) and many English ones (AI, US, EU) are 2. On SQLite 3.40
``LIKE`` against a trigram table silently finds nothing for them either, so a second path is
needed anyway; and trigram gives English substring semantics ("art" finds "start").

The index here is of our own design and needs only the built-in ``unicode61`` tokenizer:
before indexing, ``prepare_text`` (store/ngrams.py) writes every Han/kana character as a
token of its own and marks the last one of each run (``人工智能`` -> ``人 工 智 能ʼ``); Latin
text is left as words. So

* a Chinese query is a phrase of its characters whose last one is a prefix (``算力`` ->
  ``"算 力"*``, matching ``力`` and the run-final ``力ʼ``); the mark stops a phrase from
  running across punctuation (``算。力`` holds ``算ʼ``, not ``算``): every Chinese substring
  is found, none missed;
* English (and any Latin-script word) is matched as a word, case- and accent-insensitive;
* a mixed query ``OpenAI 算力`` is an AND of terms, ranked by bm25 (title weighted 3x).

Single characters rather than overlapping bigrams (search versions 1 and 2): the same
matches and the same bm25 scores (a run of n characters is n tokens either way, and a
phrase's hits are the same places), but FTS5's cost of indexing grows with the distinct
terms of each row, and bigrams are nearly all distinct: on bench/store_bench.py's articles
the FTS5 insert of Chinese rows ran 4.2x faster and the index is half the size. The price
is at query time: a bigram was one doclist to read, a phrase intersects one per character,
so a term made of very common characters is slower to rank (bench/search_bench.py).

Sync: the table is contentless (``content=''``: the prepared text is not stored), keyed by
``articles.rowid``. Preparing text needs Python (the SQL function ``newsharvest_ngrams``),
which the sqlite3 shell or Datasette do not have, so the persistent triggers on
``articles`` are plain SQL: each insert/update/delete queues the row in
``articles_search_queue`` with the values the index holds. Connections newsharvest opens
(``ensure_search``) have the function and, unless opened with ``index_now=False``, a TEMP
trigger on that queue that indexes the change at once, inside the writer's transaction.
The harvester's `Store` indexes its queue in batches instead (store/writer.py: one page
at a time cost more than the rest of saving it). A change made by another tool waits in
the queue until the next open or search (``sync_search_index``). Reading needs nothing
special (the sqlite3 shell: ``MATCH '"算 力"*'``). ``rebuild_search_index`` rebuilds from
scratch; ``paused_search_index`` defers indexing for a bulk load (store/load.py). Snippets
are cut from the original body in Python (FTS5's ``snippet()`` would show the index's
tokens).

A file whose index is of another SEARCH_VERSION is rebuilt when opened for writing; one
this user may only read is searched with the phrases of its own version (`index_version`).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlite_utils

from .ngrams import prepare_text
from .sideworker import set_config

if TYPE_CHECKING:
    from .sidebuild import SideBuild

log = logging.getLogger(__name__)

SEARCH_TABLE = "articles_search"
SEARCH_VERSION = "3"  # bump when prepare_text changes: the index is rebuilt on next open
# 1, 2: Han runs as overlapping bigrams; 3: single characters, run ends marked
NGRAM_FUNCTION = "newsharvest_ngrams"
# A bulk load that queued at least this share of the file's rows rebuilds the index instead
# of updating it (paused_search_index).
REBUILD_SHARE = 0.5
_PAUSED: set[int] = set()  # connections (id) inside paused_search_index

QUEUE = f"{SEARCH_TABLE}_queue"
# Persistent triggers are plain SQL, so any tool can write to `articles`: each change queues
# the row with the values the index holds for it (the first change since the last sync
# wins: INSERT OR IGNORE). On newsharvest's connections a TEMP trigger on the queue indexes
# the row at once and unqueues it; rows queued by other tools are indexed on the next open
# or search (`sync_search_index`).
TRIGGERS = {
    f"{SEARCH_TABLE}_ai": f"""
        CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_ai AFTER INSERT ON articles BEGIN
          INSERT OR IGNORE INTO {QUEUE}(id, indexed) VALUES (new.rowid, 0);
        END""",
    f"{SEARCH_TABLE}_ad": f"""
        CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_ad AFTER DELETE ON articles BEGIN
          INSERT OR IGNORE INTO {QUEUE} VALUES (old.rowid, 1, old.title, old.body);
        END""",
    f"{SEARCH_TABLE}_au": f"""
        CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_au AFTER UPDATE OF title, body ON articles
        BEGIN
          INSERT OR IGNORE INTO {QUEUE} VALUES (old.rowid, 1, old.title, old.body);
          INSERT OR IGNORE INTO {QUEUE}(id, indexed) SELECT new.rowid, 0
          WHERE new.rowid != old.rowid;
        END""",
}
SYNC_TRIGGER = f"""
    CREATE TEMP TRIGGER IF NOT EXISTS {SEARCH_TABLE}_sync AFTER INSERT ON main.{QUEUE} BEGIN
      INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, title, body)
      SELECT 'delete', new.id, {NGRAM_FUNCTION}(new.title), {NGRAM_FUNCTION}(new.body)
      WHERE new.indexed;
      INSERT INTO {SEARCH_TABLE}(rowid, title, body)
      SELECT rowid, {NGRAM_FUNCTION}(title), {NGRAM_FUNCTION}(body) FROM articles
      WHERE rowid = new.id;
      DELETE FROM {QUEUE} WHERE id = new.id;
    END"""


def register_functions(db: sqlite_utils.Database) -> None:
    """Make ``newsharvest_ngrams`` callable on this connection (triggers need it)."""
    db.conn.create_function(NGRAM_FUNCTION, 1, prepare_text, deterministic=True)


def ensure_search(db: sqlite_utils.Database, *, index_now: bool = True) -> None:
    """Create the index, its queue, triggers and the views if missing, and index rows other
    tools queued; cheap enough for every open (two small queries when all is in place).

    Also prepares this connection: the SQL function and the TEMP trigger that indexes each
    queued change at once. A new index on a table that already has rows (an older file, or
    a changed SEARCH_VERSION) is filled here.
    """
    register_functions(db)
    # Without it `INSERT OR REPLACE` deletes the old row without firing the delete trigger.
    db.execute("PRAGMA recursive_triggers=ON")
    names = {r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'view')")}
    version = index_version(db) if "newsharvest_meta" in names else None
    if not ({SEARCH_TABLE, QUEUE, *TRIGGERS} <= names and version == SEARCH_VERSION):
        with db.atomic():
            # Missing triggers (a tool dropped them): rows written meanwhile were never
            # queued, so rebuild.
            rebuild = (version != SEARCH_VERSION or SEARCH_TABLE not in names
                       or not set(TRIGGERS) <= names)
            if rebuild:
                _drop_index(db)
            _create_index(db)
            db.execute("INSERT INTO newsharvest_meta(key, value) VALUES ('search_version', ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       [SEARCH_VERSION])
            if rebuild and db.execute("SELECT 1 FROM articles LIMIT 1").fetchone():
                log.info("building the search index for existing articles")
                _fill(db)
    config = dict(db.execute(f"SELECT k, v FROM {SEARCH_TABLE}_config").fetchall())
    if any(config.get(k) != v for k, v in STEADY_CONFIG.items()):
        _set_config(db, STEADY_CONFIG)  # a new index, or one made before STEADY_CONFIG
    if index_now:
        db.execute(SYNC_TRIGGER)
    sync_search_index(db)


def index_version(db: sqlite_utils.Database | sqlite3.Connection) -> str | None:
    """The SEARCH_VERSION the file's index was built with (None: unknown)."""
    try:
        row = db.execute("SELECT value FROM newsharvest_meta WHERE key = 'search_version'"
                         ).fetchone()
    except sqlite3.OperationalError:  # no meta table
        return None
    return str(row[0]) if row else None


def sync_search_index(db: sqlite_utils.Database) -> int:
    """Index the queued changes: other tools' and, on the `Store`'s connection, its own.

    Returns how many queued rows were handled (none on a connection inside
    `paused_search_index`: a bulk load indexes its queue once, at the end).
    """
    if id(db.conn) in _PAUSED or not db.execute(f"SELECT 1 FROM {QUEUE} LIMIT 1").fetchone():
        return 0
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [SEARCH_TABLE]).fetchone():
        return 0  # no index to update: the next open builds it from the articles
    register_functions(db)
    with db.atomic():
        db.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, title, body) "
                   f"SELECT 'delete', id, {NGRAM_FUNCTION}(title), {NGRAM_FUNCTION}(body) "
                   f"FROM {QUEUE} WHERE indexed")
        _insert_prepared(db, db.conn.execute(
            f"SELECT a.rowid, a.title, a.body FROM articles a JOIN {QUEUE} q "
            "ON a.rowid = q.id ORDER BY a.rowid"))
        return db.execute(f"DELETE FROM {QUEUE}").rowcount


CREATE_INDEX = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
                "title, body, content='', tokenize='unicode61 remove_diacritics 2')")


def _create_index(db: sqlite_utils.Database) -> None:
    db.execute(CREATE_INDEX)
    db.execute(f"CREATE TABLE IF NOT EXISTS {QUEUE} (id INTEGER PRIMARY KEY, "
               "indexed INTEGER NOT NULL, title TEXT, body TEXT)")
    for sql in TRIGGERS.values():
        db.execute(sql)


def _drop_index(db: sqlite_utils.Database) -> None:
    for name in TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute(f"DROP TABLE IF EXISTS {QUEUE}")  # its TEMP trigger goes with it
    db.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")


def _fill(db: sqlite_utils.Database) -> int:
    """Index every article into the (empty) index, as one bulk insert.

    FTS5's defaults suit row-by-row upkeep: it writes a segment per 1 MB of pending terms
    and merges segments as it goes (automerge). For a fill both are wasted work, since the
    'optimize' at the end merges everything into one segment anyway: with no incremental
    merging and a larger in-memory hash the fill ran 1.5x faster (bench/store_bench.py;
    64 MB rather than 16 MB: 1.25x more on the character index, whose few distinct terms
    have long doclists).
    The settings are stored in the index's config table, so they are put back afterwards.
    The index's content, and so every search result, is the same either way.
    """
    bulk = _set_config(db, BULK_CONFIG)
    try:
        count = _insert_prepared(db, db.conn.execute(
            "SELECT rowid, title, body FROM articles ORDER BY rowid"))
        db.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')")
    finally:
        if bulk:
            _set_config(db, STEADY_CONFIG)
    return count


FILL_ROWS = 2000  # articles prepared and inserted at a time


def _insert_prepared(db: sqlite_utils.Database, rows: sqlite3.Cursor) -> int:
    """Index (rowid, title, body) rows; returns how many.

    Prepared here and inserted with executemany rather than by INSERT ... SELECT through
    the SQL function: the same text, a fifth less time (the function's per-call round
    trip); FILL_ROWS at a time, so memory stays flat.
    """
    count = 0
    insert = f"INSERT INTO {SEARCH_TABLE}(rowid, title, body) VALUES (?, ?, ?)"
    while chunk := rows.fetchmany(FILL_ROWS):
        db.conn.executemany(insert, [(rowid, prepare_text(title), prepare_text(body))
                                     for rowid, title, body in chunk])
        count += len(chunk)
    return count


# FTS5 configuration for a bulk fill, and the one of the batches of saved articles (put
# back after a fill): FTS5's default merging, and a 16 MB in-memory hash rather than its
# 1 MB, which a flush of a few hundred articles outgrew several times, writing a segment
# each time (the incremental insert ran 1.4x faster in 500-row batches,
# bench/store_bench.py's articles; the memory is held during a flush only).
BULK_CONFIG = {"automerge": 0, "hashsize": 64 << 20}
STEADY_CONFIG = {"automerge": 4, "hashsize": 16 << 20}


def _set_config(db: sqlite_utils.Database, config: dict[str, int]) -> bool:
    """Set FTS5 options of the index; False when this SQLite does not know one of them
    (``hashsize`` is recent), leaving them all as they were."""
    return set_config(db.conn, SEARCH_TABLE, config)


def rebuild_search_index(db: sqlite_utils.Database) -> int:
    """Drop and rebuild the index from every article (after a bulk load, or to repair it).

    Returns the number of articles indexed. Runs in one transaction.
    """
    register_functions(db)
    index_now = db.execute("SELECT 1 FROM sqlite_temp_master WHERE type = 'trigger' "
                           "AND name = ?", [f"{SEARCH_TABLE}_sync"]).fetchone() is not None
    with db.atomic():
        _drop_index(db)
        _create_index(db)
        count = _fill(db)
    if index_now:  # the connection's mode stays as it was (see ensure_search)
        db.execute(SYNC_TRIGGER)
    return count


@contextmanager
def paused_search_index(db: sqlite_utils.Database, side: SideBuild | None = None
                        ) -> Iterator[None]:
    """Bulk loads: changes made on `db` inside the block are queued, not indexed; at the
    end the queue is indexed in one go.

    The persistent triggers stay, so every change is queued with the text the index holds
    for it (an update's old text is what the contentless index needs to delete it), and a
    load killed inside the block leaves a queue that the next open indexes. At the end:
    when the block queued at least REBUILD_SHARE of the file's rows, the index is rebuilt
    from scratch (a fill costs less per row than updates); otherwise only the queued rows
    are indexed, so loading a small part into a large file costs in proportion to the
    part, not to the file. `side`: a helper building the rebuilt index meanwhile
    (store/sidebuild.py), whose index is taken when it holds exactly the file's rows.
    """
    had_sync = db.execute("SELECT 1 FROM sqlite_temp_master WHERE type = 'trigger' "
                          "AND name = ?", [f"{SEARCH_TABLE}_sync"]).fetchone() is not None
    db.execute(f"DROP TRIGGER IF EXISTS temp.{SEARCH_TABLE}_sync")
    _PAUSED.add(id(db.conn))
    try:
        yield
    finally:
        _PAUSED.discard(id(db.conn))
        queued = db.execute(f"SELECT count(*) FROM {QUEUE}").fetchone()[0]
        rows = db.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0  # O(log n)
        if queued >= REBUILD_SHARE * rows:
            if side is None or db.conn.in_transaction or not side.swap_into():
                rebuild_search_index(db)
        else:
            sync_search_index(db)
        if had_sync:
            db.execute(SYNC_TRIGGER)
