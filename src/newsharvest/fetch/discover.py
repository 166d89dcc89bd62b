"""Discovery: turn a feed, sitemap, listing page or URL list into candidate article links.

Every parser returns absolute http(s) URLs without fragments, de-duplicated in first-seen
order (a later duplicate may only fill in a missing date or title), so the harvest can
compare them with what the store already holds without further cleaning.

Feeds and sitemaps are untrusted XML:

* Size: a body (or its gzip decompression) larger than ``MAX_DOCUMENT_BYTES`` raises
  ``TooLarge``. Gzip is inflated incrementally in ``_CHUNK`` steps, so a gzip bomb stops
  at the cap instead of filling memory.
* Entities: a sitemap that declares any ``<!ENTITY>`` is refused with FetchError
  (sitemaps have no use for a DTD; defusedxml's default policy). The rest goes through
  lxml with ``resolve_entities=False, no_network=True, load_dtd=False,
  huge_tree=False``: no expansion, no external entities or DTDs (XXE), libxml2's depth
  and text-size limits. A ``<loc>`` holding an entity reference is dropped, not
  half-used. (Measured: libxml2 aborts a billion-laughs DTD even with
  resolve_entities=False, "Maximum entity amplification factor exceeded", and recover
  mode then silently deletes the references, producing wrong URLs; hence the refusal.)
* feedparser (6.0.x, read and measured): before parsing it deletes the ``<!ENTITY>``
  declarations that start a line and the DOCTYPE, re-declaring only "safe" entities whose
  value is plain text or one character reference, so recursive (billion laughs) and
  SYSTEM (XXE) entities never reach the parser; their references then break the strict
  SAX parse and its loose fallback keeps them as literal ``&name;`` text. (A one-line
  DOCTYPE is left half-deleted, which also ends in the loose parser; tests cover both.)
  It also turns off external general entities on the SAX parser. We hand it a
  ``BytesIO``: given ``bytes`` or ``str``, ``feedparser.parse`` would first try to open
  them as a URL or a file name.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
from lxml import etree
from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from ..errors import FetchError, TooLarge
from .decode import root_element_name
from .times import parse_feed_time, parse_w3c_date

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
"""Cap on a discovery document after decompression. Google caps sitemaps at 50 MB /
50,000 URLs; real news sitemaps and feeds are far below 20 MB."""

_CHUNK = 1024 * 1024  # gzip output per inflate step
_SNIFF_LIMIT = 65536  # bytes inflated for detect_kind
_GZIP_MAGIC = b"\x1f\x8b"
_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
_SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
_FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/rss", "application/x-rss+xml",
})
_URL_LINE = re.compile(rb"^\s*(?:#[^\n]*\n\s*)*https?://", re.IGNORECASE)
_STRIP_IN_URL = str.maketrans("", "", "\t\r\n")


@dataclass(frozen=True, slots=True)
class Link:
    """A candidate article URL with what discovery knew about it."""

    url: str
    published: datetime | None = None  # aware, UTC
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap: article links (urlset) and/or child sitemaps (sitemapindex)."""

    links: list[Link]
    sitemaps: list[str]


# --- feeds ---------------------------------------------------------------------------

def parse_feed(content: bytes, base_url: str, *, naive_tz: tzinfo = UTC) -> list[Link]:
    """Entry links of an RSS 0.9x/1.0/2.0 or Atom feed; [] for a feed without entries.

    Entry times without an offset are read in ``naive_tz`` (the source's timezone).

    Raises FetchError when the document is not a feed at all, TooLarge past the cap.
    """
    data = _prepare(content, base_url)
    result = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-location": base_url},
        resolve_relative_uris=False,  # only affects HTML inside entries, which we ignore
        sanitize_html=False,
    )
    if not result.get("version") and not result.entries:
        reason = result.get("bozo_exception") or "no RSS/Atom root element"
        raise FetchError(f"not a feed: {reason}", url=base_url)
    if result.get("bozo"):
        logger.debug("feed %s is not well-formed (%s); used the loose parser",
                     base_url, result.get("bozo_exception"))
    links = []
    for entry in result.entries:
        href = entry.get("link") or next(
            (item.get("href") for item in entry.get("links", [])
             if item.get("rel") == "alternate" and item.get("href")), None)
        if not href:
            continue
        published = parse_feed_time(entry, naive_tz)
        links.append((href, published, _clean_title(entry.get("title"))))
    return _collect(links, base_url)


# --- sitemaps ------------------------------------------------------------------------

