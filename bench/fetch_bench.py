"""Harvest throughput from loopback servers with 50 ms latency spread over 20 hosts.

Usage:
    python bench/fetch_bench.py [--hosts 20] [--pages 15] [--latency 0.05]

Each "host" is a threaded HTTP server on its own 127.0.0.1 port (a different netloc, so
newsharvest treats it as a different site with its own politeness gate). Every response
waits `latency` seconds. Runs the full pipeline (discovery, fetch, extract, store) twice
in one process: with the default politeness (1 s between requests to a host, 2 in flight)
and with raised concurrency (no delay, 8 in flight per host), and prints pages per second
of each and their ratio. Traffic never leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.server
import tempfile
import time
from pathlib import Path

from loopback import serve_site

from newsharvest import harvest, load_sources
from newsharvest.fetch.client import FetchSettings

PAGE = ("<!doctype html><html><head><meta charset='utf-8'><title>Story {n}</title></head>"
        "<body><nav><a href='/'>Home</a></nav><article><h1>Story {n}</h1>"
        "<p>Paragraph one of story {n}, with enough words to be an article paragraph.</p>"
        "<p>第二段：这是第{n}篇测试文章的正文内容，用于测量抓取速度。</p></article></body></html>")


def serve(latency: float, pages: int) -> http.server.ThreadingHTTPServer:
    return serve_site(pages, lambda port, n: PAGE.format(n=f"{port}-{n}").encode(), latency)


def run(servers, folder: Path, label: str, delay: float | None, concurrency: int | None,
        pages: int) -> float:
    lines = ["sources:"]
    for i, server in enumerate(servers):
        lines.append(f"  - name: host-{i}")
        lines.append(f"    feed: http://127.0.0.1:{server.server_address[1]}/feed.xml")
        if delay is not None:
            lines.append(f"    delay: {delay}")
        if concurrency is not None:
            lines.append(f"    concurrency: {concurrency}")
    path = folder / f"{label}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    report = harvest(load_sources(path), folder / f"{label}.db",
                     settings=FetchSettings(timeout=10))
    elapsed = time.perf_counter() - started
    stored = report.total().new
    assert stored == len(servers) * pages, report.total().summary()
    return stored / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages", type=int, default=15, help="articles per host")
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    servers = [serve(args.latency, args.pages) for _ in range(args.hosts)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        polite = run(servers, folder, "default", None, None, args.pages)
        fast = run(servers, folder, "raised", 0.0, 8, args.pages)
    print(f"{args.hosts} hosts x {args.pages} pages, {args.latency * 1000:.0f} ms latency")
    print(f"default politeness (1 s/host, 2 in flight):  {polite:7.1f} pages/s")
    print(f"raised concurrency (no delay, 8 in flight):  {fast:7.1f} pages/s")
    print(f"ratio raised/default: {fast / polite:.1f}x")
    for server in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
