"""A harvest cron can trust: the fault matrix against a loopback server on 127.0.0.1.

Each case serves one source whose feed links to pages that misbehave in one way, and
checks that the run ends as expected: nothing lost, nothing stored twice, failures in the
`fetches` table with their reason.
"""

from __future__ import annotations

import sqlite3
import time

import pytest
from helpers import etag_feed
from helpers import sql_rows as rows

from newsharvest import harvest, load_sources
from newsharvest.fetch.client import FetchSettings
from newsharvest.harvest import HarvestOptions

ARTICLE = """<!doctype html><html><head><meta charset="{charset}"><title>{title}</title>
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>{title}</h1>
<p>{body}</p><p>{body}第二段補充說明。 Second paragraph with more detail, too.</p></article>
<footer>About us | Contact</footer></body></html>"""

FAST = FetchSettings(timeout=0.5, retries=1, backoff_base=0.01)


def page(title: str, body: str = "Body text of the story, with a comma.", charset: str = "utf-8",
         encoding: str = "utf-8") -> bytes:
    return ARTICLE.format(title=title, body=body, charset=charset).encode(encoding)


def feed(*urls: str) -> str:
    items = "".join(f"<item><title>x</title><link>{u}</link></item>" for u in urls)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def one_source(server, tmp_path, *paths: str, delay: float = 0.0, **feed_kwargs) -> list:
    urls = [server.url(p) for p in paths]
    server.route("/feed.xml", feed(*urls), headers={"Content-Type": "application/rss+xml"},
                 **feed_kwargs)
    path = tmp_path / "sources.yaml"
    path.write_text(f"sources:\n  - name: s\n    feed: {server.url('/feed.xml')}\n"
                    f"    delay: {delay}\n    concurrency: 2\n", encoding="utf-8")
    return load_sources(path)


def html(server, path: str, body: bytes, content_type: str = "text/html; charset=utf-8",
         **kwargs) -> None:
    server.route(path, body, headers={"Content-Type": content_type}, **kwargs)


def test_500_then_200_is_retried_and_stored(loopback, tmp_path):
    html(loopback, "/a", page("Retried story"), sequence=[500])
    report = harvest(one_source(loopback, tmp_path, "/a"), tmp_path / "x.db", settings=FAST)
    assert report.ok and report.sources[0].new == 1
    assert loopback.hits["/a"] == 2


def test_429_with_retry_after_is_honoured(loopback, tmp_path):
    def limited(handler):
        if loopback.hits["/a"] == 1:
            handler.send_response(429)
            handler.send_header("Retry-After", "1")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            body = page("Patient story")
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

    loopback.route("/a", custom=limited)
    started = time.monotonic()
    report = harvest(one_source(loopback, tmp_path, "/a"), tmp_path / "x.db", settings=FAST)
    assert report.ok and report.sources[0].new == 1
    times = [t for t, p in loopback.log if p == "/a"]
    assert times[1] - times[0] >= 0.95  # waited as asked, not the 10 ms backoff
    assert time.monotonic() - started < 10


def test_hanging_page_times_out_and_the_rest_is_stored(loopback, tmp_path):
    html(loopback, "/slow", page("Slow"), delay=3.0)
    html(loopback, "/ok", page("Fine story"))
    db = tmp_path / "x.db"
    report = harvest(one_source(loopback, tmp_path, "/slow", "/ok"), db, settings=FAST)
    assert (report.sources[0].new, report.sources[0].failed) == (1, 1)
    [(error,)] = rows(db, "select error from fetches where status = 'failed'")
    assert "Timeout" in error


def test_truncated_body_fails_cleanly(loopback, tmp_path):
    def truncated(handler):
        body = page("Cut short")
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body) * 2))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        handler.close_connection = True

    loopback.route("/cut", custom=truncated)
    db = tmp_path / "x.db"
    report = harvest(one_source(loopback, tmp_path, "/cut"), db, settings=FAST)
    assert report.sources[0].failed == 1 and report.sources[0].new == 0
    assert rows(db, "select count(*) from articles") == [(0,)]


def test_redirect_loop_is_a_recorded_failure(loopback, tmp_path):
    loopback.route("/loop1", status=301, headers={"Location": loopback.url("/loop2")})
    loopback.route("/loop2", status=301, headers={"Location": loopback.url("/loop1")})
    loopback.routes["/loop1"].sequence = None
    db = tmp_path / "x.db"
    report = harvest(one_source(loopback, tmp_path, "/loop1"), db, settings=FAST)
    assert report.sources[0].failed == 1
    [(error,)] = rows(db, "select error from fetches where status = 'failed'")
    assert "redirect" in error.lower()


def test_50_mb_body_is_refused_not_stored(loopback, tmp_path):
    html(loopback, "/huge", b"<html><body><p>" + b"x" * (50 * 1024 * 1024) + b"</p></body></html>")
    db = tmp_path / "x.db"
    report = harvest(one_source(loopback, tmp_path, "/huge"), db, settings=FAST)
    assert report.sources[0].failed == 1
    [(kind,)] = rows(db, "select error_kind from fetches where status = 'failed'")
    assert kind == "too-large"


