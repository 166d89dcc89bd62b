"""Does harvesting slow down as the store grows? A 2,000-page loopback harvest.

Usage:
    PYTHONPATH=src python bench/story_bench.py [--hosts 20] [--pages 100] [--copies 0.15]
                                               [--syndicated 0.1]

20 "hosts" (threaded HTTP servers on 127.0.0.1 ports, no latency, delay 0) each serve an
RSS feed of --pages articles: generated pages of realistic size (~25 KB of HTML: navigation,
a trending panel and a footer around a 1-3 KB Chinese or English body from
bench/search_bench.py's generator), of which a share --copies are near copies of another
host's article (a paragraph dropped, a source line added), as syndicated stories are, and
a share --syndicated are near copies of one story, as a wire story reprinted everywhere
(its story has ~200 articles by the end: linking must not compare each save with all).

The whole pipeline runs once (discovery, fetch, extract, normalize, store with story
linking and the search index). As each page is saved, the process's CPU time and the wall
clock are noted; the rate of the first 10% of pages (from the first saved page to the one
at 10%) is compared with the last 10% (from 90% to the end): a store whose per-page cost
grows with its size shows a ratio well under 1. CPU time (all threads of this process:
the loopback servers' share is the same for every page) is the robust figure on a shared
machine; wall time is printed beside it. Also prints how many near copies were linked
to their original's story. Traffic never leaves 127.0.0.1. Prints numbers only.
"""

from __future__ import annotations

import argparse
import http.server
import importlib
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from loopback import serve_site
from search_bench import _vocab, chinese_body, english_body

from newsharvest import harvest, load_sources
from newsharvest.fetch.client import FetchSettings
from newsharvest.store import Store

SAVED: list[tuple[float, float]] = []  # (CPU seconds, wall seconds) after each save


class TimedStore(Store):
    """The harvester's Store, noting the time after each saved page."""

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        status = super().save(*args, **kwargs)
        SAVED.append((time.process_time(), time.perf_counter()))
        return status

NAV = "".join(f"<li><a href='/c/{i}'>栏目{i} Section {i}</a></li>" for i in range(200))
FOOT = "".join(f"<p><a href='/about/{i}'>关于我们 About us {i}</a> | 版权所有 ©2025</p>"
               for i in range(80))


def make_pages(hosts: int, pages: int, copies: float, syndicated: float = 0.0,
               seed: int = 11) -> list[list[str]]:
    """Body text per host and page; a share are near copies of another host's page, and a
    share `syndicated` near copies of one story (host 0's first page), whose story grows
    through the run."""
    rng = random.Random(seed)
    vocab = _vocab()
    bodies: list[list[str]] = [[] for _ in range(hosts)]
    for n in range(pages):
        for h in range(hosts):
            if (n or h) and rng.random() < syndicated:
                paragraphs = bodies[0][0].split("\n\n")
                del paragraphs[rng.randrange(len(paragraphs))]
                bodies[h].append("\n\n".join(paragraphs) + f"\n\n（来源：合作媒体{h}-{n}）")
                continue
            earlier = [(oh, on) for oh in range(hosts) for on in range(len(bodies[oh]))
                       if oh != h] if n and rng.random() < copies else []
            if earlier:
                oh, on = rng.choice(earlier[-200:])
                paragraphs = bodies[oh][on].split("\n\n")
                del paragraphs[rng.randrange(len(paragraphs))]
                body = "\n\n".join(paragraphs) + "\n\n（本文转载自合作媒体）"
            elif (h + n) % 2:
                body = chinese_body(rng, vocab, [])
            else:
                body = english_body(rng, vocab, [])
            bodies[h].append(body)
    return bodies


def page_html(host: int, n: int, body: str) -> bytes:
    title = body[:24].replace("\n", " ")
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    trending = "".join(f"<li><a href='/a/{(n + k) % 97}'>热门 trending {k}</a></li>"
                       for k in range(40))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title} - Site {host}"
            f"</title><meta property='article:published_time' content='2025-10-14T0{n % 10}"
            f":00:00+08:00'></head><body><nav><ul>{NAV}</ul></nav><main><article>"
            f"<h1>{title}</h1><div class='content'>{paragraphs}</div></article>"
            f"<aside class='trending'><ul>{trending}</ul></aside></main><footer>{FOOT}"
            f"</footer></body></html>").encode()


def serve(host: int, bodies: list[str]) -> http.server.ThreadingHTTPServer:
    return serve_site(len(bodies), lambda port, n: page_html(host, n, bodies[n]))


def rates(times: list[float]) -> tuple[float, float]:
    """Pages per second over the first and the last tenth of the saves."""
    tenth = len(times) // 10
    return tenth / (times[tenth] - times[0]), tenth / (times[-1] - times[-1 - tenth])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages", type=int, default=100, help="articles per host")
    parser.add_argument("--copies", type=float, default=0.15, help="share of near copies")
    parser.add_argument("--syndicated", type=float, default=0.1,
                        help="share of pages that are near copies of one widely reprinted "
                             "story (its story grows through the run)")
    args = parser.parse_args()
    bodies = make_pages(args.hosts, args.pages, args.copies, args.syndicated)
    servers = [serve(h, b) for h, b in enumerate(bodies)]
    size = sum(len(page_html(0, n, b)) for n, b in enumerate(bodies[0])) / len(bodies[0])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lines = ["sources:"]
        for i, server in enumerate(servers):
            lines += [f"  - name: host-{i}",
                      f"    feed: http://127.0.0.1:{server.server_address[1]}/feed.xml",
                      "    delay: 0", "    concurrency: 4", f"    max_articles: {args.pages}"]
        (folder / "sources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        # the module, not the function `newsharvest.harvest` that the package exports
        importlib.import_module("newsharvest.harvest").Store = TimedStore
        started = time.perf_counter()
        report = harvest(load_sources(folder / "sources.yaml"), folder / "bench.db",
                         settings=FetchSettings(timeout=30))
        elapsed = time.perf_counter() - started
        cpu_first, cpu_last = rates([cpu for cpu, _ in SAVED])
        wall_first, wall_last = rates([wall for _, wall in SAVED])
        stored = len(SAVED)
        conn = sqlite3.connect(folder / "bench.db")
        linked = conn.execute("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM "
                              "articles GROUP BY story_id)").fetchone()[0]
        biggest = conn.execute("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM "
                               "articles GROUP BY story_id)").fetchone()[0]
        conn.close()
    for server in servers:
        server.shutdown()
    print(f"{args.hosts} hosts x {args.pages} pages (~{size / 1024:.0f} KB each, "
          f"{args.copies:.0%} near copies), delay 0: {stored} stored in {elapsed:.1f} s "
          f"({report.total().summary()})")
    print(f"CPU time:  first 10% {cpu_first:6.1f} pages/s, last 10% {cpu_last:6.1f} pages/s:"
          f" last/first = {cpu_last / cpu_first:.2f}")
    print(f"wall time: first 10% {wall_first:6.1f} pages/s, last 10% {wall_last:6.1f} pages/s:"
          f" last/first = {wall_last / wall_first:.2f}")
    print(f"articles linked to an earlier copy's story: {linked}; the syndicated story has "
          f"{biggest} articles")


if __name__ == "__main__":
    main()
