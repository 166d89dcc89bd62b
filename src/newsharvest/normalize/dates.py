"""Published/modified dates: parse the strings pages carry, then choose by trust.

Why hand-written regexes first: news pages print a small set of formats (ISO 8601, numeric
``2025/10/14 05:30``, ``2025年9月24日``, ``Jul 10 08:30``, RFC 1123, relative ``3小时前``),
dateparser is slow (ms per call, ~100 ms on a cold language guess) and misreads several of
them (``9月24日``, year-less English with ``REQUIRE_PARTS``). So common forms are parsed here
in microseconds and dateparser is only the fallback for a single long-tail expression.

Rules that hold everywhere:

* Results are always aware. A naive expression takes the source's ``tz``; an expression with
  its own offset (``Z``, ``+08:00``, ``GMT+8``, ``EDT``) keeps that offset.
* Nothing reads the machine clock as a value. Year-less and relative expressions need the
  caller's ``now`` (the fetch time) and give ``None`` without it: a missing year is never
  invented. (``date_from_url`` uses the clock only as a plausibility bound when no ``now``.)
* ``CST`` is ambiguous (US Central / China Standard). It means +08:00 when the source's own
  zone is at +08:00 on that day (mainland, Taiwan, Hong Kong, Singapore sources) and US Central
  (-06:00) otherwise: the bilingual sources that print ``CST`` are exactly those two groups.
* ROC years: ``民國114年`` always, a bare ``114年10月14日`` only with ``calendar: roc``.
* Garbage never raises: every public function returns ``None`` instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from newsharvest.records import Calendar, DateCandidate

from .dateurl import date_from_url
from .dateurl import localize as _localize
from .longtail import parse_long_tail

__all__ = ["choose_dates", "date_from_url", "find_date", "parse_date"]

_FLOOR = datetime(1990, 1, 1, tzinfo=UTC)
_MAX_SCAN = 4000  # characters of a byline-like string worth scanning

# Fixed offsets in hours, or a zone name where the abbreviation follows daylight saving.
_TZ_ABBR: dict[str, float | str] = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "MSK": 3, "SGT": 8, "HKT": 8, "AWST": 8, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11,
    "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "ET": "America/New_York", "CT": "America/Chicago", "PT": "America/Los_Angeles",
    "CST": "CST",  # resolved against the source zone, see module docstring
}
_ABBR_RE = "|".join(sorted(_TZ_ABBR, key=len, reverse=True))
_TZ = (
    r"(?:\s*\(?\s*(?P<tz>(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?(?!\d)"
    r"|[+-]\d{2}:?\d{2}(?!\d)|[+-]\d{2}(?![\d:])"
    rf"|(?<![A-Za-z])(?:{_ABBR_RE})(?![A-Za-z])|北京时间|北京時間))?"
)
_TIME = (
    r"(?P<ap1>上午|下午|凌晨|早上|中午|晚上|傍晚)?\s*(?P<H>\d{1,2})\s*[:时時点點]\s*(?P<M>\d{2})"
    r"(?:\s*[:分]\s*(?P<S>\d{2})(?:[.,](?P<F>\d{1,6})\d*)?)?"
    r"(?:\s*(?P<ap>(?i:[ap]\.?\s?m\.?))(?![A-Za-z]))?"
)
_WEEKDAY_ZH = r"(?:\s*[(（]?(?:星期|週|周|礼拜|禮拜)[一二三四五六日天][)）]?)?"
_WEEKDAY_EN = r"(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_MON = (
    r"(?<![A-Za-z])(?P<mon>(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?"
    r"|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))(?![A-Za-z])\.?"
)
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_EN_SEP = r"(?:,?\s+(?:at\s+)?|\s*[-–·|@]\s*)"

_ZONE_BETWEEN_RE = re.compile(
    rf"(?P<date>\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}})\s+(?P<zone>{_ABBR_RE})\s+"
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)")
_SHORT_YEAR_RE = re.compile(  # a labelled two-digit year: "发布时间：18-03-0823:16"
    r"(?P<label>(?:发布时间|發布時間|發佈時間|发布|發布|时间|時間|日期)\s*[:：]?\s*)"
    r"(?P<y>\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\s*(?P<time>\d{1,2}:\d{2})(?!\d)")
_P_NUMERIC = re.compile(
    r"(?<![\d.])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
    rf"{_WEEKDAY_ZH}(?:(?:T|\s+){_TIME}{_TZ})?")
_P_CJK = re.compile(
    r"(?P<roc>民國|民国)?\s*(?<!\d)(?P<y>\d{1,4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})"
    rf"(?!\d)\s*[日号號]?{_WEEKDAY_ZH}(?:\s*{_TIME}{_TZ})?")
_P_CJK_NOYEAR = re.compile(
    r"(?<![\d年/-])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号號]"
    rf"{_WEEKDAY_ZH}(?:\s*{_TIME}{_TZ})?")
_P_ROC_SLASH = re.compile(
    r"(?P<roc>民國|民国)?\s*(?<![\d/])(?P<y>\d{3})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/])"
    rf"(?:\s+{_TIME}{_TZ})?")
_P_EN_MDY = re.compile(
    rf"{_WEEKDAY_EN}{_MON}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:(?:,\s*|\s+)(?P<y>\d{{4}})(?!\d))?"
    rf"(?:{_EN_SEP}{_TIME}{_TZ})?")
_P_EN_DMY = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?(?:\s+(?P<y>\d{{4}})(?!\d))?"
    rf"(?:{_EN_SEP}{_TIME}{_TZ})?")
_P_DAYWORD = re.compile(
    rf"(?P<day>今天|今日|昨天|昨日|前天|(?i:today|yesterday))\s*,?\s*(?:(?i:at)\s+)?{_TIME}{_TZ}")
_P_AGO = re.compile(
    r"(?P<n>\d+|半|一|两|兩|(?i:an?|one))\s*(?P<unit>秒|分钟|分鐘|分|个?小时|個?小時|天|日|周|週|星期"
    r"|(?i:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?)(?![A-Za-z]))"
    r"\s*(?:之?前|(?i:ago)(?![A-Za-z]))")
_P_JUSTNOW = re.compile(r"刚刚|剛剛|刚才|剛才|(?<![A-Za-z])(?i:just now)(?![A-Za-z])")
# ISO 8601 basic format (JSON-LD on some portals): 20180619T055000+0900 -> 2018-06-19T05:50:00.
_COMPACT_ISO_RE = re.compile(
    r"^((?:19|20)\d{2})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(?!\d)|$)")
_P_TIMESTAMP = re.compile(r"(?P<sec>\d{10})(?:\.\d+)?|(?P<ms>\d{13})")

_UNITS = {"秒": 1, "分": 60, "时": 3600, "時": 3600, "天": 86400, "日": 86400, "周": 604800,
          "週": 604800, "星": 604800, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What every converter needs: the source zone, `now` in it, and the ROC rule."""

    tz: tzinfo
    now: datetime | None
    taipei: bool


