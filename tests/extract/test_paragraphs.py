"""Paragraph cleanup: credits, origin, fixed phrases, duplicates, chrome at the edges."""

from __future__ import annotations

import pytest

from newsharvest.extract.blocks import collect_blocks
from newsharvest.extract.paragraphs import (
    clean_paragraphs,
    credit_line,
    is_boilerplate_line,
    origin_of,
)
from newsharvest.extract.parse import parse_page


@pytest.mark.parametrize("line", [
    "责编：王晓 校对：李明", "（责任编辑：张三）", "[责任编辑：李四]", "校对：赵六",
    "責任編輯：陳小明", "Editing by Jane Doe", "Reporting by A; Editing by B",
])
def test_credit_lines(line):
    assert credit_line(line)


@pytest.mark.parametrize("line", [
    "编辑部认为，这项政策的影响将在明年显现，企业需要提前准备，投资者也应谨慎对待。",
    "The editor of the paper said the decision was final and would not be revisited.",
])
def test_prose_mentioning_editors_is_not_a_credit(line):
    assert credit_line(line) is None


def test_origin_lines():
    assert origin_of("来源：证券时报") == "证券时报"
    assert origin_of("（來源：中央社）") == "中央社"
    assert origin_of("来源于市场的消息显示，股价在周二下跌。") is None


@pytest.mark.parametrize("line", [
    "特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台“网易号”用户上传并发布",
    "Notice: The content above (including the pictures and videos if any) is uploaded and "
    "posted by a user of NetEase Hao, which is a social media platform",
    "相关推荐", "热点推荐", "Write a comment", "The translation is provided by third-party "
    "software.", "Back to AI News Briefing", "Recommended", "0 分享至", "返回搜狐，查看更多",
    "原标题：某某公司发布新品",
])
def test_fixed_boilerplate_phrases(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "The company said it would share more details about the related project next month.",
    "他表示，相关推荐方案仍在讨论之中，预计下月公布。",
])
def test_prose_that_mentions_a_phrase_survives(line):
    assert not is_boilerplate_line(line)


def _clean(html: str, title: str | None = None) -> list[str]:
    page = parse_page(f"<html><body>{html}</body></html>")
    return clean_paragraphs(collect_blocks(page.body), title=title).paragraphs


def test_duplicate_and_truncated_repeat_collapse():
    para = ("Analyst Anurag Rana wrote that the decision highlights the challenges facing "
            "cloud providers in expanding their capacity.")
    out = _clean(f"<p>{para}</p><p>Second paragraph, different.</p><p>{para}</p>"
                 f"<p>{para[:60]}</p>")
    assert out == [para, "Second paragraph, different."]


def test_title_repeated_as_first_line_is_dropped():
    out = _clean("<p>狂砸算力基建,OpenAI大动作!</p><p>AI巨头正从模型驱动迈向基建驱动的崭新阶段。</p>",
                 title="狂砸算力基建,OpenAI大动作!")
    assert out == ["AI巨头正从模型驱动迈向基建驱动的崭新阶段。"]


def test_chrome_trimmed_at_edges_and_credits_collected():
    page = parse_page("<html><body><p>AI News Briefing Admin 79 views</p>"
                      "<p>第一段正文，内容足够长。</p><p>责编：王晓 校对：李明</p><p>0</p></body></html>")
    cleaned = clean_paragraphs(collect_blocks(page.body))
    assert cleaned.paragraphs == ["第一段正文，内容足够长。"]
    assert cleaned.credits == ["责编：王晓 校对：李明"]


def test_facebook_page_promo_is_boilerplate_but_news_about_a_page_is_not():
    assert is_boilerplate_line("香港新浪新聞現已開設Facebook專頁，讓你即時掌握本地新聞，快點到Facebook Like我們的專頁！")
    assert not is_boilerplate_line("特首昨晚在其Facebook專頁發文，表示政府會檢討有關政策，並呼籲市民保持冷靜。")
