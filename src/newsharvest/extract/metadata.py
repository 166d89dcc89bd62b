"""Title, date, author and site-name *candidates*, each tagged with where it was found.

The extractor only collects; normalize decides (title.py, dates.py), because trust depends
on the origin: ``article:published_time`` beats a byline, which beats the URL, and a
timestamp in a trending panel is never a candidate at all (panels are removed before the
byline is read).

htmldate (installed with trafilatura) is not a candidate source: measured on the dev pages
it took a related list's ``class="date"`` items for the article's date when run on the whole
page; run on the cleaned tree only for the pages nothing else dates, it found 3 more of 173
crawl-dated pages and none of the 44 labelled ones, for 8-36 ms on each page it ran on
(and ~300 ms for its import): more than the whole date budget of the other pages.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborNode

from ..normalize.text import clean_inline
from ..records import DateCandidate, SiteRules
from ..text.scripts import HAN
from .blocks import SKIP_TAGS as _SKIP_IN_HEADING
from .blocks import Block
from .parse import ParsedPage

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "publishtime", "publish_time", "pubtime", "ptime",
    "weibo: article:create_at", "sailthru.date", "parsely-pub-date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.created", "date", "article.published",
    "og:release_date", "created", "firstpublisheddate", "og:time", "publishedtime",
    # Further names htmldate and trafilatura read (Dublin Core, citation, OpenGraph variants).
    "dc.date.created", "dc:date", "dc:created", "dcterms.date", "dc.created",
    "citation_publication_date", "citation_date", "og:pubdate", "og:regdate", "pdate",
    "rbpubdate", "displaydate", "doc_date", "datecreated", "date_created", "dateposted",
    "article:publicationdate", "originalpublicationdate", "content_create_date",
)
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "article:updated_time",
    "dc.date.modified", "dcterms.modified", "lastmodified", "last-modified",
    # Baidu-style <meta itemprop="dateUpdate">, and the other names htmldate reads.
    "dateupdate", "og:modified_time", "modified_time", "article:modified", "dc.modified",
    "modified", "utime", "lastmod",
)
# The owner named in a copyright line; the page's last characters hold the footer.
_COPYRIGHT_OWNER_RE = re.compile(
    rf"(?:版权所有|版權所有)\s*[:：]?\s*(?:&copy;|©)?\s*([{HAN}]{{3,20}})(?![{HAN}])")
COPYRIGHT_TAIL = 20000
TITLE_META = ("og:title", "twitter:title", "headline")
SITE_META = ("og:site_name", "application-name", "twitter:site", "apple-mobile-web-app-title")
_DATA_DATE_RE = re.compile(r"data-(p|pub|publish|post|release)[-_]?(time|date)")
_DATA_DATE_SELECTOR = ", ".join(
    f"[data-{a}{sep}{b}]" for a in ("p", "pub", "publish", "post", "release")
    for sep in ("", "-", "_") for b in ("time", "date"))
_PUBLISHED_PROPS = ("datePublished", "dateCreated")  # with [pubdate]
_MODIFIED_PROPS = ("dateModified", "dateUpdate")
# Attribute presence only: lexbor tests each selector of a list on every element, and
# value tests cost more than the few [itemprop] elements do once they are found.
_ITEMPROP_DATE_SELECTOR = "[itemprop], [pubdate]"
_PUBLISH_KEY_RE = re.compile(r"(pub|publish|release|post|create)[a-z]*[-_:. ]?(date|time)", re.I)


def head_title_candidates(page: ParsedPage, rules: SiteRules) -> list[tuple[str, str]]:
    """Title candidates read before any removal: rules, meta tags, JSON-LD, <title>."""
    found: list[tuple[str, str]] = []
    for selector in rules.title:
        node = page.tree.css_first(selector)
        if node is not None and node.text(strip=True):
            found.append(("rules", node.text(separator=" ", strip=True)))
    for key in TITLE_META:
        if key in page.meta:
            found.append(("og" if key != "headline" else "meta", page.meta[key]))
    for obj in page.jsonld:
        if isinstance(obj.get("headline"), str):
            found.append(("jsonld", obj["headline"]))
            break
    if page.title_tag:
        found.append(("title", page.title_tag))
    return found


def head_date_candidates(page: ParsedPage, rules: SiteRules,
                         html: str | None = None) -> list[DateCandidate]:
    """Date candidates from site rules, meta tags and JSON-LD (the trusted sources).

    `html`, the page's source text, lets a cheap regex skip the data-* attribute query
    when no such attribute exists (that query's 30 selectors cost more than all the rest).
    """
    found: list[DateCandidate] = []
    value: str | None  # HTML attributes may be valueless (<time datetime>): None
    for selector in rules.date:
        node = page.tree.css_first(selector)
        if node is not None:
            value = node.attributes.get("datetime") or node.text(separator=" ", strip=True)
            if value:
                found.append(DateCandidate(value, "meta:rules"))
    for key in PUBLISHED_META:
        if key in page.meta:
            found.append(DateCandidate(page.meta[key], f"meta:{key}"))
    for key, value in page.meta.items():
        # Portals invent their own names (apub:time, publish_timestamp, ...): match by shape.
        if _invented_date_key(key):
            found.append(DateCandidate(value, f"meta:{key}"))
    for key in MODIFIED_META:
        if key in page.meta:
            found.append(DateCandidate(page.meta[key], f"meta:{key}", kind="modified"))
    for node in page.tree.css(_DATA_DATE_SELECTOR)[:3] if page.data_dates else ():
        # Templates often put the publish time on a container: data-ptime="2019-05-17 20:02".
        for name, attr in node.attributes.items():
            if attr and _DATA_DATE_RE.fullmatch(name):
                found.append(DateCandidate(attr, f"meta:{name}"))
    for obj in page.jsonld:
        for key, kind in (("datePublished", "published"), ("dateCreated", "published"),
                          ("pubDate", "published"), ("dateModified", "modified"),
                          ("upDate", "modified")):
            if isinstance(obj.get(key), str):
                found.append(DateCandidate(obj[key], "jsonld", kind=kind))
    for link in (page.canonical, page.meta.get("og:url")):
        if link:  # the page's own address may carry the day (/2011-12-14/...)
            found.append(DateCandidate(link, "url"))
    published, modified = _itemprop_dates(page)
    for node in published:
        # Microdata on any element (<span itemprop="datePublished">2019-10-08</span>) and
        # HTML5's <time pubdate>: the value attribute first, else the element's own text.
        value = (node.attributes.get("content") or node.attributes.get("datetime")
                 or node.text(separator=" ", strip=True)[:80])
        if value:
            found.append(DateCandidate(value, "meta:itemprop"))
    for node in modified[:2]:
        value = (node.attributes.get("content") or node.attributes.get("datetime")
                 or node.text(separator=" ", strip=True)[:80])
        if value:
            found.append(DateCandidate(value, "meta:itemprop", kind="modified"))
    return found


_KNOWN_DATE_META = frozenset(PUBLISHED_META) | frozenset(MODIFIED_META)


@lru_cache(maxsize=4096)
def _invented_date_key(key: str) -> bool:
    """A meta name shaped like a publishing date that is not one of the known names.
    Cached: most names (og:title, viewport, twitter:card) recur on every page."""
    return key not in _KNOWN_DATE_META and _PUBLISH_KEY_RE.search(key) is not None


def _itemprop_dates(page: ParsedPage) -> tuple[list[LexborNode], list[LexborNode]]:
    """What ``css("[itemprop=datePublished], [itemprop=dateCreated], [pubdate]")`` and
    ``css("[itemprop=dateModified], [itemprop=dateUpdate]")`` return, from one query
    (each css() walks the whole tree; value tests on every element cost more). lexbor
    lists an element once per selector of a list it matches, so each element is repeated
    as often as in those two queries; the tests are the selectors' own (names lower-cased
    by the parser, values compared case-sensitively)."""
    published: list[LexborNode] = []
    modified: list[LexborNode] = []
    last = -1
    for node in page.tree.css(_ITEMPROP_DATE_SELECTOR):
        if node.mem_id == last:
            continue  # the same element again, for another selector it matches
        last = node.mem_id
        attrs = node.attributes
        prop = attrs.get("itemprop")
        published.extend([node] * ((prop in _PUBLISHED_PROPS) + ("pubdate" in attrs)))
        modified.extend([node] * (prop in _MODIFIED_PROPS))
    return published, modified


def body_date_candidates(page: ParsedPage, bylines: list[str]) -> list[DateCandidate]:
    """<time> elements and byline text, read after panels were removed."""
    found: list[DateCandidate] = []
    for node in page.tree.css("time"):
        value = node.attributes.get("datetime") or node.text(strip=True)
        if value:
            found.append(DateCandidate(value, "time"))
        if len(found) >= 3:
            break
    found.extend(DateCandidate(text, "byline") for text in bylines)
    return found


def headings(all_blocks: list[Block]) -> list[str]:
    """Texts of <h1> elements that survived removal (the on-page headline is among them).

    Read from the element, not the block: a headline printed over two lines
    (``女得乾眼症<br>「烤」乾眼睛``, or a newline in the source) keeps one space where the
    line broke, which the block joiner drops between Han characters.
    """
    found: list[str] = []
    seen: set[int] = set()
    for block in all_blocks:
        if block.tag != "h1":
            continue
        node = block.node
        if node is None or node.tag != "h1":
            found.append(block.text)
        elif node.mem_id not in seen:
            seen.add(node.mem_id)
            found.append(clean_inline(" ".join(_lines_text(node).split())) or block.text)
        if len(found) >= 3:
            break
    return found


def _lines_text(node: LexborNode) -> str:
    """Text of an element with a newline for each <br> (folded to a space by the caller)."""
    parts: list[str] = []
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            parts.append(child.text_content or "")
        elif child.tag == "br":
            parts.append("\n")
        elif child.tag not in _SKIP_IN_HEADING:
            parts.append(_lines_text(child))
    return "".join(parts)


def site_names(page: ParsedPage, html: str | None = None) -> list[str]:
    """Names the page gives itself: og:site_name, application-name, JSON-LD publisher,
    and the owner in a Chinese copyright line ("版权所有 某某医院", read from `html`)."""
    names = [page.meta[k].lstrip("@") for k in SITE_META if k in page.meta]
    for obj in page.jsonld:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.append(publisher["name"])
    if html is not None:
        names.extend(m.group(1) for m in _COPYRIGHT_OWNER_RE.finditer(html[-COPYRIGHT_TAIL:]))
    return [n.strip() for n in names if n and n.strip()]
