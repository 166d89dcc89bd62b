"""A second opinion on the chosen container, asked only when the choice is in doubt.

``content.locate`` picks the element whose blocks add up to the most prose. On pages
nobody tuned it for, that argmax can land on the wrong element: the standfirst box, one
reader comment, a blog's sidebar blurb, a newsletter widget. Such mistakes leave a trace
that costs nothing to read, because every block of the page is already collected:

* a readability-style scoring of the same blocks (paragraphs credit their parent fully
  and their grandparent by half, by commas and length, damped by link density; Mozilla's
  reader-mode rule) picks another element;
* much of the page's prose lies outside the chosen element.

Only then (a few pages in a hundred on news sites) are two more candidates built, the
readability-style container and trafilatura's plain extraction (recall-leaning: with
``favor_precision`` it returned 12 characters of a 3,807-character post), and the
candidate that agrees most with the others, by bag-of-tokens overlap, wins. Agreement
is a vote of independent methods: the one that went wrong alone is outvoted, and no
threshold is fitted to a page.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from ..normalize.text import storable
from ..text.scripts import SENTENCE_END_RE, count_punct, count_tokens, words
from .anchor import headline_candidate
from .blocks import BLOCK_TAGS, CELL_TAGS, Block
from .content import LINK_DENSITY_MAX, Located
from .paragraphs import Cleaned

log = logging.getLogger(__name__)

# Paragraphs shorter than this many characters do not vote (readability's 25).
RS_MIN_CHARS = 25
# Readability's base score of a container by its tag.
_TAG_BONUS = {"div": 5.0, "article": 8.0, "main": 5.0, "section": 3.0, "pre": 3.0, "td": 3.0,
              "blockquote": 3.0, "ol": -3.0, "ul": -3.0, "dl": -3.0, "li": -3.0, "form": -3.0,
              "address": -3.0, "h1": -5.0, "h2": -5.0, "h3": -5.0, "h4": -5.0, "th": -5.0}
_COMMA = ",，、"
_CONTAINER_TAGS = BLOCK_TAGS | CELL_TAGS  # the elements readability scores
# What a paragraph gives its ancestors, level by level (Readability.js: 1, 1/2, then
# 1/(3 * level) up to five levels), so an article whose paragraphs each sit in their
# own wrapper still adds up in the element that holds them all.
_LEVEL_SHARES = (1.0, 0.5, 1 / 6, 1 / 9, 1 / 12)
# Readability's sibling rule: siblings scoring this share of the best (at least
# SIBLING_MIN) join it, and so do sibling paragraphs longer than this many characters.
SIBLING_SHARE = 0.2
SIBLING_MIN = 10.0
SIBLING_PARAGRAPH_CHARS = 80
# Below this token-weighted overlap the two containers disagree.
AGREEMENT_MIN = 0.6
# More than this share of the page's prose tokens outside the chosen container is doubtful.
OUTSIDE_SHARE_MAX = 0.5
# Prose blocks: punctuated and nearly link-free, at least this long.
PROSE_TOKENS = 15
# Two other methods outvote ours when they agree this well, by this margin over ours.
PAIR_AGREE = 0.8
AGREE_MARGIN = 0.15
# A larger candidate replaces ours when it holds this share of ours and this many times
# its tokens (ours was a fragment of the article).
CONTAINED = 0.8
GROWTH = 2.0
# After cleaning, the readability-style candidate confirms ours at this bag F1.
CONFIRM_AGREE = 0.9
# The readability-style container is a part of ours when ours holds this share of it;
# ours is then confirmed when this share of what it adds is long, finished sentences.
CONTAINED_PART = 0.9
EXTRA_PROSE = 0.8
EXTRA_PROSE_TOKENS = 25
# Below this many body tokens the generic result is doubtful in any case.
FEW_TOKENS = 40
# page_has_more_text counts the tokens of a prefix this long first.
PREFIX_CHARS = 4096
# Pages of more blocks than this get no second opinion (trafilatura on 100k short blocks
# takes tens of seconds; such pages are listings or generated, not doubtful articles).
MAX_BLOCKS = 5000

Cleaner = Callable[[list[Block]], Cleaned]


def tokens_of(text: str) -> list[str]:
    """Lower-cased tokens as the evaluation counts them (Han characters one each)."""
    return words(text.lower())


@dataclass(slots=True)
class Doubt:
    """Why the chosen container is doubted (all zero / None: it is not)."""

    agreement: float
    outside_share: float
    tokens: int

    @property
    def doubtful(self) -> bool:
        return (self.agreement < AGREEMENT_MIN or self.outside_share > OUTSIDE_SHARE_MAX
                or self.tokens < FEW_TOKENS)


def readability_blocks(all_blocks: list[Block],
                       counts: dict[int, list[int]] | None = None) -> list[Block]:
    """The blocks inside the element readability's scoring would choose, with the
    siblings its sibling step takes along."""
    scores: dict[int, float] = {}
    tags: dict[int, str] = {}
    totals = counts if counts else _token_counts(all_blocks)
    for block in all_blocks:
        if len(block.text) < RS_MIN_CHARS or block.link_density > LINK_DENSITY_MAX:
            continue
        # The innermost containers, inner first: the block's own and the levels it credits
        # (only as many as _LEVEL_SHARES: deep pages nest dozens of elements).
        chain: list[tuple[int, str]] = []
        for a, t in zip(reversed(block.ancestors), reversed(block.ancestor_tags), strict=True):
            if t in _CONTAINER_TAGS:
                chain.append((a, t))
                if len(chain) > len(_LEVEL_SHARES):
                    break
        if len(chain) < 2:
            continue
        # Han text has no spaces: 100 characters of it carry what ~40 English words do.
        text = block.text  # (three counts spelled out: a generator cost more than them)
        commas = text.count(_COMMA[0]) + text.count(_COMMA[1]) + text.count(_COMMA[2])
        value = 1.0 + commas + min(block.tokens / 40, 3.0)
        for share, (ancestor, tag) in zip(_LEVEL_SHARES, chain[1:], strict=False):
            if ancestor not in scores:
                scores[ancestor] = _TAG_BONUS.get(tag, 0.0)
                tags[ancestor] = tag
            scores[ancestor] += value * share
    if not scores:
        return []

    def final(mem_id: int) -> float:
        tokens, links = totals.get(mem_id, [0, 0])
        return scores[mem_id] * (1 - (links / tokens if tokens else 0.0))

    best = max(scores, key=final)
    threshold = max(SIBLING_MIN, SIBLING_SHARE * final(best))
    parent = _parent_of(all_blocks, best)
    chosen: list[Block] = []
    for block in all_blocks:
        if best in block.ancestors:
            chosen.append(block)
            continue
        if parent is None or parent not in block.ancestors:
            continue
        # Readability's sibling step: the article split over sibling elements (parts
        # around an ad, a lead box) is taken along when a sibling scores well, or is
        # itself a long, link-free paragraph.
        position = block.ancestors.index(parent) + 1
        if position >= len(block.ancestors):
            continue  # loose text of the parent itself, not a sibling
        sibling = block.ancestors[position]
        if sibling in scores and final(sibling) >= threshold:
            chosen.append(block)
        elif (block.node is not None and block.node.mem_id == sibling
              and len(block.text) > SIBLING_PARAGRAPH_CHARS and block.link_density < 0.25
              and block.punct >= 1):
            chosen.append(block)
    return chosen


def _token_counts(blocks: list[Block]) -> dict[int, list[int]]:
    """mem_id -> [tokens, link tokens] of every element holding text."""
    totals: dict[int, list[int]] = {}
    for block in blocks:
        for ancestor in block.ancestors:
            counts = totals.setdefault(ancestor, [0, 0])
            counts[0] += block.tokens
            counts[1] += block.link_tokens
    return totals


def _parent_of(blocks: list[Block], mem_id: int) -> int | None:
    """mem_id of the element containing `mem_id` (None at the top)."""
    for block in blocks:
        if mem_id in block.ancestors:
            index = block.ancestors.index(mem_id)
            return block.ancestors[index - 1] if index else None
    return None


def _prose(block: Block) -> bool:
    return (block.tokens >= PROSE_TOKENS and block.punct >= 1
            and block.link_density < 0.3 and not block.image)


def assess(located: Located, tokens: int) -> tuple[Doubt, list[Block]]:
    """How much the chosen container is in doubt, and readability's candidate blocks."""
    inside = {id(b) for b in located.blocks}
    other = readability_blocks(located.all_blocks, located.counts)
    theirs = {id(b) for b in other}
    shared = union = 0
    prose_in = prose_out = 0
    for block in located.all_blocks:
        a, b = id(block) in inside, id(block) in theirs
        if a or b:
            union += block.tokens
            shared += block.tokens if a and b else 0
        if _prose(block):
            if a:
                prose_in += block.tokens
            else:
                prose_out += block.tokens
    agreement = shared / union if union else 1.0
    outside = prose_out / (prose_in + prose_out) if prose_in + prose_out else 0.0
    return Doubt(agreement, outside, tokens), other


