"""A text's word characters as an array of code points, for the hashing of bodies.

Both similarity hashes of a body (normalize/dedupe.py's SimHash for exact-ish duplicates,
store/sketch.py's MinHash for story linking) are made from the body's word characters with
spaces, punctuation and ``_`` removed, so they work the same for Chinese and English. This
is the one place that filters them: a table of which code points are word characters
(what ``[^\\W_]`` matches), built once per process, through which numpy filters a body in
one pass instead of a regular expression cutting every word apart.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import numpy.typing as npt

TABLE_SIZE = 0x40000  # code points looked up in the table: planes 0-3 (CJK Ext B-H included)
_STRIP_RE = re.compile(r"[\W_]+")
_ASCII_STRIP_BYTES = bytes(i for i in range(128) if not chr(i).isalnum())  # deleted


@cache
def word_table() -> npt.NDArray[np.bool_]:
    """For each code point below TABLE_SIZE, whether it is a word character other than _
    (built from _STRIP_RE itself, so it agrees with it by construction; once per process)."""
    every = "".join(map(chr, range(TABLE_SIZE)))
    kept = _STRIP_RE.sub("", every).encode("utf-32-le", "surrogatepass")
    table = np.zeros(TABLE_SIZE, dtype=np.bool_)
    table[np.frombuffer(kept, dtype=np.uint32)] = True
    return table


def word_codes(lowered: str) -> npt.NDArray[np.uint64]:
    """Code points of `lowered` without its [\\W_] characters, as uint64 (for hashing).

    ASCII: one bytes translate. Otherwise the code points go through `word_table`; a text with
    a code point beyond the table (planes 4-16: no word characters in Unicode 15, but the
    regular expression decides) takes the regex.
    """
    if lowered.isascii():
        kept = lowered.encode("ascii").translate(None, _ASCII_STRIP_BYTES)
        return np.frombuffer(kept, dtype=np.uint8).astype(np.uint64)
    raw = np.frombuffer(lowered.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if raw.max() >= TABLE_SIZE:
        text = _STRIP_RE.sub("", lowered)
        return np.frombuffer(text.encode("utf-32-le", "surrogatepass"),
                             dtype=np.uint32).astype(np.uint64)
    return raw[word_table()[raw]].astype(np.uint64)