def _ctx(tz: tzinfo, now: datetime | None, calendar: Calendar = Calendar.GREGORIAN) -> _Ctx:
    if now is not None:
        now = (now if now.tzinfo else _localize(now, tz)).astimezone(tz)
    return _Ctx(tz, now, calendar == Calendar.ROC)


def _explicit_tz(token: str | None, naive: datetime, ctx: _Ctx) -> tzinfo | None:
    """The zone an expression names itself, or None (then the source zone applies)."""
    if not token:
        return None
    if token in ("北京时间", "北京時間"):
        return timezone(timedelta(hours=8))
    m = re.fullmatch(r"(?:GMT|UTC)?\s*([+-])\s*(\d{1,2}):?(\d{2})?", token)
    if m:
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        if minutes > 14 * 60:
            raise ValueError("offset out of range")
        return timezone(timedelta(minutes=-minutes if m.group(1) == "-" else minutes))
    value = _TZ_ABBR[token]
    if value == "CST":
        offset = _localize(naive, ctx.tz).utcoffset()
        value = 8 if offset == timedelta(hours=8) else -6
    if isinstance(value, str):
        return ZoneInfo(value)
    return UTC if value == 0 else timezone(timedelta(hours=value))


def _build(m: re.Match[str], y: int, mo: int, d: int, ctx: _Ctx) -> datetime:
    """A datetime from a match's date parts plus its optional time and zone groups."""
    g = m.groupdict()
    hour = minute = second = micro = 0
    if g.get("H") is not None:
        hour, minute = int(g["H"]), int(g["M"])
        second = min(int(g["S"] or 0), 59)
        micro = int((g["F"] or "0").ljust(6, "0")[:6])
        ap = (g.get("ap") or "").lower()[:1]
        ap1 = g.get("ap1") or ""
        if ap and not 1 <= hour <= 12:
            raise ValueError("bad 12-hour clock")
        if ap == "a" and hour == 12:
            hour = 0
        elif (ap == "p" or ap1 in ("下午", "晚上", "傍晚")) and hour < 12:
            hour += 12
        elif ap1 == "中午" and hour < 11:
            hour += 12
    naive = datetime(y, mo, d, hour, minute, second, micro)
    zone = _explicit_tz(g.get("tz"), naive, ctx)
    if zone is None and m.string[max(0, m.start() - 6):m.start()].rstrip().endswith(
            ("北京时间", "北京時間")):
        zone = timezone(timedelta(hours=8))
    return naive.replace(tzinfo=zone) if zone is not None else _localize(naive, ctx.tz)


