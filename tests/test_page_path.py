"""One page path: the same saved pages give the same record through every road to it.

harvest (replay), reextract, WARC ingest + load, `newsharvest extract` and the eval runner
all go through `page.extract_page`, so the fields of each record, and the reference time
for relative dates ("3 hours ago", "3小时前") in particular, must agree exactly.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from newsharvest import harvest, load_sources
from newsharvest.cli import main
from newsharvest.evaluate.datasets import load_cases
from newsharvest.evaluate.runner import extract_newsharvest
from newsharvest.fetch.replay import ReplayTransport
from newsharvest.fixtures import load_manifests
from newsharvest.harvest import HarvestOptions
from newsharvest.page import PageFailure, extract_page, reference_time
from newsharvest.records import DiscoveryKind
from newsharvest.reextract import reextract

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Two pages whose date is relative to the response's Date, a Taiwanese page (zone, ROC
# calendar) and a plain one: zh-Hans, zh-Hant and English between them.
CASES = ["36kr/robot-funding", "bbc/relative-date", "ltn/anping-fire", "sina/market-close"]
FIELDS = ("url", "source", "title", "published", "modified", "body", "language", "authors",
          "credits", "origin", "content_hash", "simhash", "fetched_at")


def _cases() -> list[tuple[str, str, dict]]:
    """(case, url, manifest entry) of each chosen fixture page."""
    by_path = {str(e.path.resolve()): (url, e) for url, e in load_manifests(FIXTURES).items()}
    return [(case, *by_path[str((FIXTURES / case / "page.html").resolve())]) for case in CASES]


def _rows(db: Path) -> dict[str, dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = {r["url"]: {f: r[f] for f in FIELDS} for r in con.execute("SELECT * FROM articles")}
    con.close()
    return rows


@pytest.fixture(scope="module")
def harvested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, dict]]:
    """A replay harvest of the chosen pages, raw pages kept: (db, raw folder, rows)."""
    tmp = tmp_path_factory.mktemp("path")
    fixture_sources = {s.name: s for s in load_sources(FIXTURES / "sources.yaml")}
    sources = []
    for case, url, _ in _cases():
        source = fixture_sources[json.loads((FIXTURES / case / "expected.json").read_text(
            encoding="utf-8"))["source"]]
        sources.append(replace(source, discovery=DiscoveryKind.URLS, url=url, urls=(url,)))
    db, raw = tmp / "harvest.db", tmp / "raw"
    report = harvest(sources, db, transport=ReplayTransport(FIXTURES), replay=True,
                     options=HarvestOptions(keep_raw=raw))
    assert report.total().new == len(CASES), report.total().summary()
    rows = _rows(db)
    assert len(rows) == len(CASES)
    return db, raw, rows


def test_relative_dates_count_from_the_response_date(harvested) -> None:
    """The chosen pages do depend on the reference time: without it they lose their date."""
    for case, url, entry in _cases()[:2]:
        page = (FIXTURES / case / "page.html").read_bytes()
        headers = entry.headers
        dated = extract_page(page, url, headers=headers,
                             fetched_at=reference_time(headers["date"], None))
        undated = extract_page(page, url, headers={"content-type": headers["content-type"]})
        assert not isinstance(dated, PageFailure) and not isinstance(undated, PageFailure)
        assert dated.published is not None and dated.published != undated.published


def test_reextract_gives_the_harvested_records(harvested, tmp_path: Path) -> None:
    db, raw, rows = harvested
    again = tmp_path / "again.db"
    shutil.copy(db, again)
    con = sqlite3.connect(again)
    con.execute("DELETE FROM articles")
    con.commit()
    con.close()
    counts = reextract(again, raw, load_sources(FIXTURES / "sources.yaml"))
    assert counts["new"] == len(CASES) and not counts["failed"]
    assert _rows(again) == rows


def test_warc_ingest_and_load_give_the_harvested_records(harvested, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("fastwarc")
    from newsharvest.fetch.politeness import http_date
    from newsharvest.ingest import IngestOptions, PageFilter, ingest_warc
    from newsharvest.ingest.write import ResponseInput, write_warc
    from newsharvest.store.load import load_parts

    _, _, rows = harvested
    responses = [ResponseInput(url=url, payload=(FIXTURES / case / "page.html").read_bytes(),
                               headers=entry.headers, date=http_date(entry.headers["date"]))
                 for case, url, entry in _cases()]
    warc = tmp_path / "pages.warc.gz"
    write_warc(warc, responses)
    sources = tuple(load_sources(FIXTURES / "sources.yaml"))
    report = ingest_warc(warc, tmp_path / "parts", IngestOptions(filter=PageFilter(
        sources=sources)))
    assert report.rows == len(CASES), report.problems
    db = tmp_path / "loaded.db"
    load_parts([report.part], db)
    assert _rows(db) == rows


def test_extract_command_gives_the_harvested_records(harvested, capsys) -> None:
    _, _, rows = harvested
    for case, url, entry in _cases():
        name = json.loads((FIXTURES / case / "expected.json").read_text(encoding="utf-8"))[
            "source"]
        main(["extract", str(FIXTURES / case / "page.html"), "--url", url, "--json",
              "--source", name, "--sources", str(FIXTURES / "sources.yaml"),
              "--content-type", entry.headers["content-type"],
              "--date", entry.headers["date"]])
        record = json.loads(capsys.readouterr().out)
        record["authors"] = "\n".join(record["authors"]) or None
        record["credits"] = "\n".join(record["credits"]) or None
        want = rows[record["url"]]
        assert {f: record[f] for f in FIELDS} == want, case


def test_eval_runner_scores_the_harvested_records(harvested) -> None:
    _, _, rows = harvested
    for case, _, _ in _cases():
        (found,) = [c for c in load_cases(FIXTURES / case.split("/")[0])
                    if c.html_path == FIXTURES / case / "page.html"]
        prediction = extract_newsharvest(found, found.read_html())
        row = rows[json.loads((FIXTURES / case / "expected.json").read_text(
            encoding="utf-8"))["url"]]
        published = prediction.published
        assert (prediction.body, prediction.title, prediction.language) == (
            row["body"], row["title"], row["language"]), case
        assert published is not None and not isinstance(published, str)
        assert published.isoformat() == row["published"], case
