"""kill -9 a harvest at random moments: after one clean run, every article is there.

The feed has an ETag, so the runs after the first kill get a 304 from it: the links a
killed run found but never fetched must come from the database's pending links, not from
the feed. The first kill lands right after a run asked for its first article page; the
other moments are drawn from a seeded generator (printed on failure) between the moment the
run asks for the feed (imports done) and the time an undisturbed run works after that, so
the kills land while pages are being fetched and stored.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from helpers import etag_feed

import newsharvest
from newsharvest import harvest, load_sources
from newsharvest.fetch.client import FetchSettings

PAGES = 16
ARTICLE = ("<!doctype html><html><head><meta charset='utf-8'><title>{t}</title></head><body>"
           "<article><h1>{t}</h1><p>The story {t} begins here, with a comma and detail.</p>"
           "<p>A second paragraph of {t} adds context, as news articles do.</p></article>"
           "</body></html>")


def _serve(loopback) -> None:
    urls = [loopback.url(f"/p{i}") for i in range(PAGES)]
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            + "".join(f"<item><title>x</title><link>{u}</link></item>" for u in urls)
            + "</channel></rss>").encode()
    loopback.route("/feed.xml", custom=etag_feed(feed))
    for i in range(PAGES):
        # A short server delay spreads the run over time, so kills land mid-run.
        loopback.route(f"/p{i}", ARTICLE.format(t=f"Story {i}"), delay=0.02,
                       headers={"Content-Type": "text/html; charset=utf-8"})


def _start(sources: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(newsharvest.__file__).parents[1])}
    return subprocess.Popen(
        [sys.executable, "-m", "newsharvest", "harvest", "--sources", str(sources),
         "--db", str(db), "--timeout", "5"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def _wait_for_feed_request(loopback, process: subprocess.Popen) -> None:
    """Until the process asks for the feed (its imports done), or ends."""
    seen = loopback.hits["/feed.xml"]
    deadline = time.monotonic() + 60
    while (loopback.hits["/feed.xml"] == seen and process.poll() is None
           and time.monotonic() < deadline):
        time.sleep(0.01)


def _wait_for_page_request(loopback, process: subprocess.Popen) -> None:
    """Until the process asks for an article page, or ends."""
    def pages() -> int:
        return sum(n for path, n in list(loopback.hits.items()) if path.startswith("/p"))

    seen = pages()
    deadline = time.monotonic() + 60
    while pages() == seen and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as con:
        try:
            return int(con.execute("select count(*) from articles").fetchone()[0])
        except sqlite3.OperationalError:  # killed before the schema was written
            return 0


def test_sigkill_at_ten_random_moments_loses_nothing(loopback, tmp_path):
    _serve(loopback)
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: s\n    feed: {loopback.url('/feed.xml')}\n"
                       "    delay: 0\n    concurrency: 2\n", encoding="utf-8")
    db = tmp_path / "x.db"
    # How long an undisturbed run (on a scratch file) works after asking for the feed.
    _start(sources, tmp_path / "scratch.db").wait(timeout=120)
    asked = min(t for t, path in loopback.log if path == "/feed.xml")
    window = max(t for t, path in loopback.log if path.startswith("/p")) - asked
    loopback.hits.clear()

    # First one kill that surely lands mid-run, whatever the machine's load: right after the
    # run asked for its first article page (pages fetched, none or few stored yet).
    process = _start(sources, db)
    _wait_for_feed_request(loopback, process)
    _wait_for_page_request(loopback, process)
    alive_at_first_kill = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    stored_after_first_kill = _count(db)

    seed = random.randrange(1 << 30)
    moments = [random.Random(seed + i).uniform(-0.1, window) for i in range(10)]
    for moment in moments:
        process = _start(sources, db)
        _wait_for_feed_request(loopback, process)
        time.sleep(max(0.0, moment))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    settings = FetchSettings(timeout=5, retries=1, backoff_base=0.01)
    report = harvest(load_sources(sources), db, settings=settings)
    assert report.ok, (seed, report.sources[0].summary())
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        urls = [url for (url,) in con.execute("select url from articles")]
    assert sorted(urls) == sorted(loopback.url(f"/p{i}") for i in range(PAGES)), (seed, moments)
    assert loopback.hits["/feed.xml"] >= 2
    # The first kill hit a run in the middle of its pages, and that run had not stored them all.
    assert alive_at_first_kill and stored_after_first_kill < PAGES, stored_after_first_kill
