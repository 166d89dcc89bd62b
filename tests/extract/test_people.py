"""Authors, origin and credits, read from the byline zone whatever the class names."""

from __future__ import annotations

import pytest

from newsharvest import extract_html
from newsharvest.extract.paragraphs import credit_line

PROSE = ("<p>The council approved the new budget on a narrow vote, with members split over "
         "how much to spend on roads, schools and the harbour, officials said.</p>"
         "<p>Opponents said the plan would raise rates for households already struggling, "
         "while supporters argued that repairs could not be delayed any longer.</p>")
PROSE_ZH = ("<p>这是一段正文内容，介绍了公司发布的新产品，以及它对市场的影响。分析人士认为，"
            "这款产品将改变行业格局，并带来新的竞争。</p><p>第二段正文，继续说明产品的特点和价格，"
            "以及消费者的反应。公司表示，将在下个月开始在全国范围内销售。</p>")


def record(body: str, head: str = ""):
    html = f"<html><head><title>Headline</title>{head}</head><body>{body}</body></html>"
    return extract_html(html, "https://news.example.com/a/1")


@pytest.mark.parametrize(("byline", "want"), [
    # a data-testid naming the byline; the job title beside it is not a name
    ('<div><span data-testid="byline-timestamp">Published</span> <span>3 hours ago</span>'
     '<span data-testid="byline-name">Priya Nandakumar</span><span>Technology reporter</span>'
     "</div>", ["Priya Nandakumar"]),
    ('<div class="name">By <span>Lin Yu-hsuan</span> / Staff reporter</div>', ["Lin Yu-hsuan"]),
    ('<div class="meta"><span class="author vcard"><a class="url fn n" href="/author/admin/">'
     "News Admin</a></span> 79 views</div>", ["News Admin"]),
    # an account's own page linked by its name (self-media platforms)
    ('<div><a class="s-source" href="https://m.example.com/dy/media/T16.html"><img src="a.jpg">'
     '  <span class="s-name">证券时报</span> </a> <span>广东</span></div>', ["证券时报"]),
    ('<div>By Jane Roe - 12th January 2012</div>', ["Jane Roe"]),
])
def test_author_elements(byline: str, want: list[str]) -> None:
    assert list(record("<h1>Council approves the harbour budget</h1>" + byline + PROSE)
                .authors) == want


def test_jsonld_author_name_may_be_a_list() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", '
            '"author": {"@type": "Person", "name": ["Clara Benedetti"]}}</script>')
    assert record("<h1>Council approves the harbour budget</h1>" + PROSE, head).authors == (
        "Clara Benedetti",)


def test_no_author_rather_than_a_label_or_an_ad() -> None:
    body = ('<h1>Council approves the harbour budget</h1><div><span class="byline">Posted by'
            '</span> <a href="/media/ads">Buy two get one free now!</a></div>' + PROSE)
    assert record(body).authors == ()


def test_origin_from_a_source_element_beats_a_glued_line() -> None:
    body = ('<h1>新产品发布会在上海举行</h1><div class="post_info">2025-09-24 12:04:37 来源: '
            '<a href="/dy/media/T1.html" class="post_info_source">证券时报</a>'
            '<span class="post_info_ip">广东</span></div>' + PROSE_ZH)
    assert record(body).origin == "证券时报"


def test_credits_in_the_byline_and_in_a_removed_footer() -> None:
    body = ('<h1>新产品发布会在上海举行</h1><div>2025/10/14 9:32:07 来源：示例之家 作者：汐元 '
            "责编：汐元评论</div>" + PROSE_ZH + '<footer><div class="index_footer">'
            '<p class="index_editor">责任编辑：吴晓峰 图片编辑：金晶</p>'
            '<p class="index_proofread">校对：刘威</p></div></footer>')
    assert list(record(body).credits) == ["责编：汐元", "责任编辑：吴晓峰", "图片编辑：金晶",
                                          "校对：刘威"]


@pytest.mark.parametrize(("line", "want"), [
    ("【纠错】 【责任编辑:张樵苏 】", "责任编辑:张樵苏"),
    ("（編輯：陳俊華）1141014", "編輯：陳俊華"),
    ("封面来源｜企业官方", "封面来源｜企业官方"),
])
def test_credit_lines(line: str, want: str) -> None:
    assert credit_line(line) == want


def test_source_query_finds_every_element_the_source_test_accepts() -> None:
    """element_origin queries only elements with "source"/"origin" in a word attribute (any
    ASCII case): the same texts as testing every element of the zone in Python."""
    import random
    from itertools import groupby

    from selectolax.lexbor import LexborHTMLParser

    from newsharvest.extract import people
    from newsharvest.extract.blocks import collect_blocks

    rnd = random.Random(3)
    values = ["source", "newsSource", "ORIGIN", "x-Origin_y", "sources", "resource", "origins",
              "İorigin", "sourcé", "meta", "post-source-link", "Source Origin"]
    keys = ["class", "id", "rel", "itemprop", "data-testid", "title"]
    accepted = 0
    for _ in range(200):
        spans = "".join(
            f'<span {rnd.choice(keys)}="{rnd.choice(values)}">Outlet {i}</span> '
            for i in range(rnd.randint(1, 5)))
        body = LexborHTMLParser(f"<div><p>{spans}</p><p>{spans}</p></div>").body
        assert body is not None
        zone = collect_blocks(body)
        # lexbor lists an element once per selector it matches, in a row: runs collapsed
        fast = [t for t, _ in groupby(
            people._elements(zone, people._is_source, people._SOURCE_SELECTOR))]
        assert fast == [t for t, _ in groupby(people._elements(zone, people._is_source))]
        accepted += bool(fast)
    assert accepted > 50
