"""Article rows: flat, Arrow/SQLite friendly, and readable back into the same Article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from newsharvest import extract_html
from newsharvest.records import Article


def test_to_row_and_from_row_round_trip():
    article = Article(
        url="https://example.com/a", title="标题", body="第一段。\n\n第二段。",
        published=datetime(2025, 10, 14, 7, 2, tzinfo=timezone(timedelta(hours=8))),
        modified=datetime(2025, 10, 14, 9, 0, tzinfo=UTC), language="zh-Hans",
        content_hash="ab" * 32, source="s", authors=("甲", "乙"), credits=("责任编辑：丙",),
        origin="新华社", simhash=(1 << 63) + 5, story_id="x" * 16,
        fetched_at=datetime(2025, 10, 14, 1, tzinfo=UTC))
    row = article.to_row()
    assert all(v is None or isinstance(v, str | int) for v in row.values())
    assert row["published"] == "2025-10-14T07:02:00+08:00"
    assert Article.from_row(row) == article


def test_extracted_article_round_trips(fixtures_dir):
    page = next(fixtures_dir.glob("thepaper/*/page.html"))
    article = extract_html(page.read_bytes(), "https://www.thepaper.cn/newsDetail_forward_1",
                           fetched_at=datetime(2025, 10, 14, tzinfo=UTC))
    again = Article.from_row({**article.to_row(), "warc_offset": 0})  # extra keys ignored
    assert again.to_row() == article.to_row()
