"""A batch of new pages saved with one statement per table (store/bulk.py) leaves exactly
the tables that saving the same pages one by one leaves; other batches take that path."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from helpers import FIXTURES, make_article, make_outcome

from newsharvest.fixtures import read_expected
from newsharvest.records import Article
from newsharvest.store import Store, writer

article = partial(make_article, with_simhash=True)
AT = datetime(2025, 10, 20, tzinfo=UTC)
TABLES = {
    "articles": "SELECT rowid, * FROM articles ORDER BY rowid",
    "story_sketches": "SELECT * FROM story_sketches ORDER BY article",
    "story_bands": "SELECT * FROM story_bands ORDER BY key, article",
    "fetches": "SELECT id, run_id, url, source, status, http_status, at FROM fetches ORDER BY id",
    "queue": "SELECT * FROM articles_search_queue",
    "search": "SELECT rowid FROM articles_search WHERE articles_search MATCH '\"算 力\"*' "
              "OR articles_search MATCH 'the' ORDER BY rowid",
}


def body_of(case: str) -> str:
    return read_expected(FIXTURES / case / "expected.json")["body"]


def reprint(body: str) -> str:
    paragraphs = body.split("\n\n")
    del paragraphs[len(paragraphs) // 2]
    return "\n\n".join(paragraphs) + "\n\n（本文综合自证券时报）"


def tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in TABLES.items()}
    finally:
        conn.close()


def pages() -> tuple[list[Article], list[Article]]:
    """Articles stored first, then a batch of new pages: exact and near copies of stored
    articles and of earlier ones in the batch, a page without SimHash, a body too short
    to sketch, and unrelated stories."""
    original, other = body_of("netease/seed-002"), body_of("thepaper/county-childcare")
    market, english = body_of("sina/market-close"), body_of("apnews/long-feature")
    stored = [article("https://a.example/1", original), article("https://m.example/1", market)]
    batch = [article("https://b.example/1", reprint(original)),
             article("https://c.example/1", original),  # an exact copy of a stored page
             article("https://d.example/1", other),
             article("https://e.example/1", other),  # ... of one earlier in the batch
             article("https://f.example/1", reprint(other)),  # a near copy of it
             article("https://g.example/1", english),
             make_article("https://h.example/1", reprint(english)),  # no SimHash
             article("https://i.example/1", "短。"),  # nothing to sketch
             article("https://m.example/2", reprint(market) + "\n\n完"),
             make_article("https://k.example/1", reprint(other))]  # f's text, no SimHash
    return stored, batch


def saved(path: Path, stored: list[Article], batch: list[Article], *, bulk: bool) -> None:
    with Store(path) as store:
        for a in stored:
            store.save(a, make_outcome(a.url, at=AT), "r")
        store.flush()
        if bulk:
            store.save_many([(a, make_outcome(a.url, at=AT)) for a in batch], "r",
                            newer_only=True)
        else:
            for a in batch:
                store.save(a, make_outcome(a.url, at=AT), "r")


@pytest.fixture
def bulk_calls(monkeypatch) -> list[bool]:
    """Whether each batch was saved by bulk.save_new (True) or page by page."""
    calls: list[bool] = []
    original = writer.save_new

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(writer, "save_new", spy)
    return calls


def test_a_batch_of_new_pages_writes_what_saving_them_one_by_one_writes(tmp_path, bulk_calls):
    stored, batch = pages()
    saved(tmp_path / "one.db", stored, batch, bulk=False)
    saved(tmp_path / "bulk.db", stored, batch, bulk=True)
    assert bulk_calls == [True]
    one, bulk = tables(tmp_path / "one.db"), tables(tmp_path / "bulk.db")
    assert one == bulk
    conn = sqlite3.connect(tmp_path / "one.db")
    stories = dict(conn.execute("SELECT url, story_id FROM articles"))
    conn.close()
    assert stories["https://b.example/1"] == stories["https://a.example/1"]
    assert stories["https://c.example/1"] == stories["https://a.example/1"]
    assert stories["https://e.example/1"] == stories["https://d.example/1"]
    assert stories["https://f.example/1"] == stories["https://d.example/1"]
    assert stories["https://m.example/2"] == stories["https://m.example/1"]
    assert stories["https://k.example/1"] == stories["https://d.example/1"]  # f's copy
    assert stories["https://g.example/1"] != stories["https://a.example/1"]
    assert one["search"] and len(one["story_bands"]) > 100


@pytest.mark.parametrize("case", ["stored url", "repeated url", "leftover sketch"])
def test_other_batches_are_saved_page_by_page(tmp_path, bulk_calls, case):
    stored, batch = pages()
    if case == "stored url":
        batch[3] = article(stored[1].url, body_of("thepaper/county-childcare"))
    elif case == "repeated url":
        batch[4] = article(batch[0].url, batch[4].body)
    else:  # the newest stored article was deleted and left its sketch behind
        stored.append(article("https://z.example/1", body_of("sina/market-close") + "完"))
    for bulk in (False, True):
        path = tmp_path / f"{bulk}.db"
        if case == "leftover sketch":
            saved(path, stored, [], bulk=False)
            with Store(path) as store, store.db.atomic():
                store.db.execute("DELETE FROM articles WHERE url = ?", [stored[-1].url])
            saved(path, [], batch, bulk=bulk)
        else:
            saved(path, stored, batch, bulk=bulk)
    assert bulk_calls == [False]
    assert tables(tmp_path / "False.db") == tables(tmp_path / "True.db")
