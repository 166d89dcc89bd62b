"""`sources check` and `fixture add`: adding a site, seen from the user's side."""

from __future__ import annotations

import pytest
from helpers import run_case

from newsharvest.cli import main
from newsharvest.fixtures import read_expected, read_manifest

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>港口吞吐量创新高_示例新闻网</title><meta property="og:title" content="港口吞吐量创新高">
<meta property="article:published_time" content="2025-10-14T09:30:00+08:00"></head><body>
<div class="nav"><a href="/">首页</a><a href="/a">财经</a><a href="/b">科技</a></div>
<div class="article"><h1>港口吞吐量创新高</h1><p>记者从港口集团获悉，今年前三季度港口货物吞吐量同比增长百分之六，创历史同期新高。</p>
<p>港口方面表示，集装箱航线持续加密，自动化码头效率明显提升，四季度有望继续保持增长。</p>
<p>责任编辑：王明</p></div><div class="related"><h3>相关推荐</h3><ul><li><a href="/x">另一条新闻标题</a></li>
<li><a href="/y">第二条新闻标题</a></li></ul></div></body></html>"""


def serve(loopback) -> str:
    url = loopback.route("/news/1.html", PAGE, headers={
        "Content-Type": "text/html; charset=utf-8", "Date": "Tue, 14 Oct 2025 04:00:00 GMT"})
    loopback.route("/feed.xml", f'<rss version="2.0"><channel><item><link>{url}</link></item>'
                   "</channel></rss>", headers={"Content-Type": "application/rss+xml"})
    return url


def test_sources_check_shows_what_the_extractor_made(loopback, tmp_path, capsys):
    serve(loopback)
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: port\n    feed: {loopback.url('/feed.xml')}\n"
                       "    timezone: Asia/Shanghai\n", encoding="utf-8")
    main(["sources", "check", "port", "--sources", str(sources)])
    out = capsys.readouterr().out
    assert "links found: 1" in out
    assert "title:     港口吞吐量创新高" in out
    assert "published: 2025-10-14T09:30:00+08:00" in out
    assert "language: zh-Hans" in out and "2 paragraphs" in out


def test_sources_check_reports_a_broken_source(loopback, tmp_path, capsys):
    loopback.route("/feed.xml", status=500)
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: bad\n    feed: {loopback.url('/feed.xml')}\n",
                       encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["sources", "check", "--sources", str(sources)])
    assert info.value.code == 1
    assert "FAILED: " in capsys.readouterr().out


def test_fixture_add_writes_a_case_that_replays_to_its_record(loopback, tmp_path, capsys):
    url = serve(loopback)
    root = tmp_path / "fixtures"
    main(["fixture", "add", url, "--name", "port-record", "--dir", str(root)])
    [case] = list(root.glob("*/port-record"))
    expected = read_expected(case / "expected.json")
    assert expected["title"] == "港口吞吐量创新高" and expected["credits"] == ["责任编辑：王明"]
    entry = read_manifest(case.parent / "manifest.json")[url]
    assert entry.path == case / "page.html" and entry.status == 200
    assert set(entry.headers) == {"content-type", "date"}
    # The saved case reproduces its record offline, as the fixture tests run it.
    again, article = run_case(case / "expected.json")
    assert article.body == again["body"] and article.title == again["title"]
    with pytest.raises(SystemExit) as info:  # the same case twice is refused
        main(["fixture", "add", url, "--name", "port-record", "--dir", str(root)])
    assert info.value.code == 2
