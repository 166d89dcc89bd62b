"""`extract_html`: one page's bytes to one `Article`, with no network, disk or global state.

This is the function every engine maps over pages: the harvester, `newsharvest extract`,
`newsharvest eval`, and later WARC ingestion on a process pool or a cluster.
"""

from __future__ import annotations

from datetime import datetime

from .extract import extract
from .fetch.decode import decode_html
from .normalize import normalize
from .records import Article, Source


def extract_html(
    html: bytes | str,
    url: str | None = None,
    *,
    source: Source | None = None,
    fetched_at: datetime | None = None,
    content_type: str | None = None,
    now: datetime | None = None,
) -> Article:
    """Extract and normalise one page.

    `html` may be bytes (decoded browser-style: BOM, `content_type` charset, <meta>,
    detection) or an already decoded str. `source` supplies the timezone, language hint and
    site rules. `now` (default: `fetched_at`) resolves relative and year-less dates; with
    neither, such dates stay unknown rather than being guessed from the machine clock.
    """
    text = decode_html(html, content_type).text if isinstance(html, bytes) else html
    extraction = extract(text, url, source.rules if source is not None else None)
    return normalize(extraction, url=url, source=source, fetched_at=fetched_at, now=now)
