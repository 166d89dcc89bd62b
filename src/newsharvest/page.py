"""One fetched page in, one outcome out: the step every road from a page to a record takes.

harvest, reextract, WARC ingest, `newsharvest extract`, `sources check`, `fixture add` and
the eval runner all call `extract_page`, so they cannot disagree about:

* the reference time for relative and year-less dates ("3小时前", "9月24日"): the
  response's Date header when it is there and sane (within a day of the fetch), else the
  time the page was fetched (for a WARC record, its WARC-Date); with neither, such dates
  stay unknown rather than being read against the machine clock;
* what counts as a failure: a page with no article text is one (kind "extract"), never an
  empty record;
* the page-error policy: any exception met on one page becomes a typed `PageFailure`
  (`page_failure`), an unexpected one as kind "bug" with its traceback kept for the log,
  so one strange page costs that page and never a run.

`extract_html` stays the plain public function underneath (it raises on purpose); this
module is what the engines map over pages, in-process or in the worker pool (workers.py).
"""

from __future__ import annotations

import logging
import traceback as tb
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from .api import extract_html
from .errors import (
    PERMANENT_KINDS,
    ExtractionError,
    NewsharvestError,
    PageBug,
    PageTimeout,
    PageTooLarge,
    WorkerCrashed,
)
from .fetch.politeness import http_date
from .records import Article, Source

log = logging.getLogger(__name__)

# A Date header further than this from the fetch time is a broken server clock.
MAX_CLOCK_SKEW = timedelta(days=1)
NO_TEXT = "no article text found on the page"
TOO_LARGE = "extraction needed more memory than a page may use"
_ERRORS: dict[str, type[NewsharvestError]] = {
    cls.kind: cls for cls in (ExtractionError, PageTimeout, PageTooLarge, WorkerCrashed, PageBug)
}


@dataclass(frozen=True, slots=True)
class PageFailure:
    """Why one page gave no article. `kind` is what the `fetches.error_kind` column keeps
    ("extract" = no article text, "bug", "timeout", "too-large", "crash", or a fetch
    error's kind); `reason` says what happened, `message` the same naming the URL."""

    url: str
    kind: str
    reason: str
    traceback: str | None = None  # for "bug": where it happened, for the log

    @property
    def message(self) -> str:
        """The reason naming the URL, as the `fetches.error` column keeps it."""
        return f"{self.url}: {self.reason}" if self.url else self.reason

    @property
    def permanent(self) -> bool:
        """True when trying the page again would fail the same way (PERMANENT_KINDS)."""
        return self.kind in PERMANENT_KINDS

    def error(self) -> NewsharvestError:
        """The failure as the typed exception (for callers that raise, or record one)."""
        cls = _ERRORS.get(self.kind)
        if cls is None:
            error = NewsharvestError(self.message)
            error.kind = self.kind
            return error
        return cls(self.reason, url=self.url or None)  # type: ignore[call-arg]


PageResult = Article | PageFailure


def reference_time(date_header: str | None, fetched_at: datetime | None) -> datetime | None:
    """The instant "3小时前" is counted from: the response's Date when sane, else the fetch
    time. The server's clock says when it rendered the page, which is what relative dates
    on the page mean; a Date more than MAX_CLOCK_SKEW from the fetch is not believed."""
    served = http_date(date_header)
    if served is None:
        return fetched_at
    if fetched_at is None:
        return served
    return served if abs(served - fetched_at) <= MAX_CLOCK_SKEW else fetched_at


def extract_page(
    content: bytes | str,
    url: str,
    *,
    source: Source | None = None,
    headers: Mapping[str, str] | None = None,
    fetched_at: datetime | None = None,
) -> Article | PageFailure:
    """Extract one fetched page: the Article, or a PageFailure saying why not. Never raises.

    `content` is the body as fetched (bytes, decoded browser-style with the Content-Type's
    charset) or text a fetcher already decoded; `headers` are the response headers (any
    case; Content-Type and Date are read); `fetched_at` is when it was fetched (aware).
    The source supplies zone, calendar, language hint and site rules.
    """
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    try:
        article = extract_html(content, url, source=source, fetched_at=fetched_at,
                               content_type=lowered.get("content-type"),
                               now=reference_time(lowered.get("date"), fetched_at))
    except Exception as exc:  # noqa: BLE001 - the one page-error policy, see page_failure
        return page_failure(exc, url)
    if not article.body:
        return PageFailure(url, ExtractionError.kind, NO_TEXT)
    return article


def page_failure(exc: BaseException, url: str) -> PageFailure:
    """The page-error policy, written once: an exception met on one page as its failure.

    Errors raised on purpose keep their kind and message; running out of the worker's
    memory cap is "too-large"; anything else is a bug (in newsharvest or a library) met on
    this page: kind "bug", with the traceback kept so `log_failure` can show where.
    """
    if isinstance(exc, NewsharvestError):
        reason = str(exc)
        if url and reason.startswith(f"{url}: "):  # errors naming their URL already
            reason = reason[len(url) + 2:]
        return PageFailure(url, exc.kind, reason)
    if isinstance(exc, MemoryError):
        return PageFailure(url, PageTooLarge.kind, TOO_LARGE)
    trace = "".join(tb.format_exception(type(exc), exc, exc.__traceback__))
    return PageFailure(url, PageBug.kind, f"{type(exc).__name__}: {exc}", trace)


def log_failure(failure: PageFailure, where: str) -> None:
    """Log a bug's traceback where the failure is recorded (the worker that met it has no
    log of its own); other failures are said by the caller's own report line."""
    if failure.traceback:
        log.error("%s: unexpected error on %s\n%s", where, failure.url, failure.traceback)
    else:
        log.debug("%s: %s", where, failure.message)
