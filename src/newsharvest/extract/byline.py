"""The byline window: the short lines around the headline, where dates, authors and
sources are printed, whatever the elements or class names that hold them.

Read after trending panels were removed, and bounded on both sides (the headline above,
the first prose paragraph below), so a related story's timestamp is never in it.
"""

from __future__ import annotations

import re

from ..text.scripts import PUNCT_RE, word_key
from .blocks import Block
from .content import CHROME_TOKENS

__all__ = ["byline_window", "byline_zones", "headline_index", "is_dateline", "lead_blocks",
           "line_above_dateline", "title_key"]

BYLINE_WINDOW = 8
LEAD_BLOCKS = 12  # blocks after the headline read for author/source elements
TRAILER_BLOCKS = 3
ABOVE_TOKENS = 20  # the line right above the headline, when it is this short
HEADLINE_MIN_CHARS = 4
DATELINE_CHARS = 80  # a dateline's date sits this close to its start
# A date with its year: 2005-5-7, 2012年01月12日, Jan 12, 2012, 12th January 2012.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
FULL_DATE_RE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?!\d)"
    rf"|(?i:\b{_MONTH}\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s*(?:19|20)\d{{2}}\b)"
    rf"|(?i:\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?:19|20)\d{{2}}\b)")
# Sentence marks a dateline does not have; a photo caption ("2019年9月10日，市民…") does.
_SENTENCE_END_RE = re.compile(r"[。！？；，]|[a-z]{3}[.!?](?:\s|$)|\d[.!?]$")


def byline_window(all_blocks: list[Block], content: list[Block],
                  titles: list[str] | None = None) -> list[Block]:
    """Short lines right after the headline: where bylines live.

    The window starts after the headline block (see `headline_index`) when it sits before
    or inside the content (else a few blocks before the content) and ends at the first
    prose paragraph after that point. A dateline ("2012年01月12日 16:56:02 来源：…",
    "PTI | 03:01 PM,Jan 12,2012") is taken even when its colons make it look like prose.
    The one short line right above the headline ("By X - 12th January 2012") comes after
    the window. Related panels sit after the article or were removed, so their timestamps
    are never read here.
    """
    if not all_blocks or not content:
        return []
    return _window(all_blocks, content, _start(all_blocks, content, titles))


def byline_zones(all_blocks: list[Block], content: list[Block], titles: list[str] | None = None
                 ) -> tuple[list[Block], list[Block]]:
    """(`byline_window`, `lead_blocks`) of one page, the headline looked for once for both
    (it is compared with the title candidates block by block)."""
    if not all_blocks or not content:
        return [], []
    found = _start(all_blocks, content, titles)
    return _window(all_blocks, content, found), _lead(all_blocks, found[1])


def _window(all_blocks: list[Block], content: list[Block],
            found: tuple[int | None, int]) -> list[Block]:
    head, start = found
    content_end = _index_of(all_blocks, content[-1])
    window: list[Block] = []
    for block in all_blocks[start:]:
        if is_dateline(block):
            window.append(block)
            continue
        # Every mark counts here, separators inside numbers too ("9:30pm"): a standfirst
        # with only a comma and a clock time closes the window, so a date in a photo
        # caption after it is not taken for the story's.
        if (block.tokens >= 2 * CHROME_TOKENS and block.link_density < 0.5
                and len(PUNCT_RE.findall(block.text)) >= 2):
            break  # the first prose paragraph: the article has begun
        if block.tokens <= 60:
            window.append(block)
        if len(window) >= BYLINE_WINDOW:
            break
    if head is not None and head > 0:
        above = all_blocks[head - 1]
        if above.tokens <= ABOVE_TOKENS and above.link_density < 0.5:
            window.append(above)
    # Some portals print the time under the article ("2025-10-14 HKT 14:32"): the last
    # lines of the content and a few short link-free lines after it come next.
    for block in all_blocks[max(0, content_end - 1):content_end + 1 + TRAILER_BLOCKS]:
        if block.tokens <= 20 and block.link_density < 0.5:
            window.append(block)
    return window


def _start(all_blocks: list[Block], content: list[Block],
           titles: list[str] | None) -> tuple[int | None, int]:
    """(headline index or None, index where the byline lines begin)."""
    content_start = _index_of(all_blocks, content[0])
    content_end = _index_of(all_blocks, content[-1])
    head = headline_index(all_blocks[: content_end + 1], titles or [])
    return head, head + 1 if head is not None else max(0, content_start - BYLINE_WINDOW)


