"""Stored dates that sort: published_utc / modified_utc order, views, filters, migration.

``data/v1.db`` was made by newsharvest at commit e2f4b43 (schema version 1, before the UTC
columns): four articles saved through its ``Store`` (05:30+08:00, 22:00-05:00, 23:00Z and
one undated), a fetch row each and one HTTP validator.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsharvest.cli import main
from newsharvest.normalize.dedupe import content_hash
from newsharvest.records import Article, PageOutcome
from newsharvest.store import Store
from newsharvest.store.read import Filters, iter_articles
from newsharvest.store.search import search

V1 = Path(__file__).resolve().parent / "data" / "v1.db"
CST, EST = timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))

# Text order of `published` is a, c, b; time order is a, b, c (all on 2025-10-14 UTC).
DATED = [
    ("https://x.example/a", datetime(2025, 10, 14, 9, 0, tzinfo=CST)),  # 01:00Z
    ("https://x.example/b", datetime(2025, 10, 13, 22, 0, tzinfo=EST)),  # 03:00Z
    ("https://x.example/c", datetime(2025, 10, 14, 2, 0, tzinfo=UTC)),  # 02:00Z -> c before b
]


def save_all(store: Store, items: list[tuple[str, datetime | None]], story: str) -> None:
    for i, (url, when) in enumerate(items):
        body = f"算力 article {i} from {url}"
        article = Article(url=url, title=f"t{i}", published=when, body=body,
                          language="en", content_hash=content_hash(body), source="s",
                          modified=when + timedelta(hours=1) if when else None)
        store.save(article, PageOutcome(url=url, source="s", status="new",
                                        at=datetime.now(UTC)), "r")
        store.db.execute("UPDATE articles SET story_id = ? WHERE url = ?", [story, url])


def test_utc_columns_order_filter_and_views_by_time(tmp_path):
    path = tmp_path / "x.db"
    with Store(path) as store:
        save_all(store, DATED, "story-1")
        rows = list(store.query("SELECT url, published_utc, modified_utc FROM articles "
                                "ORDER BY published_utc"))
        assert [r["url"][-1] for r in rows] == ["a", "c", "b"]
        assert [r["published_utc"] for r in rows] == [
            "2025-10-14T01:00:00Z", "2025-10-14T02:00:00Z", "2025-10-14T03:00:00Z"]
        assert rows[0]["modified_utc"] == "2025-10-14T02:00:00Z"
        [story] = store.query("SELECT * FROM stories")
        assert (story["first_published"], story["last_published"]) == (
            "2025-10-14T01:00:00Z", "2025-10-14T03:00:00Z")  # min/max by time, not text
        plan = " ".join(r["detail"] for r in store.query(
            "EXPLAIN QUERY PLAN SELECT url FROM articles ORDER BY published_utc"))
        assert "idx_articles_published_utc" in plan
    since = [r["url"][-1] for r in iter_articles(path, Filters.of(since="2025-10-14T02:00Z"))]
    assert sorted(since) == ["b", "c"]  # text compare of `published` would keep a and drop b
    until = Filters.of(until="2025-10-14T09:30:00+08:00")  # 01:30Z
    assert [r["url"][-1] for r in iter_articles(path, until)] == ["a"]
    hits = search(path, "算力", filters=Filters.of(since="2025-10-14T01:30Z"), limit=None)
    assert sorted(h.url[-1] for h in hits) == ["b", "c"]


def test_cli_since_and_export_use_utc(tmp_path, capsys):
    path = tmp_path / "x.db"
    with Store(path) as store:
        save_all(store, DATED, "story-1")
    assert main(["export", "--db", str(path), "--since", "2025-10-14T02:00:00Z",
                 "--format", "jsonl"]) in (None, 0)
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["published_utc"] for r in rows) == [
        "2025-10-14T02:00:00Z", "2025-10-14T03:00:00Z"]
    assert main(["search", "算力", "--db", str(path), "--since", "2025-10-14T02:00:00Z",
                 "--format", "jsonl"]) in (None, 0)
    found = [json.loads(line)["url"][-1] for line in capsys.readouterr().out.splitlines()]
    assert sorted(found) == ["b", "c"]


def test_a_version_1_file_migrates_on_open_and_keeps_every_row(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(V1, path)
    before = sqlite3.connect(path)
    old_rows = before.execute("SELECT * FROM articles ORDER BY url").fetchall()
    old_fetches = before.execute("SELECT count(*) FROM fetches").fetchone()[0]
    assert "published_utc" not in {r[1] for r in before.execute("PRAGMA table_xinfo(articles)")}
    before.close()
    with Store(path) as store:
        rows = list(store.query("SELECT * FROM articles ORDER BY url"))
        assert [tuple(r[c] for c in list(r)[:len(old_rows[0])]) for r in rows] == old_rows
        assert store.count("fetches") == old_fetches
        assert store.validators("https://a.example/feed.xml") == {"If-None-Match": '"etag-1"'}
        ordered = [r["url"] for r in store.query(
            "SELECT url FROM articles WHERE published_utc IS NOT NULL ORDER BY published_utc")]
        # 05:30+08:00 = 21:30Z, 22:00-05:00 = 03:00Z next day, 23:00Z
        assert ordered == ["https://a.example/beijing", "https://c.example/london",
                           "https://b.example/newyork"]
        [version] = store.query("SELECT value FROM newsharvest_meta WHERE key = "
                                "'schema_version'")
        assert version["value"] == "3"
        indexes = {r["name"] for r in store.query(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles'")}
        assert "idx_articles_published_utc" in indexes  # the unused ones of version 1-2 go
        assert not indexes & {"idx_articles_published", "idx_articles_modified_utc"}
        assert {r["url"] for r in store.query("SELECT * FROM stories s JOIN articles a "
                                              "ON a.story_id = s.story_id")} == {
            r[0] for r in old_rows}
        assert [h.url for h in search(store.db, "算力")] == ["https://a.example/beijing"]
        assert store.count("story_sketches") == len(old_rows)  # sketched for linking
    with Store(path) as store:  # opening again changes nothing
        assert store.count() == len(old_rows)


def test_a_version_1_file_read_only_still_filters_by_utc(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(V1, path)
    path.chmod(0o444)
    root = os.geteuid() == 0  # root writes through mode bits: the immutable attribute
    if root and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("this machine cannot make a file read-only for root (no chattr)")
    with pytest.raises(OSError):
        path.open("ab").close()  # really read-only: the file cannot be migrated
    try:
        found = [r["url"] for r in iter_articles(path, Filters.of(since="2025-10-13T22:00Z"))]
        assert sorted(found) == ["https://b.example/newyork", "https://c.example/london"]
        assert [h.url for h in search(path, "算力", filters=Filters.of(until="2025-10-14"))
                ] == ["https://a.example/beijing"]
    finally:
        if root:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o644)
