"""The harvest orchestrator: sources -> discover -> fetch -> extract -> normalize -> store.

One source's failure is isolated: its discovery error is recorded on its report and the
other sources go on; one page's failure becomes a `fetches` row and the next page goes on.
Every page is committed as it is done, so a killed run loses nothing stored and the next
run skips what it already has.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx

from .api import extract_html
from .errors import FetchError, NewsharvestError
from .fetch.client import Fetcher, FetchSettings
from .fetch.discover import Link, parse_feed, parse_listing, parse_sitemap, parse_url_list
from .lock import RunLock
from .records import FetchedPage, HarvestReport, PageOutcome, Source, SourceReport
from .replay import ReplayTransport
from .store import Store

log = logging.getLogger(__name__)

ErrorHandling = Literal["catch", "raise"]
MAX_CHILD_SITEMAPS = 5


def harvest(
    sources: Sequence[Source],
    db_path: str | Path,
    *,
    limit: int | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    settings: FetchSettings | None = None,
    replay: bool = False,
    error_handling: ErrorHandling = "catch",
    on_source_done: Callable[[SourceReport], None] | None = None,
) -> HarvestReport:
    """Harvest every source into the SQLite file at `db_path` and report what happened.

    `limit` caps new articles fetched per source. With `replay`, the response's Date
    header is taken as the fetch time (a replayed page was fetched when it was saved) and
    politeness delays are dropped (there is no server to be polite to).
    Raises LockHeldError when another harvest holds the database.
    """
    with RunLock(db_path), Store(db_path) as store:
        run = _Run(store, limit=limit, replay=replay, error_handling=error_handling,
                   on_source_done=on_source_done)
        if replay and isinstance(transport, ReplayTransport):
            run.captured = set(transport.entries)
        return asyncio.run(run.run(sources, settings, transport))


class _Run:
    def __init__(self, store: Store, *, limit: int | None, replay: bool,
                 error_handling: ErrorHandling,
                 on_source_done: Callable[[SourceReport], None] | None) -> None:
        self.store = store
        self.limit = limit
        self.replay = replay
        self.error_handling = error_handling
        self.on_source_done = on_source_done
        self.captured: set[str] | None = None
        self.run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]

    async def run(self, sources: Sequence[Source], settings: FetchSettings | None,
                  transport: httpx.AsyncBaseTransport | None) -> HarvestReport:
        report = HarvestReport()
        async with Fetcher(settings, transport) as fetcher:
            reports = await asyncio.gather(*(self.source(fetcher, s) for s in sources))
        report.sources.extend(reports)
        return report

    async def source(self, fetcher: Fetcher, source: Source) -> SourceReport:
        report = SourceReport(source=source.name)
        if self.replay:
            source = replace(source, delay=0.0)
        try:
            links = await self.discover(fetcher, source)
        except NewsharvestError as exc:
            report.source_error = str(exc)
            self._record_failure(source, source.url, exc, None)
            log.warning("source %s: discovery failed: %s", source.name, exc)
            if self.error_handling == "raise":
                raise
            self._done(report)
            return report
        report.discovered = len(links)
        if self.captured is not None:
            # A replay folder is a partial copy of the web: links it never captured are
            # skipped, not failures of the source.
            report.skipped = sum(1 for link in links if link.url not in self.captured)
            links = [link for link in links if link.url in self.captured]
        known = self.store.known_urls(link.url for link in links)
        todo = [link for link in links if link.url not in known]
        report.unchanged += len(links) - len(todo)
        cap = min(x for x in (self.limit, source.max_articles, len(todo)) if x is not None)
        for link in todo[:cap]:
            await self.page(fetcher, source, link, report)
        self._done(report)
        return report

    def _done(self, report: SourceReport) -> None:
        if self.on_source_done is not None:
            self.on_source_done(report)

    async def discover(self, fetcher: Fetcher, source: Source) -> list[Link]:
        if source.discovery == "urls":
            return [Link(url) for url in source.urls]
        page = await fetcher.fetch(source.url, concurrency=source.concurrency,
                                   delay=source.delay, html=False, source=source.name)
        if source.discovery == "feed":
            return parse_feed(page.content, page.final_url)
        if source.discovery == "listing":
            listing = await self._as_html(page)
            return parse_listing(listing, page.final_url, source.link_selector or "a",
                                 source.link_pattern)
        if source.discovery == "sitemap":
            sitemap = parse_sitemap(page.content, page.final_url)
            links = list(sitemap.links)
            for child in sitemap.sitemaps[:MAX_CHILD_SITEMAPS]:
                sub = await fetcher.fetch(child, concurrency=source.concurrency,
                                          delay=source.delay, html=False, source=source.name)
                links.extend(parse_sitemap(sub.content, sub.final_url).links)
            return links
        return parse_url_list(page.content.decode("utf-8", "replace"), page.final_url)

    async def _as_html(self, page: FetchedPage) -> str:
        from .fetch.decode import decode_html

        return decode_html(page.content, page.headers.get("content-type")).text

    async def page(self, fetcher: Fetcher, source: Source, link: Link,
                   report: SourceReport) -> None:
        started = time.monotonic()
        try:
            fetched = await fetcher.fetch(link.url, concurrency=source.concurrency,
                                          delay=source.delay, source=source.name)
            fetched_at = self._fetch_time(fetched)
            article = extract_html(fetched.text, fetched.final_url, source=source,
                                   fetched_at=fetched_at)
            if not article.body:
                raise FetchError("no article text found on the page", url=link.url)
            outcome = PageOutcome(url=link.url, source=source.name, status="new",
                                  at=datetime.now(UTC), http_status=fetched.status,
                                  elapsed=time.monotonic() - started)
            status = self.store.save(article, outcome, self.run_id)
        except NewsharvestError as exc:
            self._page_failed(source, link.url, exc, report, started)
            if self.error_handling == "raise":
                raise
            return
        except Exception as exc:  # noqa: BLE001 - see below
            # A bug met on one strange page (in our code or a library's) must not end a
            # cron run for every other page: record it with its type, log the traceback.
            if self.error_handling == "raise":
                raise
            log.exception("source %s: unexpected error on %s", source.name, link.url)
            wrapped = NewsharvestError(f"{link.url}: {type(exc).__name__}: {exc}")
            wrapped.kind = "bug"
            self._page_failed(source, link.url, wrapped, report, started)
            return
        setattr(report, status, getattr(report, status) + 1)

    def _page_failed(self, source: Source, url: str, exc: NewsharvestError,
                     report: SourceReport, started: float) -> None:
        report.failed += 1
        report.errors.append(str(exc))
        self._record_failure(source, url, exc, time.monotonic() - started)
        log.warning("source %s: %s", source.name, exc)

    def _fetch_time(self, page: FetchedPage) -> datetime:
        if self.replay and page.headers.get("date"):
            try:
                return email.utils.parsedate_to_datetime(page.headers["date"]).astimezone(UTC)
            except (TypeError, ValueError):
                pass
        return page.fetched_at

    def _record_failure(self, source: Source, url: str, exc: NewsharvestError,
                        elapsed: float | None) -> None:
        status = getattr(exc, "status", None)
        self.store.record(
            PageOutcome(url=url, source=source.name, status="failed", at=datetime.now(UTC),
                        http_status=status, error_kind=exc.kind, error=str(exc),
                        elapsed=elapsed),
            self.run_id,
        )