def lead_blocks(all_blocks: list[Block], content: list[Block],
                titles: list[str] | None = None) -> list[Block]:
    """The short lines from the headline to the second prose paragraph: a wider zone than
    the date window (a standfirst closes that), read for author and source elements."""
    if not all_blocks or not content:
        return []
    return _lead(all_blocks, _start(all_blocks, content, titles)[1])


def _lead(all_blocks: list[Block], start: int) -> list[Block]:
    found: list[Block] = []
    prose = 0
    for block in all_blocks[start:start + LEAD_BLOCKS]:
        if block.tokens >= 2 * CHROME_TOKENS and len(PUNCT_RE.findall(block.text)) >= 2:
            prose += 1
            if prose >= 2:
                break
        elif block.tokens <= 60:
            found.append(block)
    return found


def line_above_dateline(all_blocks: list[Block], content: list[Block]) -> str | None:
    """The short line printed right above a dateline just before the content: the headline
    of pages that mark it with no heading element (a table cell, a styled div)."""
    if not all_blocks or not content:
        return None
    start = _index_of(all_blocks, content[0])
    for i in range(max(1, start - BYLINE_WINDOW), min(len(all_blocks), start + 2)):
        if is_dateline(all_blocks[i]):
            above = all_blocks[i - 1]
            if (4 <= above.tokens <= 40 and above.link_density < 0.3
                    and not _SENTENCE_END_RE.search(above.text) and not is_dateline(above)):
                return above.text
            return None
    return None


def headline_index(blocks: list[Block], titles: list[str]) -> int | None:
    """Where the headline is among `blocks`, whatever element or class holds it.

    First an <h1> that reads as a headline (a logo or "Latest news" h1 is a link or two
    words) and shares most of its text with a title candidate (a kicker like 【即时播报】
    may precede it); then any short link-free block whose text is a title candidate, or
    most of one (<title> adds the site's name); else the first headline-like <h1>.
    """
    keys = [k for k in map(title_key, titles) if len(k) >= HEADLINE_MIN_CHARS]
    h1s = [i for i, b in enumerate(blocks) if b.tag == "h1"]
    good = [i for i in h1s if blocks[i].tokens >= 4 and blocks[i].link_density < 0.5]
    for i in good:
        k = title_key(blocks[i].text)
        if any(_shared(k, t) >= 0.5 * min(len(k), len(t)) for t in keys):
            return i
    for i, block in enumerate(blocks):
        if block.tokens > 60 or block.link_density >= 0.5:
            continue
        k = title_key(block.text)
        if len(k) >= HEADLINE_MIN_CHARS and any(
                k == t or (k in t and len(k) >= 0.5 * len(t)) for t in keys):
            return i
    if good:
        return good[0]
    return h1s[0] if h1s else None


def _shared(a: str, b: str) -> int:
    """Length of the longest run two headline keys share.

    A binary search on the length: a run of length n is shared when one of the n-long
    slices of the shorter key occurs in the other (a C substring search each), and runs
    shared at length n are shared at every shorter length. ~6x faster than difflib's
    SequenceMatcher (a Python loop per character), the same length.
    """
    if not a or not b:
        return 0
    if len(a) > len(b):
        a, b = b, a
    low, high = 0, len(a)
    while low < high:
        size = (low + high + 1) // 2
        if any(a[i:i + size] in b for i in range(len(a) - size + 1)):
            low = size
        else:
            high = size - 1
    return low


def is_dateline(block: Block) -> bool:
    """A short line that opens with a full date and is not a sentence."""
    head = block.text[:DATELINE_CHARS]
    # Every date FULL_DATE_RE finds has a year "19xx" or "20xx": two C substring scans
    # rule out most lines before the regex is tried at every position.
    return (block.tokens <= 60 and ("19" in head or "20" in head)
            and not _SENTENCE_END_RE.search(block.text) and bool(FULL_DATE_RE.search(head)))


def title_key(text: str) -> str:
    """Letters and digits only, lower-cased: how headline texts are compared."""
    return word_key(text).replace("_", "")  # (\W and "_" out: [\W_], as in headlines)


def _index_of(blocks: list[Block], target: Block) -> int:
    for i, block in enumerate(blocks):
        if block is target:
            return i
    return len(blocks)