def _yearless(m: re.Match[str], mo: int, d: int, ctx: _Ctx) -> datetime | None:
    """Year from `now`; the previous year if that lands more than a day in the future."""
    if ctx.now is None:
        return None
    for year in (ctx.now.year, ctx.now.year - 1):
        try:
            value = _build(m, year, mo, d, ctx)
        except ValueError:
            continue
        if value <= ctx.now + timedelta(days=1):
            return value
    return None


def _conv_ymd(m: re.Match[str], ctx: _Ctx) -> datetime | None:
    year, digits = int(m["y"]), len(m["y"])
    if digits != 4:
        roc = m.groupdict().get("roc")
        if not (roc or (ctx.taipei and digits == 3)):
            return None
        year += 1911
    return _build(m, year, int(m["m"]), int(m["d"]), ctx)


def _conv_noyear(m: re.Match[str], ctx: _Ctx) -> datetime | None:
    return _yearless(m, int(m["m"]), int(m["d"]), ctx)


def _conv_english(m: re.Match[str], ctx: _Ctx) -> datetime | None:
    month = _MONTHS[m["mon"][:3].lower()]
    if m["y"]:
        return _build(m, int(m["y"]), month, int(m["d"]), ctx)
    return _yearless(m, month, int(m["d"]), ctx)


def _conv_dayword(m: re.Match[str], ctx: _Ctx) -> datetime | None:
    if ctx.now is None:
        return None
    word = m["day"].lower()
    back = 0 if word in ("今天", "今日", "today") else 2 if word == "前天" else 1
    day = ctx.now.date() - timedelta(days=back)
    return _build(m, day.year, day.month, day.day, ctx)


def _conv_ago(m: re.Match[str], ctx: _Ctx) -> datetime | None:
    if ctx.now is None:
        return None
    n, unit = m["n"].lower(), m["unit"].lower()
    count = 0.5 if n == "半" else 2 if n in ("两", "兩") else 1 if not n.isdigit() else int(n)
    key = unit[0] if unit.isascii() else next((k for k in _UNITS if k in unit), "")
    seconds = count * _UNITS[key]
    instant = ctx.now.astimezone(UTC) - timedelta(seconds=seconds)
    return instant.astimezone(ctx.tz).replace(microsecond=0)


def _conv_justnow(m: re.Match[str], ctx: _Ctx) -> datetime | None:
    return ctx.now.replace(microsecond=0) if ctx.now is not None else None


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], _Ctx], datetime | None]], ...] = (
    (_P_NUMERIC, _conv_ymd), (_P_CJK, _conv_ymd), (_P_ROC_SLASH, _conv_ymd),
    (_P_CJK_NOYEAR, _conv_noyear), (_P_EN_MDY, _conv_english), (_P_EN_DMY, _conv_english),
    (_P_DAYWORD, _conv_dayword), (_P_AGO, _conv_ago), (_P_JUSTNOW, _conv_justnow),
)


