"""pending_links: links found but not done survive runs, with a cap and a back-off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsharvest.records import PageOutcome
from newsharvest.store import Store
from newsharvest.store.pending import MAX_ATTEMPTS, PendingLink, PendingLinks

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "x.db") as store:
        yield store


def _outcome(store: Store, url: str, run: str, status: str, kind: str | None = None,
             http: int | None = None) -> None:
    store.record(PageOutcome(url=url, source="s", status=status, at=NOW, http_status=http,
                             error_kind=kind, error="boom" if kind else None), run)


def test_links_wait_in_discovery_order_and_keep_their_history(store):
    pending = PendingLinks(store.db)
    when = datetime(2025, 5, 1, tzinfo=UTC)
    pending.add("s", [PendingLink("https://a/1", when, "One"), PendingLink("https://a/2")])
    pending.add("s", [PendingLink("https://a/2", None, "again"), PendingLink("https://a/3")])
    due = pending.due("s")
    assert [p.url for p in due] == ["https://a/1", "https://a/2", "https://a/3"]
    assert due[0] == PendingLink("https://a/1", when, "One", 0)
    assert due[1].title is None  # the first discovery's record is kept
    assert pending.due("other") == [] and pending.count("s") == 3


@pytest.mark.parametrize("status,kind,http,left", [
    ("new", None, 200, 0), ("unchanged", None, 200, 0), ("skipped", "robots", None, 0),
    ("failed", "fetch", 404, 0), ("failed", "extract", 200, 0), ("failed", "too-large", 200, 0),
    ("failed", "fetch", 503, 1), ("failed", "fetch", 429, 1), ("failed", "fetch", None, 1),
])
def test_settle_keeps_only_transient_failures(store, status, kind, http, left):
    pending = PendingLinks(store.db)
    pending.add("s", [PendingLink("https://a/1")])
    _outcome(store, "https://a/1", "run1", status, kind, http)
    pending.settle("s", "https://a/1", "run1")
    assert pending.count("s") == left


def test_a_step_that_recorded_nothing_leaves_the_link_as_it_was(store):
    pending = PendingLinks(store.db)
    pending.add("s", [PendingLink("https://a/1")])
    assert pending.settle("s", "https://a/1", "run-killed") == "pending"
    assert pending.due("s")[0].attempts == 0


def test_transient_failures_back_off_then_give_up(store):
    pending = PendingLinks(store.db, backoff=60.0)
    pending.add("s", [PendingLink("https://a/1")])
    now = NOW
    results = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert [p.url for p in pending.due("s", now=now)] == ["https://a/1"], attempt
        _outcome(store, "https://a/1", f"run{attempt}", "failed", "fetch", 503)
        results.append(pending.settle("s", "https://a/1", f"run{attempt}", now=now))
        if attempt >= 2:  # waits 60 s, 120 s, 240 s ... after the second failure
            wait = 60.0 * 2 ** (attempt - 2)
            assert pending.due("s", now=now + timedelta(seconds=wait - 1)) == []
            now += timedelta(seconds=wait)
    assert results == ["retry"] * (MAX_ATTEMPTS - 1) + ["given-up"]
    assert pending.due("s", now=now + timedelta(days=30)) == [] and pending.count("s") == 0
    pending.add("s", [PendingLink("https://a/1")])  # rediscovered: still given up
    assert pending.due("s", now=now + timedelta(days=30)) == []


def test_a_store_failure_keeps_the_link(store):
    pending = PendingLinks(store.db)
    pending.add("s", [PendingLink("https://a/1")])
    _outcome(store, "https://a/1", "run1", "failed", "store")
    assert pending.settle("s", "https://a/1", "run1") == "store"
    assert pending.count("s") == 1
