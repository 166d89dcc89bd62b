"""Read the HTML responses out of a WARC file, one record at a time.

FastWARC does the parsing (it is several times faster than warcio, see bench/warc_bench.py);
this module adds what a long batch job needs on top of it:

- records stream: one payload in memory at a time, however large the file;
- a damaged gzip member does not end the file: FastWARC stops at the first decompression
  error, so we find the next intact member (WARC files compress every record as its own
  gzip member, which is what makes random access and this resynchronisation possible) and
  carry on from there, reporting the bytes skipped;
- a record cut short (file truncated mid-record, or HTTP headers missing) is reported, not
  extracted, since half a page would be stored as if it were the article (a payload the
  crawler itself capped, marked WARC-Truncated, is complete as archived and is extracted);
- bodies archived with their HTTP codings (chunked, gzip, deflate, br) are decoded.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from fastwarc.stream_io import BrotliReader, ChunkedReader
from fastwarc.warc import ArchiveIterator, WarcRecordType

from ..location import Location
from ..records import parse_iso

GZIP_MAGIC = b"\x1f\x8b\x08"
MAX_PAYLOAD = 10 * 1024 * 1024  # same cap as live fetching: bigger is not an article page
_SCAN_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One HTTP response record: what extraction needs, and where it came from."""

    url: str
    status: int
    content_type: str | None
    content_language: str | None
    payload: bytes
    date: datetime | None  # WARC-Date: when the crawler fetched the page
    record_id: str | None
    offset: int  # byte offset of the record (of its gzip member) in the file
    served: str | None = None  # the HTTP Date header: when the server rendered the page


@dataclass(frozen=True, slots=True)
class WarcProblem:
    """A part of the file that could not be read: reported, then skipped."""

    offset: int
    kind: str  # "corrupt-gzip" | "truncated-record" | "unreadable" | "too-large"
    message: str
    url: str | None = None


Report = Callable[[WarcProblem], None]


def read_warc(where: str | Path, report: Report) -> Iterator[WarcPage]:
    """Yield every HTTP `response` record of a WARC (.warc or .warc.gz; a path or an
    fsspec URL) in file order.

    Problems go to `report` and reading continues after them; only a file that cannot be
    opened at all raises OSError.
    """
    path = Location(where)
    gzipped = _is_gzip(path)
    start = 0
    while True:
        last_good: int | None = None
        try:
            for page in _iterate(path, start, report):
                last_good = page.offset
                yield page
            return
        except OSError as exc:
            if not gzipped:
                report(WarcProblem(last_good or start, "unreadable",
                                   f"unreadable WARC data after this offset: {exc}"))
                return
            failed_at, resume = _resync(path, last_good if last_good is not None else start,
                                        first=last_good is None)
            report(WarcProblem(failed_at, "corrupt-gzip",
                               f"damaged gzip member ({exc}); "
                               + (f"resumed at byte {resume}" if resume is not None
                                  else "no intact record after it")))
            if resume is None:
                return
            start = resume


def _iterate(path: Location, start: int, report: Report) -> Iterator[WarcPage]:
    with path.open("rb") as stream:
        stream.seek(start)
        records = ArchiveIterator(stream, record_types=WarcRecordType.response,
                                  parse_http=True, fsspec_args=False, auto_decode="none")
        for record in records:
            headers = record.headers
            url = headers.get("WARC-Target-URI")
            offset = record.stream_pos
            if not url:
                continue
            url = url.strip("<> ")
            http = record.http_headers if record.is_http_parsed else None
            if http is None:
                report(WarcProblem(offset, "truncated-record",
                                   "response record without HTTP headers", url))
                continue
            if record.content_length > MAX_PAYLOAD:
                report(WarcProblem(offset, "too-large",
                                   f"payload of {record.content_length} bytes", url))
                continue
            payload = record.reader.read()
            if len(payload) < record.content_length:
                report(WarcProblem(offset, "truncated-record",
                                   f"record ends after {len(payload)} of "
                                   f"{record.content_length} payload bytes", url))
                continue
            try:
                payload = decode_body(payload, http.get("Transfer-Encoding"),
                                      http.get("Content-Encoding"))
            except (OSError, ValueError, zlib.error) as exc:
                report(WarcProblem(offset, "bad-encoding", f"cannot decode the body: {exc}",
                                   url))
                continue
            yield WarcPage(
                url=url,
                status=http.status_code or 0,
                content_type=http.get("Content-Type"),
                content_language=http.get("Content-Language"),
                payload=payload,
                date=parse_iso(headers.get("WARC-Date"), naive_tz=UTC),
                record_id=headers.get("WARC-Record-ID"),
                offset=offset,
                served=http.get("Date"),
            )


