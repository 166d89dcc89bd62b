"""Dates printed in a URL's path (``/2025/09/24/``, ``/20250924/``), as midnight.

Kept apart from the expression parser in dates.py: a URL is read by its own small patterns,
with a plausibility bound, because URLs carry many 8-digit ids that only look like dates.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from urllib.parse import urlsplit

__all__ = ["date_from_url", "localize"]

_URL_PATTERNS = (
    # /2025/09/24/, /2025-09-24/, /2025-09/24/ (separators may differ)
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[/_-](?P<m>\d{1,2})[/_-](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})/(?P<m>\d{2})(?P<d>\d{2})(?!\d)"),  # /2025/0924/
    # 20250924 as a whole digit run, or opening a run of 14+ digits (date + time ids)
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:(?!\d)|(?=\d{6}))"),
)


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """Attach a zone to a wall-clock time (pytz zones need `localize`, zoneinfo does not)."""
    method = getattr(tz, "localize", None)
    return method(naive) if callable(method) else naive.replace(tzinfo=tz)


def date_from_url(url: str, *, tz: tzinfo, now: datetime | None = None) -> datetime | None:
    """A date printed in the URL's path, as midnight in `tz`; None unless a real calendar day
    with a year in 1995..(now or the clock)+1 (URLs hold many 8-digit ids)."""
    last_year = (now or datetime.now(UTC)).year + 1  # a bound only, never a value
    try:
        path = urlsplit(url).path
        hits = sorted((m.start(), i, m) for i, p in enumerate(_URL_PATTERNS)
                      for m in p.finditer(path))
    except (ValueError, TypeError, AttributeError):  # not a str (urlsplit(None): bytes)
        return None
    for _, _, m in hits:
        try:
            day = date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
        if 1995 <= day.year <= last_year:
            return localize(datetime(day.year, day.month, day.day), tz)
    return None
