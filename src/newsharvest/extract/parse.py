"""Parse a page once and precompute what every later stage reads.

Like fundus' ``Precomputed``: the selectolax tree, the ``<meta>`` tags, the JSON-LD
objects, the canonical link and ``<html lang>`` are read once here; no later stage parses
HTML again (trafilatura's cascade re-copies its tree several times; that is most of its cost).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

log = logging.getLogger(__name__)

_JSONLD_TYPES_WANTED = ("Article", "NewsArticle", "ReportageNewsArticle", "BlogPosting",
                        "LiveBlogPosting", "AnalysisNewsArticle", "WebPage", "ImageGallery")


@dataclass(slots=True)
class ParsedPage:
    """One parsed page: the tree (mutated by removal stages) and head data read up front."""

    tree: LexborHTMLParser
    meta: dict[str, str] = field(default_factory=dict)  # lower-cased name/property -> content
    jsonld: list[dict[str, Any]] = field(default_factory=list)  # article-like objects only
    canonical: str | None = None
    title_tag: str | None = None
    html_lang: str | None = None

    @property
    def body(self) -> LexborNode | None:
        return self.tree.body


def parse_page(html: str) -> ParsedPage:
    """Parse decoded HTML and read its head data. Never raises on malformed markup."""
    tree = LexborHTMLParser(html)
    page = ParsedPage(tree=tree)
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and content.strip():
            # First occurrence wins: portals append duplicated tags from widgets later on.
            page.meta.setdefault(key.strip().lower(), content.strip())
    for node in tree.css("link[rel]"):
        rels = (node.attributes.get("rel") or "").lower().split()
        href = node.attributes.get("href")
        if "canonical" in rels and href and page.canonical is None:
            page.canonical = href.strip()
    title = tree.css_first("title")
    if title is not None:
        page.title_tag = title.text(strip=True) or None
    html_node = tree.css_first("html")
    if html_node is not None:
        page.html_lang = (html_node.attributes.get("lang") or "").strip() or None
    for node in tree.css('script[type="application/ld+json"]'):
        page.jsonld.extend(_article_objects(node.text(deep=True)))
    return page


def _article_objects(raw: str) -> list[dict[str, Any]]:
    """JSON-LD objects describing the article (flattening lists and @graph)."""
    try:
        data = json.loads(raw.strip().rstrip(";"))
    except (json.JSONDecodeError, ValueError):
        # Portals often ship JSON-LD with raw newlines in strings; try once more leniently.
        try:
            data = json.loads(raw.replace("\n", " ").replace("\r", " "), strict=False)
        except (json.JSONDecodeError, ValueError):
            log.debug("unparseable JSON-LD block skipped")
            return []
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if "@graph" in item:
                stack.append(item["@graph"])
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t in _JSONLD_TYPES_WANTED for t in types) or (
                    "@type" not in item and ("pubDate" in item or "datePublished" in item)):
                # Untyped objects count when they date the page: Baidu's cambrian JSON-LD
                # ({"@context": ".../cambrian.jsonld", "title", "pubDate", "upDate"}).
                found.append(item)
    # Most specific first: an Article beats the WebPage that wraps it.
    found.sort(key=lambda obj: "WebPage" in str(obj.get("@type")))
    return found
