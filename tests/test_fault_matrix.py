"""The fault matrix of issue 11: a fault in one run, a clean run after it, nothing lost.

Every case serves one source on a loopback server: a feed with an ETag (so the second run
gets a 304 from the feed) linking to six small pages. The first run meets one fault; the
second meets none. After both, the stored articles must be exactly those of an undisturbed
run, none stored twice, and no run may outlive its deadline by more than a few seconds.
Cases that are about one request, not a run (bombs, redirects, codings) follow the matrix.
"""

from __future__ import annotations

import gzip
import sqlite3
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from helpers import send_response as _send

from newsharvest import harvest, load_sources
from newsharvest.fetch.client import Fetcher, FetchSettings
from newsharvest.harvest import HarvestOptions
from newsharvest.records import Source

PAGES = [f"/p{i}" for i in range(6)]
ARTICLE = ("<!doctype html><html><head><meta charset='utf-8'><title>{t}</title></head><body>"
           "<article><h1>{t}</h1><p>The story {t} begins here, with a comma and detail.</p>"
           "<p>A second paragraph of {t} adds context, as news articles do.</p></article>"
           "</body></html>")
FAST = FetchSettings(timeout=0.5, retries=1, backoff_base=0.01, deadline=2.0)
CLEAN = HarvestOptions(retry_backoff=0.0)
# For the clean runs: deadlines also count the time the event loop spends extracting other
# pages, so on a loaded machine a tight one could fail a healthy page.
ROOMY = FetchSettings(timeout=5, retries=1, backoff_base=0.01)

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
    first = harvest(sources, db, settings=settings, options=options)
    assert time.monotonic() - started < limit, "run 1 outlived its deadline"
    site.broken = False
    report = harvest(sources, db, settings=ROOMY, options=CLEAN)
    expected = sorted(site.server.url(p) for p in PAGES)
    assert _stored(db) == expected, (first.sources[0].summary(), report.sources[0].summary())
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*), count(distinct content_hash) from articles"
                           ).fetchone() == (6, 6)
        assert con.execute("select count(*) from pending_links where attempts < 5"
                           ).fetchone() == (0,)
    # A third run has nothing left: one conditional feed request, no page request.
    before = sum(site.server.hits[p] for p in PAGES)
    third = harvest(sources, db, settings=ROOMY, options=CLEAN)
    assert third.total().new == 0 and sum(site.server.hits[p] for p in PAGES) == before


# --- one request against a hostile server --------------------------------------------

def _one_page_source(server, tmp_path: Path, path: str = "/bomb") -> list[Source]:
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
            f"<link>{server.url(path)}</link></item></channel></rss>")
    server.route("/feed.xml", feed, headers={"Content-Type": "application/rss+xml"})
    (tmp_path / "s.yaml").write_text(
        f"sources:\n  - name: s\n    feed: {server.url('/feed.xml')}\n    delay: 0\n",
        encoding="utf-8")
    return load_sources(tmp_path / "s.yaml")


def _bomb(coding: str, size: int = 64 << 20) -> bytes:
    import brotli

    zeros = b"\0" * size
    if coding == "br":
        return brotli.compress(zeros, quality=1)
    if coding == "gzip":
        return gzip.compress(zeros, compresslevel=1)
    return zlib.compress(zeros, 1)


@pytest.mark.parametrize("coding", ["br", "gzip", "deflate"])
def test_compression_bomb_is_refused_without_big_memory(loopback, tmp_path, coding):
    import tracemalloc

    loopback.route("/bomb", _bomb(coding), headers={"Content-Type": "text/html",
                                                    "Content-Encoding": coding})
    db = tmp_path / "x.db"
    settings = FetchSettings(timeout=2, retries=0, max_bytes=1 << 20)
    tracemalloc.start()
    try:
        report = harvest(_one_page_source(loopback, tmp_path), db, settings=settings)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.sources[0].failed == 1
    with sqlite3.connect(db) as con:
        assert con.execute("select error_kind from fetches where status = 'failed'"
                           ).fetchall() == [("too-large",)]
    assert peak < 24 << 20, f"{peak / 2**20:.0f} MiB traced for a 1 MiB cap"


def test_br_page_is_decoded_and_br_advertised(loopback, tmp_path):
    import brotli

    body = brotli.compress(ARTICLE.format(t="Brotli story").encode())
    offered: list[str] = []

    def serve(handler):
        offered.append(handler.headers.get("Accept-Encoding", ""))
        _send(handler, 200, body, {"Content-Type": "text/html; charset=utf-8",
                                   "Content-Encoding": "br"})

    sources = _one_page_source(loopback, tmp_path)
    loopback.route("/bomb", custom=serve)
    report = harvest(sources, tmp_path / "x.db", settings=FAST)
    assert report.ok and report.sources[0].new == 1, report.sources[0].errors
    assert offered == ["gzip, deflate, br"]


