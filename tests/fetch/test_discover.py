"""Tests for newsharvest.fetch.discover: feeds, sitemaps, listings, URL lists, sniffing."""

from __future__ import annotations

import gzip
import time
import zlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsharvest.errors import FetchError, TooLarge
from newsharvest.fetch import discover
from newsharvest.fetch.discover import (
    MAX_DOCUMENT_BYTES,
    Link,
    Sitemap,
    detect_kind,
    parse_feed,
    parse_listing,
    parse_sitemap,
    parse_url_list,
)

BASE = "https://news.example.com/rss/index.xml"

RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example 新闻</title><link>https://news.example.com/</link>
<item><title>  朱镕基
  会见客人 </title><link>/2024/03/05/a1.html#comments</link>
  <pubDate>Tue, 05 Mar 2024 08:30:00 +0800</pubDate></item>
<item><title>Second</title><link>https://news.example.com/2024/03/04/a2.html</link>
  <pubDate>Mon, 04 Mar 2024 23:00:00 GMT</pubDate></item>
<item><title>Duplicate of first</title><link>https://news.example.com/2024/03/05/a1.html</link></item>
<item><title>Script</title><link>javascript:alert(1)</link></item>
<item><title>Permalink guid</title><guid>https://news.example.com/2024/03/03/a3.html</guid></item>
<item><title>No link at all</title><description>x</description></item>
</channel></rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/en/">
  <title>Example</title><id>urn:x</id><updated>2024-03-05T10:00:00Z</updated>
  <entry><title>First post</title><id>urn:1</id>
    <link rel="self" type="application/atom+xml" href="https://blog.example.org/api/1"/>
    <link rel="alternate" type="text/html" href="posts/first.html"/>
    <published>2024-03-05T18:00:00+08:00</published><updated>2024-03-06T00:00:00Z</updated>
  </entry>
  <entry><title>Updated only</title><id>urn:2</id>
    <link href="https://blog.example.org/en/posts/second.html"/>
    <updated>2024-03-04T12:00:00Z</updated></entry>
</feed>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example.net/"><title>RDF</title>
    <link>https://rdf.example.net/</link><description>d</description>
    <items><rdf:Seq><rdf:li resource="https://rdf.example.net/story/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://rdf.example.net/story/1"><title>Story one</title>
    <link>https://rdf.example.net/story/1</link><dc:date>2024-03-01T09:15:00+01:00</dc:date></item>
  <item rdf:about="https://rdf.example.net/story/2"><title>Story two</title>
    <link>https://rdf.example.net/story/2</link></item>
</rdf:RDF>"""

LAUGHS = "\n".join(
    [f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10)]
).replace("&lol0;", "lol")

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example.com/a/1.html</loc>
    <news:news><news:publication><news:name>Example</news:name><news:language>zh</news:language>
      </news:publication><news:publication_date>2024-03-05T08:30:00+08:00</news:publication_date>
      <news:title>两会 开幕</news:title></news:news>
    <lastmod>2024-03-06T00:00:00Z</lastmod></url>
  <url><loc>/a/2.html</loc><lastmod>2024-03-04</lastmod></url>
  <url><loc>https://news.example.com/a/3.html#x</loc><lastmod>2024-03-04T12:00:00</lastmod></url>
  <url><loc>https://news.example.com/a/1.html</loc></url>
  <url><loc>ftp://news.example.com/a/4.html</loc></url>
  <url><lastmod>2024-01-01</lastmod></url>
</urlset>""".encode()

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example.com/sitemap-news.xml</loc>
    <lastmod>2024-03-05</lastmod></sitemap>
  <sitemap><loc>/sitemap-2024-03.xml.gz</loc></sitemap>
  <sitemap><loc>https://news.example.com/sitemap-news.xml</loc></sitemap>
</sitemapindex>"""


def urls(links: list[Link]) -> list[str]:
    return [link.url for link in links]


def gzip_of_zeros(megabytes: int) -> bytes:
    """A gzip bomb built in 1 MB steps so the test itself stays small in memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\x00" * (1 << 20)
    return b"".join([packer.compress(zeros) for _ in range(megabytes)] + [packer.flush()])


# --- feeds ---------------------------------------------------------------------------

def test_rss2_relative_links_dates_titles_and_dedupe() -> None:
    links = parse_feed(RSS2, BASE)
    assert urls(links) == [
        "https://news.example.com/2024/03/05/a1.html",
        "https://news.example.com/2024/03/04/a2.html",
        "https://news.example.com/2024/03/03/a3.html",
    ]
    first, second, third = links
    assert first.published == datetime(2024, 3, 5, 0, 30, tzinfo=UTC)
    assert first.published.utcoffset() == timedelta(0)
    assert first.title == "朱镕基 会见客人"
    assert second.published == datetime(2024, 3, 4, 23, 0, tzinfo=UTC)
    assert third.published is None and third.title == "Permalink guid"


