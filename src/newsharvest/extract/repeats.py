"""Which paragraphs repeat one already kept: exact copies, near copies and cut-off copies.

Portals print the standfirst again as the first paragraph, a caption twice, or a whole
second copy of the article; such repeats go. Comparing every paragraph with every earlier
one made long pages quadratic (a 6,400-paragraph page took minutes), so each test here is
an index lookup with an exact check on the few candidates it returns:

* exact copies: a set of normalised keys;
* near copies (word-bigram Jaccard >= 0.8): prefix filtering, as in set-similarity joins.
  Each shingle set is ordered rarest-first (by how many of the page's paragraphs hold the
  shingle) and only its first ``|A| - ceil(0.8|A|) + 1`` shingles go into an inverted
  index; two sets that reach the threshold must share one of those, so the index misses
  no pair, and rare shingles keep the candidate lists short;
* cut-off copies (a paragraph that is the start of a kept one): kept keys grouped by their
  first characters, each group sorted, so one binary search finds any key it begins.

Most paragraphs share a few shingles with others ("of the", "in the"), so the index was
consulted for nearly all of them. A paragraph with a near copy shares at least 80% of its
shingles with it, so each of those is held by two paragraphs of the page: one whose
shingles are mostly the page's only copy has no near copy and is no one's, and skips the
index altogether. (Exact only while the index's caps cannot bind, which needs more
paragraphs than MAX_CANDIDATES: above that, the index is always consulted.)

Lines that repeat because the article is built that way are not copies: paragraphs that
differ only in their numbers ("Day 3: ...", "Step 4: ...") and short items of a list or
table repeated inside it (a meal plan's "Breakfast: oatmeal" under every day).

Nor is a repeat set exactly like its earlier occurrence: the same tags and classes from
the two lines up to the element holding both (two ``<p>`` of one body, a paragraph in
each of two sections). That is the text saying the same thing twice, as an author may
(a quote the article comes back to, a chorus, a template paragraph). The copies this
module exists for sit in other markup: the standfirst in a lead box and again in the
body, a caption under the photo and in the text, a pull quote, a print or mobile copy
in its own wrapper. Cut-off copies go wherever they sit: no author writes a paragraph
again cut short.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections import Counter
from collections.abc import Iterable

from selectolax.lexbor import LexborNode

from ..text.scripts import words as token_words
from .blocks import HEADING_TAGS, ITEM_TAGS, Block

NEAR_DUP_MIN_TOKENS = 12
# Jaccard threshold as a fraction (4/5 = 0.8), so prefix lengths are exact integers.
_NEAR_NUM, _NEAR_DEN = 4, 5
TRUNCATED_MIN_CHARS = 20
# A candidate list never grows past this many paragraphs per shingle, and no paragraph is
# checked against more than this many candidates: on ordinary pages lists hold a handful,
# so the bound only caps adversarial pages built of near-identical paragraphs.
MAX_POSTINGS = 64
MAX_CANDIDATES = 64
# A repeat is compared with at most this many kept occurrences of its text (all set alike
# but for pages built to defeat it): bounded work per paragraph.
MAX_SETTINGS = 8
# A repeated line this short that is an item of a list or a table row is structure.
STRUCTURED_LINE_TOKENS = 12
_NUMBER_RE = re.compile(r"\d+")


def shingles(text: str) -> frozenset[int]:
    """Hashes of the word bigrams of `text` (Han characters count as words)."""
    words = token_words(text.lower())
    return frozenset(map(hash, zip(words, words[1:], strict=False)))


def _prefix_length(size: int) -> int:
    """|A| - ceil(0.8 |A|) + 1: the prefix two sets at Jaccard >= 0.8 must overlap in."""
    return size - (_NEAR_NUM * size + _NEAR_DEN - 1) // _NEAR_DEN + 1


def _near(a: frozenset[int], b: frozenset[int]) -> bool:
    """Jaccard(a, b) >= 0.8, in integers."""
    if not a or not b:
        return False
    small, large = sorted((len(a), len(b)))
    if _NEAR_DEN * small < _NEAR_NUM * large:
        return False  # the size ratio alone keeps them under the threshold
    shared = len(a & b)
    return _NEAR_DEN * shared >= _NEAR_NUM * (len(a) + len(b) - shared)


class Repeats:
    """The paragraphs kept so far, indexed for the three repeat tests."""

    __slots__ = ("_df", "_shared", "_keys", "_groups", "_postings", "_sets", "_numbers",
                 "_shingles", "_blocks", "_skips", "_skipped")

    def __init__(self, blocks: Iterable[Block]) -> None:
        # Shingles of every paragraph long enough for the near-copy test, computed once:
        # their page-wide frequency orders each set rarest-first.
        long = [b for b in blocks if b.tokens >= NEAR_DUP_MIN_TOKENS]
        self._shingles: dict[int, frozenset[int]] = {id(b): shingles(b.text) for b in long}
        # How many more paragraphs may skip the index (see the module docstring): with at
        # most MAX_CANDIDATES of them no posting list or candidate list reaches its cap.
        self._skips = len(long) if len(long) <= MAX_CANDIDATES else 0
        self._skipped: list[tuple[frozenset[int], Block]] = []
        # The shingles held by two or more paragraphs (set operations in C), for the skip
        # test; the full counts, which order sets for the index, only when one is indexed
        # (`_counts`): most pages index a few paragraphs or none.
        seen: set[int] = set()
        self._shared: set[int] = set()
        for found in self._shingles.values():
            self._shared |= seen & found
            seen |= found
        self._df: dict[int, int] | None = None
        # Normalised key -> the kept blocks with that text (for the same-setting test).
        self._keys: dict[str, list[Block]] = {}
        self._groups: dict[str, list[str]] = {}
        self._postings: dict[int, list[int]] = {}
        self._sets: list[frozenset[int]] = []
        self._numbers: list[tuple[str, ...]] = []
        self._blocks: list[Block] = []  # the block of each indexed shingle set

    def is_copy(self, block: Block, key: str) -> bool:
        """Whether the paragraph repeats one kept before (and record it when it does not).

        `key` is the paragraph's normalised text (no punctuation or spaces, lower case).
        """
        earlier = self._keys.get(key)
        if (earlier is not None and not _structured_line(block)
                and not (_may_repeat(block) and any(
                    same_setting(block, other) for other in earlier[:MAX_SETTINGS]))):
            return True
        found = self._shingles.get(id(block)) if block.tokens >= NEAR_DUP_MIN_TOKENS else None
        if found is not None and self._skips > 0:
            self._skips -= 1
            shared = len(found & self._shared)  # held by another paragraph too
            if not found or _NEAR_DEN * shared < _NEAR_NUM * len(found):
                # Fewer of its shingles are held by another paragraph than a near copy
                # shares: it can be no one's near copy and no one can be its (most).
                self._skipped.append((found, block))
                found = None
        elif found is not None and found.isdisjoint(self._shared):
            # No other paragraph of the page holds any of its shingles: it can be no one's
            # near copy and no one can be its.
            found = None
        elif block.tokens >= NEAR_DUP_MIN_TOKENS and found is None:
            found = shingles(block.text)  # a paragraph the page was not indexed with
            self._index_skipped()  # its shingles were not counted: the proof above fails
        if found is not None:
            numbers = tuple(_NUMBER_RE.findall(block.text))
            prefix = self._ordered_prefix(found)
            if self._near_copy(found, numbers, prefix, block):
                return True
            self._add_shingles(found, numbers, prefix, block)
        if self._truncated(key):
            return True
        self._keys.setdefault(key, []).append(block)
        if len(key) >= TRUNCATED_MIN_CHARS:
            insort(self._groups.setdefault(key[:TRUNCATED_MIN_CHARS], []), key)
        return False

    def _index_skipped(self) -> None:
        """Put the paragraphs that skipped the index into it, and skip no more."""
        self._skips = 0
        for found, block in self._skipped:
            self._add_shingles(found, tuple(_NUMBER_RE.findall(block.text)),
                               self._ordered_prefix(found), block)
        self._skipped.clear()

    def _counts(self) -> dict[int, int]:
        """How many paragraphs hold each shingle: sets are ordered rarest first, ties by
        value (one global order, as prefix filtering needs). Counted on first use."""
        if self._df is None:
            counts: Counter[int] = Counter()
            for found in self._shingles.values():
                counts.update(found)
            self._df = dict(counts)
        return self._df

    def _ordered_prefix(self, found: frozenset[int]) -> list[int]:
        df = self._counts()
        try:  # two C-level sorts: by value, then (stable) by frequency
            ordered = sorted(sorted(found), key=df.__getitem__)
        except KeyError:  # a paragraph not seen when the page was indexed
            for shingle in found:
                df.setdefault(shingle, 0)
            ordered = sorted(sorted(found), key=df.__getitem__)
        return ordered[:_prefix_length(len(found))]

    def _near_copy(self, found: frozenset[int], numbers: tuple[str, ...],
                   prefix: list[int], block: Block | None = None) -> bool:
        seen: set[int] = set()
        for shingle in prefix:
            for other in self._postings.get(shingle, ()):
                if other in seen:
                    continue
                seen.add(other)
                # Paragraphs that differ in their numbers are items of a series, not copies.
                if (self._numbers[other] == numbers and _near(found, self._sets[other])
                        and not (block and same_setting(block, self._blocks[other]))):
                    return True
                if len(seen) >= MAX_CANDIDATES:
                    return False
        return False

    def _add_shingles(self, found: frozenset[int], numbers: tuple[str, ...],
                      prefix: list[int], block: Block | None = None) -> None:
        index = len(self._sets)
        self._sets.append(found)
        self._numbers.append(numbers)
        self._blocks.append(block or _NO_BLOCK)
        for shingle in prefix:
            posting = self._postings.setdefault(shingle, [])
            if len(posting) < MAX_POSTINGS:
                posting.append(index)

    def _truncated(self, key: str) -> bool:
        """The paragraph is the start of one already kept, cut off (a teaser of itself)."""
        if len(key) < TRUNCATED_MIN_CHARS:
            return False
        group = self._groups.get(key[:TRUNCATED_MIN_CHARS])
        if not group:
            return False
        at = bisect_right(group, key)  # past an equal key: a structured repeat, not a cut
        return at < len(group) and group[at].startswith(key)


def _may_repeat(block: Block) -> bool:
    """Whether a line is text an author may set twice: a sentence, a paragraph, a section
    heading. A short unpunctuated line repeated ("Story continues below", "Keep calm") is
    the page's furniture however it is set."""
    return (block.punct > 0 or block.tokens >= STRUCTURED_LINE_TOKENS
            or block.tag in HEADING_TAGS)


