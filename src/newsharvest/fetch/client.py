"""HTTP fetching: one small httpx client per host, politeness, size cap, retries.

One shared AsyncClient with a big pool collapses past ~25 requests in flight
(LIBRARY-FACTS.md), so each host gets its own small client and gate. The transport is
injectable (``httpx.MockTransport`` for replay and tests), never monkeypatched.

Hostile servers are bounded here: every request has a total deadline (connect + headers +
body), since httpx's timeout is per read and a server sending one byte a second never
trips it; bodies are decoded by fetch/codings.py under the size cap (httpx would inflate a
whole chunk first: a brotli bomb); redirects are followed hop by hop so each hop passes
its host's gate and robots.txt, and a hop to an internal address is refused unless the
source lives on one (fetch/addresses.py).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from .._version import __version__
from ..errors import FetchError, NotHTML, RobotsDisallowed, TooLarge
from ..records import FetchedPage
from .addresses import AddressGuard, is_internal_url
from .codings import ACCEPT_ENCODING, BoundedDecoder
from .decode import decode_html, is_html_response
from .politeness import HostGate, backoff, retry_after_seconds
from .robots import RobotsCache

log = logging.getLogger(__name__)

# Names the project and where a site's operator can reach whoever runs it: set your own
# contact with `user_agent:` in sources.yaml (defaults block or per source).
USER_AGENT = f"newsharvest/{__version__} (+https://example.org/newsharvest-contact)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Network behaviour of one run; defaults suit cron against public portals."""

    timeout: float = 20.0  # seconds one read (connect, each chunk) may stall
    # Seconds for a whole request (connect + headers + body, per redirect hop), so a server
    # trickling bytes cannot hold a run; None: 2 * timeout + 10 (room for a big page, and
    # for the event loop being busy with another page's extraction meanwhile).
    deadline: float | None = None

    @property
    def request_deadline(self) -> float:
        return self.deadline if self.deadline is not None else 2 * self.timeout + 10
    max_bytes: int = 10 * 1024 * 1024
    retries: int = 2
    backoff_base: float = 0.5
    user_agent: str = USER_AGENT
    max_redirects: int = 10
    max_in_flight: int = 32  # across all hosts; each host has its own smaller cap
    obey_robots: bool = True


