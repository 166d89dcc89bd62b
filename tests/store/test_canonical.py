"""store/canonical.py: a loaded row is stored as read only when `to_row` would give
exactly its values back; every other row still goes through `to_row`."""

from __future__ import annotations

from typing import Any

import pytest

from newsharvest.records import Article
from newsharvest.store.canonical import ROW_VALUES, canonical

BASE: dict[str, Any] = {
    "url": "https://example.cn/a/1.html", "source": "demo", "title": "标题",
    "published": "2025-10-01T08:30:00+08:00", "modified": None, "body": "正文。\n\nText.",
    "language": "zh-Hans", "authors": "张三\n李四", "credits": None, "origin": "新华社",
    "content_hash": "ab" * 32, "simhash": "00f0a1b2c3d4e5f6", "story_id": None,
    "fetched_at": "2025-10-20T00:00:00+00:00", "extractor_version": "0.1.0",
}
DATES = ["2025-10-01T08:30:00+08:00", "2025-10-01T08:30:00", "2025-10-01T08:30:00.123456Z",
         "2025-10-01T08:30:00.000000+00:00", "2025-10-01T08:30:00-00:00",
         "2025-10-01T08:30:00.123456-05:30", "2025-10-01T08:30:00.123+08:00",
         "2025-10-01 08:30:00+08:00", " 2025-10-01T08:30:00+08:00", "2025-10-01",
         "2025-13-01T08:30:00+08:00", "2025-10-01T24:00:00+00:00", "20251001T083000+0800",
         "2025-10-01T08:30:00+08:00:00", "２０２５-10-01T08:30:00+08:00", "", "junk"]
OTHER: list[tuple[str, Any]] = [
    ("simhash", "00F0A1B2C3D4E5F6"), ("simhash", "f0a1b2c3d4e5f6"), ("simhash", ""),
    ("simhash", None), ("authors", ""), ("authors", None), ("credits", "编辑\n"),
    ("extractor_version", ""), ("extractor_version", None), ("extractor_version", "0.0.9"),
]
CASES = ([("published", d) for d in DATES] + [("modified", d) for d in DATES]
         + [("fetched_at", d) for d in DATES] + OTHER)


@pytest.mark.parametrize(("name", "value"), CASES)
def test_canonical_only_when_to_row_gives_the_row_back(name: str, value: Any) -> None:
    row = {**BASE, name: value}
    article = Article.from_row(row)
    again = {**article.to_row(), "story_id": None}
    if canonical(row, article):
        assert ROW_VALUES(row) == ROW_VALUES(again)
    # to_row's own rows are always recognised (the load's fast path is taken)
    assert canonical(again, Article.from_row(again))


def test_the_common_forms_are_recognised() -> None:
    for name, value in [("published", "2025-10-01T08:30:00.123456-05:30"),
                        ("fetched_at", "2025-10-20T00:00:00"), ("authors", None)]:
        row = {**BASE, name: value}
        assert canonical(row, Article.from_row(row))
    row = {**BASE, "published": "2025-10-01T08:30:00.000000+00:00"}
    assert not canonical(row, Article.from_row(row))
