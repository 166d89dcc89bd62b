"""The store: upsert by canonical URL, fetch rows, WAL, one transaction per page."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from helpers import make_article, make_outcome

from newsharvest.records import Article, PageOutcome
from newsharvest.store import Store

article = partial(make_article, title="T")
outcome = partial(make_outcome, http_status=200)


def test_upsert_new_unchanged_updated(tmp_path):
    with Store(tmp_path / "x.db") as store:
        assert store.save(article(), outcome(), "r1") == "new"
        assert store.save(article(), outcome(), "r2") == "unchanged"
        assert store.save(article(body="改过的正文。"), outcome(), "r3") == "updated"
        assert store.count() == 1
        assert store.count("fetches") == 3
        [row] = store.query("select body from articles")
        assert row["body"] == "改过的正文。"


def test_wal_mode_and_columns(tmp_path):
    with Store(tmp_path / "x.db") as store:
        mode = next(store.query("PRAGMA journal_mode"))
        assert list(mode.values()) == ["wal"]
        cols = set(store.db.table("articles").columns_dict)
        assert {"url", "source", "title", "published", "body", "language", "content_hash",
                "fetched_at"} <= cols
        assert {"url", "status", "error", "at"} <= set(store.db.table("fetches").columns_dict)


def test_known_urls_include_requested_addresses(tmp_path):
    with Store(tmp_path / "x.db") as store:
        store.save(article("https://example.com/a"), outcome("https://example.com/a?utm_source=x"),
                   "r1")
        known = store.known_urls(["https://example.com/a", "https://example.com/a?utm_source=x",
                                  "https://example.com/b"])
        assert known == {"https://example.com/a", "https://example.com/a?utm_source=x"}


def test_failed_fetch_is_not_known(tmp_path):
    with Store(tmp_path / "x.db") as store:
        store.record(PageOutcome(url="https://example.com/c", source="s", status="failed",
                                 at=datetime.now(UTC), error="HTTP 500", error_kind="fetch"), "r")
        assert store.known_urls(["https://example.com/c"]) == set()
        [row] = store.query("select status, error from fetches")
        assert row == {"status": "failed", "error": "HTTP 500"}


def _at(hour: int) -> datetime:
    return datetime(2025, 10, 14, hour, tzinfo=UTC)


def _final_rows(order: list[Article], tmp_path, name: str) -> list[tuple]:
    with Store(tmp_path / name) as store:
        store.save_many([(a, outcome(a.url)) for a in order], "r", newer_only=True)
        return [tuple(r.values()) for r in store.query(
            "select url, body, source, fetched_at from articles order by url")]


def test_the_stored_row_does_not_depend_on_processing_order(tmp_path):
    # v1 fetched at 08:00 by "a", again at 09:00 by "b" (same text), v2 at 10:00 by "c".
    v1a = article(body="第一版正文。", fetched_at=_at(8))
    v1b = replace(v1a, source="b", fetched_at=_at(9))
    v2 = replace(article(body="第二版正文。", fetched_at=_at(10)), source="c")
    forward = _final_rows([v1a, v1b, v2], tmp_path, "f.db")
    backward = _final_rows([v2, v1b, v1a], tmp_path, "b.db")
    shuffled = _final_rows([v1b, v2, v1a], tmp_path, "s.db")
    assert forward == backward == shuffled
    assert forward[0][1:3] == ("第二版正文。", "c")  # the latest text wins


def test_same_text_keeps_its_first_fetch(tmp_path):
    first = article(fetched_at=_at(8))
    later = replace(first, source="mobile", fetched_at=_at(9))
    assert _final_rows([later, first], tmp_path, "x.db")[0][2] == "s"
    with Store(tmp_path / "y.db") as store:
        assert store.save(first, outcome(), "r") == "new"
        assert store.save(later, outcome(), "r") == "unchanged"
        assert store.save(replace(first, body="旧。", content_hash="0" * 64,
                                  fetched_at=_at(7)), outcome(), "r") == "unchanged"
        [row] = store.query("select body from articles")
        assert row["body"] == "正文。"  # an older, different text does not overwrite


def test_a_failed_batch_leaves_nothing_and_the_store_usable(tmp_path):
    with Store(tmp_path / "x.db") as store:
        good = article(url="https://example.com/1", body="一号正文。")
        bad = replace(article(url="https://example.com/2"), body=None)  # NOT NULL violation
        try:
            store.save_many([(good, outcome(good.url)), (bad, outcome(bad.url))], "r")
        except Exception:  # noqa: BLE001 - StoreError expected
            pass
        assert store.count() == 0 and store.count("fetches") == 0
        assert store.save(good, outcome(good.url), "r") == "new"
