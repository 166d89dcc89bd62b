"""`extract_html`: one page's bytes to one `Article`, with no network, disk or global state.

This is the function every engine maps over pages: the harvester, `newsharvest extract`,
`newsharvest eval`, and later WARC ingestion on a process pool or a cluster.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from .errors import ExtractionError
from .extract import extract
from .fetch.decode import decode_html
from .normalize import normalize
from .normalize.text import storable
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

    Raises ExtractionError when the page holds no article text. Every text field of the
    result can be stored and printed (lone surrogates from JSON-LD escapes are repaired).
    """
    text = decode_html(html, content_type).text if isinstance(html, bytes) else html
    url = storable(url) if url is not None else None
    extraction = extract(text, url, source.rules if source is not None else None)
    article = _storable(normalize(extraction, url=url, source=source, fetched_at=fetched_at,
                                  now=now))
    if not article.body.strip():
        raise ExtractionError("no article text found on the page", url=url)
    return article


def _storable(article: Article) -> Article:
    """The record with every str (and tuple of str) field encodable as UTF-8."""
    changes: dict[str, Any] = {}
    for spec in dataclasses.fields(article):
        value = getattr(article, spec.name)
        if isinstance(value, str):
            fixed: Any = storable(value)
        elif isinstance(value, tuple):
            fixed = tuple(storable(v) if isinstance(v, str) else v for v in value)
        else:
            continue
        if fixed != value:
            changes[spec.name] = fixed
    return dataclasses.replace(article, **changes) if changes else article
