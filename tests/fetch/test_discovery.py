"""One source's discovery behind a small validator-cache interface."""

from __future__ import annotations

import asyncio

import httpx

from newsharvest.fetch.client import Fetcher, FetchSettings
from newsharvest.fetch.discovery import Discovered, MemoryValidators, discover
from newsharvest.records import Source

FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        "<link>https://news.example/a</link><pubDate>2025-10-14 20:00:00</pubDate></item>"
        "</channel></rss>")


def _transport(asked: list[dict[str, str]]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        asked.append(dict(request.headers))
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, text=FEED, headers={"ETag": '"v1"',
                                                       "Content-Type": "application/rss+xml"})
    return httpx.MockTransport(handle)


def _run(source: Source, cache: MemoryValidators | None,
         asked: list[dict[str, str]]) -> Discovered:
    async def go() -> Discovered:
        async with Fetcher(FetchSettings(), _transport(asked)) as fetcher:
            return await discover(fetcher, source, cache)
    return asyncio.run(go())


def test_validators_are_returned_not_saved_until_the_caller_says():
    source = Source(name="s", discovery="feed", url="https://news.example/feed",
                    language="zh-Hans", delay=0.0)
    cache, asked = MemoryValidators(), []
    found = _run(source, cache, asked)
    assert [link.url for link in found.links] == ["https://news.example/a"]
    assert found.links[0].published.isoformat() == "2025-10-14T12:00:00+00:00"  # UTC+8
    assert [v.etag for v in found.validators] == ['"v1"']
    again = _run(source, cache, asked)  # nothing saved yet: asked unconditionally again
    assert len(again.links) == 1 and "if-none-match" not in asked[-1]
    found.save_validators(cache)
    third = _run(source, cache, asked)
    assert third.links == [] and third.not_modified == 1


def test_without_a_cache_discovery_is_unconditional():
    source = Source(name="s", discovery="feed", url="https://news.example/feed", delay=0.0)
    asked: list[dict[str, str]] = []
    assert len(_run(source, None, asked).links) == 1 and "if-none-match" not in asked[0]