class Fetcher:
    """Fetches URLs politely; use as an async context manager."""

    def __init__(
        self, settings: FetchSettings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.transport = transport
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._gates: dict[str, HostGate] = {}
        self._in_flight = asyncio.Semaphore(self.settings.max_in_flight)
        self.robots = RobotsCache(self._robots_text)
        self.guard = AddressGuard()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.gather(*(c.aclose() for c in self._clients.values()))
        self._clients.clear()

    def gate(self, host: str, concurrency: int, delay: float) -> HostGate:
        if host not in self._gates:
            self._gates[host] = HostGate(concurrency, delay)
        gate = self._gates[host]
        gate.delay = max(gate.delay, delay)  # the strictest source (or Crawl-delay) wins
        return gate

    def _client(self, host: str, concurrency: int) -> httpx.AsyncClient:
        if host not in self._clients:
            s = self.settings
            self._clients[host] = httpx.AsyncClient(
                transport=self.transport,
                # Only codings fetch/codings.py decodes under the size cap; redirects are
                # followed by `fetch`, hop by hop, so each hop is checked.
                headers={"User-Agent": s.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
                timeout=httpx.Timeout(s.timeout),
                follow_redirects=False,
                limits=httpx.Limits(max_connections=max(1, concurrency),
                                    max_keepalive_connections=max(1, concurrency)),
            )
        return self._clients[host]

    async def _robots_text(self, url: str) -> tuple[int, str]:
        page = await self.fetch(url, delay=0.0, html=False, robots=False)
        return page.status, page.content.decode("utf-8", "replace")

    async def fetch(
        self, url: str, *, concurrency: int = 2, delay: float = 1.0, html: bool = True,
        source: str | None = None, headers: dict[str, str] | None = None,
        robots: bool = True, origin: str | None = None, user_agent: str | None = None,
    ) -> FetchedPage:
        """GET `url` with retries; raise FetchError (or a subclass) when it cannot be had.

        A 304 answer to conditional `headers` comes back as a page with status 304.
        Redirects are followed here, hop by hop, each through its host's gate and
        robots.txt; a hop to an internal address (loopback, private, link-local) is
        refused unless `origin` (the source's URL; default `url`) is internal itself.
        """
        trusted = await self._is_internal(origin or url, resolve=True)
        requested, hops = url, 0
        while True:
            if not trusted and await self._is_internal(url, resolve=hops > 0):
                raise FetchError("refused: address is internal (loopback, private or "
                                 "link-local) and the source is not", url=url)
            page = await self._fetch_hop(url, concurrency=concurrency, delay=delay,
                                         html=html, source=source, headers=headers,
                                         robots=robots, user_agent=user_agent)
            location = page.headers.get("location")
            if page.status not in REDIRECT_STATUSES or not location:
                return replace(page, requested_url=requested)
            hops += 1
            if hops > self.settings.max_redirects:
                raise FetchError(f"too many redirects (more than "
                                 f"{self.settings.max_redirects})", url=url)
            url = urljoin(page.final_url, location.strip())
            if urlsplit(url).scheme not in ("http", "https"):
                raise FetchError(f"redirect to a non-http(s) URL {url!r}",
                                 url=page.requested_url)

    async def _is_internal(self, url: str, *, resolve: bool) -> bool:
        # With an injected transport there is no network: names are not resolved.
        if resolve and self.transport is None:
            return await self.guard.is_internal(url)
        return is_internal_url(url)

    async def _fetch_hop(
        self, url: str, *, concurrency: int, delay: float, html: bool,
        source: str | None, headers: dict[str, str] | None, robots: bool,
        user_agent: str | None = None,
    ) -> FetchedPage:
        """One URL, no redirect followed: politeness, robots.txt, retries."""
        host = urlsplit(url).netloc.lower()
        if user_agent:  # the source's own (sources.yaml `user_agent`), else the client's
            headers = {**(headers or {}), "User-Agent": user_agent}
        # The host's gate and client take this caller's concurrency before robots.txt is
        # fetched through them (that fetch would otherwise set the host's limits).
        gate = self.gate(host, concurrency, delay)
        client = self._client(host, concurrency)
        if robots and self.settings.obey_robots:
            rules = await self.robots.rules_for(url)
            agent = user_agent or self.settings.user_agent  # the rules of the agent we send
            if not rules.allows(url, agent):
                if rules.disallow_all:  # not a refusal: robots.txt failed (5xx, unreachable)
                    raise FetchError(rules.reason or "host unreachable", url=url)
                raise RobotsDisallowed(rules.reason or "disallowed by robots.txt", url=url)
            crawl_delay = rules.crawl_delay(agent)
            if crawl_delay:
                gate.delay = max(gate.delay, crawl_delay)
        attempt = 0
        while True:
            async with gate, self._in_flight:
                try:
                    async with asyncio.timeout(self.settings.request_deadline):
                        page = await self._get(client, url, html=html, source=source,
                                               headers=headers)
                except TimeoutError:
                    # A server trickling headers or body byte by byte: httpx's timeout is
                    # per read and never fires. Not retried now; the next run tries again.
                    raise FetchError(f"Timeout: the whole request took longer than "
                                     f"its deadline of {self.settings.request_deadline:g} s",
                                     url=url) from None
                except (httpx.TimeoutException, httpx.NetworkError,
                        httpx.RemoteProtocolError) as exc:
                    error: FetchError = FetchError(network_reason(exc), url=url)
                    wait = backoff(attempt, self.settings.backoff_base)
                else:
                    if page.status not in RETRY_STATUSES:
                        if page.status >= 400:
                            raise FetchError(f"HTTP {page.status}", url=url, status=page.status)
                        return page
                    error = FetchError(f"HTTP {page.status}", url=url, status=page.status)
                    after = retry_after_seconds(page.headers.get("retry-after"))
                    wait = after if after is not None else backoff(
                        attempt, self.settings.backoff_base)
                    if after is not None:
                        gate.push_back(after)
            if attempt >= self.settings.retries:
                raise error
            attempt += 1
            log.info("retrying %s in %.2fs (%s)", url, wait, error)
            await asyncio.sleep(wait)

    async def _get(
        self, client: httpx.AsyncClient, url: str, *, html: bool, source: str | None,
        headers: dict[str, str] | None = None,
    ) -> FetchedPage:
        try:
            async with client.stream("GET", url, headers=headers) as response:
                ctype = response.headers.get("content-type")
                declared = response.headers.get("content-length")
                limit = self.settings.max_bytes
                coding = response.headers.get("content-encoding")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise TooLarge(f"Content-Length {declared} > {limit}", url=url)
                decoder = BoundedDecoder(coding, limit, url)
                chunks: list[bytes] = []
                if response.status_code not in REDIRECT_STATUSES:
                    async for chunk in _raw_chunks(response):
                        chunks.append(decoder.feed(chunk))
                    chunks.append(decoder.feed(b""))
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise FetchError(str(exc), url=url) from exc
        content = b"".join(chunks)
        headers = {k.lower(): v for k, v in response.headers.items()}
        status = response.status_code
        if html and status < 300 and not is_html_response(ctype, content):
            raise NotHTML(f"not an HTML page (content-type {ctype!r})", url=url,
                          status=status)
        if html and status < 300:
            decoded = decode_html(content, ctype)
            text, encoding, rule = decoded.text, decoded.encoding, decoded.rule
        else:
            text, encoding, rule = "", "", "none"
        return FetchedPage(
            requested_url=url, final_url=str(response.url), status=status,
            headers=headers, content=content, text=text, encoding=encoding,
            encoding_rule=rule, fetched_at=datetime.now(UTC), source=source,
        )


def network_reason(exc: Exception) -> str:
    """What a network failure is, in the words an operator looks for: "connection refused",
    "name not resolved", "timed out", ... (httpx only says ConnectError)."""
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    causes: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(causes) < 10:  # httpx -> httpcore -> OSError chain
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused"
    if any(isinstance(c, socket.gaierror) for c in causes):
        return "name not resolved"
    text = " ".join(str(c) for c in causes).lower()
    for needles, reason in (
            (("refused",), "connection refused"),
            (("name or service not known", "nodename nor servname", "name resolution",
              "no address associated", "getaddrinfo failed"), "name not resolved"),
            (("reset by peer",), "connection reset"),
            (("network is unreachable", "no route to host"), "network unreachable")):
        if any(needle in text for needle in needles):
            return reason
    return f"{type(exc).__name__}: {exc}"


def _raw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body as sent (still content-coded). A mock transport's response was read when
    it was built, so its raw bytes are iterated from its stream rather than re-read."""
    if response.is_stream_consumed and isinstance(response.stream, httpx.AsyncByteStream):
        return aiter(response.stream)
    return response.aiter_raw()
