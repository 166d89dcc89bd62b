"""Builders and readers shared by the tests: paths, Article/PageOutcome/Store builders,
SQLite row readers and the fixture-case runner.

Plain functions (not pytest fixtures) so that module-level test data can use them too;
importable as ``helpers`` because pyproject.toml puts tests/ on pytest's pythonpath.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import newsharvest
from newsharvest import extract_html, load_sources
from newsharvest.fetch.politeness import http_date
from newsharvest.fixtures import EXPECTED, PAGE, entry_for_page, read_expected
from newsharvest.normalize.dedupe import content_hash, simhash
from newsharvest.records import Article, PageOutcome, Source
from newsharvest.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
FIXTURE_CASES = sorted(FIXTURES.glob(f"*/*/{EXPECTED}"))  # one per fixture case


def make_article(url: str = "https://example.com/a", body: str = "正文。", *,
                 title: str | None = "t", language: str | None = "zh-Hans",
                 source: str | None = "s", published: datetime | None = None,
                 with_simhash: bool = False, **fields: Any) -> Article:
    """An Article whose content hash (and, if asked, SimHash) is computed from `body`."""
    if with_simhash:
        fields["simhash"] = simhash(body)
    return Article(url=url, title=title, published=published, body=body, language=language,
                   content_hash=content_hash(body), source=source, **fields)


def make_outcome(url: str = "https://example.com/a", status: str = "new", *,
                 source: str = "s", at: datetime | None = None, **fields: Any) -> PageOutcome:
    """The fetch-log row of one page (now, unless `at` is given)."""
    return PageOutcome(url=url, source=source, status=status, at=at or datetime.now(UTC),
                       **fields)


def save_articles(store: Store, articles: Iterable[Article], run: str = "r1") -> None:
    """Save each article as a new page of run `run`."""
    for article in articles:
        store.save(article, make_outcome(article.url, source=article.source or "s"), run)


def article_rows(db: str | Path) -> dict[str, dict[str, Any]]:
    """Every stored article row, by URL, read with plain sqlite3 (no newsharvest code)."""
    con = sqlite3.connect(db)
    try:
        con.row_factory = sqlite3.Row
        return {r["url"]: dict(r) for r in con.execute("SELECT * FROM articles")}
    finally:
        con.close()


def sql_rows(db: str | Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of one query as tuples, read with plain sqlite3."""
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@cache
def fixture_sources(root: Path = FIXTURES) -> dict[str, Source]:
    """The sources of a fixture tree's sources.yaml, by name ({} when it has none).

    Cached: every fixture case of a tree asks for the same file."""
    path = root / "sources.yaml"
    return {s.name: s for s in load_sources(path)} if path.exists() else {}


def run_case(expected_path: Path,
             sources: dict[str, Source] | None = None) -> tuple[dict[str, Any], Article]:
    """Extract a fixture case as a harvest would see it (its manifest's headers and Date)."""
    expected = read_expected(expected_path)
    page = expected_path.with_name(PAGE)
    entry = entry_for_page(page, expected.get("url"))
    headers = entry.headers if entry is not None else {}
    if sources is None:
        sources = fixture_sources(_fixture_root(expected_path))
    article = extract_html(page.read_bytes(), expected["url"],
                           source=sources.get(expected.get("source") or ""),
                           content_type=headers.get("content-type"),
                           fetched_at=http_date(headers.get("date")))
    return expected, article


def _fixture_root(expected_path: Path) -> Path:
    """The tree a case belongs to: <root>/<portal>/<case>/expected.json."""
    return expected_path.parent.parent.parent


def send_response(handler: Any, status: int, body: bytes = b"",
                  headers: dict[str, str] | None = None) -> None:
    """Answer a loopback request (an http.server handler) with a status, headers and a
    body; a client that hung up meanwhile is not an error of the server."""
    try:
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass


def etag_feed(body: bytes, etag: str = '"v1"') -> Any:
    """A loopback route handler serving a feed with an ETag, and 304 to a request that
    sends it back (If-None-Match): a server that supports conditional GET."""

    def serve(handler: Any) -> None:
        if handler.headers.get("If-None-Match") == etag:
            send_response(handler, 304, headers={"ETag": etag})
        else:
            send_response(handler, 200, body,
                          {"Content-Type": "application/rss+xml", "ETag": etag})

    return serve


# Four paragraphs of plain English news prose for extractor tests that build their own pages.
FLOOD_PARAS = [
    "The river council met on Tuesday evening to decide how the new flood barrier should "
    "be paid for, after a winter in which the lower town was flooded three times.",
    "Residents spoke for more than an hour, most of them in favour of the plan, though "
    "several asked why the upper villages would pay the same rate as the lower town.",
    "The treasurer said the first stage would cost less than expected, because the steel "
    "for the gates had been bought before prices rose in the autumn.",
    "A final vote is expected next month, once the engineers have answered the questions "
    "raised about the barrier's effect on the fishing grounds downstream.",
]


def flood_page(body: str) -> str:
    """A page around `body`: a title, a link bar above, the headline inside the wrapper."""
    return ("<html><head><title>Flood barrier vote</title></head><body>"
            "<div class='top'><a href='/'>Home</a> <a href='/news'>News</a></div>"
            f"<div class='wrap'><h1>Flood barrier vote</h1>{body}</div></body></html>")


def flood_article() -> str:
    """FLOOD_PARAS as the article's <p> elements."""
    return "".join(f"<p>{p}</p>" for p in FLOOD_PARAS)


def kill_load_in_third_batch(db: Path, parts: Sequence[Path], prelude: str = ""
                             ) -> subprocess.CompletedProcess[str]:
    """`load_parts(parts, db)` in a child Python that dies (os._exit(9): no `finally`, no
    commit) inside its third batch's bulk write, after that batch's article rows went in
    (batches of 7 rows); `prelude`: lines of set-up run first. Output is captured."""
    script = (
        "import os, sys\n"
        "from newsharvest.store import bulk, load\n"
        f"{prelude}"
        "load.BATCH_ROWS = 7\n"
        "calls = []\n"
        "def die(db, values):\n"
        "    calls.append(1)\n"
        "    if len(calls) == 3:\n"
        "        os._exit(9)\n"
        "    return insert(db, values)\n"
        "insert = bulk.fetchlog.insert_outcomes\n"
        "bulk.fetchlog.insert_outcomes = die\n"
        "load.load_parts(sys.argv[2:], sys.argv[1])\n")
    env = {**os.environ, "PYTHONPATH": str(Path(newsharvest.__file__).parents[1])}
    return subprocess.run([sys.executable, "-c", script, str(db), *map(str, parts)],
                          env=env, timeout=120, capture_output=True, text=True)
