"""The normalize stage: an `Extraction` of one page becomes one clean `Article`.

Every field decision lives in its own module (dates, title, language, text, urls,
dedupe); this function only wires them, so each can be tested and improved alone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ..records import Article, Extraction, Source
from .dates import choose_dates
from .dedupe import content_hash, simhash
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
    tz = _timezone(source, language or hint)
    final_url = canonical_url(url, extraction.canonical_url) if url else (
        extraction.canonical_url or ""
    )
    rule_dates = [c for c in extraction.date_candidates if c.origin == "meta:rules"]
    languages = date_languages(language or hint)
    published, modified = choose_dates(
        rule_dates or extraction.date_candidates, url=url, tz=tz, now=now or fetched_at,
        languages=languages,
    )
    if published is None and rule_dates:
        published, modified = choose_dates(
            extraction.date_candidates, url=url, tz=tz, now=now or fetched_at,
            languages=languages,
        )
    title = choose_title(
        list(extraction.title_candidates),
        [extraction.site_name] if extraction.site_name else [],
    )
    return Article(
        url=final_url,
        title=title,
        published=published,
        modified=modified,
        body=body,
        language=language,
        content_hash=content_hash(body),
        source=source.name if source is not None else None,
        authors=extraction.authors,
        credits=extraction.credits,
        origin=extraction.origin,
        simhash=simhash(body),
        fetched_at=fetched_at,
        requested_url=url,
    )


def _timezone(source: Source | None, language: str | None) -> ZoneInfo:
    """The zone for times a page prints without an offset.

    The source's configured timezone when there is one. Otherwise Chinese pages are read
    at UTC+8: mainland China, Hong Kong, Macau, Taiwan and Singapore all keep it, so it is
    right for nearly every Chinese-language news page, where UTC would shift evening news
    onto the next day. Anything else defaults to UTC.
    """
    if source is not None and source.timezone:
        return ZoneInfo(source.timezone)
    if language and language.lower().startswith("zh"):
        return ZoneInfo("Asia/Shanghai")
    return ZoneInfo("UTC")
