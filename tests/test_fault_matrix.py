"""The fault matrix of issue 11: a fault in one run, a clean run after it, nothing lost.

Every case serves one source on a loopback server: a feed with an ETag (so the second run
gets a 304 from the feed) linking to six small pages. The first run meets one fault; the
second meets none. After both, the stored articles must be exactly those of an undisturbed
run, none stored twice, and no run may outlive its deadline by more than a few seconds.
Cases that are about one request, not a run (bombs, redirects, codings) follow the matrix.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newsharvest import harvest, load_sources
from newsharvest.fetch.client import FetchSettings
from newsharvest.harvest import HarvestOptions
from newsharvest.records import Source

PAGES = [f"/p{i}" for i in range(6)]
ARTICLE = ("<!doctype html><html><head><meta charset='utf-8'><title>{t}</title></head><body>"
           "<article><h1>{t}</h1><p>The story {t} begins here, with a comma and detail.</p>"
           "<p>A second paragraph of {t} adds context, as news articles do.</p></article>"
           "</body></html>")
FAST = FetchSettings(timeout=0.5, retries=1, backoff_base=0.01, deadline=2.0)
CLEAN = HarvestOptions(retry_backoff=0.0)

Handler = Callable[[object], object]  # answers a request; a `Counted` one may pass it on


@dataclass
class Counted:
    """A fault for the first `count` requests of a path, in whatever run they come."""

    count: int
    fault: Handler
    seen: int = 0

    def __call__(self, handler) -> bool:
        self.seen += 1
        if self.seen > self.count:
            return False  # the page itself answers
        self.fault(handler)
        return True


@dataclass
class Site:
    """The loopback site: `faults[path]` answers that path in run 1 (while `broken`);
    a `Counted` fault answers its first requests whatever the run."""

    server: object
    faults: dict[str, Handler] = field(default_factory=dict)
    broken: bool = True

    def fault(self, handler, path: str) -> bool:
        """Did a fault answer this request?"""
        fault = self.faults.get(path)
        if isinstance(fault, Counted):
            return fault(handler)
        if fault is not None and self.broken:
            fault(handler)
            return True
        return False

    def article(self, path: str) -> bytes:
        return ARTICLE.format(t=f"Story {path[1:]}").encode()


def _send(handler, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
    try:
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass


def _trickle(handler, data: bytes, step: float = 0.2, limit: float = 20.0) -> None:
    """Write `data` one byte every `step` seconds (gives up after `limit`)."""
    ends = time.monotonic() + limit
    try:
        for byte in data:
            if time.monotonic() > ends:
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(step)
    except (BrokenPipeError, ConnectionResetError, OSError):
        pass
    handler.close_connection = True


@pytest.fixture
def site(loopback) -> Site:
    site = Site(loopback)
    urls = [loopback.url(p) for p in PAGES]
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            + "".join(f"<item><title>x</title><link>{u}</link></item>" for u in urls)
            + "</channel></rss>").encode()

    def serve_feed(handler):
        if site.fault(handler, "/feed.xml"):
            return
        if handler.headers.get("If-None-Match") == '"v1"':
            _send(handler, 304, headers={"ETag": '"v1"'})
        else:
            _send(handler, 200, feed, {"Content-Type": "application/rss+xml", "ETag": '"v1"'})

    def serve_page(handler):
        if not site.fault(handler, handler.path):
            _send(handler, 200, site.article(handler.path),
                  {"Content-Type": "text/html; charset=utf-8"})

    def serve_robots(handler):
        if not site.fault(handler, "/robots.txt"):
            _send(handler, 404)

    loopback.route("/feed.xml", custom=serve_feed)
    loopback.route("/robots.txt", custom=serve_robots)
    for path in PAGES:
        loopback.route(path, custom=serve_page)
    return site


def _sources(site: Site, tmp_path: Path, concurrency: int = 2) -> list[Source]:
    path = tmp_path / "sources.yaml"
    path.write_text(f"sources:\n  - name: s\n    feed: {site.server.url('/feed.xml')}\n"
                    f"    delay: 0\n    concurrency: {concurrency}\n", encoding="utf-8")
    return load_sources(path)


def _stored(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return sorted(url for (url,) in con.execute("select url from articles"))


def _hold(handler, seconds: float) -> None:
    time.sleep(seconds)
    _send(handler, 200, b"late", {"Content-Type": "text/html"})


def _slow_body(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    _trickle(handler, b"<html><body><p>" + b"x" * 1000)


def _slow_headers(handler):
    _trickle(handler, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-Pad: y\r\n" * 50)


def _reset(handler):
    import socket
    import struct

    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.connection.close()


def _truncated(handler):
    try:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "5000")
        handler.end_headers()
        handler.wfile.write(b"<html><body><p>cut")
    except OSError:
        pass
    handler.close_connection = True


def _status(code: int, **headers: str) -> Handler:
    return lambda handler: _send(handler, code, b"error", headers)


# Each case: (faults for run 1, run-1 options, run-1 settings, run-1 time limit in seconds)
CASES: dict[str, tuple[dict[str, Handler], HarvestOptions, FetchSettings, float]] = {
    "limit-3": ({}, HarvestOptions(limit=3), FAST, 20),
    "503-three-times": ({"/p2": Counted(3, _status(503))}, CLEAN, FAST, 20),
    "always-503-in-run-1": ({"/p1": _status(503), "/p4": _status(502)}, CLEAN, FAST, 20),
    "429-retry-after": ({"/p3": Counted(1, _status(429, **{"Retry-After": "1"}))},
                        CLEAN, FAST, 20),
    "slow-body-1-byte-per-step": ({"/p1": _slow_body}, CLEAN, FAST, 12),
    "slow-headers": ({"/p2": _slow_headers}, CLEAN, FAST, 12),
    "hanging-page": ({"/p0": lambda h: _hold(h, 5)}, CLEAN, FAST, 12),
    "time-budget-stops-in-flight": (
        {p: _slow_body for p in PAGES[:2]}, HarvestOptions(time_budget=1.5, retry_backoff=0),
        FetchSettings(timeout=5, deadline=60, retries=0), 1.5 + 4),
    "connection-reset": ({"/p5": _reset}, CLEAN, FAST, 20),
    "truncated-body": ({"/p0": _truncated}, CLEAN, FAST, 20),
    "feed-500": ({"/feed.xml": _status(500)}, CLEAN, FAST, 20),
    "feed-hangs-past-budget": ({"/feed.xml": lambda h: _hold(h, 6)},
                               HarvestOptions(time_budget=1.0, retry_backoff=0),
                               FetchSettings(timeout=10, retries=0), 1.0 + 4),
    "robots-503": ({"/robots.txt": _status(503)}, CLEAN, FAST, 20),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_fault_then_clean_run_stores_what_an_undisturbed_run_stores(site, tmp_path, case):
    faults, options, settings, limit = CASES[case]
    site.faults.update(faults)
    sources = _sources(site, tmp_path)
    db = tmp_path / "x.db"
    started = time.monotonic()
    harvest(sources, db, settings=settings, options=options)
    assert time.monotonic() - started < limit, "run 1 outlived its deadline"
    site.broken = False
    report = harvest(sources, db, settings=FAST, options=CLEAN)
    expected = sorted(site.server.url(p) for p in PAGES)
    assert _stored(db) == expected, report.sources[0].summary()
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*), count(distinct content_hash) from articles"
                           ).fetchone() == (6, 6)
        assert con.execute("select count(*) from pending_links where attempts < 5"
                           ).fetchone() == (0,)
    # A third run has nothing left: one conditional feed request, no page request.
    before = sum(site.server.hits[p] for p in PAGES)
    third = harvest(sources, db, settings=FAST, options=CLEAN)
    assert third.total().new == 0 and sum(site.server.hits[p] for p in PAGES) == before
