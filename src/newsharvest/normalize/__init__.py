"""The normalize stage: an `Extraction` of one page becomes one clean `Article`.

Every field decision lives in its own module (dates, title, language, text, urls,
dedupe); this function only wires them, so each can be tested and improved alone.
"""

from __future__ import annotations

from datetime import datetime

from ..records import Article, Calendar, DateOrigin, Extraction, Source, default_zone
from .dates import choose_dates
from .dedupe import content_hash, fingerprints
from .language import detect_language
from .longtail import date_languages
from .text import join_paragraphs
from .title import choose_title
from .urls import canonical_url

__all__ = ["normalize"]


def normalize(
    extraction: Extraction,
    *,
    url: str | None,
    source: Source | None = None,
    fetched_at: datetime | None = None,
    now: datetime | None = None,
) -> Article:
    """Build the Article. `now` is the reference for relative/year-less dates (the
    response's Date header when there is one), `fetched_at` is when we fetched it."""
    body = join_paragraphs(extraction.paragraphs)
    hint = source.language if source is not None else None
    language = detect_language(body, hint=hint) if body else None
    # The zone and calendar were resolved with the source (records.Source); a page with no
    # source gets the same documented default from the language found on it.
    tz = source.zone if source is not None else default_zone(language)
    calendar = source.calendar if source is not None else Calendar.GREGORIAN
    final_url = canonical_url(url, extraction.canonical_url) if url else (
        extraction.canonical_url or ""
    )
    rule_dates = [c for c in extraction.date_candidates if c.origin == DateOrigin.RULES]
    languages = date_languages(language or hint)
    published, modified = choose_dates(
        rule_dates or extraction.date_candidates, url=url, tz=tz, now=now or fetched_at,
        languages=languages, calendar=calendar,
    )
    if published is None and rule_dates:
        published, modified = choose_dates(
            extraction.date_candidates, url=url, tz=tz, now=now or fetched_at,
            languages=languages, calendar=calendar,
        )
    title = choose_title(
        list(extraction.title_candidates),
        [extraction.site_name] if extraction.site_name else [],
    )
    body_hash = content_hash(body, joined=True)
    body_simhash, sketch = fingerprints(body, body_hash)
    return Article(
        url=final_url,
        title=title,
        published=published,
        modified=modified,
        body=body,
        language=language,
        content_hash=body_hash,
        source=source.name if source is not None else None,
        authors=extraction.authors,
        credits=extraction.credits,
        origin=extraction.origin,
        simhash=body_simhash,
        fetched_at=fetched_at,
        requested_url=url,
        sketch=sketch,
    )

