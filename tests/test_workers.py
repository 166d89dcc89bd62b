"""Extraction isolation: a page over its budget, too large, or killing its worker fails
alone with its reason, the worker is replaced, and every other page goes on."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import threading
import time

from newsharvest import harvest
from newsharvest.fetch.client import FetchSettings
from newsharvest.harvest import HarvestOptions
from newsharvest.page import PageFailure
from newsharvest.records import Article, DiscoveryKind, Source
from newsharvest.workers import ExtractionPool, PageJob, PageRunner

FAST = FetchSettings(timeout=5, retries=1, backoff_base=0.01)
STORY = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
         "<p>{title}: the council met on Tuesday and agreed the plan after a long debate, "
         "the chair said, and work starts next spring.</p><p>Residents of district {n} "
         "welcomed the decision, which follows two years of consultation.</p>"
         "</article></body></html>")


def story(n: int) -> bytes:
    return STORY.format(title=f"Ordinary story number {n}", n=n).encode()


def pathological(paragraphs: int = 50_000) -> bytes:
    """A 4.5 MB page of distinct paragraphs: far more work than a 1 s budget allows,
    however fast the extractor gets (it is linear at best)."""
    body = "".join(f"<p>Paragraph {i} tells of event {i * 7919 % 100003} in district "
                   f"{i % 977}, where {i} people met.</p>" for i in range(paragraphs))
    return f"<html><head><title>Huge</title></head><body><article>{body}</article></body></html>"\
        .encode()


def test_a_page_over_its_budget_fails_alone_and_the_worker_is_replaced() -> None:
    with PageRunner(budget=1.0) as runner:
        started = time.monotonic()
        failed = runner.run(PageJob(pathological(), "http://a.test/huge"))
        assert isinstance(failed, PageFailure) and failed.kind == "timeout"
        assert failed.permanent and "http://a.test/huge" in failed.message
        assert time.monotonic() - started < 10  # the budget, not the page's own time
        ok = runner.run(PageJob(story(1), "http://a.test/1"))
        assert isinstance(ok, Article) and ok.title == "Ordinary story number 1"


def test_a_page_over_the_memory_cap_is_too_large() -> None:
    page = b"<html><body>" + b"<div class='a b' id='x'><span>word</span></div>" * 200_000
    with PageRunner(budget=60, memory=64 << 20) as runner:
        failed = runner.run(PageJob(page, "http://a.test/big"))
        assert isinstance(failed, PageFailure) and failed.kind == "too-large", failed
        assert isinstance(runner.run(PageJob(story(2), "http://a.test/2")), Article)


def test_a_killed_worker_fails_one_page_only() -> None:
    async def scenario() -> tuple[object, list[object], object]:
        async with ExtractionPool(2, budget=60) as pool:
            huge = asyncio.create_task(pool.extract(PageJob(pathological(), "http://a.test/h")))
            for _ in range(600):  # wait until a worker is busy with the huge page
                busy = [w for w in pool.workers() if w.job_url == "http://a.test/h"]
                if busy:
                    break
                await asyncio.sleep(0.05)
            others = [asyncio.create_task(pool.extract(PageJob(story(n), f"http://b.test/{n}")))
                      for n in range(6)]
            os.kill(busy[0].process.pid, signal.SIGKILL)
            killed = await huge
            done = await asyncio.gather(*others)
            after = await pool.extract(PageJob(story(9), "http://b.test/9"))
            return killed, done, after

    killed, done, after = asyncio.run(scenario())
    assert isinstance(killed, PageFailure) and killed.kind == "crash", killed
    assert "signal 9" in killed.reason
    assert all(isinstance(a, Article) for a in done)
    assert isinstance(after, Article)


def test_close_stops_a_worker_started_while_it_ran(monkeypatch) -> None:
    """A page thread cut off by cancellation may still be starting its worker when the
    pool closes: that worker must not outlive the pool."""
    from newsharvest import workers

    go, started = threading.Event(), []
    real = workers._context

    def slow_context() -> object:
        go.wait(10)  # hold the start until close() has stopped the workers it knew
        return real()

    class Recorded(workers.PageWorker):
        def __init__(self, *args: object) -> None:
            super().__init__(*args)  # type: ignore[arg-type]
            started.append(self)

    monkeypatch.setattr(workers, "_context", slow_context)
    monkeypatch.setattr(workers, "PageWorker", Recorded)
    pool = ExtractionPool(1, budget=60)
    pending = pool._threads.submit(pool._extract, PageJob(story(4), "http://a.test/4"))
    threading.Timer(0.3, go.set).start()
    pool.close()
    assert isinstance(pending.result(), Article)
    assert started and not any(w.process.is_alive() for w in started)


def _die_at_start(conn: object, memory: object) -> None:
    os._exit(3)


def test_a_worker_dying_at_start_means_in_process_not_a_failed_page(monkeypatch) -> None:
    import multiprocessing

    from newsharvest import workers

    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(workers, "_serve", _die_at_start)
    with PageRunner(budget=5) as runner:
        assert isinstance(runner.run(PageJob(story(5), "http://a.test/5")), Article)
        assert runner.inline and runner.worker is None


def test_in_process_pool_when_asked() -> None:
    async def one() -> object:
        async with ExtractionPool(0) as pool:
            result = await pool.extract(PageJob(story(3), "http://a.test/3"))
            assert pool.workers() == []
            return result

    assert isinstance(asyncio.run(one()), Article)


def test_harvest_goes_on_past_a_pathological_page(loopback, tmp_path) -> None:
    """50 ordinary pages on one host, one page over the budget on another: the ordinary
    pages are stored in about the time they take alone, the huge one fails as `timeout`
    and is not fetched again by the next run."""
    huge_host = type(loopback)()
    huge_host.thread.start()
    try:
        html = {"Content-Type": "text/html; charset=utf-8"}
        urls = tuple(loopback.route(f"/s{n}", story(n), headers=html) for n in range(50))
        huge = huge_host.route("/huge", pathological(), headers=html)

        def sources(with_huge: bool) -> list[Source]:
            plain = [Source(name="plain", discovery=DiscoveryKind.URLS, url=urls[0], urls=urls,
                            language="en", delay=0.0, concurrency=4)]
            bad = Source(name="bad", discovery=DiscoveryKind.URLS, url=huge, urls=(huge,),
                         delay=0.0)
            return plain + ([bad] if with_huge else [])

        options = HarvestOptions(page_timeout=1.0)
        started = time.monotonic()
        alone = harvest(sources(False), tmp_path / "alone.db", settings=FAST, options=options)
        alone_seconds = time.monotonic() - started
        assert alone.sources[0].new == 50

        started = time.monotonic()
        report = harvest(sources(True), tmp_path / "x.db", settings=FAST, options=options)
        seconds = time.monotonic() - started
        assert report.sources[0].new == 50 and report.sources[1].failed == 1
        # The huge page costs its budget (and a fresh worker), not its own minutes.
        assert seconds < alone_seconds + 1.0 + 5.0, (alone_seconds, seconds)
        con = sqlite3.connect(tmp_path / "x.db")
        assert con.execute("select count(*) from articles").fetchone()[0] == 50
        kind, error = con.execute(
            "select error_kind, error from fetches where status = 'failed'").fetchone()
        assert kind == "timeout" and huge in error and "1 s" in error

        again = harvest(sources(True), tmp_path / "x.db", settings=FAST, options=options)
        assert huge_host.hits["/huge"] == 1  # a permanent failure: not fetched again
        assert again.sources[1].failed == 0 and again.sources[1].unchanged == 1
    finally:
        huge_host.httpd.shutdown()
        huge_host.httpd.server_close()


def test_warc_ingest_gives_each_record_the_budget(tmp_path) -> None:
    """A pathological record in a WARC fails as `timeout`; the records after it are kept."""
    import pytest

    pytest.importorskip("pyarrow")
    pytest.importorskip("fastwarc")
    from newsharvest.ingest import IngestOptions, ingest_warc
    from newsharvest.ingest.write import ResponseInput, write_warc

    headers = {"content-type": "text/html; charset=utf-8"}
    pages = [ResponseInput(f"http://b.test/{n}", story(n), headers=headers) for n in range(3)]
    pages.insert(1, ResponseInput("http://a.test/huge", pathological(), headers=headers))
    warc = tmp_path / "x.warc.gz"
    write_warc(warc, pages)
    started = time.monotonic()
    report = ingest_warc(warc, tmp_path / "parts", IngestOptions(page_timeout=1.0))
    assert time.monotonic() - started < 15
    assert (report.rows, report.failed) == (3, 1), report.problems
    assert [(p["kind"], p["url"]) for p in report.problems] == [("timeout", "http://a.test/huge")]