def bag_f1(a: list[str], b: list[str]) -> float:
    """Bag-of-tokens F1 of two texts' token lists (1.0 for two empty ones)."""
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    overlap = sum((Counter(a) & Counter(b)).values())
    return 2 * overlap / (len(a) + len(b))


def _extra_prose(ours: list[str], part: list[str]) -> float:
    """Share of the tokens ours adds beyond `part` that sit in long, finished sentences
    (an article's further sections) rather than calls to action, links and labels."""
    known = set(part)
    total = prose = 0
    for paragraph in ours:
        if paragraph in known:
            continue
        tokens = count_tokens(paragraph)
        total += tokens
        if tokens >= EXTRA_PROSE_TOKENS and SENTENCE_END_RE.search(paragraph):
            prose += tokens
    return prose / total if total else 1.0


def contained(inner: list[str], outer: list[str]) -> float:
    """Share of `inner`'s tokens also found in `outer` (as bags)."""
    if not inner:
        return 1.0
    return sum((Counter(inner) & Counter(outer)).values()) / len(inner)


def pick_by_agreement(candidates: list[list[str]], outside: bool = False) -> int:
    """Index of the winning candidate; 0 (ours) unless it is clearly outvoted.

    Three candidates: the other two win when they agree with each other (bag F1 of at
    least PAIR_AGREE) clearly better than ours agrees with either; the readability-style
    one is then taken (it went through our own block walker and keeps paragraphs).
    Two: the other one wins when ours found next to nothing, or when it holds nearly all
    of ours and at least twice as much (ours was a fragment of the article: the
    standfirst, a byline). With `outside` (most of the page's prose lies outside our
    container) holding ours is not required: ours is then likely not the article at all
    (a comment, a sidebar blurb, a newsletter box).
    """
    tokens = [tokens_of("\n".join(c)) for c in candidates]
    if len(tokens) == 3:
        ours, first, second = tokens
        pair = bag_f1(first, second)
        log.debug("agreement: ours-a %.3f ours-b %.3f a-b %.3f", bag_f1(ours, first),
                  bag_f1(ours, second), pair)
        if pair >= PAIR_AGREE and pair > max(bag_f1(ours, first),
                                             bag_f1(ours, second)) + AGREE_MARGIN:
            return 1
        if bag_f1(ours, first) >= PAIR_AGREE:
            return 0  # after cleaning, the readability-style container confirms ours
        tokens = [ours, second]
        index = {0: 0, 1: 2}
    else:
        index = {0: 0, 1: 1}
    if len(tokens) == 2:
        ours, other = tokens
        if len(ours) < FEW_TOKENS < len(other):
            return index[1]  # ours found next to nothing
        if len(other) >= GROWTH * max(len(ours), 1) and (
                outside or contained(ours, other) >= CONTAINED):
            return index[1]
    return 0


