"""The fetcher's per-host limits: a source's concurrency is what the host gets."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from newsharvest.fetch.client import Fetcher


def _counting_transport() -> tuple[httpx.MockTransport, dict[str, int]]:
    seen = {"now": 0, "max": 0}

    async def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        seen["now"] += 1
        seen["max"] = max(seen["max"], seen["now"])
        await asyncio.sleep(0.05)
        seen["now"] -= 1
        return httpx.Response(200, html="<html><body><p>x</p></body></html>")

    return httpx.MockTransport(handle), seen


@pytest.mark.parametrize("concurrency", [1, 3])
def test_a_sources_concurrency_holds_from_the_first_request(concurrency):
    transport, seen = _counting_transport()

    async def run() -> None:
        async with Fetcher(transport=transport) as fetcher:
            await asyncio.gather(*(
                fetcher.fetch(f"https://example.org/{i}", concurrency=concurrency, delay=0.0)
                for i in range(6)))

    asyncio.run(run())
    assert seen["max"] == concurrency
