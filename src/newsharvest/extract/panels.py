"""Groups of blocks inside the located content that together make a panel, not text.

``paragraphs.py`` judges one paragraph at a time; some furniture only shows as a pattern
over several blocks. A "more stories" rail is a run of cards, each a linked headline and
a one- or two-sentence summary. Every summary on its own reads like prose (punctuated,
link-free), and a linked headline followed by prose is also how an article's own linked
sub-heading looks; what gives the rail away is the repetition of small self-contained
containers holding nothing but those two blocks.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain

from .blocks import HEADING_TAGS, ITEM_TAGS, Block
from .content import CHROME_TOKENS, LINK_DENSITY_MAX

# A card's headline is a short link; its summary a short, nearly link-free paragraph.
CARD_HEADLINE_TOKENS = 25
CARD_SUMMARY_TOKENS = 60
CARD_SUMMARY_LINK_DENSITY = 0.3
# A dressed card (label, byline, date, "Read more" around headline and summary) holds at
# most this many blocks, and its summary, an excerpt, at most this many tokens.
DRESSED_CARD_BLOCKS = 6
DRESSED_SUMMARY_TOKENS = 120
# ... and only after text weighing at least this share of the cards (the article).
DRESSED_BEFORE_SHARE = 0.5
# Fewer cards than this are left alone: one linked heading over one paragraph is as
# likely a sub-section of the article as a teaser.
MIN_CARDS = 2
# A "summary" opening with these goes on with the sentence of the line before it: one
# line cut in two by markup (a citation around an inline widget), not a card.
_CONTINUING = frozenset(".,;:)")


def teaser_cards(blocks: list[Block]) -> set[int]:
    """Indices of blocks that form teaser cards, at least MIN_CARDS times in the content.

    A bare card is a linked headline and a short summary, alone together in their own
    container, anywhere in the content. A dressed card also carries short chrome in its
    container (a section label, the author, a date, a "Read more" link: "more from
    <site>" cards); its headline may be a plain heading when the card holds a link, and
    its summary may be an excerpt of a few sentences. Dressed cards are only taken
    after the article: the text before the first one must weigh at least half as much
    as they do, so a list of products or sections that is the article itself stays.
    """
    # How many blocks each element holds (counted in C: a loop over every ancestor of
    # every block cost more than the rest of this function).
    per_container = Counter(chain.from_iterable(block.ancestors for block in blocks))
    cards: list[int] = []
    dressed: list[range] = []
    for i in range(len(blocks) - 1):
        head, summary = blocks[i], blocks[i + 1]
        linked = head.link_density > LINK_DENSITY_MAX
        if (not linked and head.tag not in HEADING_TAGS) or head.tokens > CARD_HEADLINE_TOKENS:
            continue
        if (summary.tokens > DRESSED_SUMMARY_TOKENS or summary.tag in HEADING_TAGS
                or summary.link_density > CARD_SUMMARY_LINK_DENSITY
                or summary.text[:1] in _CONTINUING):
            continue  # a live blog entry's linked time stamp over its title is no card
        container = _innermost_shared(head, summary)
        if container is None:
            continue
        size = per_container.get(container, 0)
        if size == 2 and linked and summary.tokens <= CARD_SUMMARY_TOKENS:
            cards.append(i)
        elif 2 < size <= DRESSED_CARD_BLOCKS and _excerpt(head, summary):
            span = _span(blocks, i, container, size)
            if span is not None and _dressed(blocks, span, i):
                dressed.append(span)
    found = {j for i in cards for j in (i, i + 1)} if len(cards) >= MIN_CARDS else set()
    if len(dressed) >= MIN_CARDS:
        start = dressed[0].start
        inside = sum(blocks[j].tokens for span in dressed for j in span)
        before = sum(b.tokens for j, b in enumerate(blocks[:start]) if j not in found)
        if before >= DRESSED_BEFORE_SHARE * inside:
            found.update(j for span in dressed for j in span)
    return found


def _excerpt(head: Block, summary: Block) -> bool:
    """A headline over a few sentences of summary, not two items of a list or table."""
    return (summary.tokens >= CHROME_TOKENS and summary.punct >= 1
            and not {head.tag, summary.tag} & ITEM_TAGS)


def _span(blocks: list[Block], i: int, container: int, size: int) -> range | None:
    """Indices of the `size` blocks of `container`, which holds blocks[i] (None when they
    are not one run: the container is not a card)."""
    start = i
    while start > 0 and container in blocks[start - 1].ancestors:
        start -= 1
    span = range(start, start + size)
    if span.stop > len(blocks) or container not in blocks[span.stop - 1].ancestors:
        return None
    return span


def _dressed(blocks: list[Block], span: range, head: int) -> bool:
    """A card: besides the headline (blocks[head]) and its summary, only short chrome,
    and at least one link (the headline or a "Read more")."""
    others = [blocks[j] for j in span if j not in (head, head + 1)]
    if any(b.tokens >= CHROME_TOKENS for b in others):
        return False
    return any(b.link_density > LINK_DENSITY_MAX for b in [blocks[head], *others])


def _innermost_shared(a: Block, b: Block) -> int | None:
    """mem_id of the innermost element containing both blocks (None: no common one)."""
    shared = None
    for x, y in zip(a.ancestors, b.ancestors, strict=False):
        if x != y:
            break
        shared = x
    return shared


# A slide counter opening a line: "3/12 ...", "3 / 12 ...", "(3/12) ...".
_COUNTER_RE = re.compile(r"^\s*[(（]?(\d{1,3})\s*/\s*(\d{1,3})")
# This many consecutive counted lines make a gallery (one "1/2" may be a score).
MIN_SLIDES = 2


def drop_slide_captions(kept: list[Block]) -> None:
    """Remove runs of photo-gallery slide captions ("1/50 Sandbags on the high street").

    A gallery under (or inside) the article prints each slide's caption after a counter
    n/N whose n goes up by one and whose N, the number of slides, stays; every caption on
    its own reads like a sentence of the article. MIN_SLIDES or more such lines in a row
    are a gallery; quantities in a recipe ("1/2 cup", "2/3 cup") change their N.
    """
    i = 0
    while i < len(kept):
        j = i
        previous: int | None = None
        total = ""
        while j < len(kept):
            match = _COUNTER_RE.match(kept[j].text)
            if match is None:
                break
            number, count = int(match.group(1)), match.group(2)
            # A caption starting with a digit glues onto the total ("1/610月13日"):
            # totals agree when one starts with the other.
            same_total = not total or count.startswith(total) or total.startswith(count)
            if (previous is not None and number != previous + 1) or not same_total:
                break
            total = min(total, count, key=len) if total else count
            previous = number
            j += 1
        if j - i >= MIN_SLIDES:
            del kept[i:j]
        else:
            i += 1
