"""robots.txt per host, fetched once per run and parsed with Protego.

Status handling follows RFC 9309: a 4xx robots.txt means no rules (allow all); a 5xx or an
unreachable server means "assume complete disallow" for this run, because a site that is
failing is the last one to hammer. A Crawl-delay raises the host's minimum delay.

Rules are looked up for the User-Agent a request is sent with: a source that announces itself
with its own `user_agent:` in sources.yaml must obey the group the site wrote for that agent,
not ours. Only the product token ("MyBot" of "MyBot/1.0 (+https://...)") is matched, as RFC 9309
asks: Protego looks for a group's name inside the string it is given, and a contact URL in the
rest of the header must not select some other group. A browser-style header names its
crawler in the comment ("Mozilla/5.0 (compatible; MyBot/1.0; +https://...)"): that name is
matched too.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from ..errors import FetchError

log = logging.getLogger(__name__)

ROBOTS_AGENT = "newsharvest"
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB


# A crawler named inside the comment of a browser-style header, as in
# "Mozilla/5.0 (compatible; DeskBot/2.1; +https://...)": a name/version at the comment's
# start or after a ";", in RFC 9309's product-token characters (so no URL part matches).
_COMMENT_PRODUCT_RE = re.compile(r"[(;]\s*([A-Za-z_-]+)/")


def product_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against (RFC 9309 section 2.2.1);
    for a browser-style header, also the crawler's own name in its comment (space
    separated: Protego picks the most specific group any of them matches)."""
    stripped = user_agent.strip()
    token = stripped.split("/", 1)[0].split(None, 1)
    if not token:
        return ROBOTS_AGENT
    return " ".join(dict.fromkeys([token[0], *_COMMENT_PRODUCT_RE.findall(stripped)]))


@dataclass(slots=True)
class HostRules:
    """What one host's robots.txt says for us."""

    parser: Protego | None  # None: no rules (allow all)
    disallow_all: bool = False
    reason: str | None = None  # why everything is disallowed, for the operator
    unreachable: bool = False  # the host did not answer at all (a network failure)

    def allows(self, url: str, agent: str = ROBOTS_AGENT) -> bool:
        """Whether `agent` (a product token or a whole User-Agent string) may fetch `url`."""
        if self.disallow_all:
            return False
        return self.parser is None or self.parser.can_fetch(url, product_token(agent))

    def crawl_delay(self, agent: str = ROBOTS_AGENT) -> float | None:
        """The Crawl-delay of the group that applies to `agent`, in seconds."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(product_token(agent))
        return float(delay) if delay else None


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
        return HostRules(Protego.parse(text[:MAX_ROBOTS_BYTES]))