def parse_sitemap(content: bytes, base_url: str, *, naive_tz: tzinfo = UTC) -> Sitemap:
    """Parse a urlset (with Google News tags) or a sitemapindex, plain or gzipped.

    ``Link.published`` is ``news:publication_date``, else ``lastmod`` (the best date a
    plain sitemap offers). Times without an offset are read in ``naive_tz`` (the
    source's timezone if the caller knows it). Text sitemaps (one URL per line) and
    RSS/Atom feeds, both allowed by sitemaps.org, are accepted too.
    """
    data = _prepare(content, base_url)
    root_name = root_element_name(data)
    if root_name is None:
        if _URL_LINE.match(data.removeprefix(b"\xef\xbb\xbf")):
            return Sitemap(parse_url_list(data.decode("utf-8", "replace"), base_url), [])
        raise FetchError("not a sitemap: no XML element and no URL lines", url=base_url)
    if root_name in _FEED_ROOTS:
        return Sitemap(parse_feed(data, base_url, naive_tz=naive_tz), [])
    if root_name not in _SITEMAP_ROOTS:
        raise FetchError(f"not a sitemap: root element <{root_name}>", url=base_url)

    if b"<!ENTITY" in data:  # sitemaps never need a DTD; refuse, as defusedxml does
        raise FetchError("sitemap declares XML entities; refused as unsafe", url=base_url)
    root = _parse_xml(data, base_url)
    kind = _local(root)
    if kind == "sitemapindex":
        locs = (_child_text(item, "loc") for item in root if _local(item) == "sitemap")
        return Sitemap([], [link.url for link in _collect(
            ((loc, None, None) for loc in locs if loc), base_url)])
    if kind != "urlset":
        raise FetchError(f"not a sitemap: root element <{kind}>", url=base_url)
    found = []
    for item in root:
        if _local(item) != "url":
            continue
        loc = _child_text(item, "loc")
        if not loc:
            continue
        news = next((child for child in item if _local(child) == "news"), None)
        published = title = None
        if news is not None:
            published = parse_w3c_date(_child_text(news, "publication_date"), naive_tz)
            title = _clean_title(_child_text(news, "title"))
        if published is None:
            published = parse_w3c_date(_child_text(item, "lastmod"), naive_tz)
        found.append((loc, published, title))
    return Sitemap(_collect(found, base_url), [])


def _parse_xml(data: bytes, base_url: str) -> etree._Element:
    """Parse untrusted XML safely; retry in recover mode for the usual sloppy sitemap."""
    try:
        return etree.fromstring(data, _xml_parser(recover=False))
    except etree.XMLSyntaxError as exc:
        root = etree.fromstring(data, _xml_parser(recover=True))
        if root is None:
            raise FetchError(f"not a sitemap: malformed XML ({exc})", url=base_url) from exc
        logger.warning("sitemap %s is malformed (%s); parsed in recover mode", base_url, exc)
        return root


def _xml_parser(*, recover: bool) -> etree.XMLParser:
    """No entities, DTDs or network: a sitemap is data, never instructions to the parser."""
    return etree.XMLParser(recover=recover, resolve_entities=False, no_network=True,
                           huge_tree=False, load_dtd=False, dtd_validation=False,
                           remove_comments=True, remove_pis=True)


