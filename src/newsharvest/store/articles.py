"""Article rows: the upsert by canonical URL with its dedupe rules and story linking.

One call decides one page: "new", "updated", "unchanged", or "older" (a copy fetched
before the stored one with other text, left out so the stored row does not depend on the
order copies are processed in). The caller owns the transaction.
"""

from __future__ import annotations

import sqlite_utils

from ..records import Article, parse_iso
from .fts import QUEUE, sync_search_index
from .schema import ARTICLE_COLUMNS
from .stories import StoryIndex

# A new row is a plain INSERT and a stored one an UPDATE by rowid (the lookup found it in
# this transaction): an upsert with RETURNING took 2.4x as long (bench/store_bench.py).
_INSERT_ARTICLE = (f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) "
                   f"VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})")
_UPDATE_ARTICLE = ("UPDATE articles SET "
                   + ", ".join(f"{c} = ?" for c in ARTICLE_COLUMNS if c != "url")
                   + " WHERE rowid = ?")
# The stored row of this URL (NULLs when there is none) and the story of a stored exact
# copy under another URL, in one statement: two index lookups, one round trip.
_LOOKUP = (
    "SELECT p.content_hash, p.fetched_at, p.story_id, p.rowid, "
    "(SELECT story_id FROM articles WHERE content_hash = ?2 AND url != ?1 "
    "AND story_id IS NOT NULL LIMIT 1) FROM (SELECT 1) LEFT JOIN articles p ON p.url = ?1")


class ArticleWriter:
    """Saves articles into one database, linking each to its story."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.conn = db.conn  # the sqlite3 connection itself: one Python call less per statement
        self.stories = StoryIndex(db)

    def save(self, article: Article, newer_only: bool) -> str:
        """Upsert one article; returns "new", "updated", "unchanged" or "older"."""
        stored_hash, stored_at, stored_story, rowid, copy_story = self.conn.execute(
            _LOOKUP, [article.url, article.content_hash]).fetchone()
        earlier = newer_only and rowid is not None and _is_older(article, stored_at)
        if rowid is None:
            status = "new"
        elif stored_hash == article.content_hash:
            status = "unchanged"
        else:
            status = "older" if earlier else "updated"
        if rowid is not None and status != "unchanged" or earlier:
            self._index_queued(rowid)
        if status in ("new", "updated"):
            story_id, found = self.stories.story_for(article, copy_story)
            rowid = self._write(article, story_id, rowid)
            self.stories.add(rowid, found, fresh=status == "new")
        elif status == "unchanged" and earlier:
            # The same text, fetched earlier (under another address of the page, or from
            # an older archive): the row describes the first fetch of its text, whatever
            # order the copies were processed in.
            self._write(article, stored_story, rowid)
        return status

    def _index_queued(self, rowid: int) -> None:
        """Index the queue if this row waits in it: the queue's update trigger cannot add
        the row twice, and under an upsert its OR IGNORE does not apply (SQLite lets the
        outer statement's conflict handling win)."""
        if self.conn.execute(f"SELECT 1 FROM {QUEUE} WHERE id = ?", [rowid]).fetchone():
            sync_search_index(self.db)

    def _write(self, article: Article, story_id: str | None, rowid: int | None) -> int:
        """Insert the article (`rowid` None) or rewrite the stored row; returns its rowid.
        Plain SQL rather than sqlite-utils' upsert, which commits on its own and would
        split the page's transaction in two."""
        row = article.to_row()
        row["story_id"] = story_id
        if rowid is None:
            cursor = self.conn.execute(_INSERT_ARTICLE, [row[c] for c in ARTICLE_COLUMNS])
            return int(cursor.lastrowid or 0)
        self.conn.execute(_UPDATE_ARTICLE, [row[c] for c in ARTICLE_COLUMNS if c != "url"]
                          + [rowid])
        return rowid


def _is_older(article: Article, stored_fetched_at: str | None) -> bool:
    """Was `article` fetched before the stored copy? (Unknown times: not provably.)"""
    stored = parse_iso(stored_fetched_at)
    if article.fetched_at is None or stored is None:
        return False
    try:
        return article.fetched_at < stored
    except TypeError:  # naive vs aware
        return False
