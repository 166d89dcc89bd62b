"""Content codings decoded under the size cap, never past it.

httpx decodes a whole network chunk before the caller can look at its size: a 1.6 KB
brotli body became 4.3 GB in one call (issue 11). So the fetcher reads the raw bytes and
decodes them here, each decoder asked for at most "what is left under the cap + 1" bytes
of output per step, so a compression bomb stops at the cap with `TooLarge` and never
allocates more than the cap.

* gzip / x-gzip / deflate: zlib's ``decompress(data, max_length)`` with its
  ``unconsumed_tail``; deflate accepts the zlib wrapper and, as browsers do, raw deflate.
* br: brotli's ``Decompressor.process(data, output_buffer_limit=n)`` (brotli >= 1.2) with
  ``can_accept_more_data()``; only advertised when that bounded API is installed.
* identity: passed through (the cap is checked by the caller on the output).

Any other coding (zstd, compress, unknown) raises FetchError: it is not advertised, so a
server that sends it anyway is misbehaving, and guessing would store garbage.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from ..errors import FetchError, TooLarge

try:
    import brotli

    _BROTLI_BOUNDED = hasattr(brotli.Decompressor(), "can_accept_more_data")
except ImportError:  # pragma: no cover - brotli is a dependency; kept for slim installs
    brotli = None
    _BROTLI_BOUNDED = False

ACCEPT_ENCODING = "gzip, deflate, br" if _BROTLI_BOUNDED else "gzip, deflate"


class _Zlib:
    """gzip (wbits 16+) or deflate (zlib wrapper, falling back to raw deflate)."""

    def __init__(self, wbits: int, raw_fallback: bool = False) -> None:
        self._inflater = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback
        self._started = False
        self._pending = b""

    def __call__(self, data: bytes, room: int) -> bytes:
        self._pending += data
        try:
            out = self._inflater.decompress(self._pending, room)
        except zlib.error:
            if not (self._raw_fallback and not self._started):
                raise
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate
            self._raw_fallback = False
            out = self._inflater.decompress(self._pending, room)
        self._started = True
        self._pending = self._inflater.unconsumed_tail
        return out


class _Brotli:
    def __init__(self) -> None:
        assert brotli is not None
        self._decoder = brotli.Decompressor()
        self._pending = b""

    def __call__(self, data: bytes, room: int) -> bytes:
        self._pending += data
        if self._decoder.can_accept_more_data():
            data, self._pending = self._pending, b""
        else:
            data = b""
        out: bytes = self._decoder.process(data, output_buffer_limit=max(1, room))
        return out


_DECODERS: dict[str, Callable[[], _Zlib | _Brotli]] = {
    "gzip": lambda: _Zlib(16 + zlib.MAX_WBITS),
    "x-gzip": lambda: _Zlib(16 + zlib.MAX_WBITS),
    "deflate": lambda: _Zlib(zlib.MAX_WBITS, raw_fallback=True),
}
if _BROTLI_BOUNDED:
    _DECODERS["br"] = _Brotli


class BoundedDecoder:
    """Decode a body's Content-Encoding chain incrementally, refusing output past `limit`."""

    def __init__(self, content_encoding: str | None, limit: int, url: str) -> None:
        self.limit, self.url, self.size = limit, url, 0
        names = [c.strip().lower() for c in (content_encoding or "").split(",")]
        names = [n for n in names if n and n != "identity"]
        unknown = [n for n in names if n not in _DECODERS]
        if unknown:
            raise FetchError(f"unsupported content coding {unknown[0]!r}", url=url)
        # Codings are listed in the order applied: undo them last-first.
        self._chain = [_DECODERS[n]() for n in reversed(names)]

    def feed(self, chunk: bytes) -> bytes:
        """Decoded bytes for one raw chunk; TooLarge once the total passes the cap."""
        data = chunk
        for decoder in self._chain:
            data = self._drain(decoder, data)
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge(f"body larger than {self.limit} bytes", url=self.url)
        return data

    def _drain(self, decoder: _Zlib | _Brotli, data: bytes) -> bytes:
        parts: list[bytes] = []
        produced = 0
        try:
            while True:
                room = self.limit - self.size - produced + 1
                out = decoder(data, room)
                data = b""
                produced += len(out)
                parts.append(out)
                if self.size + produced > self.limit:
                    raise TooLarge(f"body decodes past the cap of {self.limit} bytes",
                                   url=self.url)
                if not out:  # asked again until it has nothing more for now
                    break
        except (zlib.error, ValueError) as exc:
            raise FetchError(f"undecodable response body: {exc}", url=self.url) from exc
        except Exception as exc:
            if brotli is not None and isinstance(exc, brotli.error):
                raise FetchError(f"undecodable response body: {exc}", url=self.url) from exc
            raise
        return b"".join(parts)
