"""Date parsing and choice: every supported format, the traps, and the trust order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from newsharvest.normalize.dates import choose_dates, date_from_url, find_date, parse_date
from newsharvest.normalize.longtail import date_languages
from newsharvest.records import Calendar, DateCandidate

SH = ZoneInfo("Asia/Shanghai")
TP = ZoneInfo("Asia/Taipei")
NY = ZoneInfo("America/New_York")
CHI = ZoneInfo("America/Chicago")
NOW = datetime(2025, 11, 3, 10, 0, 0, tzinfo=SH)  # the fetch time of these tests
P8 = timedelta(hours=8)


def at(*parts: int, tz=SH) -> datetime:
    return datetime(*parts, tzinfo=tz)


def same(got: datetime | None, want: datetime) -> None:
    """Equal instant AND equal UTC offset (an aware result in the expected zone)."""
    assert got is not None
    assert got.tzinfo is not None
    assert got == want
    assert got.utcoffset() == want.utcoffset()


# --- absolute formats ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("2025-09-24T12:04:00+08:00", at(2025, 9, 24, 12, 4)),
    ("2025-09-24T04:04:00Z", datetime(2025, 9, 24, 4, 4, tzinfo=UTC)),
    ("2025-09-24T12:04:00", at(2025, 9, 24, 12, 4)),
    ("2025-09-24 12:04:00", at(2025, 9, 24, 12, 4)),
    ("2025-09-24T12:04:00.250+08:00", at(2025, 9, 24, 12, 4, 0, 250000)),
    ("2025-09-24T12:04:00+0800", at(2025, 9, 24, 12, 4)),
    ("2025-09-24", at(2025, 9, 24)),
    ("2025-09-24 12:04", at(2025, 9, 24, 12, 4)),
    ("2025/10/14 05:30", at(2025, 10, 14, 5, 30)),
    ("2025年9月24日 12:04", at(2025, 9, 24, 12, 4)),
    ("2025年09月24日", at(2025, 9, 24)),
    ("2025年9月24日 星期三 12:04", at(2025, 9, 24, 12, 4)),
    ("2025年9月24日12时04分", at(2025, 9, 24, 12, 4)),
    ("2025年9月24日 下午3:04", at(2025, 9, 24, 15, 4)),
    ("２０２５年９月２４日　１２：０４", at(2025, 9, 24, 12, 4)),
    ("２０２５－０９－２４　１２：０４：３０", at(2025, 9, 24, 12, 4, 30)),
    ("10 July 2024", at(2024, 7, 10)),
    ("July 10, 2024", at(2024, 7, 10)),
    ("Wed, 24 Sep 2025 04:04:00 GMT", datetime(2025, 9, 24, 4, 4, tzinfo=UTC)),
    ("Wed, 24 Sep 2025 12:04:00 +0800", at(2025, 9, 24, 12, 4)),
])
def test_absolute_formats(text: str, want: datetime) -> None:
    same(parse_date(text, tz=SH, now=NOW), want)


def test_naive_takes_source_zone_and_offsets_are_kept() -> None:
    naive = parse_date("2025-07-10 08:30", tz=NY)
    same(naive, datetime(2025, 7, 10, 8, 30, tzinfo=NY))
    assert naive.utcoffset() == timedelta(hours=-4)  # daylight saving applied
    same(parse_date("2025-01-10 08:30", tz=NY), datetime(2025, 1, 10, 8, 30, tzinfo=NY))
    own = parse_date("2025-07-10T08:30:00+05:30", tz=NY)
    assert own.utcoffset() == timedelta(hours=5, minutes=30)


def test_seconds_and_fractions_are_kept() -> None:
    got = parse_date("2025-09-24T12:04:59.123456Z", tz=SH)
    assert (got.second, got.microsecond) == (59, 123456)


def test_pytz_zones_are_localized_not_replaced() -> None:
    pytz = pytest.importorskip("pytz")
    got = parse_date("2025-07-10 08:30", tz=pytz.timezone("America/New_York"))
    assert got.utcoffset() == timedelta(hours=-4)


# --- English with time zone names ---------------------------------------------------------

@pytest.mark.parametrize(("text", "offset"), [
    ("July 10, 2024 8:30 AM EDT", timedelta(hours=-4)),
    ("July 10, 2024 8:30 AM EST", timedelta(hours=-5)),
    ("July 10, 2024 8:30 AM PDT", timedelta(hours=-7)),
    ("July 10, 2024 8:30 AM GMT+8", P8),
    ("July 10, 2024 8:30 AM (GMT+08:00)", P8),
    ("July 10, 2024 8:30 AM HKT", P8),
    ("July 10, 2024 8:30 AM BST", timedelta(hours=1)),
    ("July 10, 2024 8:30 AM UTC", timedelta(0)),
    ("July 10, 2024, 8:30 a.m. ET", timedelta(hours=-4)),  # ET follows daylight saving
    ("January 10, 2024, 8:30 a.m. ET", timedelta(hours=-5)),
])
def test_english_with_zone_abbreviations(text: str, offset: timedelta) -> None:
    got = parse_date(text, tz=SH, now=NOW)
    assert got is not None and got.utcoffset() == offset
    assert (got.hour, got.minute) == (8, 30)


def test_pm_and_12_oclock() -> None:
    assert parse_date("July 10, 2024 8:30 PM GMT", tz=SH).hour == 20
    assert parse_date("July 10, 2024 12:15 AM GMT", tz=SH).hour == 0
    assert parse_date("July 10, 2024 12:15 PM GMT", tz=SH).hour == 12


@pytest.mark.parametrize(("tz", "offset"), [(SH, P8), (TP, P8), (CHI, timedelta(hours=-6)),
                                            (NY, timedelta(hours=-6)), (UTC, timedelta(hours=-6))])
def test_cst_is_china_for_plus8_sources_else_us_central(tz, offset: timedelta) -> None:
    got = parse_date("March 3, 2025 9:00 AM CST", tz=tz)
    assert got.utcoffset() == offset


def test_beijing_time_marker() -> None:
    same(parse_date("北京时间 2025-09-24 12:04", tz=UTC), at(2025, 9, 24, 12, 4))
    same(parse_date("2025-09-24 12:04 北京时间", tz=NY), at(2025, 9, 24, 12, 4))


# --- year-less: year from `now` -----------------------------------------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("9月24日 12:04", at(2025, 9, 24, 12, 4)),
    ("9月24日", at(2025, 9, 24)),
    ("11月4日 08:00", at(2025, 11, 4, 8, 0)),  # within a day after now: this year
    ("12月24日", at(2024, 12, 24)),  # would be 7 weeks ahead: last year
    ("Jul 10 08:30", at(2025, 7, 10, 8, 30)),
    ("Dec 31 23:00", at(2024, 12, 31, 23, 0)),
])
def test_yearless_dates_take_the_year_from_now(text: str, want: datetime) -> None:
    same(parse_date(text, tz=SH, now=NOW), want)


def test_yearless_uses_now_not_the_clock() -> None:
    old_now = datetime(2019, 8, 1, tzinfo=SH)
    same(parse_date("Jul 10 08:30", tz=SH, now=old_now), at(2019, 7, 10, 8, 30))
    same(parse_date("9月24日", tz=SH, now=old_now), at(2018, 9, 24))


@pytest.mark.parametrize("text", ["9月24日 12:04", "Jul 10 08:30", "昨天 12:04", "3小时前", "刚刚",
                                  "Published 3 hours ago"])
def test_yearless_and_relative_without_now_are_none(text: str) -> None:
    assert parse_date(text, tz=SH, now=None) is None
    assert find_date(text, tz=SH, now=None) is None


# --- relative -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("昨天 12:04", at(2025, 11, 2, 12, 4)),
    ("前天 08:00", at(2025, 11, 1, 8, 0)),
    ("今天 09:15", at(2025, 11, 3, 9, 15)),
    ("3小时前", at(2025, 11, 3, 7, 0)),
    ("3小時前", at(2025, 11, 3, 7, 0)),
    ("30分钟前", at(2025, 11, 3, 9, 30)),
    ("半小时前", at(2025, 11, 3, 9, 30)),
    ("刚刚", at(2025, 11, 3, 10, 0)),
    ("2天前", at(2025, 11, 1, 10, 0)),
    ("Published 3 hours ago", at(2025, 11, 3, 7, 0)),
    ("Updated: 2 days ago", at(2025, 11, 1, 10, 0)),
    ("an hour ago", at(2025, 11, 3, 9, 0)),
    ("yesterday at 5:30 pm", at(2025, 11, 2, 17, 30)),
])
def test_relative_to_now(text: str, want: datetime) -> None:
    same(parse_date(text, tz=SH, now=NOW), want)


def test_relative_result_is_in_source_zone_even_if_now_is_not() -> None:
    got = parse_date("昨天 12:04", tz=SH, now=NOW.astimezone(UTC))
    same(got, at(2025, 11, 2, 12, 4))


# --- Taiwan ROC years ---------------------------------------------------------------------

def test_roc_with_marker_anywhere() -> None:
    for tz in (SH, UTC, TP):
        got = parse_date("民國114年10月14日", tz=tz)
        assert got is not None and got.date().isoformat() == "2025-10-14"


@pytest.mark.parametrize("text", ["114年10月14日", "114/10/14"])
def test_bare_roc_only_with_the_roc_calendar(text: str) -> None:
    same(parse_date(text, tz=TP, now=NOW, calendar=Calendar.ROC),
         datetime(2025, 10, 14, tzinfo=TP))
    assert parse_date(text, tz=SH, now=NOW) is None
    assert parse_date(text, tz=TP, now=NOW) is None  # the zone alone decides nothing


def test_bare_roc_with_time() -> None:
    same(parse_date("114/10/14 05:30", tz=TP, calendar=Calendar.ROC),
         datetime(2025, 10, 14, 5, 30, tzinfo=TP))


# --- unix timestamps ----------------------------------------------------------------------

def test_unix_timestamps_seconds_and_milliseconds() -> None:
    same(parse_date("1758686640", tz=SH), at(2025, 9, 24, 12, 4))
    same(parse_date("1758686640123", tz=SH), at(2025, 9, 24, 12, 4, 0, 123000))


def test_numbers_in_bylines_are_not_timestamps() -> None:
    assert find_date("阅读 1758686640 次", tz=SH, now=NOW) is None


# --- long tail via dateparser -------------------------------------------------------------

def test_long_tail_goes_to_dateparser_in_the_page_languages_only() -> None:
    same(parse_date("24.09.2025 12:04", tz=SH, languages=["en"]), at(2025, 9, 24, 12, 4))
    # No language known: dateparser would probe every locale (seconds); it is not called.
    assert parse_date("24.09.2025 12:04", tz=SH) is None


def test_dateparser_is_given_the_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    import dateparser

    seen: list[object] = []

    def fake(text: str, languages: object = None, **_: object) -> None:
        seen.append(languages)

    monkeypatch.setattr(dateparser, "parse", fake)
    parse_date("le vingt-quatre", tz=SH, languages=["zh", "en"])
    parse_date("9 something 2025", tz=SH, languages=["en"])
    parse_date("9 something 2025", tz=SH)
    assert seen == [["en"]]  # no digit: not tried; no language: not tried


@pytest.mark.parametrize(("text", "want"), [
    ("20180619T055000+0900", datetime(2018, 6, 19, 5, 50, tzinfo=timezone(timedelta(hours=9)))),
    ("20180619T0550Z", datetime(2018, 6, 19, 5, 50, tzinfo=UTC)),
    ("2005-5-7 21:23:57", at(2005, 5, 7, 21, 23, 57)),
    ("20120112", at(2012, 1, 12)),
])
def test_compact_iso_and_unpadded_forms(text: str, want: datetime) -> None:
    assert parse_date(text, tz=SH) == want


def test_date_languages() -> None:
    assert date_languages("zh-Hant") == ("zh", "en")
    assert date_languages("en-GB") == ("en",)
    assert date_languages("fr") == ()
    assert date_languages(None) == ()


# --- garbage ------------------------------------------------------------------------------

@pytest.mark.parametrize("junk", ["", "   ", "garbage", "2025-13-45", "2025-02-29", "0000-00-00",
                                  "9999-99-99T99:99", "hello 42", "x" * 50000, None, 12345,
                                  b"2025-09-24"])
def test_garbage_never_raises(junk) -> None:
    assert parse_date(junk, tz=SH, now=NOW) is None
    assert find_date(junk, tz=SH, now=NOW) is None
    assert date_from_url(junk, tz=SH) is None


# --- find_date: the first date in a longer string -----------------------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("证券时报网·2025-09-24 12:04", at(2025, 9, 24, 12, 4)),
    ("Zhitong Finance · Jul 10 08:30", at(2025, 7, 10, 8, 30)),
    ("2025年9月24日 12:04 来源：新华社", at(2025, 9, 24, 12, 4)),
    ("發布時間：2025/10/14 05:30", at(2025, 10, 14, 5, 30)),
    ("Published 3 hours ago", at(2025, 11, 3, 7, 0)),
    ("By Jane Doe, 10 July 2024", at(2024, 7, 10)),
    ("作者：李明 2025-09-24 12:04 阅读 3,512", at(2025, 9, 24, 12, 4)),
    ("首发 2025-09-24 12:04，更新 2025-09-25 08:00", at(2025, 9, 24, 12, 4)),
])
def test_find_date_in_bylines(text: str, want: datetime) -> None:
    same(find_date(text, tz=SH, now=NOW), want)


def test_find_date_nothing_there() -> None:
    assert find_date("By Jane Doe, Staff Writer", tz=SH, now=NOW) is None
    assert find_date("may the market stay calm", tz=SH, now=NOW) is None


# --- date_from_url ------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://news.example.com/2025/09/24/markets-rally.html",
    "https://news.example.com/2025-09-24/markets-rally",
    "https://news.example.com/a/20250924/123.html",
    "https://news.example.com/c_20250924abc.htm",
    "https://news.example.com/politics/2025/0924/c1001-4000.html",
    "https://news.example.com/2025-09/24/c_1130000.htm",
    "https://news.example.com/t20250924_1234.html",
    "https://news.example.com/doc/2025092412345678.shtml",
])
def test_date_from_url(url: str) -> None:
    same(date_from_url(url, tz=SH), at(2025, 9, 24))


@pytest.mark.parametrize("url", [
    "https://news.example.com/a/20251399/1.html",  # no 13th month
    "https://news.example.com/id/12345678",
    "https://news.example.com/a/2025092412.html",  # a 10-digit id, not a date
    "https://news.example.com/1990/01/01/old",  # before 1995
    "https://news.example.com/2031/01/01/future",  # after now + 1 year
    "https://news.example.com/news/world",
    "https://news.example.com/?d=20250924",  # the path only
])
def test_date_from_url_rejects(url: str) -> None:
    assert date_from_url(url, tz=SH, now=NOW) is None


# --- choose_dates -------------------------------------------------------------------------

def c(text: str, origin: str, kind: str = "published") -> DateCandidate:
    return DateCandidate(text=text, origin=origin, kind=kind)


def test_trust_order_meta_beats_jsonld_time_byline_url() -> None:
    cands = [
        c("2025-11-02 09:00", "byline"),  # a trending-list time: lower trust
        c("2025-09-25T00:00:00+08:00", "time"),
        c("2025-09-24T12:04:00+08:00", "meta:article:published_time"),
        c("2025-09-23T00:00:00+08:00", "jsonld"),
    ]
    pub, mod = choose_dates(cands, url="https://x.example/2025/09/20/a", tz=SH, now=NOW)
    same(pub, at(2025, 9, 24, 12, 4))
    assert mod is None


def test_each_level_falls_through_when_unparseable() -> None:
    cands = [c("not a date", "meta:article:published_time"), c("", "jsonld"),
             c("发布时间：2025年9月24日 12:04", "byline")]
    pub, _ = choose_dates(cands, url=None, tz=SH, now=NOW)
    same(pub, at(2025, 9, 24, 12, 4))


def test_first_parseable_within_a_level_wins() -> None:
    cands = [c("garbage", "byline"), c("2025-09-24 12:04", "byline"), c("2025-09-01", "byline")]
    same(choose_dates(cands, url=None, tz=SH, now=NOW)[0], at(2025, 9, 24, 12, 4))


def test_modified_fills_modified_and_stands_in_only_when_nothing_else_dates() -> None:
    cands = [c("2025-10-01T08:00:00+08:00", "meta:article:modified_time", "modified"),
             c("2025-09-24 12:04", "byline")]
    pub, mod = choose_dates(cands, url=None, tz=SH, now=NOW)
    same(pub, at(2025, 9, 24, 12, 4))
    same(mod, at(2025, 10, 1, 8, 0))
    # The page's only date is its modification time (Baidu-style itemprop="dateUpdate"):
    # it stands in for the publication, but only after the URL's day.
    pub, mod = choose_dates(cands[:1], url=None, tz=SH, now=NOW)
    same(pub, at(2025, 10, 1, 8, 0))
    same(mod, at(2025, 10, 1, 8, 0))
    pub, _ = choose_dates(cands[:1], url="https://x.example/2025/09/30/a", tz=SH, now=NOW)
    same(pub, at(2025, 9, 30))


def test_future_and_ancient_candidates_are_rejected() -> None:
    cands = [c("2026-01-01T00:00:00+08:00", "meta:article:published_time"),
             c("1970-01-01T00:00:00Z", "jsonld"), c("1758686640", "time")]
    same(choose_dates(cands, url=None, tz=SH, now=NOW)[0], at(2025, 9, 24, 12, 4))
    within_a_day = [c("2025-11-04T09:00:00+08:00", "meta")]
    assert choose_dates(within_a_day, url=None, tz=SH, now=NOW)[0] is not None


def test_url_is_the_last_resort_and_nothing_means_none() -> None:
    url = "https://x.example/2025/09/24/story.html"
    same(choose_dates([], url=url, tz=SH, now=NOW)[0], at(2025, 9, 24))
    same(choose_dates([c(url, "url")], url=None, tz=SH, now=NOW)[0], at(2025, 9, 24))
    assert choose_dates([], url="https://x.example/story", tz=SH, now=NOW) == (None, None)
    assert choose_dates([c("Recommended Tools", "byline")], url=None, tz=SH, now=None) == (
        None, None)


def test_yearless_byline_without_now_is_not_guessed() -> None:
    cands = [c("Zhitong Finance · Jul 10 08:30", "byline")]
    assert choose_dates(cands, url=None, tz=SH, now=None) == (None, None)
    same(choose_dates(cands, url=None, tz=SH, now=NOW)[0], at(2025, 7, 10, 8, 30))


def test_unknown_origins_rank_below_byline_above_url() -> None:
    cands = [c("2025-09-20", "sidebar"), c("2025-09-24 12:04", "byline")]
    same(choose_dates(cands, url="https://x.example/2025/09/01/a", tz=SH, now=NOW)[0],
         at(2025, 9, 24, 12, 4))
    same(choose_dates(cands[:1], url="https://x.example/2025/09/01/a", tz=SH, now=NOW)[0],
         at(2025, 9, 20))


def test_results_are_aware_in_any_source_zone() -> None:
    for tz in (SH, TP, NY, UTC, timezone(timedelta(hours=3))):
        pub, _ = choose_dates([c("2025-09-24 12:04", "byline")], url=None, tz=tz, now=None)
        assert pub is not None and pub.tzinfo is not None and pub.hour == 12


def test_zone_abbreviation_between_date_and_time():
    from zoneinfo import ZoneInfo

    got = find_date("2025-10-14 HKT 14:32", tz=ZoneInfo("UTC"))
    assert got is not None and got.isoformat() == "2025-10-14T14:32:00+08:00"
