"""Content hashing and a similarity sketch for near-duplicate stories.

``content_hash`` is SHA-256 of the normalised body (exact duplicates). ``simhash`` is a
64-bit SimHash over character shingles, so it works for Chinese (no word boundaries) and
English alike; two copies of one story differ in a few bits.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter

_SHINGLE = 4
_STRIP_RE = re.compile(r"[\W_]+")


def content_hash(body: str) -> str:
    """SHA-256 (hex) of the body with whitespace normalised."""
    normal = " ".join(body.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def simhash(body: str) -> int | None:
    """64-bit SimHash of the body's character 4-shingles (punctuation/space removed).

    Per-shingle hashes are laid out as bytes and counted column by column with
    ``Counter`` over byte slices, so the bit voting runs in C rather than 64 Python
    operations per shingle.
    """
    text = _STRIP_RE.sub("", body.lower())
    if len(text) < _SHINGLE * 4:
        return None
    data = text.encode("utf-16-le")  # fixed 2 bytes per BMP char: shingles are byte slices
    width = 2 * _SHINGLE
    packed = b"".join(
        (zlib.crc32(data[i:i + width]) << 32 | zlib.crc32(data[i:i + width], 0x9E3779B9))
        .to_bytes(8, "big")
        for i in range(0, len(data) - width + 1, 2)
    )
    total = len(packed) // 8
    value = 0
    for column in range(8):
        counts = Counter(packed[column::8])
        for bit in range(8):
            ones = sum(n for byte, n in counts.items() if byte >> bit & 1)
            if 2 * ones > total:
                value |= 1 << ((7 - column) * 8 + bit)
    return value


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two sketches."""
    return (a ^ b).bit_count()
