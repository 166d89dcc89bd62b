"""Feed and sitemap times without an offset are read in the source's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from newsharvest.fetch.discover import parse_feed, parse_sitemap
from newsharvest.fetch.times import source_zone
from newsharvest.records import Source

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("timezone_value,language,expected", [
    ("Asia/Shanghai", None, SHANGHAI), (None, "zh-Hans", timezone(timedelta(hours=8))),
    (None, "en", UTC), (None, None, UTC), ("America/New_York", "en",
                                           ZoneInfo("America/New_York")),
])
def test_source_zone_is_the_configured_zone_or_the_default(timezone_value, language, expected):
    source = Source(name="s", discovery="feed", url="https://a/f", language=language,
                    timezone=timezone_value)
    moment = datetime(2025, 10, 14, 20, 0)
    assert moment.replace(tzinfo=source_zone(source)).utcoffset() == \
        moment.replace(tzinfo=expected).utcoffset()


def test_sitemap_dates_without_offset_use_the_zone_and_keep_explicit_ones():
    xml = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
    xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://a/1</loc><lastmod>2025-10-14T20:00:00</lastmod></url>
    <url><loc>https://a/2</loc><news:news><news:publication_date>2025-10-14T20:00:00Z
    </news:publication_date></news:news></url>
    <url><loc>https://a/3</loc><lastmod>2025-10-14</lastmod></url></urlset>"""
    links = parse_sitemap(xml, "https://a/sitemap.xml", naive_tz=SHANGHAI).links
    assert [link.published for link in links] == [
        datetime(2025, 10, 14, 12, tzinfo=UTC), datetime(2025, 10, 14, 20, tzinfo=UTC),
        datetime(2025, 10, 13, 16, tzinfo=UTC)]


def test_feed_times_without_offset_use_the_zone():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <item><link>https://a/1</link><pubDate>2025-10-14 20:00:00</pubDate></item>
    <item><link>https://a/2</link><pubDate>Tue, 14 Oct 2025 20:00:00 +0800</pubDate></item>
    <item><link>https://a/3</link><pubDate>Tue, 14 Oct 2025 20:00:00 GMT</pubDate></item>
    <item><link>https://a/4</link><pubDate>Tue, 14 Oct 2025 20:00:00</pubDate></item>
    </channel></rss>"""
    links = parse_feed(rss, "https://a/feed", naive_tz=SHANGHAI)
    assert [link.published for link in links] == [
        datetime(2025, 10, 14, 12, tzinfo=UTC), datetime(2025, 10, 14, 12, tzinfo=UTC),
        datetime(2025, 10, 14, 20, tzinfo=UTC), datetime(2025, 10, 14, 12, tzinfo=UTC)]
    # The default stays UTC for callers that know no zone.
    assert parse_feed(rss, "https://a/feed")[0].published == datetime(2025, 10, 14, 20,
                                                                         tzinfo=UTC)
