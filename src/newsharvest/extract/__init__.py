"""The extract stage: decoded HTML -> `Extraction` (paragraphs and metadata candidates).

The stages, in order (each one short and documented in its module):

1. ``parse.parse_page``: parse once with selectolax; read meta tags, JSON-LD, canonical.
2. ``metadata.head_*``: title and date candidates from the head, before anything is removed,
   plus the source's own ``rules.title`` / ``rules.date`` selectors.
3. ``boilerplate.remove_boilerplate``: scripts and widgets, the source's ``rules.remove``,
   nav/aside/footer, and elements whose class/id names a panel (both languages).
4. ``content.locate``: the element whose blocks are most article-like (or ``rules.body``).
5. ``metadata.byline_blocks`` / ``body_date_candidates``: dates near the headline, read only
   now that trending panels are gone.
6. ``paragraphs.clean_paragraphs``: link lists, fixed phrases, credits, 来源 lines,
   duplicated and truncated paragraphs.
7. Fallback: when steps 4-6 found next to nothing (pages built of bare text nodes or unusual
   markup), trafilatura's extraction of the same HTML goes through step 6 instead.

Nothing here touches the network, the disk or global state.
"""

from __future__ import annotations

from ..records import Extraction, SiteRules
from .blocks import count_tokens
from .boilerplate import remove_boilerplate
from .candidates import second_opinion, trafilatura_blocks
from .content import locate, standfirst
from .metadata import (
    authors,
    body_date_candidates,
    byline_blocks,
    head_date_candidates,
    head_title_candidates,
    headings,
    site_names,
)
from .paragraphs import clean_paragraphs, credit_line, origin_of
from .parse import parse_page

# Below this many body tokens the generic result is not trusted and trafilatura is asked.
FALLBACK_TOKENS = 40

__all__ = ["extract"]


def extract(html: str, url: str | None = None, rules: SiteRules | None = None) -> Extraction:
    """Run the extraction stages on one decoded page."""
    rules = rules or SiteRules()
    page = parse_page(html)
    title_candidates = head_title_candidates(page, rules)
    date_candidates = head_date_candidates(page, rules)
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
    bylines = byline_blocks(located.all_blocks, located.blocks)
    date_candidates.extend(body_date_candidates(page, bylines))
    headline = h1s[0] if h1s else next((t for o, t in title_candidates if o == "og"), None)
    names = site_names(page)
    cleaned = clean_paragraphs(located.blocks, title=headline, site_names=names,
                               page_title=page.title_tag)
    if cleaned.origin is None:  # 来源 printed in the byline rather than the body
        cleaned.origin = next((o for o in map(origin_of, bylines) if o), None)
    for line in bylines:  # editor credits printed around the article, not in it
        credit = credit_line(line)
        if credit and credit not in cleaned.credits:
            cleaned.credits.append(credit)
    method = "rules" if rule_nodes else "generic"
    if not rule_nodes:  # a doubtful container gets a second opinion (candidates.py)
        cleaned, winner = second_opinion(html, url, located, cleaned, lambda blocks: (
            clean_paragraphs(blocks, title=headline, site_names=names,
                             page_title=page.title_tag)))
        method = winner or method
    elif sum(map(count_tokens, cleaned.paragraphs)) < FALLBACK_TOKENS:
        fallback = trafilatura_blocks(html, url)
        if fallback:
            alt = clean_paragraphs(fallback, title=headline)
            if sum(map(count_tokens, alt.paragraphs)) > sum(map(count_tokens, cleaned.paragraphs)):
                cleaned, method = alt, "trafilatura"
    return Extraction(
        paragraphs=tuple(cleaned.paragraphs),
        title_candidates=tuple(title_candidates),
        date_candidates=tuple(date_candidates),
        authors=tuple(authors(page, bylines + cleaned.paragraphs[:1])),
        credits=tuple(cleaned.credits),
        origin=cleaned.origin,
        canonical_url=page.canonical or page.meta.get("og:url"),
        site_name=(names or [None])[0],
        html_lang=page.html_lang,
        method=method,
    )

