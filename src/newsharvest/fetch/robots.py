"""robots.txt per host, fetched once per run and parsed with Protego.

Status handling follows RFC 9309: a 4xx robots.txt means no rules (allow all); a 5xx or an
unreachable server means "assume complete disallow" for this run, because a site that is
failing is the last one to hammer. A Crawl-delay raises the host's minimum delay.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from ..errors import FetchError

log = logging.getLogger(__name__)

ROBOTS_AGENT = "newsharvest"
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB


@dataclass(slots=True)
class HostRules:
    """What one host's robots.txt says for us."""

    parser: Protego | None  # None: no rules (allow all)
    disallow_all: bool = False
    crawl_delay: float | None = None
    reason: str | None = None  # why everything is disallowed, for the operator
    unreachable: bool = False  # the host did not answer at all (a network failure)

    def allows(self, url: str) -> bool:
        if self.disallow_all:
            return False
        return self.parser is None or self.parser.can_fetch(url, ROBOTS_AGENT)


class RobotsCache:
    """One robots.txt fetch per host per run, shared by every source on that host."""

    def __init__(self, fetch_text: Callable[[str], Awaitable[tuple[int, str]]]) -> None:
        # fetch_text(url) -> (status, text) when awaited; raises FetchError when unreachable.
        self._fetch_text = fetch_text
        self._rules: dict[str, HostRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str) -> HostRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._rules:
                self._rules[origin] = await self._load(origin)
            return self._rules[origin]

    async def _load(self, origin: str) -> HostRules:
        try:
            status, text = await self._fetch_text(f"{origin}/robots.txt")
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return HostRules(None)
            if exc.status is None:  # the host did not answer: say why (connection refused...)
                log.warning("%s unreachable (%s): not fetching there this run", origin,
                            exc.reason)
                return HostRules(None, disallow_all=True, reason=exc.reason, unreachable=True)
            log.warning("robots.txt of %s unavailable (%s): not fetching there this run",
                        origin, exc)
            return HostRules(None, disallow_all=True, reason=f"robots.txt unavailable: {exc}")
        if status >= 500:
            return HostRules(None, disallow_all=True, reason=f"robots.txt answered {status}")
        if status >= 400:
            return HostRules(None)
        parser = Protego.parse(text[:MAX_ROBOTS_BYTES])
        delay = parser.crawl_delay(ROBOTS_AGENT)
        return HostRules(parser, crawl_delay=float(delay) if delay else None)
