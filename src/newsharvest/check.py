"""Try a source, or save a page as a fixture: what a user does when adding a site.

`check_source` fetches a source's discovery document and its first article and returns
what the extractor made of it, so a new sources.yaml entry can be judged at once. The
article is extracted in a worker process under the same per-page budget as in a harvest:
a new source is exactly where a pathological page shows up first, and a check must answer.
`add_fixture` saves a live page into the fixture layout (page, manifest entry, expected
record from the current extractor) so every new site becomes a regression test once a
person has reviewed the expected record.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from .config import DEFAULT_PAGE_TIMEOUT
from .cpus import available_cpus
from .errors import ConfigError, NewsharvestError
from .fetch.client import Fetcher, FetchSettings
from .fetch.discovery import discover
from .fixtures import PAGE, add_manifest_entry, expected_record, write_expected
from .page import PageFailure, extract_page
from .records import Article, FetchedPage, Source
from .workers import ExtractionPool, PageJob

REVIEW_NOTE = "written by `newsharvest fixture add`: review every field, then delete this key"


@dataclass(slots=True)
class SourceCheck:
    """What one source yields now: links found and the first article as extracted."""

    source: str
    discovered: int = 0
    sample_url: str | None = None
    article: Article | None = None
    error: str | None = None
    seconds: float = 0.0


def check_source(source: Source, *, transport: httpx.AsyncBaseTransport | None = None,
                 settings: FetchSettings | None = None,
                 page_timeout: float | None = DEFAULT_PAGE_TIMEOUT) -> SourceCheck:
    """Discover the source's links and extract its first article (no database written)."""
    return check_sources([source], transport=transport, settings=settings,
                         page_timeout=page_timeout)[0]


def check_sources(sources: Sequence[Source], *,
                  transport: httpx.AsyncBaseTransport | None = None,
                  settings: FetchSettings | None = None,
                  on_done: Callable[[SourceCheck], None] | None = None,
                  page_timeout: float | None = DEFAULT_PAGE_TIMEOUT) -> list[SourceCheck]:
    """Check several sources at once, in file order of the results.

    They share one fetcher, so sources on different hosts are checked concurrently while
    each host keeps its own delay, concurrency and robots.txt (as in a harvest).
    `on_done` is called as each check finishes. Each first article is extracted in a
    worker process within `page_timeout` seconds (None: in this process, no budget).
    """
    return asyncio.run(_check_all(sources, transport, settings, on_done, page_timeout))


async def _check_all(sources: Sequence[Source], transport: httpx.AsyncBaseTransport | None,
                     settings: FetchSettings | None,
                     on_done: Callable[[SourceCheck], None] | None,
                     page_timeout: float | None) -> list[SourceCheck]:
    # One worker per CPU at most, and no more than there are pages to extract.
    size = 0 if page_timeout is None else max(1, min(len(sources), available_cpus()))
    pool = ExtractionPool(size, budget=page_timeout)
    async with pool, Fetcher(settings, transport) as fetcher:

        async def one(source: Source) -> SourceCheck:
            result = await _check(fetcher, pool, source)
            if on_done is not None:
                on_done(result)
            return result

        return list(await asyncio.gather(*(one(source) for source in sources)))


async def _check(fetcher: Fetcher, pool: ExtractionPool, source: Source) -> SourceCheck:
    result = SourceCheck(source=source.name)
    started = time.monotonic()
    try:
        links = (await discover(fetcher, source)).links  # unconditional: no cache
        result.discovered = len(links)
        if links:
            result.sample_url = links[0].url
            page = await fetcher.fetch(links[0].url, delay=source.delay, source=source.name,
                                       concurrency=source.concurrency, origin=source.url,
                                       user_agent=source.user_agent)
            article = await pool.extract(PageJob(page.text, page.final_url, source,
                                                 page.headers, page.fetched_at))
            if isinstance(article, PageFailure):
                raise article.error()
            result.article = article
    except NewsharvestError as exc:
        result.error = str(exc)
    result.seconds = time.monotonic() - started
    return result


def add_fixture(url: str, case: str, *, root: str | Path = "fixtures",
                source: Source | None = None,
                transport: httpx.AsyncBaseTransport | None = None) -> Path:
    """Fetch `url` and write it as fixture `<root>/<portal>/<case>/`; returns the case folder."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", case):
        raise ConfigError(f"case name {case!r} must use lower-case letters, digits and '-'",
                          field="case")
    page = asyncio.run(_fetch_one(url, transport))
    portal = source.name if source is not None else _slug(urlsplit(page.final_url).netloc)
    folder = Path(root) / portal / case
    if folder.exists():
        raise ConfigError(f"fixture {folder} exists already", field="case")
    date = page.headers.get("date") or email.utils.format_datetime(page.fetched_at, usegmt=True)
    headers = {"content-type": page.headers.get("content-type", "text/html"), "date": date}
    # The Date saved in the manifest is what a replay of the fixture will date it by.
    article = extract_page(page.text, page.final_url, source=source,  # decoded once, by fetch
                           headers=headers, fetched_at=page.fetched_at)
    if isinstance(article, PageFailure):
        raise article.error()
    folder.mkdir(parents=True)
    (folder / PAGE).write_bytes(page.content)
    write_expected(folder, expected_record(article, portal, note=REVIEW_NOTE))
    add_manifest_entry(folder.parent, url, f"{case}/{PAGE}", headers=headers)
    return folder


async def _fetch_one(url: str, transport: httpx.AsyncBaseTransport | None) -> FetchedPage:
    async with Fetcher(transport=transport) as fetcher:
        return await fetcher.fetch(url, delay=0.0)


def _slug(host: str) -> str:
    host = host.split(":")[0].lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9]+", "-", host).strip("-") or "site"

