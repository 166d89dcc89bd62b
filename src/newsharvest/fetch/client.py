"""HTTP fetching: one small httpx client per host, politeness, size cap, retries.

One shared AsyncClient with a big pool collapses past ~25 requests in flight
(LIBRARY-FACTS.md), so each host gets its own small client and gate. The transport is
injectable (``httpx.MockTransport`` for replay and tests), never monkeypatched.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from .._version import __version__
from ..errors import FetchError, NotHTML, RobotsDisallowed, TooLarge
from ..records import FetchedPage
from .decode import decode_html, is_html_response
from .politeness import HostGate, backoff, retry_after_seconds
from .robots import RobotsCache

log = logging.getLogger(__name__)

# Names the project and where a site's operator can reach whoever runs it: set your own
# contact with `user_agent:` in sources.yaml (defaults block or per source).
USER_AGENT = f"newsharvest/{__version__} (+https://example.org/newsharvest-contact)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Network behaviour of one run; defaults suit cron against public portals."""

    timeout: float = 20.0
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
                headers={"User-Agent": s.user_agent},  # httpx offers every coding it can decode
                timeout=httpx.Timeout(s.timeout),
                follow_redirects=True,
                max_redirects=s.max_redirects,
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
        robots: bool = True, user_agent: str | None = None,
    ) -> FetchedPage:
        """GET `url` with retries; raise FetchError (or a subclass) when it cannot be had.

        A 304 answer to conditional `headers` comes back as a page with status 304.
        """
        host = urlsplit(url).netloc.lower()
        if user_agent:  # the source's own (sources.yaml `user_agent`), else the client's
            headers = {**(headers or {}), "User-Agent": user_agent}
        # The host's gate and client take this caller's concurrency before robots.txt is
        # fetched through them (that fetch would otherwise set the host's limits).
        gate = self.gate(host, concurrency, delay)
        client = self._client(host, concurrency)
        if robots and self.settings.obey_robots:
            rules = await self.robots.rules_for(url)
            if not rules.allows(url):
                if rules.unreachable:  # not a refusal: the host cannot be reached at all
                    raise FetchError(rules.reason or "host unreachable", url=url)
                raise RobotsDisallowed(rules.reason or "disallowed by robots.txt", url=url)
            if rules.crawl_delay:
                gate.delay = max(gate.delay, rules.crawl_delay)
        attempt = 0
        while True:
            async with gate, self._in_flight:
                try:
                    page = await self._get(client, url, html=html, source=source,
                                           headers=headers)
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
                if declared and declared.isdigit() and int(declared) > limit:
                    raise TooLarge(f"Content-Length {declared} > {limit}", url=url)
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge(f"body larger than {limit} bytes", url=url)
                    chunks.append(chunk)
        except httpx.TooManyRedirects as exc:
            raise FetchError(f"too many redirects: {exc}", url=url) from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise FetchError(str(exc), url=url) from exc
        except httpx.DecodingError as exc:
            raise FetchError(f"undecodable response body: {exc}", url=url) from exc
        content = b"".join(chunks)
        headers = {k.lower(): v for k, v in response.headers.items()}
        if html and response.status_code < 300 and not is_html_response(ctype, content):
            raise NotHTML(f"not an HTML page (content-type {ctype!r})", url=url,
                          status=response.status_code)
        if html:
            decoded = decode_html(content, ctype)
            text, encoding, rule = decoded.text, decoded.encoding, decoded.rule
        else:
            text, encoding, rule = "", "", "none"
        return FetchedPage(
            requested_url=url, final_url=str(response.url), status=response.status_code,
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