def test_atom_uses_alternate_link_xml_base_and_published_then_updated() -> None:
    links = parse_feed(ATOM, "https://blog.example.org/feed.atom")
    assert links == [
        Link("https://blog.example.org/en/posts/first.html",
             datetime(2024, 3, 5, 10, 0, tzinfo=UTC), "First post"),
        Link("https://blog.example.org/en/posts/second.html",
             datetime(2024, 3, 4, 12, 0, tzinfo=UTC), "Updated only"),
    ]


def test_rss1_rdf() -> None:
    links = parse_feed(RSS1, "https://rdf.example.net/index.rdf")
    assert urls(links) == ["https://rdf.example.net/story/1", "https://rdf.example.net/story/2"]
    assert links[0].published == datetime(2024, 3, 1, 8, 15, tzinfo=UTC)
    assert links[0].title == "Story one"
    assert links[1].published is None


def test_rss091_and_gzipped_feed() -> None:
    rss091 = (b'<rss version="0.91"><channel><title>t</title><link>http://old.example.com/</link>'
              b"<item><title>Old</title><link>http://old.example.com/x.html</link></item>"
              b"</channel></rss>")
    assert urls(parse_feed(rss091, "http://old.example.com/rss")) == ["http://old.example.com/x.html"]
    assert urls(parse_feed(gzip.compress(RSS2), BASE))[0].endswith("/a1.html")


def test_feed_without_entries_returns_empty_list() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    assert parse_feed(empty, BASE) == []
    assert parse_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
                      BASE) == []


@pytest.mark.parametrize(
    "content",
    [b"<!DOCTYPE html><html><head><title>Home</title></head><body><a href='/x'>x</a></body></html>",
     b"", b"\x89PNG\r\n\x1a\n\x00\x00", b"just some text"],
)
def test_not_a_feed_raises_fetch_error(content: bytes) -> None:
    with pytest.raises(FetchError, match="not a feed") as info:
        parse_feed(content, BASE)
    assert info.value.url == BASE


@pytest.mark.parametrize("separator", ["\n", ""])  # feedparser strips these line by line
def test_feed_billion_laughs_is_not_expanded(separator: str) -> None:
    doctype = f'<!DOCTYPE rss [{separator}<!ENTITY lol "lol">{separator}' \
              + LAUGHS.replace("\n", separator) + "]>"
    feed = (f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>t</title>'
            "<item><title>&lol9;</title><link>/a/1</link><description>&lol9;</description>"
            "</item></channel></rss>").encode()
    started = time.perf_counter()
    links = parse_feed(feed, BASE)
    assert time.perf_counter() - started < 2
    assert urls(links) == ["https://news.example.com/a/1"]
    assert links[0].title is None or len(links[0].title) < 50
    assert "lollol" not in (links[0].title or "")


def test_feed_external_entity_is_not_read() -> None:
    feed = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>'
            b'\n<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title>'
            b"<link>https://news.example.com/a/1</link></item></channel></rss>")
    links = parse_feed(feed, BASE)
    assert urls(links) == ["https://news.example.com/a/1"]
    assert "root:" not in (links[0].title or "")


def test_feed_over_the_cap_raises_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discover, "MAX_DOCUMENT_BYTES", len(RSS2) - 1)
    with pytest.raises(TooLarge):
        parse_feed(RSS2, BASE)


# --- sitemaps ------------------------------------------------------------------------

def test_urlset_with_google_news_and_lastmod() -> None:
    sitemap = parse_sitemap(SITEMAP, "https://news.example.com/sitemap.xml")
    assert sitemap.sitemaps == []
    assert sitemap.links == [
        Link("https://news.example.com/a/1.html", datetime(2024, 3, 5, 0, 30, tzinfo=UTC),
             "两会 开幕"),
        Link("https://news.example.com/a/2.html", datetime(2024, 3, 4, tzinfo=UTC)),
        Link("https://news.example.com/a/3.html", datetime(2024, 3, 4, 12, tzinfo=UTC)),
    ]


def test_sitemap_naive_times_use_the_given_timezone() -> None:
    beijing = timezone(timedelta(hours=8))
    sitemap = parse_sitemap(SITEMAP, "https://news.example.com/sitemap.xml", naive_tz=beijing)
    assert sitemap.links[2].published == datetime(2024, 3, 4, 4, tzinfo=UTC)
    assert sitemap.links[0].published == datetime(2024, 3, 5, 0, 30, tzinfo=UTC)  # had offset


