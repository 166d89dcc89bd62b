"""HTTP dates: one parser for Date, Retry-After and friends, always UTC."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from newsharvest.fetch.politeness import http_date


@pytest.fixture
def shanghai_clock(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("value", [
    "Tue, 14 Oct 2025 08:20:00 GMT",
    "Tue, 14 Oct 2025 08:20:00 -0000",  # the standard library returns this one naive
    "Tue, 14 Oct 2025 16:20:00 +0800",
])
def test_http_dates_are_utc_whatever_the_machine_zone(value, shanghai_clock):
    assert http_date(value) == datetime(2025, 10, 14, 8, 20, tzinfo=UTC)
    assert http_date(value).tzinfo is UTC


@pytest.mark.parametrize("value", [None, "", "yesterday", "Tue, 99 Foo 2025"])
def test_unreadable_dates_are_none(value):
    assert http_date(value) is None
