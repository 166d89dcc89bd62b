"""WARC ingestion speed: reading, extraction, WARC overhead, and 2 workers over 1.

Usage:
    python bench/warc_bench.py [DIR ...] [--pages N] [--warcs K]

Pages come from DIR (default fixtures/; any folder of ``*.html`` pages with a sibling
JSON record carrying their URL, e.g. ../shared/eval/dev), repeated under distinct URLs to
N records (default 800), written with warcio as K gzipped WARCs (default 4) in a temporary
folder. Printed, all measured in this run on this machine:

- WARC read rate: records/s and payload MB/s streaming every record (FastWARC, with the
  damage checks of newsharvest.ingest.warc), and warcio on the same files for reference;
- extraction rate: extract_html on the same payloads held in memory, one process;
- WARC overhead: what ingesting costs beyond extraction (reading, filtering, Parquet
  writing), as a share of extraction time, for one worker (goal <= 5%);
- speed-up of 2 worker processes over 1 (`ingest --jobs`), with the CPUs available.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from newsharvest import extract_html
from newsharvest.evaluate.datasets import load_cases
from newsharvest.ingest import available_cpus, ingest
from newsharvest.ingest.warc import read_warc
from newsharvest.ingest.write import ResponseInput, write_warc

ROOT = Path(__file__).resolve().parent.parent


def load_responses(dirs: list[Path]) -> list[ResponseInput]:
    """The pages `newsharvest eval` scores in these folders that have a URL."""
    return [ResponseInput(url=case.url, payload=case.read_html(),
                          headers={"content-type": "text/html"})
            for root in dirs for case in load_cases(root) if case.url]


def build(responses: list[ResponseInput], count: int, warcs: int, folder: Path) -> list[Path]:
    copies = [replace(responses[i % len(responses)],
                      url=f"{responses[i % len(responses)].url}?copy={i}")
              for i in range(count)]
    paths = []
    for k in range(warcs):
        path = folder / f"bench-{k}.warc.gz"
        write_warc(path, copies[k::warcs])
        paths.append(path)
    return paths


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def read_all(paths: list[Path]) -> tuple[int, int]:
    records = size = 0
    for path in paths:
        for page in read_warc(path, lambda p: None):
            records += 1
            size += len(page.payload)
    return records, size


def read_all_warcio(paths: list[Path]) -> int:
    from warcio.archiveiterator import ArchiveIterator

    records = 0
    for path in paths:
        with path.open("rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type == "response":
                    record.content_stream().read()
                    records += 1
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=[ROOT / "fixtures"])
    parser.add_argument("--pages", type=int, default=800)
    parser.add_argument("--warcs", type=int, default=4)
    args = parser.parse_args()

    responses = load_responses(args.dirs)
    if not responses:
        raise SystemExit("no pages with a URL record found")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = build(responses, args.pages, args.warcs, folder)
        mb = sum(p.stat().st_size for p in paths) / 1e6

        read_all(paths[:1])  # warm the page cache and imports
        t_read, (records, size) = timed(lambda: read_all(paths))
        t_warcio, _ = timed(lambda: read_all_warcio(paths))
        payloads = [p for path in paths for p in read_warc(path, lambda p: None)]

        def extract_all() -> None:
            for page in payloads:
                extract_html(page.payload, page.url, fetched_at=page.date,
                             content_type=page.content_type)

        extract_all() if len(payloads) < 50 else None  # tiny runs: warm up first
        t_extract, _ = timed(extract_all)
        payloads.clear()  # free them before the ingest runs
        t_one, one = timed(lambda: ingest([str(p) for p in paths], folder / "one", jobs=1))
        t_two, two = timed(lambda: ingest([str(p) for p in paths], folder / "two", jobs=2))

    rows = one.total("rows")
    print(f"{records} records in {len(paths)} WARCs ({mb:.1f} MB gzipped, "
          f"{size / 1e6:.1f} MB of payload), {len(responses)} distinct pages from "
          f"{', '.join(str(d) for d in args.dirs)}")
    print(f"WARC read (FastWARC + checks): {records / t_read:,.0f} records/s, "
          f"{size / 1e6 / t_read:,.0f} MB/s;  warcio: {records / t_warcio:,.0f} records/s "
          f"(FastWARC {t_warcio / t_read:.1f}x)")
    print(f"extraction (extract_html, in memory): {records / t_extract:,.1f} pages/s")
    print(f"ingest, 1 worker: {records / t_one:,.1f} pages/s ({rows} rows); "
          f"WARC overhead = {(t_one - t_extract) / t_extract:+.1%} of extraction time "
          f"(reading alone: {t_read / t_extract:.1%}; goal <= 5%)")
    print(f"ingest, 2 workers: {records / t_two:,.1f} pages/s; speed-up over 1 worker: "
          f"{t_one / t_two:.2f}x with {available_cpus()} CPUs available "
          f"(includes starting the worker processes)")
    assert two.total("rows") == rows


if __name__ == "__main__":
    main()