def test_unadvertised_content_coding_is_refused(loopback, tmp_path):
    loopback.route("/bomb", b"\x28\xb5\x2f\xfd garbage", headers={
        "Content-Type": "text/html", "Content-Encoding": "zstd"})
    db = tmp_path / "x.db"
    report = harvest(_one_page_source(loopback, tmp_path), db, settings=FAST)
    assert report.sources[0].failed == 1
    assert "unsupported content coding 'zstd'" in report.sources[0].errors[0]


def _public_site(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(handler)


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/",
                                    "http://127.0.0.1:8080/admin", "http://[::1]/x",
                                    "http://10.0.0.7/intranet", "http://localhost/x"])
def test_redirect_from_a_public_host_to_an_internal_address_is_refused(target):
    asked: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(302, headers={"Location": target})

    async def fetch() -> None:
        async with Fetcher(FAST, _public_site(handle)) as fetcher:
            await fetcher.fetch("https://news.example/a", delay=0,
                                origin="https://news.example/feed.xml")

    import asyncio

    from newsharvest.errors import FetchError

    with pytest.raises(FetchError, match="internal"):
        asyncio.run(fetch())
    assert not any(target.split("/")[2] in url for url in asked)


def test_redirect_target_robots_txt_is_honoured():
    import asyncio

    from newsharvest.errors import RobotsDisallowed

    asked: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if str(request.url) == "https://other.example/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /private/\n")
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(301, headers={"Location": "https://other.example/private/b"})

    async def fetch() -> None:
        async with Fetcher(FAST, _public_site(handle)) as fetcher:
            await fetcher.fetch("https://news.example/a", delay=0)

    with pytest.raises(RobotsDisallowed):
        asyncio.run(fetch())
    assert "https://other.example/private/b" not in asked


def test_redirect_chain_on_the_sources_own_loopback_host_is_followed(loopback, tmp_path):
    loopback.route("/bomb", status=301, headers={"Location": "/hop1"})
    loopback.route("/hop1", status=302, headers={"Location": loopback.url("/hop2")})
    loopback.route("/hop2", status=307, headers={"Location": "/final"})
    loopback.route("/final", ARTICLE.format(t="Redirected story"),
                   headers={"Content-Type": "text/html; charset=utf-8"})
    db = tmp_path / "x.db"
    report = harvest(_one_page_source(loopback, tmp_path), db, settings=FAST)
    assert report.ok and report.sources[0].new == 1
    assert _stored(db) == [loopback.url("/final")]


# --- the machine: locks, read-only directories, full disks, bad numbers -----------------

def test_a_symlink_to_the_database_meets_the_same_lock(tmp_path):
    from newsharvest.errors import LockHeldError
    from newsharvest.lock import RunLock

    real = tmp_path / "real.db"
    link = tmp_path / "link.db"
    link.symlink_to(real)
    with RunLock(real), pytest.raises(LockHeldError):
        harvest([], link)
    with RunLock(link):  # released on exit: taken again at once
        pass


def test_the_lock_is_released_when_a_run_raises(site, tmp_path):
    from newsharvest.lock import RunLock

    site.faults["/feed.xml"] = _status(500)
    sources = _sources(site, tmp_path)
    with pytest.raises(Exception, match="HTTP 500"):
        harvest(sources, tmp_path / "x.db", settings=FAST, error_handling="raise")
    with RunLock(tmp_path / "x.db"):
        pass


