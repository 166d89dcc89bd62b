"""Walk a tree once and cut its visible text into blocks (paragraph-sized runs of text).

Block elements (p, div, li, h1-h6, tr, br, ...) end a block; inline elements (a, span,
strong, ...) join their text to the run they sit in, with exactly the whitespace the source
has. That is what keeps ``oath`` and ``Inaugurated`` apart when they sit in two blocks
(seed 004) while ``OpenAI`` inside a link stays glued to nothing it should not be.

Each block remembers the chain of elements that contain it, so content scoring can credit
every ancestor in one pass, and how much of its text sat inside links (link density).
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from ..normalize.text import clean_inline
from ..text.scripts import count_punct, count_tokens  # tokens as the evaluation counts them

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav "
    "ol p pre section summary table tbody tfoot thead tr ul caption legend".split()
)
# Elements whose content is never article text.
SKIP_TAGS = frozenset(
    "script style noscript template svg iframe object embed video audio canvas button input "
    "select textarea option head title meta link map source track picture img rt rp "
    "annotation annotation-xml "
    "-comment".split()
)
CELL_TAGS = frozenset({"td", "th"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Items of lists and rows/cells of tables: structure, whose short lines are not chrome.
ITEM_TAGS = frozenset({"li", "dd", "dt", "tr", *CELL_TAGS})

MAX_DEPTH = 300
LONG_ANCHOR_TOKENS = 40
# Text this short next to an image is its caption.
CAPTION_TOKENS = 60
IMAGE_TAGS = frozenset({"img", "picture", "video"})
# What the walk does with an element, by tag: one dict lookup instead of a test per set.
# lexbor names its non-element nodes "-text", "-comment", "-doctype", "-document" (an
# element's name starts with a letter); None: a node of no other kind.
_INLINE, _SKIP, _BR, _CELL, _BLOCK, _ANCHOR = range(6)
_KINDS: dict[str | None, int] = {
    **dict.fromkeys(BLOCK_TAGS, _BLOCK), **dict.fromkeys(SKIP_TAGS, _SKIP),
    **dict.fromkeys(CELL_TAGS, _CELL), "br": _BR, "a": _ANCHOR,
    "-doctype": _SKIP, "-document": _SKIP, None: _SKIP}


@dataclass(slots=True)
class Block:
    """One paragraph-sized run of visible text."""

    text: str
    tokens: int
    link_tokens: int
    punct: int
    tag: str  # the innermost block element's tag ("p", "li", "h2", "div", ...)
    ancestors: tuple[int, ...]  # mem_id of every containing element, outermost first
    ancestor_tags: tuple[str, ...]  # their tags, in the same order
    node: LexborNode | None  # the innermost containing block element (None: not from a tree)
    # Short text sharing its block with an image ("with") or right after an image-only
    # block ("after"): caption candidates, judged in paragraphs.py.
    image: str = ""
    island: bool = False  # inside a sub-container of the content that scores as non-article

    @property
    def link_density(self) -> float:
        return self.link_tokens / self.tokens if self.tokens else 0.0


def collect_blocks(root: LexborNode) -> list[Block]:
    """All text blocks under `root`, in document order."""
    walker = _Walker()
    walker.walk(root, 0)
    walker.flush()
    return walker.blocks


class _Walker:
    __slots__ = ("blocks", "pieces", "link_pieces", "stack", "tags", "nodes", "link_depth",
                 "images", "depths", "pending_image")

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.link_pieces: list[str] = []
        self.stack: list[int] = []  # mem_ids of open elements
        self.tags: list[str] = []  # their tags
        self.nodes: list[LexborNode] = []  # open block elements
        self.link_depth = 0
        # Per open block: [holds an image, len(blocks) when it opened]: the text blocks
        # flushed inside it are blocks[start:] when it closes (blocks are only appended).
        self.images: list[list[int]] = []
        self.depths: list[int] = []  # per open block: its depth in the element stack
        # Depth of an image-only block that just closed: text in a sibling block right
        # after it may be its caption (-1: none).
        self.pending_image = -1

    def walk(self, node: LexborNode, depth: int) -> None:
        # The lists are only ever mutated in place, so local names save attribute lookups
        # on every node (this loop visits every node of the page).
        pieces, link_pieces, stack, tags = self.pieces, self.link_pieces, self.stack, self.tags
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                # Indentation before any text of a block changes nothing (clean_inline
                # strips it; link counts agree either way) and is most text nodes: kept
                # out, it costs no flush. (The usual kind, HTML's ASCII whitespace, is
                # told in C before any string is made of it.)
                if not pieces and child.is_empty_text_node:
                    continue
                text = child.text_content
                if text and (pieces or not (text.isspace() and text.isascii())):
                    pieces.append(text)
                    if self.link_depth:
                        link_pieces.append(text)
                continue
            kind = _KINDS.get(tag, _INLINE)
            if kind == _SKIP or tag is None:  # (None is a skip kind: the test narrows `tag`)
                if tag in IMAGE_TAGS and self.images:  # (image tags are all skip tags)
                    self.images[-1][0] = 1
                continue
            if kind == _BR:
                if pieces:  # (flush would return at once: no call)
                    self.flush()
                continue
            if kind == _CELL:
                # Cells of one row form one paragraph, separated by a space.
                pieces.append(" ")
            is_block = kind == _BLOCK
            if (is_block and pieces and tags and tags[-1] not in BLOCK_TAGS
                    and tags[-1] not in CELL_TAGS
                    and not all(p.isspace() for p in pieces)
                    and not child.text(deep=True).strip()):
                # A textless block (a widget's badge) injected into a line (inside a <cite>
                # or <span>) is no line break: the two halves of the line stay one block.
                # (Asked only with words right before it: a page wrapped in a <font> is
                # not measured element by element.)
                if self.images and child.css_first("img, picture, video") is not None:
                    self.images[-1][0] = 1
                continue
            if is_block:
                if pieces:
                    self.flush()
                self.nodes.append(child)
                self.images.append([0, len(self.blocks)])
                self.depths.append(len(stack))
            stack.append(child.mem_id)
            tags.append(tag)
            if kind == _ANCHOR:
                self.link_depth += 1
                link_start = len(self.link_pieces)
            if depth < MAX_DEPTH:
                self.walk(child, depth + 1)
            if kind == _ANCHOR:
                self.link_depth -= 1
                # Navigation links are short; prose wrapped in one long (often unclosed)
                # <a> is text, not a link list. (A token is at least one character: a
                # short anchor, nearly all of them, is not counted.)
                anchor = "".join(link_pieces[link_start:])
                if len(anchor) > LONG_ANCHOR_TOKENS and count_tokens(anchor) > LONG_ANCHOR_TOKENS:
                    del link_pieces[link_start:]
            if is_block:
                if pieces:
                    self.flush()
                self.nodes.pop()
                has_image, first = self.images.pop()
                texts = len(self.blocks) - first
                depth = self.depths.pop()
                if has_image and not texts and tag != "figure":  # its caption is inside
                    self.pending_image = depth
                elif texts:
                    self.pending_image = -1
                if has_image and texts == 1 and self.blocks[first].tokens <= CAPTION_TOKENS:
                    # The image's block holds one short text run and the image: a caption.
                    self.blocks[first].image = "with"
            stack.pop()
            tags.pop()

    def flush(self) -> None:
        if not self.pieces:
            return
        raw = "".join(self.pieces)
        self.pieces.clear()
        link_text = ""
        if self.link_pieces:  # (most blocks hold no link)
            link_text = "".join(self.link_pieces)
            self.link_pieces.clear()
        if raw.isspace():  # indentation between elements: most flushes, and never text
            return
        text = clean_inline(raw)
        if not text:
            return
        tokens = count_tokens(text)
        if not tokens:
            return
        node = self.nodes[-1] if self.nodes else None
        if self.link_depth and tokens >= 10 and (node is None or node.tag not in HEADING_TAGS):
            # An anchor still open across a <br> or block boundary wraps prose, not a link;
            # a heading inside an anchor is a teaser card's headline, and stays a link.
            link_text = ""
        image = ""
        if tokens <= CAPTION_TOKENS and self.depths and self.depths[-1] == self.pending_image:
            image = "after"
        self.pending_image = -1
        # (The fields without defaults by position: a call naming them all cost ~0.5 us
        # more, per block.)
        self.blocks.append(Block(
            text, tokens, _link_tokens(raw, link_text, tokens), count_punct(text),
            (node.tag or "") if node is not None else "", tuple(self.stack), tuple(self.tags),
            node, image=image))


def _link_tokens(raw: str, link_text: str, tokens: int) -> int:
    """Tokens of the block's text inside links (at most the block's `tokens`)."""
    if not link_text:
        return 0
    if len(link_text) == len(raw) and raw.isascii():
        # All of the block is link text (the link pieces are a subsequence of the block's):
        # on ASCII, clean_inline only drops whitespace and control characters, which are
        # no tokens, so the count is the block's own.
        return tokens
    return min(tokens, count_tokens(link_text))