def page_has_more_text(html: str, found: int) -> bool:
    """Whether the whole page (removed parts included: the tree was pruned since, so it is
    parsed again, ~1 ms) holds more tokens than the `found` ones another method could add."""
    root = LexborHTMLParser(html).root
    if root is None:
        return False
    text = root.text(deep=True)
    # A prefix holds no more tokens than the whole (a token cut at its end is one token
    # either way): prefixes growing fourfold settle it once they hold more than `found`,
    # which the head's title and scripts nearly always do, without counting a whole page.
    size = PREFIX_CHARS
    while size < len(text):
        if count_tokens(text[:size]) > found:
            return True
        size *= 4
    return count_tokens(text) > found


def trafilatura_blocks(html: str, url: str | None) -> list[Block]:
    """trafilatura's text for the page, cut into pseudo-blocks for paragraph cleanup.

    Called without ``favor_precision``: as a second opinion its job is to find the
    article where we did not, and the precision mode drops whole posts (12 characters
    kept of 3,807); what it adds beyond the article is weighed by the vote and cleaned
    by the paragraph rules like our own blocks.
    """
    import trafilatura  # imported lazily: only doubtful pages pay for it

    # storable: lone surrogates (lexbor drops them) would make lxml raise
    text = trafilatura.extract(storable(html), url=url, include_comments=False,
                               include_tables=True, deduplicate=True)
    if not text:
        return []
    blocks = []
    for line in text.splitlines():
        line = line.strip().lstrip("-").strip()
        tokens = count_tokens(line)
        if tokens:
            blocks.append(Block(text=line, tokens=tokens, link_tokens=0,
                                punct=count_punct(line), tag="p", ancestors=(),
                                ancestor_tags=(), node=None))
    return blocks


