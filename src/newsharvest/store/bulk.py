"""Saving a batch of new articles with one statement per table (bulk loads).

`Store.save_many` decides each page in order (articles.py), with a few statements per
page. Most batches of a load are all new pages: no URL of the batch is stored, none twice.
For those the outcome of each page is known in advance ("new": a row inserted with the
next rowid), so the batch is decided in memory, in the same order and by the same rules,
and written with one ``executemany`` per table: the stored rows it needs (exact copies by
content hash, near-copy candidates) are read in bulk or from the batch itself. The rows,
story ids, sketches, band keys and fetch rows are the ones the page-by-page path writes
(tests/store/test_bulk.py compares the two); any other batch takes that path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..records import Article, PageOutcome
from . import fetchlog
from .canonical import ROW_VALUES
from .schema import ARTICLE_COLUMNS

if TYPE_CHECKING:
    from .articles import ArticleWriter

CHUNK = 500  # values per IN (...) list: below every SQLite's limit of variables
_STORY = list(ARTICLE_COLUMNS).index("story_id")
_INSERT = (f"INSERT INTO articles (rowid, {', '.join(ARTICLE_COLUMNS)}) "
           f"VALUES ({', '.join('?' * (len(ARTICLE_COLUMNS) + 1))})")


def save_new(writer: ArticleWriter, batch: Sequence[tuple[Article, PageOutcome]],
             run_id: str, values: Sequence[tuple[object, ...] | None] | None = None
             ) -> list[str] | None:
    """Save a batch of pages none of which is stored, inside the caller's transaction
    (after `StoryIndex.prepare`); None, with nothing written, when the batch has a stored
    or repeated URL (or a leftover sketch where its rows would go): the caller then saves
    it page by page. `values`: per page, None or the values of `to_row` (save_many)."""
    conn = writer.conn
    urls = [article.url for article, _ in batch]
    if len(set(urls)) != len(urls) or _any_stored(writer, urls):
        return None
    # SQLite gives a new row the largest rowid + 1: the rowids the batch's inserts get.
    base = (conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0) + 1
    if conn.execute("SELECT 1 FROM story_sketches WHERE article >= ? LIMIT 1",
                    [base]).fetchone():
        return None  # a deleted article's sketch: the page-by-page path replaces it
    copies = _stored_copies(writer, {article.content_hash for article, _ in batch})
    stories = writer.stories
    rows: list[tuple[object, ...]] = []
    sketches: list[tuple[int, int, bytes]] = []
    fetches: list[list[object]] = []
    at, stamp = None, ""  # the last fetch time and its text (a load's pages share one)
    mine = [stories.sketch_of(article) for article, _ in batch]
    linkable = stories.plan_batch(mine, base)
    known = values if values is not None else [None] * len(batch)
    for (rowid, (article, outcome)), may_link, given, found in zip(
            enumerate(batch, start=base), linkable, known, mine, strict=True):
        # The story of an exact copy under another URL: the stored one with the smallest
        # rowid (the per-page lookup's index order), else this batch's first.
        copy_story = copies.get(article.content_hash)
        story_id, found = stories.story_for(article, copy_story, may_link=may_link,
                                            mine=found)
        if copy_story is None:
            copies[article.content_hash] = story_id
        if given is None:
            given = ROW_VALUES(article.to_row())
        rows.append((rowid, *given[:_STORY], story_id, *given[_STORY + 1:]))
        if found is not None:
            blob = found.to_blob()
            sketches.append((rowid, found.grams, blob))
            stories.add_new(rowid, found, article.url, story_id, blob)
        if outcome.at is not at:
            at, stamp = outcome.at, outcome.at.isoformat()
        fetches.append(fetchlog.outcome_values(outcome, run_id, "new", stamp))
    conn.executemany(_INSERT, rows)
    conn.executemany("INSERT INTO story_sketches(article, grams, sketch, banded) "
                     "VALUES (?, ?, ?, 1)", sketches)
    fetchlog.insert_outcomes(writer.db, fetches)
    return ["new"] * len(batch)


def _any_stored(writer: ArticleWriter, urls: list[str]) -> bool:
    return any(_select_in(writer, "SELECT 1 FROM articles WHERE url IN ({}) LIMIT 1", urls))


def _stored_copies(writer: ArticleWriter, hashes: set[str]) -> dict[str, str]:
    """content hash -> story id of the stored article with that hash and a story (the
    smallest rowid), for the hashes that have one."""
    found: dict[str, tuple[int, str]] = {}
    for content_hash, rowid, story in _select_in(
            writer, "SELECT content_hash, rowid, story_id FROM articles WHERE content_hash "
            "IN ({}) AND story_id IS NOT NULL", sorted(hashes)):
        if content_hash not in found or rowid < found[content_hash][0]:
            found[content_hash] = (rowid, story)
    return {content_hash: str(story) for content_hash, (_, story) in found.items()}


def _select_in(writer: ArticleWriter, sql: str, values: list[str]) -> Iterator[Any]:
    """The rows of `sql` for `values`, whose ``IN ({})`` list is filled CHUNK at a time
    (lazily: a caller that stops early runs no further chunk)."""
    for start in range(0, len(values), CHUNK):
        chunk = values[start:start + CHUNK]
        yield from writer.conn.execute(sql.format(",".join("?" * len(chunk))), chunk)
