"""Rebuild every stored record from the raw page store, with no network traffic.

`harvest --keep-raw` keeps each fetched page (see store/raw.py); after an extractor
upgrade, `newsharvest reextract` runs the current extractor over those bytes and updates
the records whose result changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from .api import extract_html
from .errors import ExtractionError, StoreError
from .fetch.politeness import http_date
from .lock import RunLock
from .records import Article, PageOutcome, Source, parse_iso
from .store import Store
from .store.raw import RawStore


def reextract(
    db_path: str | Path,
    raw_root: str | Path,
    sources: Sequence[Source] = (),
    *,
    on_page: Callable[[str, str], None] | None = None,
) -> Counter[str]:
    """Re-run extraction on every kept page; returns counts of new/updated/unchanged/failed."""
    by_name = {s.name: s for s in sources}
    raw = RawStore(raw_root)
    counts: Counter[str] = Counter()
    run_id = datetime.now(UTC).strftime("reextract-%Y%m%dT%H%M%SZ")
    with RunLock(db_path), Store(db_path) as store:
        rows = list(store.query("SELECT * FROM raw_pages ORDER BY url"))
        for row in rows:
            try:
                content = raw.get(row["sha256"])
            except OSError as exc:
                counts["failed"] += 1
                if on_page:
                    on_page(row["url"], f"failed: {exc}")
                continue
            source = by_name.get(row["source"])
            fetched_at = parse_iso(row["fetched_at"])
            try:
                article: Article | None = extract_html(
                    content, row["final_url"], source=source, content_type=row["content_type"],
                    fetched_at=fetched_at, now=http_date(row["date"]) or fetched_at)
            except ExtractionError:
                article = None
            if article is None:  # never replace a stored article with nothing
                counts["failed"] += 1
                if on_page:
                    on_page(row["url"], "failed: no article text found on the page")
                continue
            outcome = PageOutcome(url=row["url"], source=row["source"], status="new",
                                  at=datetime.now(UTC))
            try:
                status = store.save(article, outcome, run_id)
            except StoreError as exc:
                counts["failed"] += 1
                if on_page:
                    on_page(row["url"], f"failed: {exc}")
                continue
            counts[status] += 1
            if on_page:
                on_page(row["url"], status)
    return counts



