"""The long tail of date expressions: dateparser, bounded to the page's own languages.

Why bounded: dateparser given no ``languages`` probes every locale it ships, which costs
about 2.4 s on the first call and ~150 ms per later call on a string it cannot read (for a
result of None). With ``languages=['zh']`` or ``['en']`` it loads one or two locales once
and answers in well under a millisecond. So it is called only with the languages of the
page, only for one short expression the regexes in dates.py could not read, and never for
search inside text (``search_dates`` finds dates in words like "may" or "now").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from .dateurl import localize

__all__ = ["date_languages", "parse_long_tail"]

# Languages dateparser knows under the primary subtag of a BCP 47 tag we detect.
_KNOWN = frozenset({"zh", "en"})


def date_languages(language: str | None) -> tuple[str, ...]:
    """dateparser language codes for a page's BCP 47 language (``zh-Hant`` -> ``('zh',)``);
    empty when the language is unknown: then the long tail is not tried at all."""
    if not language:
        return ()
    primary = language.replace("_", "-").split("-")[0].lower()
    if primary not in _KNOWN:
        return ()
    return ("zh", "en") if primary == "zh" else ("en",)  # zh pages print English months too


def parse_long_tail(text: str, *, tz: tzinfo, now: datetime | None,
                    languages: Sequence[str]) -> datetime | None:
    """One expression through dateparser in `languages` only; never reads the machine clock."""
    if not languages:
        return None
    import dateparser  # slow import, needed only for the long tail

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past",
                                   "PARSERS": ["custom-formats", "absolute-time"]}
    if now is not None:
        settings["RELATIVE_BASE"] = now.replace(tzinfo=None)
        settings["PARSERS"] = ["relative-time", "custom-formats", "absolute-time"]
    else:  # without `now`, missing parts would come from the clock: demand them all
        settings["REQUIRE_PARTS"] = ["day", "month", "year"]
        settings["RELATIVE_BASE"] = datetime(2000, 1, 1)
    try:
        value = dateparser.parse(text, languages=list(languages), settings=settings)
    except Exception:  # noqa: BLE001 - third-party parser on untrusted text: garbage -> None
        return None
    if value is None:
        return None
    return value if value.tzinfo is not None else localize(value, tz)
