"""The read side: filters, streaming export round-trips, per-source stats."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from helpers import make_article, save_articles

from newsharvest.errors import NewsharvestError, StoreError
from newsharvest.records import Article, PageOutcome
from newsharvest.store import Store
from newsharvest.store.read import (
    EXPORT_COLUMNS,
    Filters,
    export_articles,
    iter_articles,
    parse_when,
    source_stats,
)

CST = timezone(timedelta(hours=8))


def make(url, body, lang, source, published, **kw) -> Article:
    return make_article(url, body, title=f"title {url[-1]}", language=lang, source=source,
                        published=published, **kw)


ARTICLES = [
    # 2025-10-14 05:30 in Beijing is 2025-10-13 21:30 UTC: a string compare gets this wrong.
    make("https://a.cn/1", "北京时间清晨的新闻。", "zh-Hans", "cn", datetime(2025, 10, 14, 5, 30, tzinfo=CST),
         authors=("张三", "李四"), credits=("责编：王五",), origin="新华社", simhash=2**63 + 5,
         modified=datetime(2025, 10, 14, 6, 0, tzinfo=CST), fetched_at=datetime(2025, 10, 14, tzinfo=UTC)),
    make("https://a.tw/2", "臺北的新聞，內容比較長一點點。", "zh-Hant", "tw", datetime(2025, 10, 14, 12, 0, tzinfo=CST)),
    make("https://b.com/3", "Morning news in London, with \"quotes\", commas\nand lines.", "en", "uk",
         datetime(2025, 10, 14, 8, 0, tzinfo=UTC)),
    make("https://b.com/4", "Undated English story.", "en", "uk", None),
    make("https://a.cn/5", "第二天的中文新闻。", "zh-Hans", "cn", datetime(2025, 10, 15, 9, 0, tzinfo=CST)),
]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "x.db") as s:
        save_articles(s, ARTICLES, "run-1")
        yield s


def urls(db, **kw) -> list[str]:
    return [r["url"] for r in iter_articles(db, Filters.of(**kw), columns=["url"])]


def test_filters_combine(store):
    db = store.db
    assert urls(db, lang="zh") == ["https://a.cn/1", "https://a.tw/2", "https://a.cn/5"]
    assert urls(db, lang="zh-hant") == ["https://a.tw/2"]
    assert urls(db, lang=["en", "zh-Hant"], source="uk") == ["https://b.com/3", "https://b.com/4"]
    assert urls(db, source=["cn", "tw"], since="2025-10-14", until="2025-10-14") == [
        "https://a.tw/2"]
    assert urls(db, lang="zh-Hans", since="2025-10-15") == ["https://a.cn/5"]
    assert urls(db, lang="en", source="cn") == []


def test_date_filters_are_chronological_across_offsets(store):
    db = store.db
    # 05:30+08:00 is the previous UTC day
    assert "https://a.cn/1" in urls(db, until="2025-10-13")
    assert "https://a.cn/1" not in urls(db, since="2025-10-14")
    assert urls(db, since="2025-10-13T21:30:00Z", until="2025-10-13T21:30:00+00:00") == [
        "https://a.cn/1"]
    assert urls(db, since="2025-10-14T06:00:00+08:00", until="2025-10-14T16:00+08:00") == [
        "https://a.tw/2", "https://b.com/3"]
    assert "https://b.com/4" not in urls(db, since="2000-01-01")  # undated: left out


def test_parse_when():
    assert parse_when("2025-10-14") == (datetime(2025, 10, 14, tzinfo=UTC), True)
    assert parse_when("2025-10-14", end=True) == (datetime(2025, 10, 15, tzinfo=UTC), False)
    assert parse_when("2025-10-14T08:00:00+08:00")[0] == datetime(2025, 10, 14, tzinfo=UTC)
    with pytest.raises(NewsharvestError, match="bad date"):
        parse_when("yesterday")


def db_rows(store) -> list[dict]:
    return list(store.query(f"SELECT {', '.join(EXPORT_COLUMNS)} FROM articles ORDER BY rowid"))


def typed_rows(store, *, times: bool = False) -> list[dict]:
    """The stored rows as JSON (lists) or Parquet (lists and UTC datetimes) export them."""
    from datetime import UTC

    from newsharvest.records import parse_iso

    rows = db_rows(store)
    for row in rows:
        for name in ("authors", "credits"):
            row[name] = row[name].split("\n") if row[name] else []
        for name in ("published", "modified", "fetched_at") if times else ():
            row[name] = parse_iso(row[name]).astimezone(UTC) if row[name] else None
    return rows


def test_export_jsonl_and_json_round_trip_every_column(store, tmp_path):
    out = io.StringIO()
    assert export_articles(store.db, out, "jsonl") == len(ARTICLES)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == typed_rows(store)
    assert set(lines[0]) == set(EXPORT_COLUMNS)
    assert lines[0]["authors"] == ["张三", "李四"] and lines[0]["simhash"] == f"{2**63 + 5:016x}"
    path = tmp_path / "all.json"
    export_articles(store.db, path, "json")
    assert json.loads(path.read_text(encoding="utf-8")) == typed_rows(store)


def test_export_csv_round_trips_every_column(store):
    out = io.StringIO()
    export_articles(store.db, out, "csv")
    back = list(csv.DictReader(io.StringIO(out.getvalue())))
    expected = [{k: "" if v is None else str(v) for k, v in row.items()} for row in db_rows(store)]
    assert back == expected  # CSV has no NULL: None comes back as ""


def test_export_parquet_round_trips_every_column(store, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "all.parquet"
    assert export_articles(store.db, path, "parquet", batch_size=2) == len(ARTICLES)
    table = pq.read_table(path)
    assert table.column_names == list(EXPORT_COLUMNS)
    assert str(table.schema.field("published").type) == "timestamp[us, tz=UTC]"
    assert str(table.schema.field("authors").type).startswith("list<")
    assert table.to_pylist() == typed_rows(store, times=True)
    empty = tmp_path / "none.parquet"
    assert export_articles(store.db, empty, "parquet", Filters.of(source="nope")) == 0
    assert pq.read_table(empty).num_rows == 0


def test_parquet_without_pyarrow_names_the_extra(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(NewsharvestError, match=r"newsharvest\[parquet\]"):
        export_articles(store.db, io.BytesIO(), "parquet")


def test_export_filters_and_streams(store):
    rows = iter_articles(store.db, Filters.of(lang="en"))
    assert isinstance(rows, Iterator)
    assert next(rows)["url"] == "https://b.com/3"  # one row at a time from a cursor
    out = io.StringIO()
    assert export_articles(store.db, out, "csv", Filters.of(source="nope")) == 0
    assert out.getvalue().strip() == ",".join(EXPORT_COLUMNS)  # header even with no rows


def test_bad_arguments_are_clear_errors(store, tmp_path):
    with pytest.raises(NewsharvestError, match="unknown export format"):
        export_articles(store.db, io.StringIO(), "xml")
    with pytest.raises(NewsharvestError, match="unknown article column"):
        list(iter_articles(store.db, columns=["url", "nope"]))
    with pytest.raises(StoreError, match="no such database"):
        list(iter_articles(tmp_path / "missing.db"))
    assert not (tmp_path / "missing.db").exists()


def test_source_stats(tmp_path):
    def at(day: int) -> datetime:
        return datetime(2025, 10, day, 12, tzinfo=UTC)

    with Store(tmp_path / "x.db") as s:
        for i, body in enumerate(["一二三", "一二三四五", "12345678901"]):
            a = make(f"https://a.cn/{i}", body, "zh-Hans" if i < 2 else "en", "cn", None)
            s.save(a, PageOutcome(url=a.url, source="cn", status="new", at=at(1)), "run-1")
        for run, day, status in [("run-2", 2, "failed"), ("run-3", 3, "unchanged"),
                                 ("run-3", 3, "failed"), ("run-3", 3, "skipped")]:
            s.record(PageOutcome(url="https://a.cn/x", source="cn", status=status, at=at(day),
                                 error_kind="fetch" if status == "failed" else None,
                                 error=f"HTTP 50{day}" if status == "failed" else None), run)
        s.record(PageOutcome(url="https://dead/", source="dead", status="failed", at=at(4),
                             error_kind="fetch", error="timeout"), "run-4")
        stats = {x.source: x for x in source_stats(s.db, runs=2)}
    cn = stats["cn"]
    assert cn.articles == 3
    assert cn.median_body_length == 5
    assert cn.languages == {"zh-Hans": 2, "en": 1}
    assert cn.last_success == at(3).isoformat()
    assert cn.last_failure == at(3).isoformat()
    assert cn.last_failure_reason == "fetch: HTTP 503"
    assert (cn.runs, cn.fetches, cn.failures) == (2, 3, 2)  # run-2 and run-3, skip not counted
    assert cn.failure_rate == pytest.approx(2 / 3)
    dead = stats["dead"]
    assert (dead.articles, dead.last_success, dead.failure_rate) == (0, None, 1.0)
    assert dead.to_row()["last_failure_reason"] == "fetch: timeout"
