"""Lists of links that are part of the article: a numbered product list, a list of sources.

A block that is mostly link text is navigation almost everywhere, and cleanup drops it.
Inside an article, though, a list the text itself announces ("Our picks, in short:",
"我们推荐以下几款：") is content even when every item is a link, while a "most read" or
"related" list is announced by a heading, not by a sentence of the article. So the
exception is structural: list items, in one list, right after a kept paragraph that ends
with a colon (or after an earlier item of that list that was kept so).

Likewise an item or a row that is mostly a link inside a list or table that, taken whole,
is mostly text: a table of films whose title cells link to the films, a list of updates
where a few items are just a link to a longer post. The list is the article's; a menu or
a "related" list is links from end to end.
"""

from __future__ import annotations

from .blocks import Block

_COLONS = (":", "：")
ANNOUNCE_TOKENS = 4


def _list_id(block: Block) -> int | None:
    """mem_id of the <ol>/<ul> holding the block's innermost <li> (None: not in a list)."""
    tags = block.ancestor_tags
    for i in range(len(tags) - 1, 0, -1):
        if tags[i] == "li":
            return block.ancestors[i - 1] if tags[i - 1] in ("ol", "ul") else None
    return None


def announced_list_item(blocks: list[Block], index: int, kept: list[Block],
                        announced: set[int]) -> bool:
    """Whether blocks[index] is an item of a list announced by the kept text before it.

    `announced` collects the lists found announced so far (one cleanup pass): the
    sentence before a list's first item decides for all its items.
    """
    block = blocks[index]
    if block.tag != "li":
        return False
    own = _list_id(block)
    if own is None:
        return False
    if own in announced:
        return True
    previous = kept[-1] if kept else None
    if _heads_kept_sublist(blocks, index, previous, own):
        announced.add(_list_id(blocks[index + 1]) or own)
        return True
    # A sentence announcing the list, not a label ("Tags:", "Filed under:").
    if (previous is not None and previous is blocks[index - 1]
            and previous.text.rstrip().endswith(_COLONS) and previous.tokens >= ANNOUNCE_TOKENS
            and _list_id(previous) != own):
        announced.add(own)
        return True
    return False


def _heads_kept_sublist(blocks: list[Block], index: int, previous: Block | None,
                       own: int) -> bool:
    """An item of a kept list that ends with a colon and holds a list of its own ("In
    progress:" over the bugs being worked on): the label is the item's text, its list the
    item's content, however short the label and however linked the items. The item right
    before it must be one of its list, kept: a list that is the article's text, not a
    menu whose entries open sub-menus."""
    block = blocks[index]
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return (previous is not None and previous is blocks[index - 1]
            and following is not None and following.tag == "li"
            and block.text.rstrip().endswith(_COLONS) and block.node is not None
            and block.node.mem_id in following.ancestors and _list_id(previous) == own)


# A linked item of a list or table of text is kept from this many tokens.
STRUCTURE_ITEM_TOKENS = 4


def _structure_id(block: Block) -> int | None:
    """mem_id of the list (for an item) or table (for a row or cell) holding the block."""
    if block.tag == "li":
        return _list_id(block)
    tags = block.ancestor_tags
    if block.tag in ("tr", "td", "th"):  # a row of data, not a paragraph in a layout cell
        for i in range(len(tags) - 1, -1, -1):
            if tags[i] == "table":
                return block.ancestors[i]
    return None


def text_structures(blocks: list[Block], max_link_density: float) -> set[int]:
    """mem_ids of the lists and tables among `blocks` whose items, taken together, carry
    at most `max_link_density` of their tokens in links (one pass)."""
    totals: dict[int, list[int]] = {}
    for block in blocks:
        own = _structure_id(block)
        if own is not None:
            counts = totals.setdefault(own, [0, 0])
            counts[0] += block.tokens
            counts[1] += block.link_tokens
    return {k for k, (tokens, links) in totals.items() if links <= max_link_density * tokens}


def in_text_structure(block: Block, structures: set[int]) -> bool:
    """Whether the block is an item or row of one of `structures` (text_structures), and
    more than a label: a box of facts may end in a short link ("Article history",
    "More coverage »") that is the box's own navigation."""
    if not structures or block.tokens < STRUCTURE_ITEM_TOKENS:
        return False
    own = _structure_id(block)
    return own is not None and own in structures


# Linked prose: long, punctuated like sentences, with words outside the links joining them.
LINK_PROSE_TOKENS = 20
LINK_PROSE_PUNCT = 3
LINK_PROSE_FREE_TOKENS = 4


def is_link_prose(block: Block) -> bool:
    """A paragraph written around its links ("This week <a>the council voted…</a>, <a>the
    engineers…</a>, and <a>…</a>."): a link-roundup post is made of these.

    Navigation and link lists are runs of bare links, one per block, with no sentence
    punctuation between them; these are long, punctuated several times, and carry some
    words of their own. A list item can be one too (an entry of the post's list of
    sources: author, linked title, publisher, date); a table row cannot (cells joined).
    """
    return (block.tokens >= LINK_PROSE_TOKENS and block.punct >= LINK_PROSE_PUNCT
            and block.tokens - block.link_tokens >= LINK_PROSE_FREE_TOKENS
            and block.tag not in ("td", "th", "tr"))