def _normalize(text: object, limit: int) -> str:
    """Full-width digits/punctuation to ASCII (NFKC), bounded, stripped."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text[: limit * 2])[:limit].strip()
    text = _ZONE_BETWEEN_RE.sub(r"\g<date> \g<time> \g<zone>", text)  # "… HKT 14:32"
    return _SHORT_YEAR_RE.sub(r"\g<label>20\g<y>-\g<m>-\g<d> \g<time>", text)  # "18-03-08"


def _scan(text: str, ctx: _Ctx) -> datetime | None:
    """The earliest (then longest) match of any pattern that converts to a real date."""
    found = [(m.start(), -len(m[0]), i, m) for i, (pattern, _) in enumerate(_PATTERNS)
             for m in pattern.finditer(text)]
    for _, _, i, m in sorted(found, key=lambda f: f[:3]):
        try:
            value = _PATTERNS[i][1](m, ctx)
        except (ValueError, OverflowError, KeyError):
            continue
        if value is not None:
            return value
    return None


def _timestamp(text: str, ctx: _Ctx) -> datetime | None:
    m = _P_TIMESTAMP.fullmatch(text)
    if not m:
        return None
    seconds = float(text) if m["sec"] else int(m["ms"]) / 1000
    try:
        return datetime.fromtimestamp(seconds, tz=ctx.tz)
    except (ValueError, OverflowError, OSError):
        return None


def _expand_iso(m: re.Match[str]) -> str:
    """ISO basic to extended form; a bare ``20120112`` (a meta value) is a day."""
    y, mo, d, h, mi, sec = m.groups()
    return f"{y}-{mo}-{d}" if h is None else f"{y}-{mo}-{d}T{h}:{mi}:{sec or '00'}"


def parse_date(text: str, *, tz: tzinfo, now: datetime | None = None,
               languages: Sequence[str] = (),
               calendar: Calendar = Calendar.GREGORIAN) -> datetime | None:
    """One date expression (a meta/JSON-LD/`<time>` value) to an aware datetime, or None.

    Unix timestamps (10 or 13 digits) are read here only, where a bare number is known to be
    a date; regexes handle the common forms (ISO basic ``20180619T055000+0900`` included);
    dateparser takes the rest, in the page's `languages` only (none given: not tried).
    """
    try:
        ctx = _ctx(tz, now, calendar)
        clean = _COMPACT_ISO_RE.sub(_expand_iso, _normalize(text, 200))
        if not clean:
            return None
        value = _timestamp(clean, ctx) or _scan(clean, ctx)
        if value is None and len(clean) <= 80 and any(c.isdigit() for c in clean):
            value = parse_long_tail(clean, tz=ctx.tz, now=ctx.now, languages=languages)
        return value
    except (ValueError, TypeError, OverflowError, AttributeError):
        return None


def find_date(text: str, *, tz: tzinfo, now: datetime | None = None,
              calendar: Calendar = Calendar.GREGORIAN) -> datetime | None:
    """The first date expression inside a longer string such as a byline, or None.

    Regexes only: dateparser's `search_dates` is slow and finds dates in words ("may", "now").
    """
    try:
        clean = _normalize(text, _MAX_SCAN)
        return _scan(clean, _ctx(tz, now, calendar)) if clean else None
    except (ValueError, TypeError, OverflowError, AttributeError):
        return None


_LEVELS = ("meta", "jsonld", "time", "byline", "", "url")  # "": any other origin


def _level(origin: str) -> int:
    low = (origin or "").lower().replace("-", "")
    for i, prefix in enumerate(_LEVELS):
        if prefix and low.startswith(prefix):
            return i
    return _LEVELS.index("")


def choose_dates(candidates: Sequence[DateCandidate], *, url: str | None, tz: tzinfo,
                 now: datetime | None, languages: Sequence[str] = (),
                 calendar: Calendar = Calendar.GREGORIAN
                 ) -> tuple[datetime | None, datetime | None]:
    """(published, modified) from the candidates, by trust of where each was found.

    Metadata beats body text because portals print other stories' times near the article
    (trending lists). Unknown origins rank just above the URL. When nothing states the
    publication, the page's own modification time (``<meta itemprop="dateUpdate">``, often
    a portal's only date) stands in for it, after the URL. No candidate: None, never a
    guess. Future (> now + 1 day) and pre-1990 values are rejected as mistakes.
    `languages` (dateparser codes) bound the long-tail parser to the page's languages.
    """
    local_now = _ctx(tz, now).now
    limit = local_now + timedelta(days=1) if local_now is not None else None

    def ok(value: datetime | None) -> bool:
        return value is not None and value >= _FLOOR and (limit is None or value <= limit)

    def parse(c: DateCandidate) -> datetime | None:
        level = _LEVELS[_level(c.origin)]
        if level == "url":
            return date_from_url(c.text, tz=tz, now=now)
        if level in ("byline", ""):
            return find_date(c.text, tz=tz, now=now, calendar=calendar)
        return parse_date(c.text, tz=tz, now=now, languages=languages, calendar=calendar)

    ordered = sorted(candidates, key=lambda c: _level(c.origin))  # stable: page order kept
    found: dict[str, datetime | None] = {"published": None, "modified": None}
    for c in ordered:
        kind = "modified" if c.kind == "modified" else "published"
        if found[kind] is None and ok(value := parse(c)):
            found[kind] = value
    if found["published"] is None and url and ok(value := date_from_url(url, tz=tz, now=now)):
        found["published"] = value
    return found["published"] or found["modified"], found["modified"]