def _cli(args: list[str]) -> tuple[int, str]:
    import os
    import subprocess
    import sys

    import newsharvest

    env = {**os.environ, "PYTHONPATH": str(Path(newsharvest.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-m", "newsharvest", *args], capture_output=True,
                          text=True, timeout=60, env=env)
    return done.returncode, done.stderr


def test_read_only_directory_is_a_one_line_error(site, tmp_path):
    import os
    import subprocess

    folder = tmp_path / "ro"
    folder.mkdir()
    sources = tmp_path / "sources.yaml"
    _sources(site, tmp_path)  # writes sources.yaml
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("cannot make a directory read-only for root here (no chattr)")
    else:
        folder.chmod(0o555)
    try:
        code, err = _cli(["harvest", "--sources", str(sources), "--db", str(folder / "x.db")])
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        folder.chmod(0o755)
    assert code == 2  # a --db path that cannot be written: a usage error
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith("Error: ") and "lock" in err


def test_full_disk_is_one_clear_error_and_the_data_stays_consistent(site, tmp_path,
                                                                    monkeypatch, capsys):
    import importlib

    from newsharvest.cli import main
    from newsharvest.store import Store

    class FullStore(Store):
        """SQLite's own 'database or disk is full', a few pages after opening."""

        def __init__(self, path) -> None:
            super().__init__(path)
            pages = self.db.execute("PRAGMA page_count").fetchone()[0]
            self.db.execute(f"PRAGMA max_page_count = {pages + 3}")

    monkeypatch.setattr(importlib.import_module("newsharvest.harvest"), "Store", FullStore)
    db = tmp_path / "x.db"
    for i, path in enumerate(PAGES):  # pages large enough to fill the three pages left
        site.faults[path] = Counted(1, lambda h, i=i: _send(
            h, 200, ARTICLE.replace("{t}", f"Story {i} " + "word " * 900).encode(),
            {"Content-Type": "text/html; charset=utf-8"}))
    sources = tmp_path / "sources.yaml"
    _sources(site, tmp_path, concurrency=1)
    with pytest.raises(SystemExit) as info:
        main(["harvest", "--sources", str(sources), "--db", str(db), "--timeout", "2"])
    err = capsys.readouterr().err
    assert info.value.code == 1
    assert "full" in err and "Traceback" not in err and "client has been closed" not in err
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    monkeypatch.undo()
    site.broken = False
    again = harvest(load_sources(sources), db, settings=ROOMY, options=CLEAN)  # room again
    assert len(_stored(db)) == 6, (err, again.sources[0].summary())


@pytest.mark.parametrize("field,value", [("delay", ".inf"), ("delay", ".nan"),
                                         ("delay", "-1"), ("concurrency", "1e9"),
                                         ("max_articles", ".inf")])
def test_numbers_in_sources_yaml_must_be_finite_and_sane(tmp_path, field, value):
    from newsharvest.errors import ConfigError

    path = tmp_path / "sources.yaml"
    path.write_text(f"sources:\n  - name: s\n    feed: http://127.0.0.1:9/f\n"
                    f"    {field}: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    assert str(path) in str(info.value) and "#1 (s)" in str(info.value)
    assert f"field '{field}'" in str(info.value)


@pytest.mark.parametrize("args", [["search", "x", "--limit", "99999999999999999999"],
                                  ["harvest", "--limit", "0"],
                                  ["harvest", "--timeout", "nan"],
                                  ["harvest", "--time-budget", "inf"]])
def test_out_of_range_options_are_usage_errors(tmp_path, args):
    from click.testing import CliRunner

    from newsharvest.cli import cli

    result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "Invalid value" in result.output
    assert not isinstance(result.exception, OverflowError)


def test_corrupt_database_file_is_a_one_line_error(site, tmp_path, capsys):
    from newsharvest.cli import main

    db = tmp_path / "x.db"
    db.write_bytes(b"this is not a database" * 100)
    _sources(site, tmp_path)
    with pytest.raises(SystemExit) as info:
        main(["harvest", "--sources", str(tmp_path / "sources.yaml"), "--db", str(db)])
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.startswith("Error: ") and err.count("\n") == 1, err
    assert site.server.hits["/feed.xml"] == 0  # nothing fetched for a file it cannot write


def test_many_pages_over_several_hosts_nothing_lost_or_doubled_and_a_no_op_rerun(loopback,
                                                                                 tmp_path):
    """Scaled down from the review's 2,000 pages over 20 hosts: 40 pages over 5 hosts."""
    servers = [type(loopback)() for _ in range(5)]  # more servers of the fixture's class
    text = "defaults: {delay: 0, concurrency: 4}\nsources:\n"
    expected = []
    try:
        for n, server in enumerate(servers):
            server.thread.start()
            urls = [server.route(f"/p{i}", ARTICLE.format(t=f"Host {n} story {i}"),
                                 headers={"Content-Type": "text/html; charset=utf-8"})
                    for i in range(8)]
            expected += urls
            server.route("/feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel>'
                         + "".join(f"<item><link>{u}</link></item>" for u in urls)
                         + "</channel></rss>", headers={"Content-Type": "application/rss+xml"})
            text += f"  - name: h{n}\n    feed: {server.url('/feed.xml')}\n"
        (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
        sources, db = load_sources(tmp_path / "s.yaml"), tmp_path / "x.db"
        settings = ROOMY
        first = harvest(sources, db, settings=settings)
        assert first.ok and first.total().new == 40
        hits = [sum(s.hits.values()) for s in servers]
        again = harvest(sources, db, settings=settings)
        assert again.ok and again.total().new == 0 and again.total().unchanged == 40
        # The rerun asked each host for its feed (and robots.txt) only: no page again.
        assert [sum(s.hits.values()) - h for s, h in zip(servers, hits, strict=True)] == [2] * 5
        assert _stored(db) == sorted(expected)
        with sqlite3.connect(db) as con:
            assert con.execute("select count(*) from fetches where status = 'new'"
                               ).fetchone() == (40,)
    finally:
        for server in servers:
            server.httpd.shutdown()
            server.httpd.server_close()