def second_opinion(html: str, url: str | None, located: Located, cleaned: Cleaned,
                   clean: Cleaner) -> tuple[Cleaned, str | None]:
    """Keep `cleaned` unless the container is doubtful and other methods outvote it.

    Returns the chosen paragraphs and the method that won (None: ours stayed).
    """
    if len(located.all_blocks) > MAX_BLOCKS:
        return cleaned, None  # a page this long is not a container doubt: keep it linear
    found = 0
    for paragraph in cleaned.paragraphs:  # only "fewer than FEW_TOKENS?" is asked
        found += count_tokens(paragraph)
        if found >= FEW_TOKENS:
            break
    doubt, other = assess(located, found)
    anchored = headline_candidate(located)
    fallback: list[Block] | None = None
    more_text: bool | None = None  # asked once, and only before trafilatura would run

    def worth_asking() -> bool:
        nonlocal more_text
        if more_text is None:  # nothing outside ours: no other method can add text
            more_text = page_has_more_text(html, found)
        return more_text

    if anchored and worth_asking():
        # Prose right after the headline, outside ours: the post, when trafilatura
        # (which knows nothing of our scores) finds that text too.
        fallback = trafilatura_blocks(html, url)
        first = clean(anchored)
        found_too = tokens_of("\n".join(b.text for b in fallback))
        if first.paragraphs and contained(tokens_of("\n".join(first.paragraphs)),
                                          found_too) >= CONTAINED:
            return first, "headline"
    if not doubt.doubtful:
        return cleaned, None
    candidates: list[tuple[Cleaned, str | None]] = [(cleaned, None)]
    if other and doubt.agreement < AGREEMENT_MIN:
        alternative = clean(other)
        mine = tokens_of("\n".join(cleaned.paragraphs))
        theirs = tokens_of("\n".join(alternative.paragraphs))
        if (doubt.outside_share <= OUTSIDE_SHARE_MAX and found >= FEW_TOKENS
                and (bag_f1(mine, theirs) >= CONFIRM_AGREE
                     or (contained(theirs, mine) >= CONTAINED_PART
                         and _extra_prose(cleaned.paragraphs, alternative.paragraphs)
                         >= EXTRA_PROSE))):
            # After cleaning both agree, or the other container is a part of ours and
            # what ours adds reads as article prose (sections of an article split over
            # many wrappers): no need to ask trafilatura.
            return cleaned, None
        candidates.append((alternative, "readability"))
    if fallback is None and worth_asking():
        fallback = trafilatura_blocks(html, url)
    if fallback:
        candidates.append((clean(fallback), "trafilatura"))
    if len(candidates) == 1:
        return cleaned, None
    choice = pick_by_agreement([c.paragraphs for c, _ in candidates],
                               outside=doubt.outside_share > OUTSIDE_SHARE_MAX)
    log.debug("second opinion: %s, %s", doubt, [m for _, m in candidates][choice])
    return candidates[choice]
