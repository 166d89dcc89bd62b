"""Errors raised on purpose by newsharvest, each carrying the CLI exit code.

::

    NewsharvestError            exit 1   base for everything raised on purpose
    ├── ConfigError             exit 2   bad sources.yaml: names file, entry and field
    ├── LockHeldError           exit 3   another harvest holds the database lock
    ├── FetchError                       one URL could not be fetched (wraps httpx errors)
    │   ├── RobotsDisallowed             robots.txt forbids the URL
    │   ├── NotHTML                      the response is not an HTML page
    │   └── TooLarge                     the body passed the size cap
    ├── ExtractionError                  no article body found on a page
    │   ├── PageTimeout                  extraction passed the per-page time budget
    │   ├── PageTooLarge                 extraction passed the per-page memory cap
    │   └── WorkerCrashed                the extraction worker died on the page
    ├── PageBug                          an unexpected exception met on one page
    ├── StoreError                       a database operation failed
    ├── SearchError                      a search query with nothing to search for
    └── EvalError                        an evaluation cannot start (no cases, bad truth)

Page-level errors (fetch, extract) become `PageOutcome` rows inside a harvest and never
escape it; the CLI catches `NewsharvestError` once and exits with ``exit_code``.
"""

from __future__ import annotations


class NewsharvestError(Exception):
    """Base class for every error newsharvest raises on purpose."""

    exit_code = 1
    kind = "error"


class ConfigError(NewsharvestError):
    """Raised by config loading when sources.yaml is invalid; names file, entry, field."""

    exit_code = 2
    kind = "config"

    def __init__(
        self, message: str, *, path: str | None = None, entry: str | None = None,
        field: str | None = None,
    ) -> None:
        self.path, self.entry, self.field, self.reason = path, entry, field, message
        where = ": ".join(
            part for part in (
                path,
                f"entry {entry}" if entry else None,
                f"field '{field}'" if field else None,
            ) if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class LockHeldError(NewsharvestError):
    """Raised when another harvest already holds the database's lock."""

    exit_code = 3
    kind = "lock"


class FetchError(NewsharvestError):
    """Raised by fetch when a URL cannot be retrieved."""

    kind = "fetch"

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        self.url, self.status, self.reason = url, status, message
        super().__init__(f"{url}: {message}")


class RobotsDisallowed(FetchError):
    """Raised when robots.txt forbids fetching the URL."""

    kind = "robots"


class NotHTML(FetchError):
    """Raised when a response is not HTML (PDF, image, binary)."""

    kind = "not-html"


class TooLarge(FetchError):
    """Raised when a response body passes the configured size cap."""

    kind = "too-large"


class ExtractionError(NewsharvestError):
    """Raised by extract when a page has no article body."""

    kind = "extract"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        self.url = url
        super().__init__(f"{url}: {message}" if url else message)


class PageTimeout(ExtractionError):
    """Recorded when extracting one page takes longer than its budget; the worker doing it
    is replaced. Permanent: the same page would take as long again."""

    kind = "timeout"


class PageTooLarge(ExtractionError):
    """Recorded when extracting one page needs more memory than a worker may use."""

    kind = "too-large"


class WorkerCrashed(ExtractionError):
    """Recorded when the worker process extracting a page dies (a crash in C code, a
    signal); only that page fails and the worker is replaced."""

    kind = "crash"


class PageBug(NewsharvestError):
    """An unexpected exception (a bug in newsharvest or a library) met on one page,
    wrapped so that one strange page cannot end a run; its traceback is logged."""

    kind = "bug"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        self.url, self.reason = url, message  # reason: "ValueError: ...", without the URL
        super().__init__(f"{url}: {message}" if url else message)


# Failure kinds a page would meet again on every try: such a page is recorded once with
# its reason and not fetched again (`harvest --refetch` still does).
PERMANENT_KINDS = frozenset({PageTimeout.kind, PageTooLarge.kind, WorkerCrashed.kind})


class StoreError(NewsharvestError):
    """Raised by the store when a database operation fails."""

    kind = "store"


class SearchError(NewsharvestError):
    """Raised for a query that cannot be searched (no words in it)."""

    kind = "search"


class EvalError(NewsharvestError):
    """Raised when an evaluation cannot start: no cases, unreadable truth, no extractor."""

    kind = "eval"
