"""Times in feeds and sitemaps, read in the source's timezone when they carry no offset.

A Chinese sitemap's ``<lastmod>2025-10-14T20:00:00</lastmod>`` is 20:00 in Beijing, not in
London: read as UTC it is 8 hours late and ``--since`` keeps or drops the wrong links.
"""

from __future__ import annotations

import email.utils
import logging
import re
from datetime import UTC, datetime, tzinfo
from typing import Any

from ..records import Source

logger = logging.getLogger(__name__)



def source_zone(source: Source | None) -> tzinfo:
    """The zone for times a source prints without an offset: the one `Source` resolved
    from sources.yaml (`timezone`, else the documented default of `records.default_zone`:
    Asia/Shanghai for a Chinese language hint, UTC otherwise); UTC with no source."""
    return source.zone if source is not None else UTC


def localize(moment: datetime, naive_tz: tzinfo) -> datetime:
    """An aware UTC datetime; a naive one is read in `naive_tz`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=naive_tz)
    return moment.astimezone(UTC)


def parse_w3c_date(value: str | None, naive_tz: tzinfo) -> datetime | None:
    """W3C datetime (ISO 8601 subset) -> aware UTC; a bare date means its midnight."""
    if not value:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2})?", text):
        text = (text + "-01-01")[:10] if len(text) == 4 else text + "-01"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        logger.debug("unparseable sitemap date %r", value)
        return None
    return localize(moment, naive_tz)


def parse_feed_time(entry: Any, naive_tz: tzinfo) -> datetime | None:
    """An RSS/Atom entry's published (else updated, created) time, aware UTC.

    The raw text is read first (RFC 822 or ISO 8601), so a time without an offset is read
    in `naive_tz`; feedparser's own parse, which takes such times as UTC, is the fallback
    for the odd formats only it knows.
    """
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        moment = _raw_time(raw) if isinstance(raw, str) else None
        if moment is not None:
            return localize(moment, naive_tz)
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            year, month, day, hour, minute, second = parsed[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return None


def _raw_time(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace(" Z", "Z"))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None and text.endswith("-0000"):  # RFC 5322: UTC, origin unknown
        moment = moment.replace(tzinfo=UTC)
    return moment
