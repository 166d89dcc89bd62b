"""Date finding on whole pages: recall near the headline, precision against panels.

Each page is written here in the shape portals use (text of our own). The rule under test
is "the article's date when the page states one, NULL when it does not": a timestamp in a
trending or related list is never the article's.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newsharvest import extract_html

CN = timezone(timedelta(hours=8))
PROSE_ZH = ("<p>这是一段正文内容，介绍了公司发布的新产品，以及它对市场的影响。分析人士认为，"
            "这款产品将改变行业格局，并带来新的竞争。</p><p>第二段正文，继续说明产品的特点和价格，"
            "以及消费者的反应。公司表示，将在下个月开始在全国范围内销售。</p>")
PROSE_EN = ("<p>The council approved the new budget on a narrow vote, with members split over "
            "how much to spend on roads, schools and the harbour, officials said.</p>"
            "<p>Opponents said the plan would raise rates for households already struggling, "
            "while supporters argued that repairs could not be delayed any longer.</p>")
PANEL_ZH = ('<div class="hot"><h3>热点推荐</h3><ul>'
            '<li><a href="/a/1.html">另一条新闻的标题写得很长很长</a><span>2021-11-02 10:00</span></li>'
            '<li><a href="/a/2.html">第三条新闻的标题也写得很长</a><span>2021-11-01 09:00</span></li>'
            "</ul></div>")
PANEL_EN = ('<div class="related"><h3>More stories</h3><ul>'
            '<li><a href="/b/1">Harbour works to start next spring</a> <span>Nov 2, 2021</span></li>'
            '<li><a href="/b/2">Schools ask for more funding again</a> <span>Nov 1, 2021</span></li>'
            "</ul></div>")


def page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def published(html: str, url: str = "https://news.example.com/a/123.html") -> datetime | None:
    return extract_html(html, url).published


@pytest.mark.parametrize(("body", "want"), [
    # Any class name: the first date-shaped line after the headline.
    ('<div class="box-text"><h1>新产品发布会在上海举行</h1><div class="box-text-time">'
     "<span>2022-02-13 20:04:17</span></div>" + PROSE_ZH + "</div>" + PANEL_ZH,
     datetime(2022, 2, 13, 20, 4, 17, tzinfo=CN)),
    # A subject line whose colons make it look like a sentence.
    ("<h1>新产品发布会在上海举行</h1><div>http://biz.example.com 2005-04-25 08:24:06 "
     "来源: 第一财经日报</div>" + PROSE_ZH + PANEL_ZH,
     datetime(2005, 4, 25, 8, 24, 6, tzinfo=CN)),
    # Unpadded month and day, loose text beside the headline.
    ('<div class="hd"><h1>新产品发布会在上海举行</h1>2005-5-7 21:23:57 来源：新华网</div>'
     + PROSE_ZH, datetime(2005, 5, 7, 21, 23, 57, tzinfo=CN)),
])
def test_dates_next_to_the_headline(body: str, want: datetime) -> None:
    html = page("<title>新产品发布会在上海举行_财经频道_示例网</title>", body)
    assert published(html) == want


def test_headline_without_h1_is_found_by_its_text() -> None:
    body = ('<div class="logo"><h1><a href="/">示例网</a></h1></div><div class="art">'
            '<h3 class="t">新产品发布会在上海举行</h3><ul><li>2012-01-12</li></ul>'
            + PROSE_ZH + "</div>" + PANEL_ZH)
    html = page("<title>新产品发布会在上海举行-示例网</title>", body)
    assert published(html) == datetime(2012, 1, 12, tzinfo=CN)


def test_a_logo_h1_does_not_hide_the_byline() -> None:
    body = ('<h1><a href="/">Latest news</a></h1><div class="story">'
            "<h1>Council approves the harbour budget</h1><div>PTI | 03:01 PM,Jan 12,2012</div>"
            + PROSE_EN + "</div>" + PANEL_EN)
    html = page("<title>Council approves the harbour budget - Example News</title>", body)
    assert published(html).date().isoformat() == "2012-01-12"


def test_byline_just_above_the_headline() -> None:
    body = ("<div>By STAFF REPORTER - 12th January 2012</div>"
            "<h1>Council approves the harbour budget</h1>" + PROSE_EN + PANEL_EN)
    html = page("<title>Council approves the harbour budget | Example</title>", body)
    assert published(html).date().isoformat() == "2012-01-12"


@pytest.mark.parametrize(("head", "body", "want"), [
    ('<meta itemprop="dateUpdate" content="2019-10-08 12:00:57">', "",
     datetime(2019, 10, 8, 12, 0, 57, tzinfo=CN)),
    ('<script type="application/ld+json">{"@type": "NewsArticle", '
     '"datePublished": "20180619T055000+0900"}</script>', "",
     datetime(2018, 6, 19, 5, 50, tzinfo=timezone(timedelta(hours=9)))),
    ('<meta name="citation_publication_date" content="2019/10/08">', "",
     datetime(2019, 10, 8, tzinfo=CN)),
    ("", '<span itemprop="datePublished">2019-10-08 07:30</span>',
     datetime(2019, 10, 8, 7, 30, tzinfo=CN)),
    ("", '<time pubdate>2019-10-08 07:30</time>', datetime(2019, 10, 8, 7, 30, tzinfo=CN)),
    # Baidu's cambrian JSON-LD carries no @type.
    ('<script type="application/ld+json">{"@context": '
     '"https://ziyuan.baidu.com/contexts/cambrian.jsonld", "title": "新产品发布会在上海举行", '
     '"pubDate": "2019-09-11T02:46:57"}</script>', "",
     datetime(2019, 9, 11, 2, 46, 57, tzinfo=CN)),
])
def test_metadata_forms(head: str, body: str, want: datetime) -> None:
    html = page("<title>新产品发布会在上海举行</title>" + head,
                "<h1>新产品发布会在上海举行</h1>" + body + PROSE_ZH + PANEL_ZH)
    assert published(html) == want


def test_the_canonical_address_dates_a_page_fetched_elsewhere() -> None:
    html = page('<link rel="canonical" href="https://news.example.com/news/2011-12-14/story.html">',
                "<h1>Council approves the harbour budget</h1>" + PROSE_EN)
    assert published(html, url=None).date().isoformat() == "2011-12-14"


@pytest.mark.parametrize("body", [
    "<h1>新产品发布会在上海举行</h1><div>示例网 阅读 79</div>" + PROSE_ZH + PANEL_ZH,
    "<h1>Council approves the harbour budget</h1><div>Admin 79 views</div>" + PROSE_EN
    + PANEL_EN,
    # A related panel right under the headline: link lines, never a byline.
    "<h1>Council approves the harbour budget</h1>" + PANEL_EN + PROSE_EN,
])
def test_a_page_that_states_no_date_gets_none(body: str) -> None:
    assert published(page("<title>x</title>", body), url="https://news.example.com/story") is None


def test_one_itemprop_query_returns_what_the_two_queries_return() -> None:
    """_itemprop_dates splits one css() result into the two selectors' results, an element
    repeated once per selector it matches, as lexbor lists it."""
    import random

    from newsharvest.extract.metadata import _itemprop_dates
    from newsharvest.extract.parse import parse_page

    rnd = random.Random(2)
    attrs = ['itemprop="datePublished"', 'itemprop="dateCreated"', 'itemprop="dateModified"',
             'itemprop="dateUpdate"', 'ITEMPROP="DateModified"', "pubdate", "PUBDATE",
             'itemprop="datePublished dateModified"', 'content="2020-01-01"', "class=x"]
    for _ in range(300):
        parts = []
        for j in range(rnd.randint(0, 6)):
            tag = rnd.choice(["span", "time", "meta", "div"])
            parts.append(f"<{tag} {' '.join(rnd.sample(attrs, rnd.randint(0, 3)))}>t{j}</{tag}>")
            if rnd.random() < 0.3:
                parts.append(f"<div>{parts.pop()}</div>")
        page = parse_page(f"<html><body>{''.join(parts)}</body></html>")
        published, modified = _itemprop_dates(page)
        assert [n.mem_id for n in published] == [n.mem_id for n in page.tree.css(
            "[itemprop=datePublished], [itemprop=dateCreated], [pubdate]")]
        assert [n.mem_id for n in modified] == [n.mem_id for n in page.tree.css(
            "[itemprop=dateModified], [itemprop=dateUpdate]")]
