"""Text as the search index sees it: NFKC-folded, each Han/kana character its own token.

``prepare_text("人工智能。")`` is ``" 人 工 智 能\u02bc 。"``: every CJK character becomes a
token, the last one of each run marked with RUN_END (U+02BC, a letter to FTS5's unicode61,
so the mark stays part of the token); everything else is left for ``unicode61`` to split
and fold. The mark keeps phrases inside runs: ``"算 力"`` cannot match ``算。力`` because
that 算 is ``算\u02bc``. A query's last character matches with or without the mark (a
prefix query, ``"智 能"*``): the searched text may end its run there or go on. See
store/search.py, and store/fts.py for why single characters rather than bigrams.

Each run of n characters is n tokens, as the bigram representation before it (n-1 bigrams
plus the run's last character), so column sizes, phrase counts and bm25 scores are the
same; `bigram_text` keeps that older form for searching files whose index still has it.

Two implementations give the same tokens. Short strings (titles, queries) take the plain
one, a regex callback per CJK run. Long ones (bodies: this runs once per stored article)
take a vectorised one: the text as a numpy array of code points, a lookup table marks CJK
characters, and each character is laid out in four slots (space, itself, the mark,
space) whose unused slots are dropped in one pass. NFKC, the other large cost, is skipped
when the text holds no character that NFKC would change in a way the tokenizer can see: a
full-width comma becomes an ASCII comma, but both are separators; a full-width letter
becomes ASCII and is normalised as before.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

from ..text.scripts import HAN, KANA

if TYPE_CHECKING:
    import numpy as np

CJK_CHARS = f"{HAN}{KANA}\u30fc-\u30ff"  # Han and kana: no spaces between words
RUN_END = "\u02bc"  # marks a run's last character (MODIFIER LETTER APOSTROPHE: a letter)
_CJK_RUN_RE = re.compile(f"[{CJK_CHARS}]+")
TABLE_SIZE = 0x40000  # planes 0-3 (the CJK class ends in plane 3)
FAST_FROM = 200  # characters: below this the plain path is faster than numpy's set-up
_GAP = 0xFFFFFFFF  # an unused slot (no code point is this large)
_SPACE = 0x20
_SEPARATOR_CATEGORIES = "PZS"  # unicode61's separators: punctuation, spaces, symbols


def prepare_text(text: object) -> str:
    """The text as the index sees it: NFKC-folded, each CJK character a token (the last of
    each run marked), everything else unchanged (unicode61 splits and folds it)."""
    text = _as_text(text)
    if len(text) < FAST_FROM:
        return _CJK_RUN_RE.sub(_characters, unicodedata.normalize("NFKC", text))
    if text.isascii():
        return text  # NFKC leaves ASCII alone and there is no CJK run
    return _spread(text)


def bigram_text(text: object) -> str:
    """The index's older form (search versions 1 and 2): each CJK run as its overlapping
    bigrams plus its last character. For queries on a file not yet rebuilt (read-only)."""
    return _CJK_RUN_RE.sub(_bigrams, unicodedata.normalize("NFKC", _as_text(text)))


def _as_text(text: object) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):  # a number or blob stored by another tool: index its text
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return text


def _characters(match: re.Match[str]) -> str:
    return " " + " ".join(match.group()) + RUN_END + " "


def _bigrams(match: re.Match[str]) -> str:
    run = match.group()
    grams = [run[i:i + 2] for i in range(len(run) - 1)]
    grams.append(run[-1])
    return " " + " ".join(grams) + " "


def _spread(text: str) -> str:
    """The vectorised rewrite: NFKC when the text needs it, then a space before every CJK
    character, the mark and a space after the last of each run.

    One table lookup per character answers both questions (is it CJK, could NFKC change
    a token: `_visible_to_nfkc`'s characters), so deciding to skip NFKC costs no regular
    expression pass over the text."""
    import numpy as np  # only for long texts: reading commands never pay its import

    table = _flag_table()
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # Clipped to the table's last entry, TABLE_SIZE: the one of every higher code point.
    flags = table.take(codes, mode="clip")
    top = flags.max()  # the bits are _CJK and _NFKC: both questions in one pass
    if top & _NFKC:
        text = unicodedata.normalize("NFKC", text)
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        flags = table.take(codes, mode="clip") & _CJK
        top = flags.max()
    if not top:
        return text
    cjk = flags.view(bool)  # only the _CJK bit (1) is left
    last = cjk.copy()  # a CJK character not followed by another
    last[:-1] &= ~cjk[1:]
    # Four slots per character (space, itself, the mark, space), filled whole; a mask
    # keeps the used ones.
    slots = np.empty((len(codes), 4), dtype=np.uint32)
    slots[:, 0] = _SPACE
    slots[:, 1] = codes
    slots[:, 2] = ord(RUN_END)
    slots[:, 3] = _SPACE
    keep = np.empty((len(codes), 4), dtype=bool)
    keep[:, 0] = cjk
    keep[:, 1] = True
    keep[:, 2] = last
    keep[:, 3] = last
    data: bytes = slots.ravel().compress(keep.ravel()).tobytes()
    return data.decode("utf-32-le", "surrogatepass")


_CJK = 1  # _flag_table bits
_NFKC = 2


@cache
def _flag_table() -> np.ndarray:
    """A uint8 per code point below TABLE_SIZE, plus one entry for every code point above
    (looked up clipped to TABLE_SIZE): _CJK for the characters written as tokens (the
    plain path's character class, so the two cannot disagree), _NFKC for those
    `_visible_to_nfkc` matches."""
    import numpy as np

    table = np.zeros(TABLE_SIZE + 1, dtype=np.uint8)
    every = "".join(map(chr, range(TABLE_SIZE)))
    for match in _CJK_RUN_RE.finditer(every):
        table[match.start():match.end()] |= _CJK
    visible = _visible_to_nfkc()
    for match in visible.finditer(every):
        table[match.start()] |= _NFKC
    table[TABLE_SIZE] = _NFKC  # every character above planes 0-3 is marked
    return table


@cache
def _visible_to_nfkc() -> re.Pattern[str]:
    """Characters whose NFKC form could change a token: those NFKC changes (unless both the
    character and its form are separators), combining marks, characters that compose with
    the one before them, and every supplementary character but the CJK extensions."""
    marked: set[int] = set()
    for cp in range(0x10000):
        char = chr(cp)
        if 0xD800 <= cp < 0xE000:
            continue
        folded = unicodedata.normalize("NFKC", char)
        if folded != char and not (_separator(char) and all(map(_separator, folded))):
            marked.add(cp)
        elif unicodedata.combining(char):
            marked.add(cp)
        parts = unicodedata.decomposition(char).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            marked.add(int(parts[1], 16))  # the second half of a composition pair
    marked.update(range(0x1161, 0x1176))  # Hangul vowel and final jamo compose
    marked.update(range(0x11A8, 0x11C3))
    # Planes 1-3: every character but Han (the CJK extensions), and the Han ones NFKC maps
    # (compatibility ideographs); planes 4 and up are all marked below.
    han = re.compile(f"[{HAN}]")
    for cp in range(0x10000, TABLE_SIZE):
        char = chr(cp)
        if not han.match(char) or unicodedata.normalize("NFKC", char) != char:
            marked.add(cp)
    ranges: list[str] = []
    for start, end in _ranges(sorted(marked)):
        ranges.append(re.escape(chr(start)) if start == end
                      else f"{re.escape(chr(start))}-{re.escape(chr(end))}")
    ranges.append(f"{re.escape(chr(TABLE_SIZE))}-{re.escape(chr(0x10FFFF))}")
    return re.compile("[" + "".join(ranges) + "]")


def _separator(char: str) -> bool:
    return unicodedata.category(char)[0] in _SEPARATOR_CATEGORIES


def _ranges(points: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for cp in points:
        if out and out[-1][1] == cp - 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out