def _structured_line(block: Block) -> bool:
    """A short item of a list or table: repeated in such a structure, it is content."""
    return block.tokens < STRUCTURED_LINE_TOKENS and (
        block.tag in ITEM_TAGS or "li" in block.ancestor_tags[-3:]
        or "tr" in block.ancestor_tags[-3:])


_NO_BLOCK = Block(text="", tokens=0, link_tokens=0, punct=0, tag="", ancestors=(),
                  ancestor_tags=(), node=None)


def same_setting(a: Block, b: Block) -> bool:
    """Whether two blocks are set alike: the same tags and classes on the way from each
    block's element up to the innermost element holding both (siblings in one body, or
    a paragraph in each of two like sections). Asked only of repeats: a few per page."""
    if a.node is None or b.node is None:
        return False
    shared = 0
    for x, y in zip(a.ancestors, b.ancestors, strict=False):
        if x != y:
            break
        shared += 1
    # The holder is above both blocks' elements (lines of one <p> split by <br> share
    # the <p>; inline elements below it do not count); none shared: the root holds both.
    depth = min(shared, _depth(a), _depth(b)) - 1
    top = a.ancestors[depth] if depth >= 0 else None
    path = _path(a.node, top)
    return path is not None and path == _path(b.node, top)


def _depth(block: Block) -> int:
    """1 + the position of the block's element in its ancestor chain."""
    node = block.node
    mem_id = node.mem_id if node is not None else None
    for i in range(len(block.ancestors) - 1, -1, -1):
        if block.ancestors[i] == mem_id:
            return i + 1
    return len(block.ancestors)


def _path(node: LexborNode, top: int | None) -> list[tuple[str, str]] | None:
    """(tag, class) of `node` and its parents below the element `top` (None: not under
    it; `top` None: up to the root)."""
    path: list[tuple[str, str]] = []
    current: LexborNode | None = node
    while current is not None and current.mem_id != top:
        path.append((current.tag or "", (current.attributes.get("class") or "").strip()))
        current = current.parent
    return path if current is not None or top is None else None
