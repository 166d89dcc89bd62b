"""One source's discovery: fetch its feed, sitemap, listing or URL list and find links.

The parsers of those documents are in `fetch/discover.py`; this module decides which
documents to fetch for a source, asks for them conditionally (ETag / Last-Modified from a
`ValidatorCache`) and reads their times in the source's timezone. It never writes the
validators itself: `Discovered.validators` lists them, and the caller saves them only
once the links are safe (the harvest keeps them as pending links first), so a 304 in a
later run can never hide a link that was found but not yet fetched.

Used by the harvest (with the database as the cache) and by `sources check` (no cache,
or a `MemoryValidators`), so neither needs the other's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from ..records import FetchedPage, Source
from .client import Fetcher
from .decode import decode_html
from .discover import Link, parse_feed, parse_listing, parse_sitemap, parse_url_list
from .times import source_zone

MAX_CHILD_SITEMAPS = 5


class ValidatorCache(Protocol):
    """Where conditional-request validators live between runs (the store, or memory)."""

    def validators(self, url: str) -> dict[str, str]:
        """Request headers (If-None-Match / If-Modified-Since) for a document, or {}."""
        ...

    def remember(self, url: str, etag: str | None, last_modified: str | None,
                 at: str) -> None:
        """Keep a document's validators for the next run."""
        ...


class MemoryValidators:
    """A ValidatorCache in a dict: for one process, e.g. a check that writes no database."""

    def __init__(self) -> None:
        self._headers: dict[str, dict[str, str]] = {}

    def validators(self, url: str) -> dict[str, str]:
        return dict(self._headers.get(url, {}))

    def remember(self, url: str, etag: str | None, last_modified: str | None,
                 at: str) -> None:
        headers = {"If-None-Match": etag, "If-Modified-Since": last_modified}
        self._headers[url] = {k: v for k, v in headers.items() if v}


@dataclass(frozen=True, slots=True)
class Validator:
    """A discovery document's validators as the server sent them."""

    url: str
    etag: str | None
    last_modified: str | None
    at: str  # ISO 8601 UTC, when the document was fetched


@dataclass(slots=True)
class Discovered:
    """What one source's discovery found: links, and validators to save once they are safe."""

    links: list[Link] = field(default_factory=list)
    validators: list[Validator] = field(default_factory=list)
    not_modified: int = 0  # documents that answered 304

    def save_validators(self, cache: ValidatorCache) -> None:
        for v in self.validators:
            cache.remember(v.url, v.etag, v.last_modified, v.at)


async def discover(fetcher: Fetcher, source: Source,
                   cache: ValidatorCache | None = None) -> Discovered:
    """The links a source offers now. Raises FetchError when its document cannot be had."""
    found = Discovered()
    if source.discovery == "urls":
        found.links = [Link(url) for url in source.urls]
        return found
    page = await _document(fetcher, source, source.url, cache, found)
    if page is None:
        return found  # 304: nothing new since the validators were saved
    zone = source_zone(source)
    if source.discovery == "feed":
        found.links = parse_feed(page.content, page.final_url, naive_tz=zone)
    elif source.discovery == "listing":
        listing = decode_html(page.content, page.headers.get("content-type")).text
        found.links = parse_listing(listing, page.final_url, source.link_selector or "a",
                                    source.link_pattern)
    elif source.discovery == "sitemap":
        sitemap = parse_sitemap(page.content, page.final_url, naive_tz=zone)
        found.links = list(sitemap.links)
        for child in sitemap.sitemaps[:MAX_CHILD_SITEMAPS]:
            sub = await _document(fetcher, source, child, cache, found)
            if sub is not None:
                found.links.extend(parse_sitemap(sub.content, sub.final_url,
                                                 naive_tz=zone).links)
    else:
        found.links = parse_url_list(page.content.decode("utf-8", "replace"), page.final_url)
    return found


async def _document(fetcher: Fetcher, source: Source, url: str,
                    cache: ValidatorCache | None, found: Discovered) -> FetchedPage | None:
    """Fetch a feed/sitemap/listing conditionally; None when the server says 304."""
    headers = cache.validators(url) if cache is not None else {}
    page = await fetcher.fetch(url, concurrency=source.concurrency, delay=source.delay,
                               html=False, source=source.name, headers=headers or None,
                               origin=source.url, user_agent=source.user_agent)
    if page.status == 304:
        found.not_modified += 1
        return None
    etag, modified = page.headers.get("etag"), page.headers.get("last-modified")
    if etag or modified:
        found.validators.append(Validator(url, etag, modified, datetime.now(UTC).isoformat()))
    return page
