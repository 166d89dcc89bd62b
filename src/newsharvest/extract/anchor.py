"""The headline as an anchor: the article starts right after it.

``content.locate`` weighs prose wherever it is; a long reader comment, a blog's sidebar
blurb or a newsletter box can outweigh a short post. Where the page has a headline
(``<h1>``), the post follows it, and prose between the headline and the chosen
container is a sign the container is wrong: it is not a standfirst of a line or two but
a body of its own. The candidate this offers is the best-scoring element holding that
prose and not the chosen container; it goes to the vote in ``candidates.py``.
"""

from __future__ import annotations

from .blocks import Block
from .content import Located

# Prose between the headline and the container counts from this many tokens, and from
# this share of the container's own prose (a standfirst is far less than the body).
BEFORE_TOKENS = 40
BEFORE_SHARE = 0.2
PROSE_TOKENS = 15


def _prose(block: Block) -> bool:
    return (block.tokens >= PROSE_TOKENS and block.punct >= 1
            and block.link_density < 0.3 and not block.image)


def headline_candidate(located: Located) -> list[Block]:
    """Blocks of the element right after the headline, when prose sits there outside the
    chosen container; [] when the container follows the headline (the usual case)."""
    blocks, inside = located.all_blocks, located.blocks
    if not inside:
        return []
    mine = {id(b) for b in inside}
    head = next((i for i, b in enumerate(blocks) if b.tag == "h1"), None)
    if head is None:
        return []
    start = next((i for i, b in enumerate(blocks) if id(b) in mine), len(blocks))
    before = [b for b in blocks[head + 1:start] if _prose(b)]
    prose_before = sum(b.tokens for b in before)
    prose_in = sum(b.tokens for b in inside if _prose(b))
    if prose_before < BEFORE_TOKENS or prose_before < BEFORE_SHARE * prose_in:
        return []
    containers = {a for b in inside for a in b.ancestors}
    first = before[0]
    options = [a for a in first.ancestors if a not in containers]
    if not options:
        return []
    best = max(options, key=lambda a: located.scores.get(a, 0.0))
    return [b for b in blocks if best in b.ancestors]
