"""A fixed-size sketch of a body's character 5-grams, and LSH band keys to find similar ones.

Story linking asks "is most of the shorter body inside the other?" (containment of the
5-gram sets). Answering it from the bodies means re-reading and re-splitting every
candidate on every save, a cost that grows with the database. A sketch answers it from
SKETCH_SIZE numbers kept per article:

* one-permutation MinHash: each 5-gram is hashed once (numpy, no per-gram Python); the top
  bits pick one of SKETCH_SIZE bins, the bin keeps its smallest hash; an empty bin (short
  text) borrows from the next non-empty one, shifted by the distance ("rotation
  densification", Shrivastava & Li 2014), so both sides of a comparison fill it alike;
* the share of equal bins estimates the Jaccard similarity J of the two sets, and with the
  set sizes kept beside it, containment = J(|A|+|B|) / ((1+J) min(|A|, |B|));
* BANDS groups of ROWS bins, each hashed to one key: two sketches share a key with
  probability 1 - (1 - J^ROWS)^BANDS (J 0.6: 89%, 0.7: 98.8%, 0.8: 99.9%; J 0.05: 0.01%),
  so an indexed table of keys gives the candidates in a few lookups, whatever the size of
  the database. (The previous candidate test, SimHash within 12 of 64 bits, needs a cosine
  similarity near 0.83, about J 0.7 for bodies of equal length, and misses most reprints
  that dropped a third of the text, which have J about 0.6.) 16 bands rather than 32: each
  is an index row written per article, and writing them was the larger part of linking.

Changing the hashing (seeds, sizes, the gram definition) makes old sketches incomparable:
bump stories.SKETCH_VERSION, and the story index is rebuilt from the stored bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..text.codes import word_codes

SKETCH_SIZE = 128  # bins
ROWS = 4  # bins per band
BANDS = 16  # bands, over the first BANDS * ROWS bins (each band is a row of story_bands)
GRAM = 5
_BIN_SHIFT = np.uint64(64 - 7)  # top 7 bits: 128 bins
_VALUE_MASK = np.uint64((1 << 57) - 1)
_EMPTY = np.uint64(1 << 57)  # above every value a bin can hold
_BIN_NUMBERS = np.arange(SKETCH_SIZE, dtype=np.uint64)
_BAND_SALT = np.arange(BANDS, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)
_BIN_STARTS = _BIN_NUMBERS << _BIN_SHIFT
_ROTATE = np.uint64(0x9E3779B97F4A7C15)  # added per bin of distance when borrowing


@dataclass(frozen=True)
class Sketch:
    """The MinHash bins (uint32 each) and how many distinct 5-grams the body has."""

    bins: np.ndarray
    grams: int

    def to_blob(self) -> bytes:
        return self.bins.astype("<u4", copy=False).tobytes()  # often <u4 already: no copy

    @classmethod
    def from_blob(cls, blob: bytes, grams: int) -> Sketch:
        return cls(np.frombuffer(blob, dtype="<u4"), grams)

    @cached_property
    def keys(self) -> list[int]:
        """BANDS signed 64-bit keys (SQLite integers), band number mixed in: computed once
        (linking looks them up, then stores them)."""
        keys: list[int] = self.key_array.tolist()
        return keys

    @cached_property
    def key_array(self) -> np.ndarray:
        """The band keys as int64 (a batch's are handled together, store/stories.py)."""
        rows = self.bins[:BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
        high = (rows[:, 0] << np.uint64(32)) | rows[:, 1]
        low = (rows[:, 2] << np.uint64(32)) | rows[:, 3]
        key: np.ndarray = mix(mix(high + _BAND_SALT) ^ low).view(np.int64)
        return key

    def containment_of(self, equal_bins: int, other_grams: int) -> float:
        """Estimated |A ∩ B| / min(|A|, |B|) of the two bodies' 5-gram sets, from the
        number of bins equal in the other sketch and its size (stories.py counts the
        equal bins of all candidates in one array operation)."""
        if not self.grams or not other_grams:
            return 0.0
        jaccard = equal_bins / SKETCH_SIZE
        inter = jaccard * (self.grams + other_grams) / (1.0 + jaccard)
        return min(1.0, inter / min(self.grams, other_grams))


def gram_hashes(body: str, n: int = GRAM) -> np.ndarray:
    """Distinct 64-bit hashes of the body's character n-grams, spaces and punctuation
    removed and lower-cased (script-neutral: works for Chinese and English alike)."""
    codes = word_codes(body.lower())  # spaces, punctuation and _ dropped
    if len(codes) < n:
        return np.zeros(0, dtype=np.uint64)
    # Array arithmetic on uint64 wraps at 2**64 silently (only scalar overflow warns).
    grams = codes[:len(codes) - n + 1].copy()
    for offset in range(1, n):  # polynomial hash of each n-gram (in place: no temporaries)
        grams *= PRIME
        grams += codes[offset:offset + len(grams)]
    return distinct(mix(grams))


def distinct(hashes: np.ndarray) -> np.ndarray:
    """The distinct values of `hashes`, sorted (sorts `hashes` in place)."""
    hashes.sort()
    keep = np.ones(len(hashes), dtype=bool)
    keep[1:] = hashes[1:] != hashes[:-1]
    return hashes[keep]


def sketch(body: str) -> Sketch | None:
    """The body's sketch, or None when it has no 5-gram at all."""
    return sketch_of(gram_hashes(body))


def sketch_of(hashes: np.ndarray) -> Sketch | None:
    """The sketch of a body's distinct, sorted 5-gram hashes (`gram_hashes`), or None when
    there are none. (normalize/dedupe.py makes the hashes together with the SimHash's.)"""
    if not len(hashes):
        return None
    # `hashes` is sorted and the bin is the top bits: each bin's smallest value is the
    # first hash at or above the bin's start.
    first = np.searchsorted(hashes, _BIN_STARTS)
    at = hashes[np.minimum(first, len(hashes) - 1)]
    hit = (first < len(hashes)) & ((at >> _BIN_SHIFT) == _BIN_NUMBERS)
    lowest = np.where(hit, at & _VALUE_MASK, _EMPTY)
    filled = np.flatnonzero(hit)
    if len(filled) < SKETCH_SIZE:  # rotation densification: borrow from the next bin
        index = np.arange(SKETCH_SIZE)
        nxt = np.searchsorted(filled, index) % len(filled)
        source = filled[nxt]
        distance = ((source - index) % SKETCH_SIZE).astype(np.uint64)
        lowest = lowest[source] + distance * _ROTATE
    bins32 = ((lowest >> np.uint64(25)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    return Sketch(bins32, len(hashes))


_PACK_HASH = 16  # characters of the content hash a packed sketch is checked against
# The hashing a packed sketch was made with: stories.SKETCH_VERSION (a test keeps them
# equal). Packed sketches outlive the process (the `story_sketch` column of ingest's
# Parquet parts), so one made by another version is recognised and made again.
PACK_VERSION = b"1"


def pack(found: Sketch, content_hash: str) -> bytes:
    """A sketch as bytes for an Article to carry (``Article.sketch``, and ingest's parts):
    the hashing's version, the start of the content hash of the text it was made from, the
    gram count, the bins, the band keys."""
    return (PACK_VERSION + content_hash[:_PACK_HASH].encode("ascii", "replace")
            + found.grams.to_bytes(4, "little") + found.to_blob()
            + found.key_array.astype("<i8", copy=False).tobytes())


_HASH_AT = len(PACK_VERSION)
_GRAMS_AT = _HASH_AT + _PACK_HASH
_PACKED_SIZE = _GRAMS_AT + 4 + 4 * SKETCH_SIZE + 8 * BANDS


def unpack(data: bytes | None, content_hash: str) -> Sketch | None:
    """The carried sketch if it was made from the text of this content hash by this
    version's hashing, else None (an Article whose body was replaced afterwards, a part
    written by another version: the caller sketches the body)."""
    if data is None or len(data) != _PACKED_SIZE or data[:_HASH_AT] != PACK_VERSION:
        return None
    if data[_HASH_AT:_GRAMS_AT] != content_hash[:_PACK_HASH].encode("ascii", "replace"):
        return None
    bins_at = _GRAMS_AT + 4
    keys_at = bins_at + 4 * SKETCH_SIZE
    found = Sketch.from_blob(data[bins_at:keys_at],
                             int.from_bytes(data[_GRAMS_AT:bins_at], "little"))
    found.__dict__["key_array"] = np.frombuffer(data[keys_at:], dtype="<i8")
    return found


def mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: similar inputs get unrelated 64-bit outputs (a new array)."""
    mixed: np.ndarray = x + _MIX_ADD  # a new array; the rest in place
    mixed ^= mixed >> _S30
    mixed *= _MIX_1
    mixed ^= mixed >> _S27
    mixed *= _MIX_2
    mixed ^= mixed >> _S31
    return mixed


PRIME = np.uint64(0x100000001B3)  # of the n-gram polynomial hash
_MIX_ADD, _MIX_1, _MIX_2 = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9),
                            np.uint64(0x94D049BB133111EB))
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