def test_sitemapindex() -> None:
    assert parse_sitemap(SITEMAP_INDEX, "https://news.example.com/robots.txt") == Sitemap(
        links=[],
        sitemaps=["https://news.example.com/sitemap-news.xml",
                  "https://news.example.com/sitemap-2024-03.xml.gz"],
    )


def test_gzip_sitemap_including_multi_member() -> None:
    base = "https://news.example.com/sitemap.xml.gz"
    assert parse_sitemap(gzip.compress(SITEMAP), base) == parse_sitemap(SITEMAP, base)
    half = len(SITEMAP_INDEX) // 2
    two_members = gzip.compress(SITEMAP_INDEX[:half]) + gzip.compress(SITEMAP_INDEX[half:])
    assert len(parse_sitemap(two_members, base).sitemaps) == 2


def test_gzip_bomb_raises_too_large_quickly() -> None:
    bomb = gzip_of_zeros(100)
    assert len(bomb) < 1_000_000 and MAX_DOCUMENT_BYTES < 100 * (1 << 20)
    started = time.perf_counter()
    with pytest.raises(TooLarge) as info:
        parse_sitemap(bomb, "https://news.example.com/bomb.xml.gz")
    assert time.perf_counter() - started < 3
    assert info.value.url == "https://news.example.com/bomb.xml.gz"
    with pytest.raises(TooLarge):
        parse_feed(bomb, BASE)


def test_corrupt_gzip_raises_fetch_error() -> None:
    with pytest.raises(FetchError, match="corrupt gzip"):
        parse_sitemap(b"\x1f\x8b\x08\x00garbage-not-deflate", "https://x.example.com/s.xml.gz")


@pytest.mark.parametrize(
    "entities",
    [f'<!ENTITY lol "lol">{LAUGHS}', '<!ENTITY xxe SYSTEM "file:///etc/passwd">'],
    ids=["billion-laughs", "xxe"],
)
def test_sitemap_with_entity_declarations_is_refused(entities: str) -> None:
    content = (f'<?xml version="1.0"?><!DOCTYPE urlset [{entities}]><urlset xmlns="http://'
               'www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example.com/&lol9;'
               "</loc></url><url><loc>https://x.example.com/&xxe;</loc></url></urlset>").encode()
    started = time.perf_counter()
    with pytest.raises(FetchError, match="entities"):
        parse_sitemap(content, "https://x.example.com/sitemap.xml")
    assert time.perf_counter() - started < 2


def test_sitemap_entity_reference_without_declaration_is_dropped_not_mangled() -> None:
    content = (b'<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "http://evil.example/x.dtd">'
               b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>https://x.example.com/&ext;</loc></url>"
               b"<url><loc>https://x.example.com/ok?a=1&amp;b=2</loc></url></urlset>")
    sitemap = parse_sitemap(content, "https://x.example.com/sitemap.xml")
    assert urls(sitemap.links) == ["https://x.example.com/ok?a=1&b=2"]


def test_malformed_sitemap_is_recovered() -> None:
    sloppy = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              b"<url><loc>https://x.example.com/a?x=1&y=2</loc></url>"
              b"<url><loc>https://x.example.com/b</loc></url></urlset>")
    assert "https://x.example.com/b" in urls(parse_sitemap(sloppy, "https://x.example.com/s").links)


def test_text_sitemap_and_feed_as_sitemap() -> None:
    text = b"https://x.example.com/a\n\nhttps://x.example.com/b\n"
    assert urls(parse_sitemap(text, "https://x.example.com/sitemap.txt").links) == [
        "https://x.example.com/a", "https://x.example.com/b"]
    assert parse_sitemap(RSS2, BASE).links == parse_feed(RSS2, BASE)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"<!DOCTYPE html><html><body>Not found</body></html>", "root element <html>"),
     (b"\x00\x01binary", "no XML element"),
     (b"", "no XML element"),
     (b'<?xml version="1.0"?><opml version="2.0"></opml>', "root element <opml>")],
)
def test_not_a_sitemap_raises_fetch_error(content: bytes, message: str) -> None:
    with pytest.raises(FetchError, match="not a sitemap") as info:
        parse_sitemap(content, "https://x.example.com/sitemap.xml")
    assert message in str(info.value)
    assert info.value.url == "https://x.example.com/sitemap.xml"


def test_truncated_sitemap_keeps_complete_entries() -> None:
    cut = SITEMAP[: SITEMAP.index(b"<url><loc>https://news.example.com/a/3.html")]
    assert urls(parse_sitemap(cut, "https://news.example.com/s.xml").links) == [
        "https://news.example.com/a/1.html", "https://news.example.com/a/2.html"]


# --- listing pages -------------------------------------------------------------------

