"""The store: upsert by canonical URL, fetch rows, WAL, one transaction per page."""

from __future__ import annotations

from datetime import UTC, datetime

from newsharvest.records import Article, PageOutcome
from newsharvest.store import Store


def article(url: str = "https://example.com/a", body: str = "正文。", **kw) -> Article:
    from newsharvest.normalize.dedupe import content_hash

    return Article(url=url, title="T", published=None, body=body, language="zh-Hans",
                   content_hash=content_hash(body), source="s", **kw)


def outcome(url: str = "https://example.com/a") -> PageOutcome:
    return PageOutcome(url=url, source="s", status="new", at=datetime.now(UTC), http_status=200)


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