def test_gb2312_in_meta_only_and_big5_pages_decode(loopback, tmp_path):
    html(loopback, "/gb", page("朱镕基访问", "国务院总理朱镕基今天发表讲话，强调改革。", charset="gb2312",
                               encoding="gb18030"), content_type="text/html")
    html(loopback, "/big5", page("港鐵新綫", "港鐵表示新綫將於明年通車，屆時市民出行更方便。", charset="big5",
                                 encoding="big5hkscs"), content_type="text/html; charset=big5")
    db = tmp_path / "x.db"
    report = harvest(one_source(loopback, tmp_path, "/gb", "/big5"), db, settings=FAST)
    assert report.ok and report.sources[0].new == 2
    bodies = "\n".join(b for (b,) in rows(db, "select body from articles"))
    assert "朱镕基" in bodies and "港鐵表示新綫" in bodies and "\ufffd" not in bodies


def test_robots_txt_disallow_is_honoured(loopback, tmp_path):
    loopback.route("/robots.txt", "User-agent: *\nDisallow: /private/\n",
                   headers={"Content-Type": "text/plain"})
    html(loopback, "/private/a", page("Private"))
    html(loopback, "/public/b", page("Public story"))
    db = tmp_path / "x.db"
    report = harvest(one_source(loopback, tmp_path, "/private/a", "/public/b"), db,
                     settings=FAST)
    assert report.ok  # honouring robots.txt is not a failure
    assert (report.sources[0].new, report.sources[0].skipped) == (1, 1)
    assert loopback.hits["/private/a"] == 0 and loopback.hits["/robots.txt"] == 1


def test_second_run_makes_only_a_conditional_feed_request(loopback, tmp_path):
    html(loopback, "/a", page("Story A"))
    html(loopback, "/b", page("Story B"))
    sources = one_source(loopback, tmp_path, "/a", "/b")
    body = loopback.routes["/feed.xml"].body
    loopback.route("/feed.xml", custom=etag_feed(body))
    db = tmp_path / "x.db"
    assert harvest(sources, db, settings=FAST).sources[0].new == 2
    before = dict(loopback.hits)
    second = harvest(sources, db, settings=FAST)
    assert second.ok and second.total().new == 0
    assert loopback.hits["/feed.xml"] == before["/feed.xml"] + 1
    assert loopback.hits["/a"] == before["/a"] and loopback.hits["/b"] == before["/b"]
    assert rows(db, "select count(*) from articles") == [(2,)]


def test_per_host_delay_holds(loopback, tmp_path):
    paths = [f"/p{i}" for i in range(4)]
    for i, path in enumerate(paths):
        html(loopback, path, page(f"Story {i}"))
    harvest(one_source(loopback, tmp_path, *paths, delay=0.3), tmp_path / "x.db",
            settings=FAST)
    times = sorted(t for t, p in loopback.log if p != "/robots.txt")
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # The gate spaces request starts at the client; the server stamps each request when its
    # handler thread runs, which a loaded machine can delay for one request more than for
    # the next. So: every gap well above what no delay gives (milliseconds), and the span of
    # the four gaps at least four delays, less one request's scheduling lag.
    assert len(times) == 5 and min(gaps) >= 0.2
    assert times[-1] - times[0] >= 4 * 0.3 - 0.05


def test_since_and_time_budget_bound_a_run(loopback, tmp_path):
    from datetime import UTC, datetime

    html(loopback, "/old", page("Old"))
    html(loopback, "/new", page("New story"))
    items = ('<item><link>{}</link><pubDate>Mon, 06 Jan 2020 10:00:00 GMT</pubDate></item>'
             '<item><link>{}</link><pubDate>Tue, 14 Oct 2025 10:00:00 GMT</pubDate></item>')
    sources = one_source(loopback, tmp_path)
    loopback.route("/feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel>'
                   + items.format(loopback.url("/old"), loopback.url("/new"))
                   + "</channel></rss>", headers={"Content-Type": "application/rss+xml"})
    options = HarvestOptions(since=datetime(2025, 1, 1, tzinfo=UTC))
    report = harvest(sources, tmp_path / "x.db", settings=FAST, options=options)
    assert (report.sources[0].new, report.sources[0].skipped) == (1, 1)
    assert loopback.hits["/old"] == 0


@pytest.mark.parametrize("kind", ["application/pdf", "image/png"])
def test_non_html_is_recorded_and_skipped(loopback, tmp_path, kind):
    loopback.route("/file", b"%PDF-1.7 binary" if "pdf" in kind else b"\x89PNG\r\n\x1a\n",
                   headers={"Content-Type": kind})
    db = tmp_path / "x.db"
    report = harvest(one_source(loopback, tmp_path, "/file"), db, settings=FAST)
    assert report.ok and report.sources[0].skipped == 1
    assert rows(db, "select error_kind from fetches where status = 'skipped'") == [("not-html",)]
    assert rows(db, "select count(*) from articles") == [(0,)]


