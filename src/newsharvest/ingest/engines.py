"""Run `ingest_warc` over many WARC files: on this machine's cores, or on a Ray cluster.

Both engines schedule the same unit (one WARC -> one part, see parts.py) and write the
same files, so their outputs are interchangeable and a run started on one can be finished
on the other. Neither engine moves page data back to the driver: workers read their own
WARCs and write their own parts; only small reports travel.
"""

from __future__ import annotations

import glob
import logging
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cpus import available_cpus
from ..errors import ConfigError
from ..location import Location, is_url
from ..page import log_failure, page_failure
from .parts import IngestOptions, WarcReport, ingest_warc

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
OnDone = Callable[[WarcReport], None]


@dataclass
class IngestReport:
    """Every WARC's report, in the order the WARCs were given."""

    warcs: list[WarcReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No WARC failed and none of this run's parts met a problem (parts finished by
        an earlier run were reported by that run)."""
        return all(w.status != "failed" and (w.status == "exists" or not w.problem_count)
                   for w in self.warcs)

    def total(self, name: str) -> int:
        return sum(getattr(w, name) for w in self.warcs)


def find_warcs(patterns: Iterable[str]) -> list[str]:
    """Expand paths, folders (their *.warc and *.warc.gz) and glob patterns, local or
    fsspec URLs (s3://bucket/CC-NEWS/2025/10/*.warc.gz), in order, each file once. A
    pattern matching nothing is an error: a typo must not look like an empty archive."""
    found: dict[str, None] = {}
    for pattern in patterns:
        matches = _remote_matches(pattern) if is_url(pattern) else _local_matches(pattern)
        if not matches:
            raise ConfigError("no WARC file found", path=pattern)
        for match in matches:
            found.setdefault(match, None)
    return list(found)


def _local_matches(pattern: str) -> list[str]:
    path = Path(pattern)
    if path.is_dir():
        return sorted(str(p) for p in path.rglob("*") if p.name.endswith(WARC_SUFFIXES))
    if path.exists():
        return [pattern]
    return sorted(glob.glob(pattern, recursive=True))


def _remote_matches(pattern: str) -> list[str]:
    where = Location(pattern)
    fs, path = where.fs, where.path
    if fs.isdir(path):
        files = [p for p in fs.find(path) if p.endswith(WARC_SUFFIXES)]
    elif fs.exists(path):
        return [pattern]
    else:
        files = fs.glob(path)
    return sorted(fs.unstrip_protocol(p) for p in files)


def run_local(warcs: Sequence[str | Path], out_dir: str | Path, options: IngestOptions,
              *, jobs: int | None = None, on_done: OnDone | None = None) -> IngestReport:
    """One task per WARC on a pool of `jobs` processes (default: one per available CPU)."""
    jobs = max(1, min(jobs or available_cpus(), len(warcs) or 1))
    reports: dict[int, WarcReport] = {}
    if jobs == 1:
        for i, warc in enumerate(warcs):
            reports[i] = ingest_warc(warc, out_dir, options)
            _done(reports[i], on_done)
    else:
        # spawn: workers start clean on every OS (no inherited threads or open SQLite).
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {pool.submit(ingest_warc, warc, out_dir, options): i
                       for i, warc in enumerate(warcs)}
            for future in as_completed(futures):
                i = futures[future]
                try:
                    reports[i] = future.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker fails one WARC only
                    reports[i] = _failed(str(warcs[i]), exc)
                _done(reports[i], on_done)
    return IngestReport([reports[i] for i in range(len(warcs))])


def run_ray(warcs: Sequence[str | Path], out_dir: str | Path, options: IngestOptions,
            *, address: str | None = None, on_done: OnDone | None = None) -> IngestReport:
    """The same tasks as a Ray Data map over WARC paths.

    Uses the Ray instance this process is connected to; otherwise connects to `address`
    (or RAY_ADDRESS), or starts a local one. On a cluster, the WARC paths and the output
    folder must be reachable from every node (a shared file system).
    """
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ConfigError("the ray engine needs Ray: pip install 'newsharvest[ray]'",
                          field="engine") from exc
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, log_to_driver=False, include_dashboard=False)
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        items = [{"index": i, "warc": _absolute(w)} for i, w in enumerate(warcs)]
        dataset = ray.data.from_items(items, override_num_blocks=max(1, len(items)))
        results = dataset.map(
            _ray_task,  # type: ignore[arg-type]  # extra arguments come as fn_kwargs
            fn_kwargs={"out_dir": _absolute(out_dir), "options": options},
            num_cpus=1)
        reports: dict[int, WarcReport] = {}
        for row in results.iter_rows():
            report = WarcReport.from_json(row["report"])
            report.warc = str(warcs[row["index"]])
            reports[row["index"]] = report
            _done(report, on_done)
    finally:
        if started_here:
            ray.shutdown()
    return IngestReport([reports[i] for i in range(len(warcs))])


def _ray_task(item: dict[str, Any], out_dir: str, options: IngestOptions) -> dict[str, Any]:
    try:
        report = ingest_warc(item["warc"], out_dir, options)
    except Exception as exc:  # noqa: BLE001 - as in the local pool: one WARC fails, not all
        report = _failed(item["warc"], exc)
    return {"index": item["index"], "report": report.to_json()}


def _failed(warc: str, exc: BaseException) -> WarcReport:
    """The report of a WARC whose task raised or whose worker died, by the page policy
    (page.page_failure: a bug keeps its traceback for the log): it fails alone."""
    failure = page_failure(exc, warc)
    log_failure(failure, "ingest")
    report = WarcReport(warc=warc, status="failed")
    report.problem("worker", failure.message)
    return report


def ingest(paths: Iterable[str], out_dir: str | Path, options: IngestOptions | None = None,
           *, engine: str = "local", jobs: int | None = None, ray_address: str | None = None,
           on_done: OnDone | None = None) -> IngestReport:
    """Extract the HTML pages of WARC files into Parquet parts (one per WARC) in `out_dir`.

    `paths` are files, folders or glob patterns, local or fsspec URLs; `out_dir` too.
    Parts finished by an earlier run are kept (resume); damaged files and records are
    reported in the result, never raised.
    """
    warcs = find_warcs(paths)
    options = options or IngestOptions()
    try:
        Location(out_dir).makedirs()
    except OSError as exc:
        raise ConfigError(f"cannot create the output folder: {exc}", path=str(out_dir),
                          field="out") from exc
    if engine == "local":
        return run_local(warcs, out_dir, options, jobs=jobs, on_done=on_done)
    if engine == "ray":
        return run_ray(warcs, out_dir, options, address=ray_address, on_done=on_done)
    raise ConfigError(f"unknown engine {engine!r}: use 'local' or 'ray'", field="engine")


def _absolute(where: str | Path) -> str:
    """What a worker on another node can open: an absolute path, or the URL as it is."""
    return str(where) if is_url(where) else str(Path(where).resolve())


def _done(report: WarcReport, on_done: OnDone | None) -> None:
    for problem in report.problems if report.status != "exists" else ():
        log.warning("%s @%s: %s: %s", report.warc, problem["offset"], problem["kind"],
                    problem["message"])
    if on_done is not None:
        on_done(report)
