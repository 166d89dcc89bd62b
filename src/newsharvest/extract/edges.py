"""Chrome at the two ends of the cleaned content: bylines, counters, share bars, slogans,
author cards.

What survives paragraph cleanup can still start with a byline or a counter and end with a
'Share' label or a media card's slogan. These are short unpunctuated lines, which is also
what the items of an in-body list look like ("1、香港", "Holds 5kg of washing"), so list
items are kept at the end unless they stand alone: a list of one item at the very end
is a share widget or a slogan bar, not an enumeration.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from ..text.scripts import SENTENCE_PUNCT_RE
from .blocks import HEADING_TAGS, Block
from .content import CHROME_TOKENS
from .vocabulary import class_tokens, class_words

_ENUM_RE = re.compile(
    r"^\s*(\d{1,2}|[一二三四五六七八九十]{1,3})[、.．)）]\s*\S|^\s*[(（]\d{1,2}[)）]")
BYLINE_TOKENS = 30
# Chrome at an end of the content is a few lines (byline, counters, 'Share', a slogan);
# a longer run of short unpunctuated lines is text set line by line (<br>-split verse).
CHROME_RUN_MAX = 8


def trim_chrome(blocks: list[Block], site_names: list[str]) -> None:
    """Drop chrome at both ends: bylines, counters, 'Share', tags, media cards, slogans.

    Short unpunctuated lines go at either end; before the first prose paragraph, longer
    unpunctuated lines too (a media card "某某网 某某社主办的新闻网站"), unless they are
    sub-headings (h2-h6); at either end, unpunctuated lines naming the site.
    """
    names = [n for n in site_names if len(n) >= 2]

    def chrome(block: Block, limit: int) -> bool:
        if SENTENCE_PUNCT_RE.search(block.text):
            return False
        return block.tokens < limit or any(n in block.text for n in names)

    def long_run(ordered: list[Block]) -> bool:
        # A long run of short lines is verse, lyrics or a list set line by line, not chrome.
        run = 0
        for block in ordered:
            if not chrome(block, BYLINE_TOKENS):
                return False
            run += 1
            if run > CHROME_RUN_MAX:
                return True
        return False

    if not long_run(blocks[::-1]):
        while blocks and chrome(blocks[-1], CHROME_TOKENS) and not _kept_list_item(blocks):
            blocks.pop()
    if long_run(blocks):
        return
    lead = 0  # counted first and cut once: popping the front one by one is quadratic
    while (len(blocks) - lead > 1 and blocks[lead].tag not in HEADING_TAGS
           and chrome(blocks[lead], BYLINE_TOKENS)):
        lead += 1
    del blocks[:lead]


def bare_page_lines(all_blocks: list[Block], max_tokens: int) -> list[str]:
    """The page's lines, when cleanup left nothing and they are all the page has.

    Trimming chrome assumes an article between the ends; a page whose whole visible text
    (after the boilerplate removers) is a few short lines, none of them a link, has no
    such ends: its lines are what it says (a one-line notice, a page of headings). A page
    with more text, or with links, keeps its empty result (and its "no article" error).
    """
    if not all_blocks or sum(b.tokens for b in all_blocks) >= max_tokens:
        return []
    if any(b.link_tokens for b in all_blocks):
        return []
    return [b.text for b in all_blocks]


def _kept_list_item(blocks: list[Block]) -> bool:
    """Whether the last block is an item of an in-body list: numbered ("1、香港"), or an
    <li> whose list holds another of the kept blocks."""
    last = blocks[-1]
    if _ENUM_RE.match(last.text):
        return True
    if last.tag != "li":
        return False
    parent = _list_of(last)
    return parent is not None and any(_list_of(b) == parent for b in blocks[-2::-1][:50])


def _list_of(block: Block) -> int | None:
    """mem_id of the list (or other element) holding the block's innermost <li>."""
    tags = block.ancestor_tags
    for i in range(len(tags) - 1, 0, -1):
        if tags[i] == "li":
            return block.ancestors[i - 1]
    return None


# An author box (author card, bio) with a heading holds fewer list items than this; one
# above the article at most this many tokens.
TAIL_BOX_ITEMS = 3
HEAD_BOX_TOKENS = 60
_GENERIC_BOX_WORDS = frozenset({"card", "about", "profile"})


def drop_author_boxes(kept: list[Block]) -> bool:
    """Author cards, bios and contributor notes at the end of the content, and an author
    card above the article (before its first paragraph outside such a box). Whether any
    went."""
    before = len(kept)
    words = class_words("tail_class_words.txt")
    end = len(kept)
    while end and (node := kept[end - 1].node) is not None and _in_box(node, words):
        end -= 1
    box = kept[end:]
    # A box with its own headings and lists is a recipe or fact box, not an author's bio.
    if not (any(b.tag in HEADING_TAGS for b in box)
            and sum(b.tag == "li" for b in box) >= TAIL_BOX_ITEMS):
        del kept[end:]
    start = 0
    # Above the article only boxes named for the author count: a "card" or an "about"
    # box there may hold the standfirst.
    author = words - _GENERIC_BOX_WORDS
    while start < len(kept) and (node := kept[start].node) is not None and _in_box(node, author):
        start += 1
    if start < len(kept) and sum(b.tokens for b in kept[:start]) <= HEAD_BOX_TOKENS:
        del kept[:start]
    return len(kept) < before


def _in_box(node: LexborNode, words: frozenset[str], levels: int = 3) -> bool:
    current: LexborNode | None = node
    for _ in range(levels):
        if current is None:
            return False
        if any(t in words for t in class_tokens(current)):
            return True
        current = current.parent
    return False
