"""Content hashing and a similarity sketch for near-duplicate stories.

``content_hash`` is SHA-256 of the normalised body (exact duplicates). ``simhash`` is a
64-bit SimHash over character shingles, so it works for Chinese (no word boundaries) and
English alike; two copies of one story differ in a few bits.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt

from ..text.codes import word_codes

_SHINGLE = 4
_PRIME = np.uint64(0x100000001B3)
# Row v: the 8 bits of the byte value v, least significant first.
_BYTE_BITS = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1,
                           bitorder="little").astype(np.int64)
_COLUMN_OFFSETS = np.arange(8, dtype=np.intp) * 256


def content_hash(body: str, *, joined: bool = False) -> str:
    """SHA-256 (hex) of the body with whitespace normalised.

    `joined`: the body is `join_paragraphs`' output, whose only whitespace is single
    spaces and the blank line between paragraphs, so one replace normalises it (the
    same string as splitting and joining every word, at a fraction of the cost).
    """
    normal = body.replace("\n\n", " ") if joined else " ".join(body.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def simhash(body: str) -> int | None:
    """64-bit SimHash of the body's character 4-shingles (punctuation/space removed).

    Vectorised with numpy: code points -> polynomial 4-gram values -> splitmix64 mixing ->
    one vote per bit over all shingles. About 0.1 ms for a 3,000-character body, where a
    per-shingle Python loop took several milliseconds.
    """
    from ..store.sketch import mix  # numpy only, no database code

    codes = word_codes(body.lower())
    if len(codes) < _SHINGLE * 4:
        return None
    return _votes(mix(_grams(codes, _SHINGLE)))


def story_sketch(body: str, body_hash: str) -> bytes | None:
    """The body's story-linking sketch (store/sketch.py), packed for the Article to carry:
    made here, in the extraction workers, the store's single writer need not make it."""
    from ..store.sketch import pack, sketch  # numpy only, no database code

    found = sketch(body)
    return pack(found, body_hash) if found is not None else None


def fingerprints(body: str, body_hash: str) -> tuple[int | None, bytes | None]:
    """``(simhash(body), story_sketch(body, body_hash))``, made together.

    Both hash the same word characters (text/codes.py) with the same polynomial and mixer,
    the SimHash its 4-grams and the sketch its 5-grams, so the characters are filtered once,
    each 5-gram value is its 4-gram value times the prime plus one code, and both sets are
    mixed in one pass: half the numpy calls, whose fixed cost dominates on news bodies.
    """
    from ..store.sketch import GRAM, PRIME, distinct, mix, pack, sketch_of

    codes = word_codes(body.lower())
    size = len(codes)
    if size < GRAM:  # no 5-gram, so no 4-gram votes either (fewer than _SHINGLE * 4)
        return None, None
    fours = size - _SHINGLE + 1
    values = np.empty(2 * fours - 1, dtype=np.uint64)  # the 4-grams, then the 5-grams
    four, five = values[:fours], values[fours:]
    four[:] = _grams(codes, _SHINGLE)
    np.multiply(four[:-1], PRIME, out=five)
    five += codes[_SHINGLE:]
    mixed = mix(values)
    found = sketch_of(distinct(mixed[fours:]))
    packed = pack(found, body_hash) if found is not None else None
    return (_votes(mixed[:fours]) if size >= _SHINGLE * 4 else None), packed


def _grams(codes: npt.NDArray[np.uint64], n: int) -> npt.NDArray[np.uint64]:
    """The polynomial hash of each n-gram of `codes`, wrapping at 2**64 (a new array)."""
    count = len(codes) - n + 1
    grams = codes[:count].copy()
    for offset in range(1, n):
        grams *= _PRIME
        grams += codes[offset:offset + count]
    return grams


def _votes(hashes: npt.NDArray[np.uint64]) -> int:
    """The SimHash of mixed shingle hashes: bit j is set when most hashes have it set."""
    # Votes per bit: the bytes of the hashes tallied by (column, value) in one bincount
    # (column k's values offset by 256k), then the tallies times the bits of each byte
    # value: row k, bit j = bit 8k+j. Few numpy calls, whose fixed cost dominates here.
    columns = hashes.view(np.uint8).reshape(-1, 8) + _COLUMN_OFFSETS
    tallies = np.bincount(columns.ravel(), minlength=8 * 256).reshape(8, 256)
    ones = (tallies @ _BYTE_BITS).ravel()
    return int(np.packbits(2 * ones > len(hashes), bitorder="little").view("<u8")[0])
