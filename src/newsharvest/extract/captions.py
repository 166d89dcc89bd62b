"""Is the line after a photo its caption, or the article going on?

A caption is told apart by its markup: a class or a centred style that the article's
own paragraphs do not have ("img-desc", ``text-align:center`` under a photo while the
body is plain ``<p>``). Blogs that centre every line, or give every paragraph the same
class, put a photo between two lines of the post; the line after the photo then wears
the same markup as the rest of the post, and taking it for a caption dropped 38 of 89
lines of one post. So the markup counts as a caption's only when it differs from the
markup most of the content's text is set in.
"""

from __future__ import annotations

from collections import Counter

from .blocks import Block

Signature = tuple[str, str, bool]


def signature(block: Block) -> Signature:
    """(tag, class, centred) of the block's innermost element: how the line is set."""
    node = block.node
    if node is None:
        return (block.tag, "", False)
    attrs = node.attributes
    return (block.tag, (attrs.get("class") or "").strip(), "center" in (attrs.get("style") or ""))


def body_signature(blocks: list[Block]) -> Signature | None:
    """The markup most of the content's text (by tokens) is set in, images aside."""
    weights: Counter[Signature] = Counter()
    for block in blocks:
        if not block.image:
            weights[signature(block)] += block.tokens
    if not weights:
        return None
    return weights.most_common(1)[0][0]


# A table row with this many cells of text is a row of data (an item with its picture),
# not a layout table's photo box.
ITEM_ROW_CELLS = 3


def item_row(block: Block) -> bool:
    """A row of a data table: several cells of text (name, description, price...)."""
    if block.tag != "tr" or block.node is None:
        return False
    cells = 0
    for cell in block.node.iter():
        if cell.tag in ("td", "th") and cell.text(deep=True, strip=True):
            cells += 1
    return cells >= ITEM_ROW_CELLS
