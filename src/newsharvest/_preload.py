"""Imported once by a process workers are forked from (workers.py): warm every lazy cache.

That is the fork server, or a single-threaded process forking its own workers; whatever
it has loaded, the workers start with: the vocabularies, language profiles and script
tables, the trafilatura fallback and dateparser's locale data. Without this, each fresh
worker, and each one replaced after a page over its budget, would pay up to seconds on
its first page, inside that page's budget.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .normalize.dates import parse_date
from .page import extract_page

_SAMPLES = (
    "<html lang='zh-CN'><head><title>示例新闻标题</title></head><body><article><h1>示例新闻标题"
    "</h1><p>发布时间：2025年9月24日 12:04　来源：示例</p><p>这是一段用于预热的中文正文，"
    "内容足够长，可以被识别为文章正文，而不是导航或者页脚中的零散文字。</p><p>第二段正文继续"
    "说明情况，记者在现场看到许多市民排队等候。</p></article></body></html>",
    "<html lang='en'><head><title>A sample story</title></head><body><article><h1>A sample"
    " story</h1><p>Published 3 hours ago</p><p>This paragraph warms the extractor with "
    "ordinary English text, long enough to be taken for the body of an article.</p>"
    "</article></body></html>",
    "<html><body><p>short</p></body></html>",  # little text: the trafilatura fallback
)


def warm() -> None:
    """Run each stage once (failures do not matter: a warm cache is all this is for)."""
    now = datetime(2025, 9, 24, tzinfo=UTC)
    for sample in _SAMPLES:
        extract_page(sample.encode(), "https://example.com/2025/09/24/a.html", fetched_at=now)
    parse_date("the twenty-fourth of September, twenty twenty-five", tz=UTC, now=now)


warm()
