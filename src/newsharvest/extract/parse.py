"""Parse a page once and precompute what every later stage reads.

Like fundus' ``Precomputed``: the selectolax tree, the ``<meta>`` tags, the JSON-LD
objects, the canonical link and ``<html lang>`` are read once here; no later stage parses
HTML again (trafilatura's cascade re-copies its tree several times; that is most of its cost).
"""

from __future__ import annotations

import json
import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..normalize.text import storable

log = logging.getLogger(__name__)

_JSONLD_TYPES_WANTED = ("Article", "NewsArticle", "ReportageNewsArticle", "BlogPosting",
                        "LiveBlogPosting", "AnalysisNewsArticle", "WebPage", "ImageGallery")

# lexbor checks each new attribute of a tag against all earlier ones: 200k attributes on
# one tag took minutes to parse. A start tag this long is inspected, and one with more
# attributes than any page needs is cut to its first MAX_ATTRIBUTES before parsing.
LONG_TAG_CHARS = 8192
MAX_ATTRIBUTES = 512
# [^<>] stops at either bracket, so every character is scanned by at most one attempt.
_LONG_TAG_RE = re.compile(rf"<([a-zA-Z][^\s<>/]*+)([^<>]{{{LONG_TAG_CHARS},}}+)>")
_TAG_NAME_RE = re.compile(r"<([a-zA-Z][^\s<>/]*+)")  # _LONG_TAG_RE's start (see _long_tag)
_ATTRIBUTE_RE = re.compile(r"""[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?""")
_SCRIPT_MARK_RE = re.compile(r"<(/?)script\b", re.IGNORECASE)
_HEAD_SELECTOR = 'meta, link[rel], script[type="application/ld+json"]'
# Searched in the UTF-8 bytes lexbor parsed (`raw_html`, whose attribute names the tree
# holds): ~25% faster than in a str with any character beyond Latin-1 (two bytes a
# character to scan); an ASCII pattern matches the same places in both.
_DATA_DATE_ATTR_RE = re.compile(rb"data-(?:p|pub|publish|post|release)[-_]?(?:time|date)")
# "DATA-" or "Data-": one regex scan for its first letter (two `in` tests scanned twice,
# slowly: their last character, "-", is everywhere in markup).
_UPPER_DATA_RE = re.compile(rb"D(?:ATA|ata)-")
# JSON-LD objects are a few levels deep; anything deeper is cut (see `_bounded`).
MAX_JSONLD_DEPTH = 32
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass(slots=True)
class ParsedPage:
    """One parsed page: the tree (mutated by removal stages) and head data read up front."""

    tree: LexborHTMLParser
    meta: dict[str, str] = field(default_factory=dict)  # lower-cased name/property -> content
    jsonld: list[dict[str, Any]] = field(default_factory=list)  # article-like objects only
    canonical: str | None = None
    title_tag: str | None = None
    html_lang: str | None = None
    # Whether the markup names a data-p(ub)time/date attribute at all: the 30-way CSS
    # query for them costs ~4 ms on a large page, a text search of the markup ~0.5 ms.
    data_dates: bool = True
    # The first <h1> in <body> and the mem_ids of its ancestors, once a remover asked
    # (boilerplate.py): three removers protect them, and removal cannot move them.
    headline: tuple[LexborNode | None, set[int]] | None = None

    @property
    def body(self) -> LexborNode | None:
        return self.tree.body


def bound_markup(html: str) -> str:
    """`html` with every start tag cut to MAX_ATTRIBUTES attributes (linear time).

    A tag LONG_TAG_CHARS long covers an aligned stretch of LONG_TAG_CHARS/2 characters with
    no "<" or ">": only such stretches are looked at (a few dozen str.find calls on an
    ordinary page), and only the tag opened before each. Text inside <script> (JSON-LD with
    a stray "<") is never rewritten.
    """
    step = LONG_TAG_CHARS // 2
    cuts: list[tuple[int, int, str]] = []
    marks: list[tuple[int, bool]] | None = None
    previous_free = False
    for start in range(0, len(html) - step + 1, step):
        end = start + step
        free = html.find("<", start, end) < 0 and html.find(">", start, end) < 0
        if not free or previous_free:  # a run of free stretches lies in one tag at most
            previous_free = free
            continue
        previous_free = True
        opened = max(html.rfind("<", 0, start), 0)
        match = _long_tag(html, opened)
        if match is None:
            continue
        if marks is None:
            marks = [(m.start(), not m.group(1)) for m in _SCRIPT_MARK_RE.finditer(html)]
        before = bisect_right(marks, (opened, True)) - 1
        if before >= 0 and marks[before][1] and marks[before][0] < opened:
            continue  # inside a script: not markup
        finish, name, inside = match
        attributes = _ATTRIBUTE_RE.findall(inside)
        if len(attributes) > MAX_ATTRIBUTES:
            cut = f"<{name} {' '.join(attributes[:MAX_ATTRIBUTES])}>"
            cuts.append((opened, finish, cut))
    if not cuts:
        return html
    parts: list[str] = []
    at = 0
    for begin, finish, cut in cuts:
        parts += [html[at:begin], cut]
        at = finish
    parts.append(html[at:])
    return "".join(parts)


