"""The harvest orchestrator: sources -> discover -> fetch -> extract -> normalize -> store.

One source's failure is isolated: its discovery error is recorded on its report and the
other sources go on; one page's failure becomes a `fetches` row and the next page goes on.
Every page is committed as it is done, so a killed run loses nothing stored and the next
run skips what it already has. Discovery (fetch/discovery.py) asks for documents
conditionally (ETag / Last-Modified kept in `http_cache`), so an unchanged feed costs a 304.

This module only schedules. Every link found goes into `pending_links` (store/pending.py)
before the feed's validators are saved, and leaves it only when its page is done, so a
link cut by --limit, --time-budget, a kill or a transient failure is fetched by a later
run even when the feed then answers 304. --time-budget is a hard deadline: discovery and
page steps in flight stop with it (their links stay pending).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx

from .config import DEFAULT_PAGE_TIMEOUT
from .errors import NewsharvestError, NotHTML, RobotsDisallowed, StoreError
from .fetch.client import Fetcher, FetchSettings
from .fetch.discover import Link
from .fetch.discovery import Discovered, discover
from .fetch.politeness import http_date
from .fetch.replay import ReplayTransport
from .lock import RunLock
from .page import PageFailure, log_failure, page_failure
from .records import FetchedPage, HarvestReport, OutcomeStatus, PageOutcome, Source, SourceReport
from .store import Store
from .store.pending import RETRY_BACKOFF, PendingLink, PendingLinks
from .store.raw import RawStore
from .workers import ExtractionPool, PageJob

log = logging.getLogger(__name__)

ErrorHandling = Literal["catch", "raise"]


@dataclass(frozen=True, slots=True)
class HarvestOptions:
    """How one run behaves, beyond the sources themselves."""

    limit: int | None = None  # new articles per source
    since: datetime | None = None  # skip links whose feed/sitemap date is older
    time_budget: float | None = None  # seconds; then every step stops, the rest stays pending
    retry_backoff: float = RETRY_BACKOFF  # seconds; back-off base for links that keep failing
    keep_raw: Path | None = None  # folder of the content-addressed raw page store
    refetch: bool = False  # fetch pages again even when already stored
    replay: bool = False
    error_handling: ErrorHandling = "catch"
    # Seconds one page's extraction may take (None: no budget); over it the page fails
    # as "timeout" for good and the worker is replaced (see workers.py).
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT
    workers: int | None = None  # extraction processes; None: one per CPU, 0: in-process


def harvest(
    sources: Sequence[Source],
    db_path: str | Path,
    *,
    limit: int | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    settings: FetchSettings | None = None,
    replay: bool = False,
    error_handling: ErrorHandling | None = None,
    on_source_done: Callable[[SourceReport], None] | None = None,
    options: HarvestOptions | None = None,
) -> HarvestReport:
    """Harvest every source into the SQLite file at `db_path` and report what happened.

    `limit` caps new articles fetched per source. With `replay`, the response's Date
    header is taken as the fetch time (a replayed page was fetched when it was saved),
    politeness delays are dropped (there is no server to be polite to) and links the
    replay folder never captured are skipped. `options` carries the rest (HarvestOptions).
    Raises LockHeldError when another harvest holds the database.
    """
    options = options or HarvestOptions()
    options = replace(options, limit=limit if limit is not None else options.limit,
                      replay=replay or options.replay,
                      error_handling=error_handling or options.error_handling)
    with RunLock(db_path), Store(db_path) as store:
        run = _Run(store, options, on_source_done)
        if options.replay and isinstance(transport, ReplayTransport):
            run.captured = set(transport.entries)
        return asyncio.run(run.run(sources, settings, transport))


class _Run:
    def __init__(self, store: Store, options: HarvestOptions,
                 on_source_done: Callable[[SourceReport], None] | None) -> None:
        self.store = store
        self.options = options
        self.on_source_done = on_source_done
        self.captured: set[str] | None = None
        self.raw = RawStore(options.keep_raw) if options.keep_raw else None
        self.deadline_at: float | None = None  # event-loop time; set by run()
        self.pending = PendingLinks(store.db, backoff=options.retry_backoff)
        self.run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]
        # Pages are extracted off the event loop, each under its budget; the pool lives
        # as long as the run (workers start with the first page).
        self.pool = ExtractionPool(options.workers, budget=options.page_timeout)

    async def run(self, sources: Sequence[Source], settings: FetchSettings | None,
                  transport: httpx.AsyncBaseTransport | None) -> HarvestReport:
        report = HarvestReport()
        if self.options.replay:
            settings = replace(settings or FetchSettings(), obey_robots=False)
        if self.options.time_budget is not None:
            # The run's hard deadline, on the event loop's clock: every discovery and page
            # step runs under it, so in-flight requests stop too (their links stay pending).
            self.deadline_at = asyncio.get_running_loop().time() + self.options.time_budget
        try:
            async with self.pool, Fetcher(settings, transport) as fetcher, \
                    asyncio.TaskGroup() as group:
                tasks = [group.create_task(self.source(fetcher, s)) for s in sources]
        except BaseExceptionGroup as failed:
            # One fatal error (a full disk: StoreError) cancelled every other task; raise
            # it alone rather than a group, and before the clients close under them.
            raise _first_error(failed) from None
        report.sources.extend(task.result() for task in tasks)
        return report

    async def source(self, fetcher: Fetcher, source: Source) -> SourceReport:
        report = SourceReport(source=source.name)
        if self.options.replay:
            source = replace(source, delay=0.0)
        try:
            async with asyncio.timeout_at(self.deadline_at):
                found = await discover(fetcher, source, self.store)
        except TimeoutError:
            log.warning("source %s: time budget spent during discovery", source.name)
        except NewsharvestError as exc:
            report.source_error = str(exc)
            self._record_failure(source, source.url, exc, None)
            log.warning("source %s: discovery failed: %s", source.name, exc)
            if self.options.error_handling == "raise":
                raise
        else:
            report.discovered = len(found.links)
            self._keep(source, found, report)
        # Links left by earlier runs are fetched even when discovery failed this time.
        await self._fetch_due(fetcher, source, report)
        report.pending = self.pending.count(source.name)
        self._done(report)
        return report

    def _keep(self, source: Source, found: Discovered, report: SourceReport) -> None:
        """Make the new links pending, then save the documents' validators: in this
        order, a kill between the two costs a refetch of the feed, never a link."""
        links = self._select(found.links, report)
        known = set() if self.options.refetch else self.store.known_urls(
            link.url for link in links)
        fresh = [link for link in links if link.url not in known]
        report.unchanged += len(links) - len(fresh)
        self.pending.add(source.name, (PendingLink(link.url, link.published, link.title)
                                       for link in fresh))
        found.save_validators(self.store)

    async def _fetch_due(self, fetcher: Fetcher, source: Source,
                         report: SourceReport) -> None:
        """Fetch the source's pending links that are due, within --limit / max_articles."""
        if self._out_of_time():
            return
        due = self._select([Link(p.url, p.published, p.title)
                            for p in self.pending.due(source.name)], report)
        if not self.options.refetch:
            known = self.store.known_urls(link.url for link in due)
            if known:  # done by another source or run since they were found
                self.pending.drop(source.name, sorted(known))
                due = [link for link in due if link.url not in known]
        caps = (self.options.limit, source.max_articles, len(due))
        cap = min(x for x in caps if x is not None)
        # Up to `concurrency` pages of a source in flight; the host gate still spaces the
        # requests by the source's delay.
        slots = asyncio.Semaphore(max(1, source.concurrency))

        async def one(link: Link) -> None:
            try:
                async with asyncio.timeout_at(self.deadline_at), slots:
                    await self.page(fetcher, source, link, report)
            except TimeoutError:
                if not self._out_of_time():
                    raise
                return  # the run's time budget is spent: the link stays pending
            if self.pending.settle(source.name, link.url, self.run_id) == "store":
                # The database cannot take more (full disk, I/O error): every later page
                # would fail the same way. Stop the run with that one error.
                raise StoreError(f"{self.store.path}: cannot store pages: "
                                 f"{report.errors[-1] if report.errors else 'write failed'}")

        async with asyncio.TaskGroup() as group:
            for link in due[:cap]:
                group.create_task(one(link))
        if self._out_of_time():
            log.warning("source %s: time budget spent, links left pending for the next run",
                        source.name)

    def _out_of_time(self) -> bool:
        return (self.deadline_at is not None
                and asyncio.get_running_loop().time() >= self.deadline_at)

    def _select(self, links: list[Link], report: SourceReport) -> list[Link]:
        """Drop links the replay folder never captured and links older than --since."""
        keep = []
        for link in links:
            if self.captured is not None and link.url not in self.captured:
                report.skipped += 1
            elif (self.options.since is not None and link.published is not None
                  and link.published < self.options.since):
                report.skipped += 1
            else:
                keep.append(link)
        return keep

    def _done(self, report: SourceReport) -> None:
        if self.on_source_done is not None:
            self.on_source_done(report)

    async def page(self, fetcher: Fetcher, source: Source, link: Link,
                   report: SourceReport) -> None:
        started = time.monotonic()
        try:
            fetched = await fetcher.fetch(link.url, concurrency=source.concurrency,
                                          delay=source.delay, source=source.name,
                                          user_agent=source.user_agent)
            if self.raw is not None:
                self._keep_raw(source, link.url, fetched)
            article = await self.pool.extract(PageJob(
                fetched.text, fetched.final_url, source, fetched.headers,
                self._fetch_time(fetched)))
            if isinstance(article, PageFailure):
                log_failure(article, f"source {source.name}")
                raise article.error()
            outcome = PageOutcome(url=link.url, source=source.name, status=OutcomeStatus.NEW,
                                  at=datetime.now(UTC), http_status=fetched.status,
                                  elapsed=time.monotonic() - started)
            status = self.store.save(article, outcome, self.run_id)
        except (RobotsDisallowed, NotHTML) as exc:
            # Not failures of the source: the site asked us not to fetch it, or the link
            # is a PDF/image, which is recorded and skipped rather than parsed.
            report.skipped += 1
            self.store.record(PageOutcome(url=link.url, source=source.name,
                                          status=OutcomeStatus.SKIPPED,
                                          at=datetime.now(UTC), error_kind=exc.kind,
                                          error=str(exc)), self.run_id)
            return
        except NewsharvestError as exc:
            self._page_failed(source, link.url, exc, report, started)
            if self.options.error_handling == "raise":
                raise
            return
        except Exception as exc:  # noqa: BLE001 - the page policy (page.page_failure)
            # A bug met on one strange page (in our code or a library's) must not end a
            # cron run for every other page: record it with its type, log the traceback.
            if self.options.error_handling == "raise":
                raise
            failure = page_failure(exc, link.url)
            log_failure(failure, f"source {source.name}")
            self._page_failed(source, link.url, failure.error(), report, started)
            return
        setattr(report, status, getattr(report, status) + 1)

    def _keep_raw(self, source: Source, url: str, fetched: FetchedPage) -> None:
        assert self.raw is not None
        self.store.keep_raw({
            "url": url, "source": source.name, "final_url": fetched.final_url,
            "sha256": self.raw.put(fetched.content),
            "content_type": fetched.headers.get("content-type"),
            # The fetch time the record got (a replayed page's saved Date), so reextract
            # dates the page exactly as this run did.
            "date": fetched.headers.get("date"),
            "fetched_at": self._fetch_time(fetched).isoformat(),
        })

    def _page_failed(self, source: Source, url: str, exc: NewsharvestError,
                     report: SourceReport, started: float) -> None:
        report.failed += 1
        report.errors.append(str(exc))
        self._record_failure(source, url, exc, time.monotonic() - started)
        log.warning("source %s: %s", source.name, exc)

    def _fetch_time(self, page: FetchedPage) -> datetime:
        if self.options.replay:
            return http_date(page.headers.get("date")) or page.fetched_at
        return page.fetched_at

    def _record_failure(self, source: Source, url: str, exc: NewsharvestError,
                        elapsed: float | None) -> None:
        status = getattr(exc, "status", None)
        self.store.record(
            PageOutcome(url=url, source=source.name, status=OutcomeStatus.FAILED,
                        at=datetime.now(UTC),
                        http_status=status, error_kind=exc.kind, error=str(exc),
                        elapsed=elapsed),
            self.run_id,
        )


def _first_error(group: BaseExceptionGroup) -> BaseException:
    """The first leaf of a (nested) exception group."""
    first: BaseException = group
    while isinstance(first, BaseExceptionGroup):
        first = first.exceptions[0]
    return first
