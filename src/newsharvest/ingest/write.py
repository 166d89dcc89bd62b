"""Write WARC files: turn a replay folder (or any pages) into an archive.

The tests and bench/warc_bench.py build their WARCs from fixtures/ with this, and it is
the way to hand a folder of saved pages to `ingest`. Writing uses warcio, the reference
implementation, so that the archives FastWARC reads were not made by FastWARC itself.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..fetch.politeness import http_date
from ..fixtures import load_manifests

_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}


@dataclass(frozen=True)
class ResponseInput:
    """One HTTP response to archive."""

    url: str
    payload: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    date: datetime | None = None


def write_warc(path: str | Path, responses: Iterable[ResponseInput], *,
               gzip: bool | None = None) -> list[int]:
    """Write `responses` as WARC response records; returns each record's byte offset.

    Compressed (one gzip member per record, as crawlers write them) when `gzip` is True
    or, by default, when the name ends in .gz.
    """
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = Path(path)
    compress = path.name.endswith(".gz") if gzip is None else gzip
    offsets: list[int] = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress)
        for response in responses:
            status = f"{response.status} {_REASONS.get(response.status, 'Status')}"
            http = StatusAndHeaders(status, list(response.headers.items()),
                                    protocol="HTTP/1.1")
            warc_headers = {}
            if response.date is not None:
                warc_headers["WARC-Date"] = (response.date.astimezone(UTC)
                                             .strftime("%Y-%m-%dT%H:%M:%SZ"))
            record = writer.create_warc_record(
                response.url, "response", payload=io.BytesIO(response.payload),
                http_headers=http, warc_headers_dict=warc_headers)
            offsets.append(out.tell())
            writer.write_record(record)
    return offsets


def replay_responses(root: str | Path, *, skip: Iterable[str] = ()) -> list[ResponseInput]:
    """Every page of a replay folder (manifest.json files, see fixtures/README.md) as a
    response, in URL order, dated by its saved Date header; URLs in `skip` left out."""
    skipped = set(skip)
    responses = []
    for url, entry in sorted(load_manifests(root).items()):
        if url in skipped:
            continue
        headers = dict(entry.headers)
        responses.append(ResponseInput(url=url, payload=entry.path.read_bytes(),
                                       status=entry.status, headers=headers,
                                       date=http_date(headers.get("date"))))
    return responses
