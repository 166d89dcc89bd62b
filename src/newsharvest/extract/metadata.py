"""Title, date, author and site-name *candidates*, each tagged with where it was found.

The extractor only collects; normalize decides (title.py, dates.py), because trust depends
on the origin: ``article:published_time`` beats a byline, which beats the URL, and a
timestamp in a trending panel is never a candidate at all (panels are removed before the
byline is read).
"""

from __future__ import annotations

import re
from typing import Any

from ..records import DateCandidate, SiteRules
from .blocks import PUNCT_RE, Block
from .content import CHROME_TOKENS
from .parse import ParsedPage

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "publishtime", "publish_time", "pubtime", "ptime",
    "weibo: article:create_at", "sailthru.date", "parsely-pub-date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.created", "date", "article.published",
    "og:release_date", "created", "firstpublisheddate", "og:time", "publishedtime",
)
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "article:updated_time",
    "dc.date.modified", "dcterms.modified", "lastmodified", "last-modified",
)
TITLE_META = ("og:title", "twitter:title", "headline")
SITE_META = ("og:site_name", "application-name", "twitter:site", "apple-mobile-web-app-title")
BYLINE_WINDOW = 8
_DATA_DATE_RE = re.compile(r"data-(p|pub|publish|post|release)[-_]?(time|date)")
_DATA_DATE_SELECTOR = ", ".join(
    f"[data-{a}{sep}{b}]" for a in ("p", "pub", "publish", "post", "release")
    for sep in ("", "-", "_") for b in ("time", "date"))
TRAILER_BLOCKS = 3
_PUBLISH_KEY_RE = re.compile(r"(pub|publish|release|post|create)[a-z]*[-_:. ]?(date|time)", re.I)
_BY_RE = re.compile(r"^\s*(?:By|作者|文|記者|记者)\s*[:：｜|丨/／]?\s*(.+)$", re.IGNORECASE)
# "作者：林佳雯", "记者 刘诗琪", "（记者刘诗琪）" anywhere in a byline, glued labels allowed.
_ZH_AUTHOR_RE = re.compile(
    r"(?:作者|记者|記者|撰文|撰稿)\s*[:：／/|丨]?\s*"
    r"([\u4e00-\u9fff·]{2,4}(?:[、,，][\u4e00-\u9fff·]{2,4}){0,3})"
    r"(?=$|[\s)）】\]|丨，,。;；/／]|责编|責編|编辑|編輯|校对|校對|来源|來源|评论|評論|发布|\d)")
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|，|、|\band\b|&|/)\s*")


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


def head_date_candidates(page: ParsedPage, rules: SiteRules) -> list[DateCandidate]:
    """Date candidates from site rules, meta tags and JSON-LD (the trusted sources)."""
    found: list[DateCandidate] = []
    for selector in rules.date:
        node = page.tree.css_first(selector)
        if node is not None:
            value = node.attributes.get("datetime") or node.text(separator=" ", strip=True)
            if value:
                found.append(DateCandidate(value, "meta:rules"))
    for key in PUBLISHED_META:
        if key in page.meta:
            found.append(DateCandidate(page.meta[key], f"meta:{key}"))
    known = set(PUBLISHED_META) | set(MODIFIED_META)
    for key, value in page.meta.items():
        # Portals invent their own names (apub:time, publish_timestamp, ...): match by shape.
        if key not in known and _PUBLISH_KEY_RE.search(key):
            found.append(DateCandidate(value, f"meta:{key}"))
    for key in MODIFIED_META:
        if key in page.meta:
            found.append(DateCandidate(page.meta[key], f"meta:{key}", kind="modified"))
    for node in page.tree.css(_DATA_DATE_SELECTOR)[:3] if page.data_dates else ():
        # Templates often put the publish time on a container: data-ptime="2019-05-17 20:02".
        for name, value in node.attributes.items():
            if value and _DATA_DATE_RE.fullmatch(name):
                found.append(DateCandidate(value, f"meta:{name}"))
    for obj in page.jsonld:
        for key, kind in (("datePublished", "published"), ("dateCreated", "published"),
                          ("pubDate", "published"), ("dateModified", "modified"),
                          ("upDate", "modified")):
            if isinstance(obj.get(key), str):
                found.append(DateCandidate(obj[key], "jsonld", kind=kind))
    for node in page.tree.css("[itemprop=datePublished]"):
        value = node.attributes.get("content") or node.attributes.get("datetime")
        if value:
            found.append(DateCandidate(value, "meta:itemprop"))
    return found


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


