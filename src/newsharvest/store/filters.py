"""Which articles: language, source and publication-time filters as SQL conditions.

Dates: ``published`` keeps the page's own offset, so its text does not sort in time order;
``published_utc`` (ISO 8601 in UTC with ``Z``, indexed) does, and filters compare it as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..errors import NewsharvestError

_LANGUAGE_NAMES = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


def parse_when(value: str | date | datetime, *, end: bool = False) -> tuple[datetime, bool]:
    """A --since/--until value as an aware UTC datetime and whether the bound is inclusive.

    ``YYYY-MM-DD`` is a whole UTC day: as a start it means its midnight, as an `end` the
    next midnight (exclusive), so ``--until 2025-10-14`` includes that day. ISO datetimes
    keep their offset; without one they are UTC.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (date.fromisoformat(text) if len(text) == 10
                     else datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError as exc:
            raise NewsharvestError(
                f"bad date {text!r}: use YYYY-MM-DD or an ISO datetime") from exc
    if not isinstance(value, datetime):
        start = datetime(value.year, value.month, value.day, tzinfo=UTC)
        return (start + timedelta(days=1), False) if end else (start, True)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC), True


def utc_text(moment: datetime) -> str:
    """An aware datetime as ``published_utc`` stores it: ``2025-10-13T21:30:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ceil_second(moment: datetime) -> datetime:
    whole = moment.replace(microsecond=0)
    return whole + timedelta(seconds=1) if moment.microsecond else whole


@dataclass(frozen=True, slots=True)
class Filters:
    """Which articles: any of `languages` (``zh`` means every Chinese tag), any of
    `sources`, published in [since, until] (articles without a date are then left out)."""

    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: str | date | datetime | None = None
    until: str | date | datetime | None = None

    @classmethod
    def of(cls, lang: str | Sequence[str] | None = None,
           source: str | Sequence[str] | None = None,
           since: str | date | datetime | None = None,
           until: str | date | datetime | None = None) -> Filters:
        def many(value: str | Sequence[str] | None) -> tuple[str, ...]:
            if value is None:
                return ()
            return (value,) if isinstance(value, str) else tuple(value)

        return cls(many(lang), many(source), since, until)

    def where(self, alias: str = "a") -> tuple[str, list[Any]]:
        """A SQL condition on the articles table under `alias`, and its parameters."""
        col = f"{alias}." if alias else ""
        parts: list[str] = []
        params: list[Any] = []
        if self.languages:
            exact = [_LANGUAGE_NAMES.get(x.lower(), x) for x in self.languages]
            cond = [f"{col}language IN ({','.join('?' * len(exact))})"]
            params.extend(exact)
            for bare in {x.lower() for x in self.languages if "-" not in x}:
                cond.append(f"{col}language LIKE ?")  # zh -> zh-Hans, zh-Hant, zh-HK...
                params.append(f"{bare}-%")
            parts.append("(" + " OR ".join(cond) + ")")
        if self.sources:
            parts.append(f"{col}source IN ({','.join('?' * len(self.sources))})")
            params.extend(self.sources)
        if self.since is not None:
            moment, _ = parse_when(self.since)
            parts.append(f"{col}published_utc >= ?")
            params.append(utc_text(_ceil_second(moment)))
        if self.until is not None:
            moment, inclusive = parse_when(self.until, end=True)
            # Stored times have whole seconds: t <= 10:00:00.5 is t <= 10:00:00, and
            # t < 10:00:00.5 is t < 10:00:01.
            bound = moment.replace(microsecond=0) if inclusive else _ceil_second(moment)
            parts.append(f"{col}published_utc {'<=' if inclusive else '<'} ?")
            params.append(utc_text(bound))
        return (" AND ".join(parts) or "1"), params
