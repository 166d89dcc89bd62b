"""The extract stage: decoded HTML -> `Extraction` (paragraphs and metadata candidates).

The stages, in order (each one short and documented in its module):

1. ``parse.parse_page``: parse once with selectolax; read meta tags, JSON-LD, canonical.
2. ``metadata.head_*``: title and date candidates from the head, before anything is removed,
   plus the source's own ``rules.title`` / ``rules.date`` selectors.
3. ``boilerplate.remove_boilerplate``: scripts and widgets, the source's ``rules.remove``,
   nav/aside/footer, and elements whose class/id names a panel (both languages).
4. ``content.locate``: the element whose blocks are most article-like (or ``rules.body``).
5. ``byline.byline_zones`` / ``metadata.body_date_candidates``: dates near the headline,
   read only now that trending panels are gone; ``people``: authors and the origin outlet.
6. ``paragraphs.clean_paragraphs``: link lists, fixed phrases, credits, 来源 lines,
   duplicated and truncated paragraphs.
7. Fallback: when steps 4-6 found next to nothing (pages built of bare text nodes or unusual
   markup), trafilatura's extraction of the same HTML goes through step 6 instead.

Nothing here touches the network, the disk or global state.
"""

from __future__ import annotations

from functools import partial

from ..records import Extraction, ExtractionMethod, SiteRules
from ..text.scripts import count_tokens
from .blocks import Block
from .boilerplate import remove_boilerplate
from .byline import byline_zones, line_above_dateline
from .candidates import (
    FEW_TOKENS,
    MAX_BLOCKS,
    page_has_more_text,
    second_opinion,
    trafilatura_blocks,
)
from .content import locate, standfirst
from .edges import bare_page_lines
from .metadata import (
    body_date_candidates,
    head_date_candidates,
    head_title_candidates,
    headings,
    site_names,
)
from .paragraphs import clean_paragraphs, credit_line, origin_of
from .parse import bound_markup, parse_page
from .people import authors, byline_credits, element_credits, element_origin, people_zone

# Below this many body tokens the result of site rules is not trusted and trafilatura is
# asked: the same threshold the generic path's second opinion uses (candidates.py).
FALLBACK_TOKENS = FEW_TOKENS
# trafilatura costs ~50-80 µs per element: a page cut into more blocks than this was read
# by the block walk already (the fallback is for text the walk cannot see), and asking
# trafilatura would cost seconds (100k short <p>: 42 s). The generic path's cap, shared.
FALLBACK_MAX_BLOCKS = MAX_BLOCKS

__all__ = ["extract"]


def extract(html: str, url: str | None = None, rules: SiteRules | None = None) -> Extraction:
    """Run the extraction stages on one decoded page."""
    rules = rules or SiteRules()
    html = bound_markup(html)  # lexbor drops lone surrogates itself; JSON-LD is repaired
    page = parse_page(html)
    title_candidates = head_title_candidates(page, rules)
    date_candidates = head_date_candidates(page, rules, html)
    footer_credits = element_credits(page, credit_line)  # before removal drops the footer
    remove_boilerplate(page, rules)
    body = page.body
    if body is None:
        return Extraction(paragraphs=(), title_candidates=tuple(title_candidates),
                          date_candidates=tuple(date_candidates), canonical_url=page.canonical,
                          html_lang=page.html_lang)
    rule_nodes = [n for sel in rules.body for n in page.tree.css(sel)] if rules.body else None
    located = locate(body, rule_nodes)
    if not rule_nodes:
        located.blocks[:0] = standfirst(located.all_blocks, located.blocks)
    h1s = headings(located.all_blocks)
    title_candidates[1:1] = [("h1", h) for h in h1s[:1]]
    if not h1s and (line := line_above_dateline(located.all_blocks, located.blocks)):
        title_candidates.append(("heading", line))  # used when <title> names only the site
    titles = [t for o, t in title_candidates if o != "h1"]
    window, lead = byline_zones(located.all_blocks, located.blocks, titles)
    bylines = [b.text for b in window]
    zone = people_zone(window, lead)
    date_candidates.extend(body_date_candidates(page, bylines))
    headline = h1s[0] if h1s else next((t for o, t in title_candidates if o == "og"), None)
    names = site_names(page, html)
    clean = partial(clean_paragraphs, title=headline, site_names=names,
                    page_title=page.title_tag)  # the same cleanup for any candidate
    cleaned = clean(located.blocks)
    # The outlet: a source-named element by the headline is the most precise reading,
    # then a 来源 line in the body, then one in the byline text.
    cleaned.origin = element_origin(zone) or cleaned.origin or next(
        (o for b in window if (o := origin_of(b.text, b.tokens))), None)
    for block in window:  # editor credits printed around the article, not in it
        credit = credit_line(block.text, block.tokens)
        for text in [credit] if credit else byline_credits([block.text]):
            if text not in cleaned.credits:
                cleaned.credits.append(text)
    cleaned.credits.extend(c for c in footer_credits if c not in cleaned.credits)
    method = "rules" if rule_nodes else "generic"
    if not rule_nodes:  # a doubtful container gets a second opinion (candidates.py)
        cleaned, winner = second_opinion(html, url, located, cleaned, clean)
        method = winner or method
    elif (found := sum(map(count_tokens, cleaned.paragraphs))) < FALLBACK_TOKENS \
            and _fallback_can_help(html, located.all_blocks, found):
        fallback = trafilatura_blocks(html, url)
        if fallback:
            alt = clean_paragraphs(fallback, title=headline)
            if sum(map(count_tokens, alt.paragraphs)) > found:
                cleaned, method = alt, "trafilatura"
    if not cleaned.paragraphs and (lines := bare_page_lines(located.all_blocks, FEW_TOKENS)) \
            and not page_has_more_text(html, FEW_TOKENS - 1):
        # A page of a few short lines and nothing else, removed parts (a soft 404's menus
        # and footer, an app shell's scripts) included: its lines are its text. (The lines
        # first: the page is parsed again only when they are few, short and link-free.)
        cleaned.paragraphs = lines
    return Extraction(
        paragraphs=tuple(cleaned.paragraphs),
        title_candidates=tuple(title_candidates),
        date_candidates=tuple(date_candidates),
        authors=tuple(authors(page, bylines + cleaned.paragraphs[:1], zone)),
        credits=tuple(cleaned.credits),
        origin=cleaned.origin,
        canonical_url=page.canonical or page.meta.get("og:url"),
        site_name=names[0] if names else None,
        html_lang=page.html_lang,
        method=ExtractionMethod(method),
    )


def _fallback_can_help(html: str, all_blocks: list[Block], found: int) -> bool:
    """Whether trafilatura might find more text than the generic path kept.

    It cannot when the whole page (removed parts included: the tree was pruned since, so
    it is parsed again, ~1 ms) holds no more tokens than were kept; it is not asked on
    pages of more than FALLBACK_MAX_BLOCKS blocks (see there).
    """
    return len(all_blocks) <= FALLBACK_MAX_BLOCKS and page_has_more_text(html, found)
