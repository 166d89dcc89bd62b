"""End-to-end harvests against a loopback server and the replayed fixture corpus."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import sql_rows

from newsharvest import harvest, load_sources
from newsharvest.cli import main
from newsharvest.errors import LockHeldError
from newsharvest.fetch.client import FetchSettings
from newsharvest.lock import RunLock

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Loopback News</title><meta property="og:title" content="{title}">
<meta property="article:published_time" content="2025-10-14T08:30:00+08:00"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/tech">Tech</a></nav>
<article><h1>{title}</h1><p>{body} The first paragraph carries the news, with detail.</p>
<p>A second paragraph adds context, quotes and numbers, as articles do.</p></article>
<aside class="related"><h3>Related</h3><ul><li><a href="/x">Other story one</a></li>
<li><a href="/y">Other story two</a></li></ul></aside><footer>© Loopback News</footer></body></html>"""

FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
{items}</channel></rss>"""


def feed(*urls: str) -> str:
    return FEED.format(items="".join(f"<item><title>x</title><link>{u}</link></item>" for u in urls))


def sources_yaml(server, tmp_path, *, with_failures: bool = True):
    text = "defaults: {delay: 0, concurrency: 4}\nsources:\n"
    text += f"  - name: good\n    feed: {server.url('/good/feed.xml')}\n    timezone: Asia/Taipei\n"
    if with_failures:
        text += f"  - name: broken\n    feed: {server.url('/broken/feed.xml')}\n"
        text += f"  - name: slow\n    feed: {server.url('/slow/feed.xml')}\n"
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def serve_good(server):
    a = server.route("/good/a.html", PAGE.format(title="Alpha story", body="Alpha."),
                     headers={"Content-Type": "text/html; charset=utf-8"})
    b = server.route("/good/b.html", PAGE.format(title="Beta story", body="Beta."),
                     headers={"Content-Type": "text/html; charset=utf-8"})
    server.route("/good/feed.xml", feed(a, b), headers={"Content-Type": "application/rss+xml"})


def test_failing_sources_do_not_stop_the_others(loopback, tmp_path):
    serve_good(loopback)
    loopback.route("/broken/feed.xml", status=500)
    loopback.route("/slow/feed.xml", feed(), delay=3.0)
    sources = load_sources(sources_yaml(loopback, tmp_path))
    db = tmp_path / "x.db"
    report = harvest(sources, db, settings=FetchSettings(timeout=0.5, retries=1,
                                                         backoff_base=0.01))
    assert not report.ok
    by_name = {s.source: s for s in report.sources}
    assert by_name["good"].new == 2 and by_name["good"].ok
    assert "HTTP 500" in by_name["broken"].source_error
    assert "Timeout" in by_name["slow"].source_error
    assert loopback.hits["/broken/feed.xml"] == 2  # one retry on a 5xx
    con = sqlite3.connect(db)
    titles = sorted(r[0] for r in con.execute("select title from articles"))
    assert titles == ["Alpha story", "Beta story"]
    published = con.execute("select published from articles limit 1").fetchone()[0]
    assert published == "2025-10-14T08:30:00+08:00"
    failures = dict(con.execute("select source, error from fetches where status = 'failed'"))
    assert set(failures) == {"broken", "slow"}


def test_cli_exit_code_1_when_a_source_fails(loopback, tmp_path, capsys):
    serve_good(loopback)
    loopback.route("/broken/feed.xml", status=500)
    loopback.route("/slow/feed.xml", feed(), delay=3.0)
    path = sources_yaml(loopback, tmp_path)
    with pytest.raises(SystemExit) as info:
        main(["harvest", "--sources", str(path), "--db", str(tmp_path / "x.db"),
              "--timeout", "0.3"])
    assert info.value.code == 1
    out = capsys.readouterr().out
    assert "good: ok discovered=2 new=2" in out
    assert "broken: FAILED" in out and "slow: FAILED" in out
    assert out.strip().splitlines()[-1].startswith("total:")


def test_second_run_fetches_no_stored_page(loopback, tmp_path):
    serve_good(loopback)
    sources = load_sources(sources_yaml(loopback, tmp_path, with_failures=False))
    db = tmp_path / "x.db"
    first = harvest(sources, db)
    second = harvest(sources, db)
    assert first.ok and second.ok
    assert (first.sources[0].new, second.sources[0].new) == (2, 0)
    assert second.sources[0].unchanged == 2
    assert loopback.hits["/good/a.html"] == 1 and loopback.hits["/good/b.html"] == 1
    assert sql_rows(db, "select count(*) from articles") == [(2,)]


def test_lock_held_means_exit_3(loopback, tmp_path, capsys):
    serve_good(loopback)
    path = sources_yaml(loopback, tmp_path, with_failures=False)
    db = tmp_path / "x.db"
    with RunLock(db):
        with pytest.raises(LockHeldError):
            harvest(load_sources(path), db)
        with pytest.raises(SystemExit) as info:
            main(["harvest", "--sources", str(path), "--db", str(db)])
    assert info.value.code == 3
    assert "another harvest is running" in capsys.readouterr().err
    assert loopback.hits["/good/feed.xml"] == 0


def test_an_unexpected_bug_on_one_page_is_recorded_and_the_run_goes_on(loopback, tmp_path,
                                                                        monkeypatch):
    import newsharvest.page as page_module
    from newsharvest.harvest import HarvestOptions

    serve_good(loopback)
    real = page_module.extract_html

    def flaky(text, url, **kwargs):
        if url.endswith("/a.html"):
            raise ValueError("boom")
        return real(text, url, **kwargs)

    monkeypatch.setattr(page_module, "extract_html", flaky)
    db = tmp_path / "x.db"
    # In-process extraction (workers=0), so the patched function is the one called.
    report = harvest(load_sources(sources_yaml(loopback, tmp_path, with_failures=False)), db,
                     options=HarvestOptions(workers=0))
    assert (report.sources[0].new, report.sources[0].failed) == (1, 1)
    [row] = sql_rows(db, "select error_kind, error from fetches where status='failed'")
    assert row[0] == "bug" and "ValueError: boom" in row[1]


def test_killed_run_loses_nothing_and_the_next_run_resumes(loopback, tmp_path):
    """kill -9 in the middle of a harvest: stored pages survive intact, the rest follow."""
    import os
    import signal
    import subprocess
    import sys
    import time

    a = loopback.route("/good/a.html", PAGE.format(title="Alpha story", body="Alpha."),
                       headers={"Content-Type": "text/html; charset=utf-8"})
    b = loopback.route("/good/b.html", PAGE.format(title="Beta story", body="Beta."),
                       headers={"Content-Type": "text/html; charset=utf-8"}, delay=30.0)
    loopback.route("/good/feed.xml", feed(a, b), headers={"Content-Type": "application/rss+xml"})
    path = sources_yaml(loopback, tmp_path, with_failures=False)
    db = tmp_path / "x.db"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "newsharvest", "harvest", "--sources",
                             str(path), "--db", str(db), "--timeout", "60"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    n = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
                except sqlite3.OperationalError:
                    n = 0
                if n == 1 and loopback.hits["/good/b.html"] == 1:
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the first page was never stored")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    loopback.routes["/good/b.html"].delay = 0.0
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("select title from articles").fetchall() == [("Alpha story",)]
    con.close()
    report = harvest(load_sources(path), db)  # the lock died with the killed process
    assert report.ok and report.sources[0].new == 1
    assert loopback.hits["/good/a.html"] == 1  # not fetched again
    titles = sorted(r[0] for r in sql_rows(db, "select title from articles"))
    assert titles == ["Alpha story", "Beta story"]


def test_error_handling_set_in_options_is_honoured(tmp_path):
    from newsharvest.harvest import HarvestOptions
    from newsharvest.records import Source

    broken = Source(name="broken", discovery="urls", url="http://127.0.0.1:9/a",
                    urls=("http://127.0.0.1:9/a",), delay=0.0)
    settings = FetchSettings(timeout=0.5, retries=0, obey_robots=False)
    with pytest.raises(Exception) as info:
        harvest([broken], tmp_path / "x.db", settings=settings,
                options=HarvestOptions(error_handling="raise"))
    assert "127.0.0.1:9" in str(info.value)