def _long_tag(html: str, at: int) -> tuple[int, str, str] | None:
    """What _LONG_TAG_RE.match(html, at) finds, as (end, tag name, attribute text), or None.

    The attribute text runs to the first "<" or ">" and the tag matches when that is a ">"
    at least LONG_TAG_CHARS on: two str.find calls (memchr) instead of the regex's class
    test per character (~1 ms on a 190 KB attribute).
    """
    opened = _TAG_NAME_RE.match(html, at)
    if opened is None:
        return None
    begin = opened.end()
    close = html.find(">", begin)
    if close - begin < LONG_TAG_CHARS or html.find("<", begin, close) >= 0:
        return None  # (close < 0: no ">" at all)
    return close + 1, opened.group(1), html[begin:close]


def parse_page(html: str) -> ParsedPage:
    """Parse decoded HTML and read its head data. Never raises on malformed markup.

    `html` should have gone through `bound_markup` (extract does this).
    """
    tree = LexborHTMLParser(html)
    markup = tree.raw_html
    page = ParsedPage(tree=tree, data_dates=bool(
        _DATA_DATE_ATTR_RE.search(markup) or _UPPER_DATA_RE.search(markup)))
    # One pass over the tree for the three kinds of head element (each css() call walks
    # the whole tree in C; on a large page that is ~0.5 ms a call).
    for node in tree.css(_HEAD_SELECTOR):
        tag = node.tag
        if tag == "meta":
            attrs = node.attributes  # one C call for the few attributes, then dict lookups
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
            content = attrs.get("content")
            if key and content and content.strip():
                # First occurrence wins: portals append duplicated tags from widgets later.
                page.meta.setdefault(key.strip().lower(), content.strip())
        elif tag == "link":
            attrs = node.attributes  # (the attrs view raises and catches for a missing one)
            rels = (attrs.get("rel") or "").lower().split()
            href = attrs.get("href")
            if "canonical" in rels and href and page.canonical is None:
                page.canonical = href.strip()
        else:
            page.jsonld.extend(_article_objects(node.text(deep=True)))
    title = tree.css_first("title")
    if title is not None:
        page.title_tag = title.text(strip=True) or None
    html_node = tree.css_first("html")
    if html_node is not None:
        page.html_lang = (html_node.attrs.get("lang") or "").strip() or None
    return page


def _article_objects(raw: str) -> list[dict[str, Any]]:
    """JSON-LD objects describing the article (flattening lists and @graph)."""
    try:
        data = _load_json(raw)
    except RecursionError:  # nested deeper than the interpreter's stack: hostile, skipped
        log.debug("JSON-LD block nested too deep, skipped")
        return []
    if data is None:
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


def _load_json(raw: str) -> Any:
    """The parsed block, bounded (see `_bounded`) when it could be deep or unstorable;
    None when it is not JSON."""
    try:
        data = json.loads(raw.strip().rstrip(";"))
    except (json.JSONDecodeError, ValueError):
        # Portals often ship JSON-LD with raw newlines in strings; try once more leniently.
        try:
            data = json.loads(raw.replace("\n", " ").replace("\r", " "), strict=False)
        except (json.JSONDecodeError, ValueError):
            log.debug("unparseable JSON-LD block skipped")
            return None
    deep = raw.count("[") + raw.count("{") > MAX_JSONLD_DEPTH
    if deep or _SURROGATE_ESCAPE_RE.search(raw):
        return _bounded(data)
    return data


def _bounded(data: Any) -> Any:
    """A copy of parsed JSON cut at MAX_JSONLD_DEPTH (deeper containers become None), with
    every string storable (no lone surrogates). Iterative: no recursion on any input."""
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any, int]] = [(data, root, 0, 0)]
    while stack:
        value, parent, key, depth = stack.pop()
        if isinstance(value, str):
            parent[key] = storable(value)
        elif isinstance(value, dict | list) and depth >= MAX_JSONLD_DEPTH:
            parent[key] = None
        elif isinstance(value, dict):
            copy: dict[str, Any] = {}
            parent[key] = copy
            for name, item in value.items():
                name = storable(name)
                copy[name] = None  # keeps the keys' order
                stack.append((item, copy, name, depth + 1))
        elif isinstance(value, list):
            items: list[Any] = [None] * len(value)
            parent[key] = items
            stack.extend((item, items, i, depth + 1) for i, item in enumerate(value))
        else:
            parent[key] = value
    return root[0]