def _local(element: etree._Element) -> str:
    """Namespace-free, lower-case tag name (sites get the sitemap namespace wrong)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element:
        if _local(child) == name:
            if len(child):  # holds an unexpanded entity or markup: not a plain value
                return None
            return (child.text or "").strip() or None
    return None


# --- listing pages and URL lists -----------------------------------------------------

def parse_listing(html: str, base_url: str, selector: str,
                  pattern: str | None = None) -> list[Link]:
    """Links from a listing page: each element matched by ``selector`` gives its own href
    if it is an ``<a>``, else the first ``a[href]`` inside it. ``pattern`` is a regex the
    absolute URL must match (``re.search``). A ``<base href>`` is honoured, as browsers do.
    """
    try:
        regex = re.compile(pattern) if pattern else None
    except re.error as exc:
        raise FetchError(f"invalid link pattern {pattern!r}: {exc}", url=base_url) from exc
    tree = LexborHTMLParser(html)
    base_tag = tree.css_first("base[href]")
    if base_tag is not None and (base_href := base_tag.attributes.get("href")):
        base_url = urljoin(base_url, base_href.strip())
    try:
        nodes = tree.css(selector)
    except SelectolaxError as exc:
        raise FetchError(f"invalid link selector {selector!r}: {exc}", url=base_url) from exc
    found = []
    for node in nodes:
        anchor = node if node.tag == "a" else node.css_first("a[href]")
        if anchor is None:
            continue
        href = anchor.attributes.get("href")
        if not href:
            continue
        title = _clean_title(anchor.text(deep=True)) or _clean_title(
            anchor.attributes.get("title"))
        found.append((href, None, title))
    links = _collect(found, base_url)
    if regex is not None:
        links = [link for link in links if regex.search(link.url)]
    if not links:
        logger.info("listing %s: selector %r matched %d elements, no usable links",
                    base_url, selector, len(nodes))
    return links


def parse_url_list(text: str, base_url: str) -> list[Link]:
    """One URL per line; blank lines and '#' comments (whole-line or after a space)."""
    found = []
    for line in text.splitlines():
        line = re.split(r"\s#", line, maxsplit=1)[0].strip()
        if line and not line.startswith("#"):
            found.append((line.split()[0], None, None))
    return _collect(found, base_url)


# --- sniffing ------------------------------------------------------------------------

def detect_kind(content: bytes, content_type: str | None) -> str:
    """"feed" | "sitemap" | "html" | "text", from the root element first (servers label
    feeds text/html and sitemaps text/plain), then the Content-Type header."""
    head = content[:_SNIFF_LIMIT]
    if head.startswith(_GZIP_MAGIC):
        head = _gunzip(content, "", limit=_SNIFF_LIMIT)
    media = (content_type or "").split(";", 1)[0].strip().lower()
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(b"<") or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        name = root_element_name(head)
        if name in _FEED_ROOTS:
            return "feed"
        if name in _SITEMAP_ROOTS:
            return "sitemap"
        if name == "html" or stripped[:14].lower() == b"<!doctype html":
            return "html"
    if media in _FEED_TYPES:
        return "feed"
    if "html" in media:
        return "html"
    if _URL_LINE.match(stripped) or media == "text/plain":
        return "text"
    return "html" if stripped.startswith(b"<") else "text"


# --- shared helpers ------------------------------------------------------------------

def _prepare(content: bytes, base_url: str) -> bytes:
    """Apply the size cap, inflating gzip (``.xml.gz``) incrementally."""
    if content.startswith(_GZIP_MAGIC):
        return _gunzip(content, base_url)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise TooLarge(f"document is {len(content)} bytes, cap {MAX_DOCUMENT_BYTES}",
                       url=base_url)
    return content


def _gunzip(content: bytes, base_url: str, limit: int | None = None) -> bytes:
    """Inflate gzip (all members) in bounded steps.

    With ``limit`` (sniffing) it stops quietly after that many bytes and tolerates
    corruption; otherwise passing MAX_DOCUMENT_BYTES raises TooLarge and corrupt data
    raises FetchError. A truncated download keeps what was inflated (logged).
    """
    cap = limit if limit is not None else MAX_DOCUMENT_BYTES
    parts: list[bytes] = []
    total = 0
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending = content
    try:
        while True:
            chunk = inflater.decompress(pending, _CHUNK)
            total += len(chunk)
            parts.append(chunk)
            if total > cap:
                if limit is not None:
                    break
                raise TooLarge(f"gzip body inflates past the cap of {cap} bytes",
                               url=base_url)
            pending = inflater.unconsumed_tail
            if inflater.eof:
                rest = inflater.unused_data.lstrip(b"\x00")
                if not rest.startswith(_GZIP_MAGIC):
                    break
                inflater, pending = zlib.decompressobj(16 + zlib.MAX_WBITS), rest
            elif not pending and not chunk:
                logger.warning("gzip body from %s is truncated", base_url or "?")
                break
    except zlib.error as exc:
        if limit is None:
            raise FetchError(f"corrupt gzip data: {exc}", url=base_url) from exc
    return b"".join(parts)[:cap]


def _clean_title(value: str | None) -> str | None:
    return (" ".join(value.split()) or None) if value else None


def _absolute(url: str, base_url: str) -> str | None:
    """Absolute http(s) URL without fragment, or None for anything else."""
    url = url.strip().translate(_STRIP_IN_URL)
    if not url:
        return None
    try:
        absolute = urldefrag(urljoin(base_url, url)).url
        parts = urlsplit(absolute)
    except ValueError:  # e.g. a broken IPv6 host
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return absolute


def _collect(found: Iterable[tuple[str, datetime | None, str | None]],
             base_url: str) -> list[Link]:
    """Resolve, filter and de-duplicate in first-seen order (duplicates fill gaps)."""
    links: list[Link] = []
    index: dict[str, int] = {}
    dropped = 0
    for raw, published, title in found:
        url = _absolute(raw, base_url)
        if url is None:
            dropped += 1
            continue
        if url not in index:
            index[url] = len(links)
            links.append(Link(url, published, title))
            continue
        first = links[index[url]]
        if (first.published is None and published) or (first.title is None and title):
            links[index[url]] = replace(first, published=first.published or published,
                                        title=first.title or title)
    if dropped:
        logger.debug("%s: dropped %d non-http(s) or unusable URLs", base_url, dropped)
    return links