LISTING = """<!DOCTYPE html><html><head><title>要闻</title></head><body>
<nav><a href="/">首页</a><a href="/about">关于</a></nav>
<ul class="news">
  <li><span class="date">03-05</span><a href="/2024/03/05/a1.html">两会<b>开幕</b></a></li>
  <li><a href="2024/03/05/a2.html#top">  Markets
     rally </a></li>
  <li><a href="https://other.example.org/2024/03/05/x.html">外站</a></li>
  <li><a href="javascript:void(0)">更多</a></li>
  <li><span>no link here</span></li>
  <li><a href="/2024/03/05/a1.html"><img src="t.jpg"></a></li>
</ul>
<div class="item"><h3><a title="Image story" href="/2024/03/04/a3.html"><img src="i.jpg"></a></h3></div>
</body></html>"""
LIST_BASE = "https://news.example.com/china/"


def test_listing_selector_on_anchors() -> None:
    links = parse_listing(LISTING, LIST_BASE, "ul.news a")
    assert urls(links) == [
        "https://news.example.com/2024/03/05/a1.html",
        "https://news.example.com/china/2024/03/05/a2.html",
        "https://other.example.org/2024/03/05/x.html",
    ]
    assert links[0].title == "两会开幕"  # no space invented between Han characters
    assert links[1].title == "Markets rally"


def test_listing_selector_on_containers_uses_first_link_inside() -> None:
    links = parse_listing(LISTING, LIST_BASE, "ul.news li, div.item")
    assert urls(links)[-1] == "https://news.example.com/2024/03/04/a3.html"
    assert links[-1].title == "Image story"  # from the title attribute
    assert len(links) == 4


def test_listing_pattern_filter() -> None:
    links = parse_listing(LISTING, LIST_BASE, "a", pattern=r"^https://news\.example\.com/\d{4}/")
    assert urls(links) == [
        "https://news.example.com/2024/03/05/a1.html",
        "https://news.example.com/2024/03/04/a3.html",
    ]


def test_listing_honours_base_href() -> None:
    html = '<html><head><base href="/en/"></head><body><a href="story.html">s</a></body></html>'
    assert urls(parse_listing(html, "https://x.example.com/zh/list", "a")) == [
        "https://x.example.com/en/story.html"]


def test_listing_bad_selector_or_pattern_raises_fetch_error() -> None:
    with pytest.raises(FetchError, match="selector"):
        parse_listing(LISTING, LIST_BASE, "ul[[[")
    with pytest.raises(FetchError, match="pattern"):
        parse_listing(LISTING, LIST_BASE, "a", pattern="(unclosed")


def test_listing_without_matches_is_empty() -> None:
    assert parse_listing(LISTING, LIST_BASE, "div.nothing") == []


# --- URL lists -----------------------------------------------------------------------

def test_url_list() -> None:
    text = """# seed list
https://news.example.com/a.html
   /b.html   # relative, with a comment

https://news.example.com/a.html#dup
mailto:editor@example.com
http://news.example.com/c.html?id=1 trailing words
"""
    assert urls(parse_url_list(text, "https://news.example.com/")) == [
        "https://news.example.com/a.html",
        "https://news.example.com/b.html",
        "http://news.example.com/c.html?id=1",
    ]
    assert parse_url_list("", "https://news.example.com/") == []


# --- detect_kind ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (RSS2, "text/html; charset=utf-8", "feed"),  # mislabelled feed: root wins
        (ATOM, "application/xml", "feed"),
        (RSS1, None, "feed"),
        (b"", "application/rss+xml", "feed"),
        (SITEMAP, "text/xml", "sitemap"),
        (SITEMAP_INDEX, None, "sitemap"),
        (gzip.compress(SITEMAP), "application/octet-stream", "sitemap"),
        (b"\xef\xbb\xbf<?xml version='1.0'?><!-- hi --><urlset/>", "text/plain", "sitemap"),
        (LISTING.encode(), "text/html", "html"),
        (LISTING.encode(), None, "html"),
        (b"<div><a href='/x'>x</a></div>", None, "html"),
        (b"https://a.example.com/1\nhttps://a.example.com/2\n", None, "text"),
        (b"# list\nhttps://a.example.com/1\n", "application/octet-stream", "text"),
        (b"plain words", "text/plain", "text"),
    ],
)
def test_detect_kind(content: bytes, content_type: str | None, expected: str) -> None:
    assert detect_kind(content, content_type) == expected


def test_detect_kind_on_a_gzip_bomb_is_bounded() -> None:
    started = time.perf_counter()
    assert detect_kind(gzip_of_zeros(50), None) == "text"
    assert time.perf_counter() - started < 3
