"""robots.txt is obeyed for the User-Agent a request is actually sent with."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from newsharvest.errors import RobotsDisallowed
from newsharvest.fetch.client import Fetcher
from newsharvest.fetch.robots import HostRules, product_token

ROBOTS = (
    "User-agent: deskbot\n"
    "Disallow: /desk/\n"
    "Crawl-delay: 0.2\n"
    "\n"
    "User-agent: example\n"  # a name that occurs in our default UA's contact URL
    "Disallow: /\n"
    "\n"
    "User-agent: *\n"
    "Disallow: /private/\n"
)


def _transport(seen: list[tuple[str, str]]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text=ROBOTS)
        seen.append((request.url.path, request.headers["user-agent"]))
        return httpx.Response(200, html="<html><body><p>x</p></body></html>")

    return httpx.MockTransport(handle)


async def _fetch(fetcher: Fetcher, path: str, agent: str | None) -> str:
    try:
        await fetcher.fetch(f"https://news.example.org{path}", delay=0.0, user_agent=agent)
    except RobotsDisallowed:
        return "refused"
    return "fetched"


def test_a_sources_own_agent_obeys_its_own_group():
    seen: list[tuple[str, str]] = []

    async def run() -> list[str]:
        async with Fetcher(transport=_transport(seen)) as fetcher:
            return [
                await _fetch(fetcher, "/desk/a", "DeskBot/2.1 (+mailto:desk@example.com)"),
                await _fetch(fetcher, "/private/a", "DeskBot/2.1 (+mailto:desk@example.com)"),
                await _fetch(fetcher, "/desk/a", None),  # our default agent: the * group
                await _fetch(fetcher, "/private/a", None),
            ]

    assert asyncio.run(run()) == ["refused", "fetched", "fetched", "refused"]
    assert [path for path, _ in seen] == ["/private/a", "/desk/a"]
    assert seen[0][1].startswith("DeskBot/2.1")


def test_crawl_delay_is_the_one_of_the_agents_group():
    seen: list[tuple[str, str]] = []

    async def run() -> float:
        async with Fetcher(transport=_transport(seen)) as fetcher:
            loop = asyncio.get_running_loop()
            start = loop.time()
            for i in range(3):
                await _fetch(fetcher, f"/news/{i}", "DeskBot/2.1")
            return loop.time() - start

    # Three requests 0.2 s apart: at least two waits of the group's Crawl-delay.
    assert asyncio.run(run()) >= 0.35
    assert len(seen) == 3


@pytest.mark.parametrize(("header", "token"), [
    ("newsharvest/1.0 (+https://example.org/contact)", "newsharvest"),
    ("DeskBot/2.1", "DeskBot"),
    ("DeskBot (compatible)", "DeskBot"),
    ("  ", "newsharvest"),
    ("Mozilla/5.0 (compatible; DeskBot/2.1; +https://example.org/bot.html)", "Mozilla DeskBot"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)", "Mozilla"),
])
def test_product_token(header, token):
    assert product_token(header) == token


def test_a_name_inside_the_contact_url_selects_no_group():
    from protego import Protego

    rules = HostRules(Protego.parse(ROBOTS))
    assert rules.allows("https://news.example.org/a",
                        "newsharvest/1.0 (+https://example.org/contact)")
    assert rules.crawl_delay("newsharvest/1.0") is None
    assert rules.crawl_delay("DeskBot/2.1") == pytest.approx(0.2)


def test_a_crawler_named_in_a_browser_style_header_obeys_its_group():
    from protego import Protego

    rules = HostRules(Protego.parse(ROBOTS))
    agent = "Mozilla/5.0 (compatible; DeskBot/2.1; +https://example.org/bot.html)"
    assert not rules.allows("https://news.example.org/desk/a", agent)
    assert rules.allows("https://news.example.org/private/a", agent)
    assert rules.crawl_delay(agent) == pytest.approx(0.2)
