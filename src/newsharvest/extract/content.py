"""Locate the main content: the element whose text is most article-like.

Every block gets a value: positive for prose (its tokens, less what sits in links),
negative for link lists (the tokens of the links) and a small penalty for short
unpunctuated chrome ("0 分享至", "Admin 79 views"). An element's score is the sum over the
blocks it contains; the best element is the argmax. Going up the tree from the article
container adds only negative blocks (nav, panels), going down loses prose, so the argmax is
the tightest element that holds the article, including articles split over sibling blocks
(lead + body, live-blog entries). Every block credits all its ancestors, one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from ..text.scripts import SENTENCE_END_RE
from .blocks import HEADING_TAGS, Block, collect_blocks
from .lists import is_link_prose

# A block with more than this share of its tokens inside links is a link list.
LINK_DENSITY_MAX = 0.5
# Short unpunctuated blocks below this many tokens are UI chrome, not prose.
CHROME_TOKENS = 12
# More tokens than this per punctuation mark: not prose.
SOUP_TOKENS_PER_PUNCT = 50
# A sibling of the best element joins it when it scores at least this share of the best
# and this much in absolute terms.
SIBLING_SHARE = 0.3
SIBLING_MIN_SCORE = 25.0
SIBLING_LINK_DENSITY = 0.1
# A sibling <p> of at least this many tokens, this link-free, ending a sentence, joins too.
SIBLING_PARAGRAPH_TOKENS = 15
SIBLING_PARAGRAPH_LINKS = 0.25
SUB_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Blocks looked at above the content for a standfirst.
STANDFIRST_BLOCKS = 2
# Short lines (byline, time stamp) stepped over between the standfirst and the body.
STANDFIRST_SKIP = 2
# A sub-container of the content with at least this many blocks scoring at most this much
# is an island of non-article text.
ISLAND_BLOCKS = 3
ISLAND_SCORE = -6.0
# ... unless at least half its blocks, and this many, are list items or table rows and at
# most this share of its tokens sit in links (structured data: a fact box, a comparison
# table; a few items are a row of buttons).
STRUCTURED_MIN_ITEMS = 5
STRUCTURED_LINK_SHARE = 0.1
_ITEM_TAGS = frozenset({"li", "tr", "dd", "dt"})
ISLAND_PROSE_TOKENS = 20  # ... unless it opens with a sentence this long


def block_value(block: Block) -> float:
    """How much a block speaks for the element that contains it being the article."""
    tokens = block.tokens
    if block.link_density > LINK_DENSITY_MAX:
        # Prose written around its links is prose: a link-roundup post is made of it.
        return float(tokens) if is_link_prose(block) else -float(tokens)
    if block.punct == 0 and tokens < CHROME_TOKENS:
        return -2.0
    if tokens >= 30 and block.punct * SOUP_TOKENS_PER_PUNCT < tokens:
        # Prose in either script has a comma or stop every ~15 tokens; a long run with
        # almost none is a keyword/tag cloud or a headline ticker.
        return -0.5 * tokens
    return float(tokens - block.link_tokens)


@dataclass(slots=True)
class Located:
    """The blocks inside the chosen container, and all blocks, in document order."""

    blocks: list[Block]
    all_blocks: list[Block]
    # mem_id -> [tokens, link tokens] of every element holding text, and its score (for
    # second opinions, candidates.py).
    counts: dict[int, list[int]] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)


def locate(root: LexborNode, nodes_by_selector: list[LexborNode] | None = None) -> Located:
    """Find the main content under `root` (or use the site rule's body nodes when given)."""
    blocks = collect_blocks(root)
    if nodes_by_selector:
        ids = {n.mem_id for n in nodes_by_selector}
        inside = [b for b in blocks if ids.intersection(b.ancestors)]
        return Located(inside, blocks)
    scores, tokens = _element_totals(blocks)
    if not scores:
        return Located([], blocks)
    best_id = max(scores, key=scores.__getitem__)
    first = next((b for b in blocks if best_id in b.ancestors), None)  # a block inside it
    node = _find_node(first, best_id)
    chosen = {best_id} | _strong_siblings(node, scores, tokens, scores[best_id],
                                          _link_block_tokens(blocks, node, first))
    inside = [b for b in blocks if not chosen.isdisjoint(b.ancestors)]
    _mark_negative_islands(inside, chosen, scores, tokens)
    return Located(inside, blocks, tokens, scores)


def _element_totals(blocks: list[Block]) -> tuple[dict[int, float], dict[int, list[int]]]:
    """mem_id -> summed block value, and mem_id -> [tokens, link tokens], of every element
    holding text (keys in the order a walk over each block's ancestors meets them).

    Each block is added to its innermost element only, and the sums are carried up to the
    parents once at the end: linear in the elements, not blocks x depth. (The values are
    multiples of 0.5: float sums are exact in any order.)
    """
    scores: dict[int, float] = {}
    tokens: dict[int, list[int]] = {}
    parents: list[tuple[int, int]] = []  # (element, its parent), parents first
    for block in blocks:
        ancestors = block.ancestors
        if not ancestors:
            continue
        # An element met before was met with all its ancestors: only the inner end of
        # the chain can be new.
        start = len(ancestors)
        while start and ancestors[start - 1] not in scores:
            start -= 1
        for depth in range(start, len(ancestors)):
            scores[ancestors[depth]] = 0.0
            tokens[ancestors[depth]] = [0, 0]
            if depth:
                parents.append((ancestors[depth], ancestors[depth - 1]))
        inner = ancestors[-1]
        scores[inner] += block_value(block)
        counts = tokens[inner]
        counts[0] += block.tokens
        counts[1] += block.link_tokens
    for element, parent in reversed(parents):  # children before their parents
        scores[parent] += scores[element]
        below, above = tokens[element], tokens[parent]
        above[0] += below[0]
        above[1] += below[1]
    return scores, tokens


def _mark_negative_islands(inside: list[Block], chosen: set[int], scores: dict[int, float],
                           tokens: dict[int, list[int]]) -> None:
    """Mark sub-containers of the content whose blocks add up to clearly non-article
    text (a weather box, a promo list, a 'more stories' rail nested in the article).

    Only elements holding several blocks count, so a lone sub-heading stays; in-body
    lists and tables (and a table's rows) stay unless they are mostly links; an element
    that opens with a sentence of prose (an item of the post going on with a nested list
    of links) is text, where a box opens with its label or a headline.
    """
    counts: dict[int, int] = {}  # blocks under each element (carried up as above)
    parents: list[tuple[int, int]] = []
    opened: dict[int, Block] = {}  # each element's first block
    for block in inside:
        ancestors = block.ancestors
        start = len(ancestors)
        while start and ancestors[start - 1] not in counts:
            start -= 1
        for depth in range(start, len(ancestors)):  # elements this block opens
            counts[ancestors[depth]] = 0
            opened[ancestors[depth]] = block
            if depth:
                parents.append((ancestors[depth], ancestors[depth - 1]))
        if ancestors:
            counts[ancestors[-1]] += 1
    for element, parent in reversed(parents):
        counts[parent] += counts[element]
    structured = _structured_boxes(inside, counts, tokens, parents)

    def verdict(ancestor: int, node_tag: str) -> int:
        """1: an island; 0: not one, look further down; -1: a data box, nothing below is."""
        if counts.get(ancestor, 0) < ISLAND_BLOCKS or scores.get(ancestor, 0.0) > ISLAND_SCORE:
            return 0
        linky = tokens[ancestor][1] > 0.5 * tokens[ancestor][0]
        if node_tag in ("ul", "ol", "table", "tbody", "tr", "dl") and not linky:
            return 0
        if ancestor in structured:
            return -1  # a data box, its inner wrappers included
        opening = opened[ancestor]
        if (opening.tokens >= ISLAND_PROSE_TOKENS and opening.punct >= 2
                and opening.link_density < 0.3):
            return 0
        return 1

    # Each block's island is the first one on its path down from the chosen element. The
    # path to an element is the same for every block under it, so the answer is kept per
    # element (NONE: none so far, STOPPED: a data box above) and each element is tested
    # once: linear in the elements, not blocks x depth (deeply nested pages have thousands
    # of both).
    none, stopped = -1, -2
    first: dict[int, int] = {}
    bad: set[int] = set()
    for block in inside:
        ancestors, node_tags = block.ancestors, block.ancestor_tags
        at = len(ancestors) - 1
        while at >= 0 and ancestors[at] not in first and ancestors[at] not in chosen:
            at -= 1
        if at < 0:
            continue  # no chosen element above it: nothing to test
        found = first.get(ancestors[at], none)  # (a chosen element: the path starts there)
        for depth in range(at + 1, len(ancestors)):
            if found == none:
                answer = verdict(ancestors[depth], node_tags[depth])
                if answer:
                    found = ancestors[depth] if answer > 0 else stopped
            first[ancestors[depth]] = found
        if found >= 0:
            bad.add(found)
    for block in inside:
        block.island = not bad.isdisjoint(block.ancestors)


def _structured_boxes(inside: list[Block], counts: dict[int, int],
                      tokens: dict[int, list[int]],
                      parents: list[tuple[int, int]]) -> set[int]:
    """Elements whose blocks are mostly items of lists or rows of tables under a heading of
    their own, with next to no links: a fact box, an ingredient list, a comparison table.
    Their short unpunctuated lines score like chrome, but they are the article's data, not
    a panel (a bar of buttons has no heading).

    Counted at each block's innermost element and carried up the (child, parent) pairs, as
    `counts` is: linear in blocks + elements, not blocks x depth."""
    items: dict[int, int] = {}
    headed: set[int] = set()
    for block in inside:
        if not block.ancestors:
            continue
        own = block.ancestors[-1]
        if block.tag in _ITEM_TAGS or "li" in block.ancestor_tags[-3:]:
            items[own] = items.get(own, 0) + 1
        elif block.tag in HEADING_TAGS:
            headed.add(own)
    for element, parent in reversed(parents):
        if element in items:
            items[parent] = items.get(parent, 0) + items[element]
        if element in headed:
            headed.add(parent)
    return {a for a, n in items.items()
            if a in headed and n >= STRUCTURED_MIN_ITEMS and n * 2 >= counts.get(a, 0)
            and tokens[a][1] <= STRUCTURED_LINK_SHARE * tokens[a][0]}


def _strong_siblings(node: LexborNode | None, scores: dict[int, float],
                     tokens: dict[int, list[int]], best: float,
                     linked: dict[int, int]) -> set[int]:
    """Siblings of the chosen element that are article-like too: the rest of an article
    split over sibling containers (lead box + body box, page parts around an ad).

    A list of teasers below the article also scores well, but its headlines are links:
    a sibling must hold nearly no link blocks (`linked`: tokens in blocks that are mostly
    link text). Links inside sentences (citations, references) do not count: an article
    part that cites its sources is still the article. Sub-headings between two parts
    taken are the article's section titles and come along.
    """
    if node is None or node.parent is None or best <= 0:
        return set()
    threshold = max(SIBLING_MIN_SCORE, SIBLING_SHARE * best)
    found = set()
    headings: list[int] = []  # sub-headings since the last part taken
    seen_part = False
    child = node.parent.child
    while child is not None:
        counts = tokens.get(child.mem_id, [0, 0])
        part = True
        if child.mem_id == node.mem_id:
            pass
        elif (scores.get(child.mem_id, 0.0) >= threshold
                and linked.get(child.mem_id, 0) <= SIBLING_LINK_DENSITY * counts[0]):
            found.add(child.mem_id)
        elif child.tag == "p" and _sibling_paragraph(child, counts):
            found.add(child.mem_id)
        elif (_same_kind(child, node) and scores.get(child.mem_id, 0.0) >= SIBLING_MIN_SCORE
                and linked.get(child.mem_id, 0) <= SIBLING_LINK_DENSITY * counts[0]):
            found.add(child.mem_id)  # the article's last, short page (a paged document)
        else:
            part = False
            if seen_part and child.tag in SUB_HEADINGS and counts[1] < counts[0]:
                headings.append(child.mem_id)
        if part:
            if seen_part:
                found.update(headings)
            headings.clear()
            seen_part = True
        child = child.next
    return found


def _same_kind(child: LexborNode, node: LexborNode) -> bool:
    """A sibling marked up like the chosen element (same tag, same non-empty class): the
    next part of a document printed in parts, however short (its last page)."""
    kind = node.attributes.get("class")
    return bool(kind) and child.tag == node.tag and child.attributes.get("class") == kind


def _sibling_paragraph(node: LexborNode, counts: list[int]) -> bool:
    """A paragraph next to the chosen element that is a finished, nearly link-free
    sentence is the article going on (Readability's sibling rule): pages that set the
    article loose in <body> have no element holding all of it."""
    if counts[0] < SIBLING_PARAGRAPH_TOKENS or counts[1] > SIBLING_PARAGRAPH_LINKS * counts[0]:
        return False
    return bool(SENTENCE_END_RE.search(node.text(deep=True).rstrip()))


def _link_block_tokens(blocks: list[Block], node: LexborNode | None,
                       inner: Block | None) -> dict[int, int]:
    """mem_id of each sibling of `node` -> tokens of the link blocks (link density over
    LINK_DENSITY_MAX) inside it. One pass: a sibling sits at `node`'s depth in the
    ancestor chains, under the same parent (read off `inner`, a block inside `node`)."""
    found: dict[int, int] = {}
    if node is None or node.parent is None or inner is None:
        return found
    anchor = inner.ancestors
    depth = anchor.index(node.mem_id)
    parent = anchor[depth - 1] if depth else None
    for block in blocks:
        ancestors = block.ancestors
        if (block.link_density > LINK_DENSITY_MAX and len(ancestors) > depth
                and (parent is None or ancestors[depth - 1] == parent)):
            found[ancestors[depth]] = found.get(ancestors[depth], 0) + block.tokens
    return found


def _find_node(block: Block | None, mem_id: int) -> LexborNode | None:
    """The element with `mem_id`, found by walking up from `block`, a block inside it."""
    node: LexborNode | None = block.node if block is not None else None
    while node is not None:
        if node.mem_id == mem_id:
            return node
        node = node.parent
    return None


def standfirst(all_blocks: list[Block], inside: list[Block]) -> list[Block]:
    """Sentences between the headline and the located content: the standfirst.

    Sites often set the lead in its own element above the body container (an <h2> or a
    "deck"). Up to STANDFIRST_BLOCKS blocks right before the content, after the last <h1>,
    that read as finished sentences are taken along.
    """
    if not inside:
        return []
    start = next((i for i, b in enumerate(all_blocks) if b is inside[0]), None)
    if start is None:
        return []
    found: list[Block] = []
    skipped = 0
    for block in reversed(all_blocks[max(0, start - STANDFIRST_BLOCKS - STANDFIRST_SKIP):start]):
        if block.tag == "h1" or len(found) == STANDFIRST_BLOCKS:
            break
        if (block.tokens >= 10 and block.link_density < 0.2 and block.punct >= 1
                and SENTENCE_END_RE.search(block.text)):
            found.insert(0, block)
        elif not found and skipped < STANDFIRST_SKIP and block.tokens < CHROME_TOKENS:
            skipped += 1  # a byline or time stamp between the standfirst and the body
        else:
            break
    h1_before = any(b.tag == "h1" for b in all_blocks[max(0, start - 6):start])
    return found if h1_before else []
