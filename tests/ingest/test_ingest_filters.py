"""Early filters: by URL before any decoding, by declared language before extraction."""

from __future__ import annotations

import pytest

from newsharvest.ingest import PageFilter
from newsharvest.records import Source


def src(name: str, url: str, **kw) -> Source:
    return Source(name=name, discovery="feed", url=url, **kw)


def test_empty_filter_keeps_everything():
    keep = PageFilter()
    assert keep.wants_url("https://any.example/x") == (True, None)
    assert keep.wants_hint("fr", b"") and keep.wants_language(None)


def test_hosts_match_subdomains_not_lookalikes():
    keep = PageFilter(hosts=("example.org",))
    assert keep.wants_url("https://www.example.org/a")[0]
    assert keep.wants_url("https://example.org/a")[0]
    assert not keep.wants_url("https://notexample.org/a")[0]
    assert not keep.wants_url("https://example.org.evil.test/a")[0]


def test_url_pattern_is_searched():
    keep = PageFilter(url_pattern=r"/20\d\d/\d\d/")
    assert keep.wants_url("https://example.org/news/2025/10/story")[0]
    assert not keep.wants_url("https://example.org/about")[0]


@pytest.mark.parametrize("header, html, wanted", [
    ("zh-CN", b"", True),
    ("en-US", b"", False),
    (None, b'<!doctype html><html lang="zh-Hant-TW"><head>', True),
    (None, b"<html xml:lang='en' lang='en'>", False),
    (None, b"<html><head><title>no hint</title>", True),  # unknown: extract, check later
])
def test_declared_language_hint(header, html, wanted):
    assert PageFilter(languages=("zh",)).wants_hint(header, html) is wanted


def test_detected_language_is_the_final_word():
    assert PageFilter(languages=("zh",)).wants_language("zh-Hant")
    assert PageFilter(languages=("zh-Hant",)).wants_language("zh-Hant")
    assert not PageFilter(languages=("zh-Hant",)).wants_language("zh-Hans")
    assert not PageFilter(languages=("en",)).wants_language("zh-Hans")
    assert not PageFilter(languages=("en",)).wants_language(None)


def test_sources_keep_their_sites_and_name_the_page():
    paper = src("paper", "https://www.example.cn/rss.xml")
    mobile = src("paper-mobile", "https://m.example.cn/list.html")
    wire = src("wire", "https://feeds.example-feeds.com/wire",
               link_pattern=r"^https://www\.wire\.example\.tw/news/")
    keep = PageFilter(sources=(paper, mobile, wire))
    assert keep.wants_url("https://www.example.cn/a/1.html") == (True, paper)
    assert keep.wants_url("https://news.example.cn/a/1.html") == (True, paper)
    assert keep.wants_url("https://m.example.cn/a/1.html") == (True, mobile)  # exact host
    assert keep.wants_url("https://www.wire.example.tw/news/9") == (True, wire)  # feed elsewhere
    assert keep.wants_url("https://www.wire.example.tw/about") == (False, None)
    assert keep.wants_url("https://unrelated.example.com/") == (False, None)


def test_a_link_pattern_splits_one_site_between_sources():
    tech = src("tech", "https://example.cn/tech.xml", link_pattern="/tech/")
    rest = src("rest", "https://example.cn/all.xml")
    keep = PageFilter(sources=(rest, tech))
    assert keep.source_for("https://example.cn/tech/1.html") is tech
    assert keep.source_for("https://example.cn/world/1.html") is rest


def test_filters_survive_pickling_for_worker_processes():
    import pickle

    keep = PageFilter(hosts=("example.org",), url_pattern="/news/", languages=("en",),
                      sources=(src("s", "https://example.org/feed"),))
    copy = pickle.loads(pickle.dumps(keep))
    assert copy.wants_url("https://www.example.org/news/1")[0]
    assert copy.source_for("https://www.example.org/news/1").name == "s"