def byline_blocks(all_blocks: list[Block], content: list[Block]) -> list[str]:
    """Short lines right after the headline: where bylines live.

    The window starts after the page's <h1> when it sits before or inside the content
    (else a few blocks before the content) and ends at the first prose paragraph after
    that point. Related panels sit after the article or were removed, so their
    timestamps are never read here.
    """
    if not all_blocks or not content:
        return []
    content_start = _index_of(all_blocks, content[0])
    content_end = _index_of(all_blocks, content[-1])
    h1 = next((i for i, b in enumerate(all_blocks[: content_end + 1]) if b.tag == "h1"), None)
    start = h1 + 1 if h1 is not None else max(0, content_start - BYLINE_WINDOW)
    window: list[str] = []
    for block in all_blocks[start:]:
        # Every mark counts here, separators inside numbers too ("9:30pm"): a standfirst
        # with only a comma and a clock time closes the window, so a date in a photo
        # caption after it is not taken for the story's.
        if (block.tokens >= 2 * CHROME_TOKENS and block.link_density < 0.5
                and len(PUNCT_RE.findall(block.text)) >= 2):
            break  # the first prose paragraph: the article has begun
        if block.tokens <= 60:
            window.append(block.text)
        if len(window) >= BYLINE_WINDOW:
            break
    # Some portals print the time under the article ("2025-10-14 HKT 14:32"): the last
    # lines of the content and a few short link-free lines after it come next.
    for block in all_blocks[max(0, content_end - 1):content_end + 1 + TRAILER_BLOCKS]:
        if block.tokens <= 20 and block.link_density < 0.5:
            window.append(block.text)
    return window


def _index_of(blocks: list[Block], target: Block) -> int:
    for i, block in enumerate(blocks):
        if block is target:
            return i
    return len(blocks)


def headings(all_blocks: list[Block]) -> list[str]:
    """Texts of <h1> blocks that survived removal (the on-page headline is among them)."""
    return [b.text for b in all_blocks if b.tag == "h1"][:3]


def site_names(page: ParsedPage) -> list[str]:
    """Names the page gives itself: og:site_name, application-name, JSON-LD publisher."""
    names = [page.meta[k].lstrip("@") for k in SITE_META if k in page.meta]
    for obj in page.jsonld:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.append(publisher["name"])
    return [n.strip() for n in names if n and n.strip()]


def authors(page: ParsedPage, bylines: list[str]) -> list[str]:
    """Author names from JSON-LD, meta tags or a 'By ...' / '作者：' byline."""
    names: list[str] = []
    for obj in page.jsonld:
        names.extend(_jsonld_names(obj.get("author")))
        if names:
            break
    if not names:
        for key in ("author", "article:author", "byl", "dc.creator", "sailthru.author"):
            value = page.meta.get(key, "")
            if value and "://" not in value:
                names.extend(_NAME_SPLIT_RE.split(re.sub(r"^By\s+", "", value, flags=re.I)))
                break
    if not names:
        for line in bylines:
            match = _BY_RE.match(line)
            if match and len(match.group(1)) <= 80:
                head = re.split(r"\s{2,}|[|·丨]|\d{4}", match.group(1))[0]
                names.extend(_NAME_SPLIT_RE.split(head))
                break
            zh = _ZH_AUTHOR_RE.search(line)
            if zh:
                names.extend(n for n in re.split(r"[、,，\s]+", zh.group(1)) if n)
                break
    out: list[str] = []
    for name in names:
        name = name.strip(" .;:：")
        if name and name not in out and len(name) <= 60:
            out.append(name)
    return out


def _jsonld_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            out.append(item["name"])
        elif isinstance(item, str) and "://" not in item:
            out.append(item)
    return out