def decode_body(raw: bytes, transfer: str | None, content: str | None) -> bytes:
    """Undo HTTP transfer and content codings, as a browser would.

    Crawlers differ: Common Crawl stores bodies decoded (and renames the headers), wget
    and some others keep them as sent. Decoding is done here, after the record's length
    was checked on the stored bytes, so a cut-short record is never mistaken for a
    shorter decoded body. Unknown codings raise ValueError.
    """
    if transfer and "chunked" in transfer.lower():
        raw = ChunkedReader(io.BytesIO(raw)).read()
    for coding in reversed([c.strip().lower() for c in (content or "").split(",")]):
        if coding in ("", "identity"):
            continue
        if coding in ("gzip", "x-gzip"):
            raw = zlib.decompressobj(wbits=31).decompress(raw)
        elif coding == "deflate":  # zlib-wrapped as the RFC says, or raw as some servers send
            try:
                raw = zlib.decompressobj().decompress(raw)
            except zlib.error:
                raw = zlib.decompressobj(wbits=-15).decompress(raw)
        elif coding == "br":
            raw = BrotliReader(io.BytesIO(raw)).read()
        else:
            raise ValueError(f"unsupported content coding {coding!r}")
    return raw


def _is_gzip(path: Location) -> bool:
    with path.open("rb") as f:
        return f.read(3) == GZIP_MAGIC


def _member_end(f: IO[bytes], offset: int, *, warc_head: bool = False) -> int | None:
    """The end offset of the intact gzip member at `offset`, or None if it is damaged
    (with `warc_head`, also None unless its text starts a WARC record)."""
    inflater = zlib.decompressobj(wbits=31)
    f.seek(offset)
    consumed, head = 0, b""
    while not inflater.eof:
        chunk = f.read(_SCAN_CHUNK)
        if not chunk:
            return None
        try:
            out = inflater.decompress(chunk)
        except zlib.error:
            return None
        if warc_head and len(head) < 5:
            head += out[:5]
            if len(head) >= 5 and not head.startswith(b"WARC/"):
                return None  # a stray gzip header inside some payload, not a record
        consumed += len(chunk)
    if warc_head and not head.startswith(b"WARC/"):
        return None
    return offset + consumed - len(inflater.unused_data)


def _resync(path: Location, known: int, *, first: bool) -> tuple[int, int | None]:
    """After a decompression error: where the damaged member starts, and the offset of
    the next intact record member (None when there is none).

    `known` is the offset of the last record read well (or of the read's start when
    `first`); the damaged member is the first one after it that does not inflate. The
    file is opened once (on object storage every open is a request).
    """
    size = path.size()
    with path.open("rb") as f:
        damaged = known
        if not first:
            end = _member_end(f, known)
            damaged = end if end is not None else known
        candidate = damaged + 1
        while candidate < size:
            f.seek(candidate)
            window = f.read(_SCAN_CHUNK + 2)
            hit = window.find(GZIP_MAGIC)
            if hit < 0:
                candidate += _SCAN_CHUNK
                continue
            offset = candidate + hit
            if _member_end(f, offset, warc_head=True) is not None:
                return damaged, offset
            candidate = offset + 1
    return damaged, None

