"""One WARC file in, one Parquet part out: the unit of work every engine schedules.

`ingest_warc` is a plain function of (WARC path, output folder, options) with no shared
state, so a process pool, Ray, Dask or Spark can map it over paths unchanged. The part is
written to a temporary name and renamed into place when complete, so a part either exists
whole or not at all: a killed run is resumed by skipping the parts already there. The
part's own footer carries the report of how it was made (counts, problems met).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..config import DEFAULT_PAGE_TIMEOUT
from ..errors import ExtractionError
from ..fetch.decode import is_html_response
from ..location import Location
from ..page import PageFailure, log_failure
from ..records import EXTRACTOR_VERSION
from ..workers import PageJob, PageRunner
from .filters import PageFilter
from .warc import WarcPage, WarcProblem, read_warc

log = logging.getLogger(__name__)

REPORT_KEY = "newsharvest.report"
MAX_PROBLEMS = 50  # problems kept in a report; the count goes on
ROW_GROUP = 256  # rows buffered before a row group is written: memory stays flat


@dataclass(frozen=True)
class IngestOptions:
    """How every WARC is read; the same object is shipped to every worker."""

    filter: PageFilter = field(default_factory=PageFilter)
    overwrite: bool = False  # redo parts that exist already
    # Seconds one record's extraction may take, in a worker process of its own (None: in
    # this process, no budget); over it the record fails as "timeout" (workers.py).
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT


@dataclass
class WarcReport:
    """What became of one WARC file."""

    warc: str
    part: str | None = None
    status: str = "done"  # "done" | "exists" (finished by an earlier run) | "failed"
    responses: int = 0  # HTTP response records read
    html: int = 0  # of which HTML with status 200
    filtered: int = 0  # dropped by host/pattern/source/language
    rows: int = 0  # articles written
    no_text: int = 0  # pages where no article text was found
    failed: int = 0  # pages extraction raised on
    problem_count: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    extractor_version: str = EXTRACTOR_VERSION

    def problem(self, kind: str, message: str, offset: int | None = None,
                url: str | None = None) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append({"offset": offset, "kind": kind, "message": message,
                                  "url": url})

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> WarcReport:
        return cls(**json.loads(text))


def part_name(warc: str | Path) -> str:
    """The part file a WARC becomes: its name plus a hash of where it is, so two WARCs
    with one name in different folders do not collide, and a rerun finds the same part."""
    where = Location(warc)
    stem = where.name
    for suffix in (".gz", ".warc", ".arc"):
        stem = stem.removesuffix(suffix)
    digest = hashlib.sha1(where.identity().encode()).hexdigest()[:8]
    return f"{stem}-{digest}.parquet"


def ingest_warc(warc: str | Path, out_dir: str | Path,
                options: IngestOptions | None = None) -> WarcReport:
    """Extract every wanted HTML page of one WARC into `out_dir/<part_name>`.

    Never raises for bad data: unreadable files, damaged records and pages the extractor
    fails on are counted and listed in the returned report (and in the part's footer).
    """
    import pyarrow.parquet as pq

    from .schema import ARROW_SCHEMA

    options = options or IngestOptions()
    out = Location(out_dir)
    report = WarcReport(warc=str(warc))
    part = out.child(part_name(warc))
    report.part = str(part)
    if part.exists() and not options.overwrite:
        return _finished(part, report)
    started = time.perf_counter()
    warc_name = Location(warc).name
    out.makedirs()
    temp = out.child(f".{part.name}.tmp")
    # A local path goes to Arrow's own file writer; a Python file object (remote) costs
    # a GIL round trip per write.
    sink = temp.open("wb") if temp.fs is not None else None
    writer = pq.ParquetWriter(sink or temp.path, ARROW_SCHEMA, compression="zstd")
    runner = PageRunner(options.page_timeout)
    try:
        buffer: list[dict[str, Any]] = []
        try:
            pages = read_warc(warc, lambda p: _problem(report, p))
            for page in pages:
                row = _row(page, warc_name, options.filter, report, runner)
                if row is not None:
                    buffer.append(row)
                if len(buffer) >= ROW_GROUP:
                    _flush(writer, buffer)
        except OSError as exc:
            report.problem("unreadable", f"cannot read the WARC file: {exc}")
            report.status = "failed"
        _flush(writer, buffer)
        if report.responses == 0 and report.problem_count:
            report.status = "failed"  # not one record could be read: not a usable WARC
        report.seconds = round(time.perf_counter() - started, 3)
        writer.add_key_value_metadata({REPORT_KEY: report.to_json()})
    finally:
        runner.close()
        writer.close()
        if sink is not None:
            sink.close()
    if report.status == "failed":
        temp.remove()  # nothing read: no part, so the next run tries again
        report.part = None
        return report
    temp.replace(part)
    return report


def _row(page: WarcPage, warc_name: str, keep: PageFilter, report: WarcReport,
         runner: PageRunner) -> dict[str, Any] | None:
    report.responses += 1
    if page.status != 200 or not is_html_response(page.content_type, page.payload):
        return None
    report.html += 1
    wanted, source = keep.wants_url(page.url)
    if not wanted or not keep.wants_hint(page.content_language, page.payload):
        report.filtered += 1
        return None
    headers = {"content-type": page.content_type or "", "date": page.served or ""}
    # The WARC-Date is the fetch time; the page's own Date header, when sane, dates it.
    article = runner.run(PageJob(page.payload, page.url, source,
                                 {k: v for k, v in headers.items() if v}, page.date))
    if isinstance(article, PageFailure):
        if article.kind == ExtractionError.kind:
            report.no_text += 1
        else:  # one strange page must not end a WARC: counted, listed, and on we go
            report.failed += 1
            report.problem(article.kind, article.message, page.offset, page.url)
            log_failure(article, warc_name)
        return None
    if not keep.wants_language(article.language):
        report.filtered += 1
        return None
    report.rows += 1
    row = article.to_row()
    if source is None:  # no configured source: the site is the best name there is
        row["source"] = urlsplit(page.url).hostname or None
    row.update(requested_url=page.url, warc_file=warc_name,
               warc_record_id=page.record_id,
               warc_date=page.date.isoformat() if page.date else None,
               warc_offset=page.offset, story_sketch=article.sketch)
    return row


def _flush(writer: Any, buffer: list[dict[str, Any]]) -> None:
    import pyarrow as pa

    from .schema import ARROW_SCHEMA

    if buffer:
        writer.write_table(pa.Table.from_pylist(buffer, schema=ARROW_SCHEMA))
        buffer.clear()


def _problem(report: WarcReport, problem: WarcProblem) -> None:
    report.problem(problem.kind, problem.message, problem.offset, problem.url)


def _finished(part: Location, report: WarcReport) -> WarcReport:
    """The report of a part an earlier run completed (read from its footer)."""
    import pyarrow.parquet as pq

    try:
        with part.open("rb") as f:
            meta = pq.read_metadata(f).metadata or {}
        earlier = WarcReport.from_json(meta[REPORT_KEY.encode()])
    except (OSError, KeyError, ValueError, TypeError) as exc:
        report.status = "failed"
        report.problem("bad-part", f"{part} exists but is not a newsharvest part ({exc}); "
                       "delete it or use --overwrite")
        return report
    return replace(earlier, status="exists", part=str(part))
