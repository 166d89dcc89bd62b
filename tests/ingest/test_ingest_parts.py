"""One WARC -> one Parquet part: the same records as extract_html, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from helpers import FIXTURES

from newsharvest import extract_html
from newsharvest.ingest import IngestOptions, PageFilter, ingest_warc, part_name
from newsharvest.ingest.parts import REPORT_KEY
from newsharvest.ingest.schema import ARROW_SCHEMA


def expected_body(url: str) -> str:
    for path in FIXTURES.glob("*/*/expected.json"):
        expected = json.loads(path.read_text(encoding="utf-8"))
        if expected["url"] == url:
            return expected["body"]
    raise KeyError(url)


def test_rows_are_what_extract_html_returns(archives, tmp_path):
    warc = archives.warcs[0]
    report = ingest_warc(warc, tmp_path)
    assert report.status == "done" and not report.problems
    rows = pq.read_table(report.part).to_pylist()
    assert report.rows == len(rows) == report.responses > 0
    by_url = {r.url: r for r in archives.responses}
    for row in rows:
        page = by_url[row["requested_url"]]
        article = extract_html(page.payload, page.url, fetched_at=page.date,
                               content_type=page.headers.get("content-type"))
        article_row = article.to_row()
        article_row["source"] = row["source"]  # no sources given: the page's host
        assert {k: row[k] for k in article_row} == article_row
        assert row["warc_file"] == warc.name and row["warc_offset"] >= 0
        assert row["source"] and row["source"] in row["requested_url"]


def test_the_part_is_named_for_its_warc_and_carries_its_report(archives, tmp_path):
    report = ingest_warc(archives.warcs[1], tmp_path)
    part = tmp_path / part_name(archives.warcs[1])
    assert report.part == str(part) and part.exists()
    assert [p.name for p in tmp_path.iterdir()] == [part.name]  # no temporary left behind
    meta = pq.read_metadata(part).metadata[REPORT_KEY.encode()]
    assert json.loads(meta)["rows"] == report.rows
    assert pq.read_schema(part).remove_metadata() == ARROW_SCHEMA


def test_a_finished_part_is_not_redone(archives, tmp_path):
    first = ingest_warc(archives.warcs[2], tmp_path)
    mtime = Path(first.part).stat().st_mtime_ns
    again = ingest_warc(archives.warcs[2], tmp_path)
    assert again.status == "exists" and again.rows == first.rows
    assert Path(first.part).stat().st_mtime_ns == mtime
    redone = ingest_warc(archives.warcs[2], tmp_path, IngestOptions(overwrite=True))
    assert redone.status == "done" and redone.rows == first.rows


def test_damaged_warc_keeps_every_good_page_and_reports_the_rest(archives, tmp_path):
    report = ingest_warc(archives.damaged, tmp_path)
    assert report.status == "done"
    kinds = [p["kind"] for p in report.problems]
    assert kinds == ["corrupt-gzip", "truncated-record"]
    rows = {r["requested_url"]: r for r in pq.read_table(report.part).to_pylist()}
    intact = [archives.responses[i].url for i in (0, 2)]
    assert set(intact) <= set(rows)
    assert not any("example.org" in url for url in rows)  # PNG, mislabelled PDF, 404
    assert report.responses == 6 and report.html == 3  # of 8: one damaged, one cut short
    # Declared UTF-8, sent as GB18030: decoded by what the bytes are, not what they claim.
    gbk = next(url for url in rows if url.endswith("?gbk"))
    assert rows[gbk]["body"] == expected_body(gbk.removesuffix("?gbk"))
    assert rows[gbk]["language"] == "zh-Hans"


def test_language_filter_and_sources(archives, tmp_path):
    keep = PageFilter(languages=("zh-Hant",), sources=tuple(archives.sources))
    reports = [ingest_warc(w, tmp_path, IngestOptions(filter=keep)) for w in archives.warcs]
    rows = [r for rep in reports for r in pq.read_table(rep.part).to_pylist()]
    assert rows and {r["language"] for r in rows} == {"zh-Hant"}
    names = {s.name for s in archives.sources}
    assert {r["source"] for r in rows} <= names
    assert sum(rep.filtered for rep in reports) > len(rows)  # English and Simplified dropped


def test_a_file_that_is_not_a_warc_fails_without_a_part(tmp_path):
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"\x1f\x8b\x08" + b"not really gzip" * 100)
    report = ingest_warc(junk, tmp_path / "parts")
    assert report.status == "failed" and report.part is None and report.problems
    assert not list((tmp_path / "parts").glob("*"))  # the next run tries again


def test_a_missing_file_fails_without_raising(tmp_path):
    report = ingest_warc(tmp_path / "nope.warc.gz", tmp_path / "parts")
    assert report.status == "failed" and report.problems[0]["kind"] == "unreadable"


def test_ingest_memory_stays_flat_however_large_the_warc(archives, tmp_path, monkeypatch):
    """Pages stream through extraction and out in row groups: four times the records do
    not take more memory at the peak (Python allocations, after caches are warm). Row
    groups are made small here so that both runs write several."""
    import tracemalloc

    from newsharvest.ingest import parts

    monkeypatch.setattr(parts, "ROW_GROUP", 16)
    from dataclasses import replace

    from newsharvest.ingest.write import write_warc

    def peak_for(copies: int) -> tuple[int, int]:
        pages = [replace(r, url=f"{r.url}?n={i}") for i in range(copies)
                 for r in archives.responses]
        warc = tmp_path / f"x{copies}.warc.gz"
        write_warc(warc, pages)
        tracemalloc.start()
        try:
            # In-process extraction: with workers, the pages' memory is theirs, not ours.
            report = ingest_warc(warc, tmp_path / f"parts{copies}",
                                 IngestOptions(page_timeout=None))
            return tracemalloc.get_traced_memory()[1], report.rows
        finally:
            tracemalloc.stop()

    peak_for(1)  # warm: vocabularies, language profiles, script tables load once
    small, small_rows = peak_for(2)
    large, large_rows = peak_for(8)
    assert large_rows == 4 * small_rows > 60
    assert large < 1.3 * small, (small, large)
