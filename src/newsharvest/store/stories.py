"""Link copies of one story across portals with a shared `story_id`.

Exact copies (same content hash) join their story at once. Near copies are decided by
containment: the share of the shorter body's character 5-grams found in the other, which
is high for a reprint that dropped or rewrote a few lines and low for two stories on one
topic (on the evaluation pages unrelated articles came as close as 9 SimHash bits while
edited reprints reached 18, so no single similarity number separates them; containment
does, at MIN_CONTAINMENT).

The comparison uses what is kept per article, never the bodies (store/sketch.py): a MinHash
sketch of the 5-grams with the set's size (``story_sketches``), and its LSH band keys
(``story_bands``, indexed), which give the candidates in one indexed lookup. A lookup reads
each key's newest PER_KEY articles and compares the MAX_CANDIDATES sharing the most keys.
So the cost of linking one saved article is the same with a hundred stored articles or a
million, and for a story reprinted twice or a thousand times. The sketch itself is made by
normalize (``Article.sketch``), in the extraction workers; the store makes it only for an
article that comes without one (load, reextract).

A sketch is written with its article; its BANDS keys land on as many scattered pages of
the band index, which per page saved cost more than the rest of the save, so they are
written in batches (`flush`, with the search index) and looked up in memory until then.
A sketch whose bands are not yet written is marked ``banded = 0``; after a kill the next
run finds those and writes their bands. A batch of articles saved together (`prepare` ..
`write_batch`: load) writes its band keys in its own transaction, sorted, so its sketches
are written as banded at once and never rewritten.

::

    story_sketches(article INTEGER PRIMARY KEY  -- articles.rowid
                   grams INTEGER, sketch BLOB,   -- distinct 5-grams; SKETCH_SIZE uint32
                   banded INTEGER)               -- 1 once its band keys are written
    story_bands(key INTEGER, article INTEGER, PRIMARY KEY (key, article)) WITHOUT ROWID

A file made before these tables gets the sketches of its newest BACKFILL_ARTICLES articles
on first use (what the previous design compared against), once.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING

import sqlite_utils

from ..records import Article

if TYPE_CHECKING:
    from types import EllipsisType

    import numpy as np

    from .sketch import Sketch

log = logging.getLogger(__name__)

MIN_CONTAINMENT = 0.6  # share of the shorter body's 5-grams found in the other body
MAX_CANDIDATES = 32  # stored articles compared per save, those sharing the most band keys
PER_KEY = 32  # newest articles read per band key (a widely reprinted story has thousands)
BACKFILL_ARTICLES = 5000  # an older file's newest articles that get sketches
_META_KEY = "story_sketch_version"
# Bump when store/sketch.py changes what a sketch holds: the sketch tables are rebuilt.
SKETCH_VERSION = "1"

TABLES = (
    "CREATE TABLE IF NOT EXISTS story_sketches (article INTEGER PRIMARY KEY, "
    "grams INTEGER NOT NULL, sketch BLOB NOT NULL, banded INTEGER NOT NULL DEFAULT 1)",
    "CREATE INDEX IF NOT EXISTS story_sketches_unbanded ON story_sketches(article) "
    "WHERE banded = 0",
    "CREATE TABLE IF NOT EXISTS story_bands (key INTEGER NOT NULL, article INTEGER NOT NULL, "
    "PRIMARY KEY (key, article)) WITHOUT ROWID",
)


@cache
def _band_lookup(keys: int) -> str:
    """SQL for each of `keys` band keys' newest PER_KEY articles (the primary key's
    order, read backwards)."""
    return " UNION ALL ".join(["SELECT * FROM (SELECT article FROM story_bands WHERE key = ? "
                               f"ORDER BY article DESC LIMIT {PER_KEY})"] * keys)


def ensure_story_tables(db: sqlite_utils.Database) -> None:
    """Create the sketch tables; fill them for an older file (or another SKETCH_VERSION)."""
    for sql in TABLES:
        db.execute(sql)
    row = db.execute("SELECT value FROM newsharvest_meta WHERE key = ?", [_META_KEY]
                     ).fetchone()
    if row and row[0] == SKETCH_VERSION:
        return
    from .sketch import sketch  # numpy: only for the one-time backfill

    with db.atomic():
        db.execute("DELETE FROM story_sketches")
        db.execute("DELETE FROM story_bands")
        rows = db.execute("SELECT rowid, body FROM articles WHERE simhash IS NOT NULL "
                          "ORDER BY rowid DESC LIMIT ?", [BACKFILL_ARTICLES]).fetchall()
        if rows:
            log.info("sketching %d stored articles for story linking", len(rows))
        for rowid, body in rows:
            found = sketch(body or "")
            if found is not None:
                _insert(db, rowid, found)
        db.execute("INSERT INTO newsharvest_meta(key, value) VALUES (?, ?) ON CONFLICT(key) "
                   "DO UPDATE SET value = excluded.value", [_META_KEY, SKETCH_VERSION])


class StoryIndex:
    """Story ids for articles being saved, from the sketch tables of one database."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.pending: dict[int, list[int]] = {}  # band key -> articles, not yet written
        # A batch's sketches and the stored band rows of their keys (`prepare`).
        self._ready: dict[str, Sketch | None] = {}
        # Stored band rows of the batch's keys: only keys that have some (`_prepared`
        # holds every key asked for).
        self._known: dict[int, list[int]] = {}
        self._prepared: set[int] = set()
        # Articles of a batch saved by bulk.save_new, not yet written: rowid -> (url,
        # story id, grams, sketch blob), for `_near_copy` to read instead of the tables.
        self._unwritten: dict[int, tuple[str, str, int, bytes]] = {}
        # bulk.save_new's batch (`plan_batch`): its band rows, written by `write_batch`,
        # and per rowid the keys a later article of the batch shares (kept in `pending`).
        self._batch_rows: tuple[np.ndarray, np.ndarray] | None = None
        self._shared: dict[int, list[int]] = {}
        # Inside a batch (`prepare` .. `done`): its sketches are written as banded and
        # their band keys by `write_batch`, in the batch's own transaction.
        self._batch = False
        self.reload()

    def prepare(self, articles: Iterable[Article]) -> None:
        """Before saving a batch: sketch its bodies (those normalize did not) and read the
        stored band rows of their keys in a few queries instead of one per article (bulk
        loads: per-article lookups were a tenth of the time). The band table changes only
        through `add` and `flush` until `done`; `add` keeps what was read current, so
        linking finds what it would have found by looking each article up alone."""
        import numpy as np  # only when linking

        # Band keys of single saves still pending: written now, so that this batch's own
        # (written with it, by `write_batch`) are all that is pending until `done`.
        self.flush()
        self._batch = True
        ready = self._ready
        for article in articles:
            if article.simhash is not None and article.body not in ready:
                ready[article.body] = self.sketch_of(article)
        arrays = [found.key_array for found in ready.values() if found is not None]
        keys: list[int] = np.unique(np.concatenate(arrays)).tolist() if arrays else []
        self._prepared = set(keys)
        known: dict[int, list[int]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            for key, rowid in self.db.conn.execute(
                    "SELECT key, article FROM story_bands WHERE key IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                known.setdefault(key, []).append(rowid)
        self._known = known

    def write_batch(self) -> None:
        """At the end of a batch, in its transaction: write its band keys. Its sketches
        were written as banded, so unlike `flush` no sketch row is written twice."""
        if self._batch and (self.pending or self._batch_rows is not None):
            # bulk.save_new's batch: its rows as `plan_batch` kept them (pending: a subset)
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO story_bands(key, article) VALUES (?, ?)",
                _band_rows(*(self._batch_rows or _pending_arrays(self.pending))))
            self.pending = {}
            self._batch_rows = None

    def done(self) -> None:
        """After the batch (or its rollback): forget what `prepare` read."""
        self._ready = {}
        self._known = {}
        self._prepared = set()
        self._unwritten = {}
        self._batch_rows = None
        self._shared = {}
        self._batch = False

    def reload(self) -> None:
        """Take the pending band keys from the database (after a kill or a rollback)."""
        from .sketch import Sketch  # numpy: only when linking
        self.pending = {}
        for rowid, grams, blob in self.db.execute(
                "SELECT article, grams, sketch FROM story_sketches WHERE banded = 0"):
            for key in Sketch.from_blob(blob, grams).keys:
                self.pending.setdefault(key, []).append(rowid)

    def sketch_of(self, article: Article) -> Sketch | None:
        """The article's sketch: normalize's, one made for a batch, or made now (None: no
        SimHash, or a body too short to compare)."""
        if article.simhash is None:
            return None
        found = self._ready.get(article.body, ...)  # a batch's: made by `prepare`
        if found is not ...:
            return found
        from .sketch import sketch, unpack  # numpy: only when linking
        return unpack(article.sketch, article.content_hash) or sketch(article.body)

    def story_for(self, article: Article, copy_story: str | None = None, *,
                  may_link: bool = True, mine: Sketch | None | EllipsisType = ...
                  ) -> tuple[str, Sketch | None]:
        """The story id this article belongs to (`copy_story`: that of a stored exact copy
        under another URL, found by the caller; else a near copy's, or a new one), and its
        sketch for `add` (None when the body is too short to compare). `may_link` False:
        the caller knows no article shares a band key with it (`plan_batch`); `mine`: its
        `sketch_of`, when the caller has it."""
        if mine is ...:
            mine = self.sketch_of(article)
        if copy_story is not None:
            return str(copy_story), mine
        if mine is not None and may_link:
            match = self._near_copy(article.url, mine)
            if match is not None:
                return match, mine
        return article.content_hash[:16], mine

    def add(self, rowid: int, found: Sketch | None, *, fresh: bool = False) -> None:
        """Keep the saved article's sketch (replacing the one of its previous text).

        `fresh`: a new article row, which has no sketch unless a deleted article with its
        rowid left one behind: one insert, and the replacing path only if it conflicts.
        """
        banded = int(self._batch)
        if fresh and found is not None and self.db.conn.execute(
                "INSERT INTO story_sketches(article, grams, sketch, banded) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(article) DO NOTHING", [rowid, found.grams, found.to_blob(), banded]
                ).rowcount == 1:
            for key in found.keys:
                self.pending.setdefault(key, []).append(rowid)
            return
        from .sketch import Sketch  # numpy: only when linking
        old = self.db.execute("SELECT grams, sketch, banded FROM story_sketches "
                              "WHERE article = ?", [rowid]).fetchone()
        if old is not None:
            keys = Sketch.from_blob(old[1], old[0]).keys
            if old[2]:
                self.db.conn.executemany(
                    "DELETE FROM story_bands WHERE key = ? AND article = ?",
                    [(key, rowid) for key in keys])
                for key in keys:
                    if rowid in self._known.get(key, ()):
                        self._known[key].remove(rowid)
            for key in keys:
                if rowid in self.pending.get(key, ()):
                    self.pending[key].remove(rowid)
            self.db.execute("DELETE FROM story_sketches WHERE article = ?", [rowid])
        if found is not None:
            self.db.execute("INSERT INTO story_sketches(article, grams, sketch, banded) "
                            "VALUES (?, ?, ?, ?)", [rowid, found.grams, found.to_blob(), banded])
            for key in found.keys:
                self.pending.setdefault(key, []).append(rowid)

    def plan_batch(self, found: list[Sketch | None], base: int) -> list[bool]:
        """For the sketches of a batch that bulk.save_new writes with rowids from `base`,
        in order (after `prepare`): may each have a near-copy candidate, i.e. share a band
        key with a stored article, a pending one or an earlier one of the batch? (False
        is certain: `_near_copy` would find no candidate; on a load most articles have
        none, and this asks for all at once.)

        Also keeps the batch's band rows for `write_batch`, and for `add_new` which keys
        of each article another one of the batch has: only those can be looked up in
        `pending` before the batch is written, so only those go there."""
        import numpy as np  # only when linking

        owners = [i for i, f in enumerate(found) if f is not None]
        out = [False] * len(found)
        self._shared = {}
        if not owners:
            self._batch_rows = None
            return out
        keys = np.stack([f.key_array for f in found if f is not None])
        owner = np.repeat(np.array(owners, dtype=np.int64), keys.shape[1])
        flat = keys.ravel()
        self._batch_rows = (flat, owner + base)
        order = np.lexsort((owner, flat))
        ordered = flat[order]
        later = ordered[1:] == ordered[:-1]  # a key an earlier article (or itself) has
        hit = set(owner[order][1:][later].tolist())
        seen = [k for k, v in self._known.items() if v] + [k for k, v in self.pending.items() if v]
        if seen:
            hit.update(owner[np.isin(flat, np.array(seen, dtype=np.int64))].tolist())
        for i in hit:
            out[i] = True
        # Entries whose key occurs more than once in the batch, in (owner, key) order.
        repeated = np.zeros(len(flat), dtype=bool)
        repeated[order[1:][later]] = True
        repeated[order[:-1][later]] = True
        for i, key in zip((owner[repeated] + base).tolist(), flat[repeated].tolist(),
                          strict=True):
            self._shared.setdefault(i, []).append(key)
        return out

    def add_new(self, rowid: int, found: Sketch, url: str, story_id: str, blob: bytes
                ) -> None:
        """`add` for an article of a batch that bulk.save_new writes afterwards (its
        sketch row, and with `write_batch` its band rows): the keys another article of
        the batch shares are pending, and its row is read from memory."""
        shared = self._shared.get(rowid)
        if shared is None:
            return  # no other article of the batch can find it before it is written
        self._unwritten[rowid] = (url, story_id, found.grams, blob)
        pending = self.pending
        for key in shared:
            pending.setdefault(key, []).append(rowid)

    def flush(self) -> None:
        """Write the pending band keys (in the caller's transaction), sorted by key."""
        if not self.pending:
            return
        self.db.conn.executemany("INSERT OR IGNORE INTO story_bands(key, article) VALUES (?, ?)",
                                 _band_rows(*_pending_arrays(self.pending)))
        # Only these articles: another connection may have sketches of its own pending.
        self.db.conn.executemany("UPDATE story_sketches SET banded = 1 WHERE article = ?",
                                 [(rowid,) for rowid in sorted(set(chain.from_iterable(
                                     self.pending.values())))])
        for key, rowids in self.pending.items():
            if key in self._prepared:
                self._known.setdefault(key, []).extend(rowids)
        self.pending = {}

    def _near_copy(self, url: str, mine: Sketch) -> str | None:
        """The story of the stored article most similar to `mine` with containment of at
        least MIN_CONTAINMENT, among the MAX_CANDIDATES sharing the most band keys with it,
        of the newest PER_KEY articles under each key (a story reprinted a thousand times
        shares keys with every copy: reading and comparing them all would make each save
        slower as the story grows; its newest copies carry its story id as well)."""
        keys = mine.keys
        known = self._known
        hits: list[int] = []
        if self._prepared and all(key in self._prepared for key in keys):
            for key in keys:
                if key in known:
                    hits += known[key][-PER_KEY:]
        else:
            hits = [r[0] for r in self.db.conn.execute(_band_lookup(len(keys)), keys)]
        pending = self.pending
        for key in keys:
            if key in pending:
                hits += pending[key][-PER_KEY:]
        if not hits:
            return None
        import numpy as np  # only when linking (and here: most articles have no candidate)

        from .sketch import SKETCH_SIZE
        shared = Counter(hits)
        ids = sorted(shared, key=lambda rowid: (-shared[rowid], -rowid))[:MAX_CANDIDATES]
        unwritten = self._unwritten
        stored = [rowid for rowid in ids if rowid not in unwritten]
        rows = [unwritten[rowid] for rowid in ids if rowid in unwritten]
        if stored:
            rows += self.db.conn.execute(
                "SELECT a.url, a.story_id, s.grams, s.sketch FROM story_sketches s "
                "JOIN articles a ON a.rowid = s.article "
                f"WHERE s.article IN ({','.join('?' * len(stored))})", stored).fetchall()
        rows = [r for r in rows if r[0] != url]
        if not rows:
            return None
        bins = np.frombuffer(b"".join(r[3] for r in rows), dtype="<u4").reshape(-1, SKETCH_SIZE)
        equal = np.count_nonzero(bins == mine.bins, axis=1)
        scored = sorted(((mine.containment_of(int(same), grams), other, story)
                         for same, (other, story, grams, _) in zip(equal, rows, strict=True)),
                        key=lambda r: (-r[0], r[1]))
        for score, _, story in scored:
            if score < MIN_CONTAINMENT:
                break
            if story:
                return str(story)
        return None


def _pending_arrays(pending: dict[int, list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """The pending band keys as (key, article) arrays."""
    import numpy as np  # only when linking

    keys = np.repeat(np.fromiter(pending, dtype=np.int64, count=len(pending)),
                     [len(rowids) for rowids in pending.values()])
    return keys, np.fromiter(chain.from_iterable(pending.values()), dtype=np.int64,
                             count=len(keys))


def _band_rows(keys: np.ndarray, rowids: np.ndarray) -> Iterator[tuple[int, int]]:
    """(key, article) rows sorted by key: the index's order, so each page of it is written
    once (sorted with numpy: sorting the tuples in Python took longer than writing them)."""
    import numpy as np  # only when linking

    order = np.lexsort((rowids, keys))
    return zip(keys[order].tolist(), rowids[order].tolist(), strict=True)


def _insert(db: sqlite_utils.Database, rowid: int, found: Sketch) -> None:
    db.execute("INSERT OR REPLACE INTO story_sketches(article, grams, sketch) VALUES (?, ?, ?)",
               [rowid, found.grams, found.to_blob()])
    db.conn.executemany("INSERT OR IGNORE INTO story_bands(key, article) VALUES (?, ?)",
                        [(key, rowid) for key in found.keys])