def test_keep_raw_then_reextract_without_network(loopback, tmp_path):
    from newsharvest.reextract import reextract

    html(loopback, "/a", page("Kept story"))
    db, raw = tmp_path / "x.db", tmp_path / "raw"
    sources = one_source(loopback, tmp_path, "/a")
    harvest(sources, db, settings=FAST, options=HarvestOptions(keep_raw=raw))
    assert len(list(raw.rglob("*.html.gz"))) == 1
    con = sqlite3.connect(db)
    con.execute("update articles set body = 'stale', content_hash = 'x'")
    con.commit()
    con.close()
    hits = sum(loopback.hits.values())
    counts = reextract(db, raw, sources)
    assert counts["updated"] == 1 and sum(loopback.hits.values()) == hits  # no requests
    [(body,)] = rows(db, "select body from articles")
    assert body.startswith("Body text of the story")


def test_reextract_that_finds_no_text_keeps_the_stored_article(loopback, tmp_path):
    import gzip

    from newsharvest.reextract import reextract

    html(loopback, "/a", page("Kept story"))
    db, raw = tmp_path / "x.db", tmp_path / "raw"
    sources = one_source(loopback, tmp_path, "/a")
    harvest(sources, db, settings=FAST, options=HarvestOptions(keep_raw=raw))
    [kept] = raw.rglob("*.html.gz")
    kept.write_bytes(gzip.compress(b"<html><body></body></html>"))
    counts = reextract(db, raw, sources)
    assert counts["failed"] == 1 and not counts["updated"]
    [(body,)] = rows(db, "select body from articles")
    assert body.startswith("Body text of the story")


def test_json_log_lines(loopback, tmp_path, capfd):
    from newsharvest.cli import main

    loopback.route("/feed.xml", status=500)
    path = tmp_path / "sources.yaml"
    path.write_text(f"sources:\n  - name: s\n    feed: {loopback.url('/feed.xml')}\n",
                    encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["--log-format", "json", "harvest", "--sources", str(path), "--db",
              str(tmp_path / "x.db"), "--timeout", "0.5"])
    assert info.value.code == 1
    import json

    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line]
    assert lines and all({"time", "level", "logger", "message"} <= set(d) for d in lines)
    assert any("HTTP 500" in d["message"] for d in lines)


def test_plain_url_list_discovery(loopback, tmp_path):
    html(loopback, "/a", page("Listed story"))
    loopback.route("/list.txt", f"# today\n{loopback.url('/a')}\n", headers={"Content-Type": "text/plain"})
    path = tmp_path / "sources.yaml"
    path.write_text(f"sources:\n  - name: s\n    urls: {loopback.url('/list.txt')}\n    delay: 0\n",
                    encoding="utf-8")
    [source] = load_sources(path)
    assert source.discovery == "urllist"
    report = harvest([source], tmp_path / "x.db", settings=FAST)
    assert report.ok and report.sources[0].new == 1


def test_refetch_fetches_stored_pages_again_and_updates(loopback, tmp_path):
    html(loopback, "/a", page("First version"))
    sources = one_source(loopback, tmp_path, "/a")
    db = tmp_path / "x.db"
    harvest(sources, db, settings=FAST)
    html(loopback, "/a", page("First version", body="Corrected body text, with a comma."))
    assert harvest(sources, db, settings=FAST).sources[0].unchanged == 1  # not asked: skipped
    report = harvest(sources, db, settings=FAST, options=HarvestOptions(refetch=True))
    assert report.sources[0].updated == 1 and loopback.hits["/a"] == 2
    [(body,)] = rows(db, "select body from articles")
    assert body.startswith("Corrected body text")


def test_robots_txt_5xx_means_no_fetching_there_this_run(loopback, tmp_path):
    loopback.route("/robots.txt", status=503)
    html(loopback, "/a", page("Story"))
    db = tmp_path / "x.db"
    report = harvest(one_source(loopback, tmp_path, "/a"), db, settings=FAST)
    assert loopback.hits["/a"] == 0 and loopback.hits["/feed.xml"] == 0
    error = report.sources[0].source_error
    assert "robots.txt unavailable" in error and "503" in error


def test_unreachable_host_is_reported_as_such_not_as_robots(tmp_path):
    import socket

    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = tmp_path / "sources.yaml"
    path.write_text(f"sources:\n  - name: s\n    feed: http://127.0.0.1:{port}/feed.xml\n",
                    encoding="utf-8")
    report = harvest(load_sources(path), tmp_path / "x.db", settings=FAST)
    error = report.sources[0].source_error
    assert "connection refused" in error and "disallowed" not in error and "robots" not in error
