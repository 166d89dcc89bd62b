"""Past one machine: WARC archives (CC-NEWS and the like) to Parquet parts, at scale.

Stages: `warc` streams HTTP responses out of a WARC (FastWARC, with recovery from damaged
gzip members); `filters` drops unwanted records before extraction; `parts` runs the same
`extract_html` the harvester uses and writes one Parquet part per WARC, atomically;
`engines` maps that over many WARCs on a process pool or Ray; `load` (newsharvest.store.load)
merges parts into the SQLite store with the harvester's dedupe rules.

Needs the `ingest` extra (FastWARC, pyarrow); the Ray engine the `ray` extra.
"""

from __future__ import annotations

from ..cpus import available_cpus
from .engines import IngestReport, find_warcs, ingest, run_local, run_ray
from .filters import PageFilter
from .parts import IngestOptions, WarcReport, ingest_warc, part_name

__all__ = [
    "IngestOptions",
    "IngestReport",
    "PageFilter",
    "WarcReport",
    "available_cpus",
    "find_warcs",
    "ingest",
    "ingest_warc",
    "part_name",
    "run_local",
    "run_ray",
]
