"""Who wrote the story and where it came from: authors and the origin outlet.

Read in this order of trust: JSON-LD ``author``, the author meta tags, a "By ..." /
"作者：" byline line, then the elements of the byline zone (the lines between the headline
and the first paragraphs) whose class, id, rel, itemprop or data-testid names an author
(``author``, ``byline``, ``fn``, ``name``) or a source (``source``, ``origin``), whatever
the portal's naming scheme (``byline__name``, ``media-name``, ``news-article__source``).
Class words, not site names: a new portal with the same habits works unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from selectolax.lexbor import LexborNode

from ..text.scripts import HAN
from .blocks import Block
from .parse import ParsedPage

__all__ = ["authors", "byline_credits", "element_credits", "element_origin", "people_zone"]

_BY_RE = re.compile(r"^\s*(?:By|作者|文|記者|记者)\s*[:：｜|丨/／]?\s*(.+)$", re.IGNORECASE)
# "作者：林佳雯", "记者 刘诗琪", "（记者刘诗琪）" anywhere in a byline, glued labels allowed.
_ZH_AUTHOR_RE = re.compile(
    r"(?:作者|记者|記者|撰文|撰稿)\s*[:：／/|丨]?\s*"
    rf"([{HAN}·]{{2,4}}(?:[、,，][{HAN}·]{{2,4}}){{0,3}})"
    r"(?=$|[\s)）】\]|丨，,。;；/／]|责编|責編|编辑|編輯|校对|校對|来源|來源|评论|評論|发布|\d)")
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|，|、|\band\b|&|/)\s*")



def authors(page: ParsedPage, bylines: list[str], zone: list[Block] | None = None
            ) -> list[str]:
    """Author names from JSON-LD, meta tags, a 'By ...' / '作者：' byline line, or an
    author-named element or author-page link of the byline `zone` (a self-media page,
    网易号 / 企鹅号 / 搜狐号, links its account's page: the account is the author)."""
    stages: tuple[Callable[[], list[str]], ...] = (
        lambda: _jsonld_authors(page), lambda: _meta_authors(page),
        lambda: _byline_authors(bylines), lambda: _element_authors(zone or []))
    for stage in stages:  # in turn: a later (costlier) stage runs only when needed
        names = _clean(stage())
        if names:  # a stage whose every name fails the checks falls through to the next
            return names
    return []


def _jsonld_authors(page: ParsedPage) -> list[str]:
    for obj in page.jsonld:
        names = _jsonld_names(obj.get("author"))
        if names:
            return names
    return []


def _meta_authors(page: ParsedPage) -> list[str]:
    for key in ("author", "article:author", "byl", "dc.creator", "sailthru.author"):
        value = page.meta.get(key, "")
        if value and "://" not in value:
            return _NAME_SPLIT_RE.split(re.sub(r"^By\s+", "", value, flags=re.I))
    return []


def _byline_authors(bylines: list[str]) -> list[str]:
    for line in bylines:
        match = _BY_RE.match(line)
        if match and len(match.group(1)) <= 80:
            head = re.split(r"\s{2,}|[|·丨]|\d{4}", match.group(1))[0]
            return _NAME_SPLIT_RE.split(head)
        zh = _ZH_AUTHOR_RE.search(line)
        if zh:
            return [n for n in re.split(r"[、,，\s]+", zh.group(1)) if n]
    return []


def _clean(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = _NAME_TAIL_RE.split(" ".join(name.split()))[0].strip(" .;:：")
        if (name and name not in out and len(name) <= 60 and _looks_like_name(name)
                and not _ROLE_RE.search(name)):
            out.append(name)
    return out


def _looks_like_name(name: str) -> bool:
    """A person's or outlet's name: no digits, brackets or URL, not a bare job title."""
    return not (_NOT_NAME_RE.search(name) or _ZH_ROLE_RE.fullmatch(name))


def _jsonld_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str):
            out.append(name)
        elif isinstance(name, list):  # "name": ["Clara Benedetti"]
            out.extend(n for n in name if isinstance(n, str))
        elif isinstance(item, str) and "://" not in item:
            out.append(item)
    return out

# Words of class/id/rel/itemprop/data-testid values that name the author / the source.
_AUTHOR_WORDS = frozenset({"author", "authors", "byline", "fn", "writer", "reporter",
                           "journalist", "byl"})
# "name" alone is too common (a stock's name, a user's name): it counts beside these words,
# or when the element's text opens with a byline label ("By", "作者").
_NAME_PARTNERS = frozenset({"account", "user", "people", "person"})
# An element about the time or a button is not a name, whatever else its class says.
_NOT_NAME_WORDS = frozenset({"time", "date", "timestamp", "published", "share", "follow",
                             "avatar", "img", "image", "desc", "bio", "card"})
# Links to an author's or account's own page.
_AUTHOR_HREF_RE = re.compile(r"/(?:author|authors|profile|people|writers?|columnists?|staff"
                             r"|reporters?|media)(?:/|\?|=|$)", re.I)
_SOURCE_WORDS = frozenset({"source", "origin"})
# What follows a name in a byline: " - 12th January", " – 3 hours ago".
_NAME_TAIL_RE = re.compile(r"\s+[-–—]\s+|\s*[(（]|\s+\d|\s+on\s+[A-Z]")
_NOT_NAME_RE = re.compile(r"\d|://|www\.|[+()（）\[\]【】<>@#]")
_ZH_ROLE_RE = re.compile(
    r"(?:见习|見習|实习|實習|特约|特約|本报|本報)?(?:编辑|編輯|记者|記者|通讯员|通訊員|实习生|實習生"
    r"|主编|主編|作者)|(?i:posted by|written by|by|name|staff|admin|md|phd)")
_SHORT_NAME_RE = re.compile(rf"[{HAN}·]{{2,10}}|[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){{0,4}}")
_ATTR_SELECTOR = "[class], [id], [rel], [itemprop], [data-testid], a[href]"
_WORD_SPLIT_RE = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
_LABEL_RE = re.compile(r"^\s*(?:(?:Posted|Written|Words|Story|Reported)\s+by|By|From"
                       r"|作者|文|記者|记者|来源|來源|稿源|出处|出處|Source)\s*"
                       r"[:：｜|丨/／]?\s*", re.I)
# Job titles printed beside a name ("Lin Yu-hsuan / Staff reporter"): not names.
_ROLE_RE = re.compile(r"\b(?:staff|reporter|writer|correspondent|editor|contributor|columnist)\b",
                      re.I)
ELEMENT_TEXT_MAX = 40  # characters: a name or an outlet, not a sentence
# Where an outlet's name ends in a source element: a second label or a separator.
_ZH_LABELS = "作者|记者|記者|编辑|編輯|责编|責編|校对|校對|时间|時間|发布|發布|来源|來源|评论|評論"
_ORIGIN_CUT_RE = re.compile(rf"\s{{2,}}|[|·丨]|\s*(?:{_ZH_LABELS})")
# A name of 2-4 Han characters after an editor label, ending where the next label starts.
_EMBEDDED_CREDIT_RE = re.compile(
    rf"(?:责任编辑|責任編輯|责编|責編|编辑|編輯|校对|校對)\s*[:：]\s*[{HAN}·]{{2,4}}?"
    rf"(?=$|[\s)）】\]|丨，,。;；/／\d]|{_ZH_LABELS})")
_CREDIT_WORDS = frozenset({"editor", "editors", "proofread", "proofreader", "responsible"})
_CREDIT_SELECTOR = "[class*=editor], [class*=proofread], [class*=responsible]"
CREDIT_ELEMENTS = 6
_CREDIT_SPLIT_RE = re.compile(r"\s+(?=[^\s:：]{1,6}[:：])")
_SCAN_TEXT_MAX = 3000  # a block element holding more text than this is a container
_WORD_KEYS = ("class", "id", "rel", "itemprop", "data-testid")  # attributes read as words
# Elements whose word attributes hold a source word in any ASCII case: a superset of those
# _is_source accepts (only ASCII letters lower-case to "source"), so the query rules out
# most of the zone's elements in C, without a Python test of each.
_SOURCE_SELECTOR = ", ".join(f"[{key}*={word} i]" for key in _WORD_KEYS
                             for word in sorted(_SOURCE_WORDS))


def people_zone(window: list[Block], lead: list[Block]) -> list[Block]:
    """The byline window, then the lead lines not already in it (page order within each)."""
    seen = {id(b) for b in window}
    return window + [b for b in lead if id(b) not in seen]


def _words(node: LexborNode) -> set[str]:
    attrs = node.attributes
    words: set[str] = set()
    for key in _WORD_KEYS:
        value = attrs.get(key)
        if value:
            words.update(w.lower() for w in _WORD_SPLIT_RE.split(value) if w)
    return words


def _text(el: LexborNode) -> str:
    """The element's text with whitespace runs folded (empty text nodes add separators)."""
    return " ".join(el.text(separator=" ", strip=True).split())


def _is_author(el: LexborNode) -> bool:
    words = _words(el)
    if words & _NOT_NAME_WORDS:
        return False
    if words & _AUTHOR_WORDS:
        return True
    if "name" in words and (words & _NAME_PARTNERS
                            or _LABEL_RE.match(el.text(strip=True)[:6] or "")):
        return True
    href = el.attributes.get("href") if el.tag == "a" else None
    if not (href and _AUTHOR_HREF_RE.search(href)):
        return False
    text = _text(el)  # an account's name, not an ad's slogan
    return bool(_SHORT_NAME_RE.fullmatch(text))


def _is_source(el: LexborNode) -> bool:
    # Most elements of the zone name no source: a C substring test of their attribute
    # values rules them out before they are split into words (a word of _SOURCE_WORDS,
    # lower-cased, is a substring of the lower-cased values).
    attrs = el.attributes
    raw = " ".join([attrs.get(key) or "" for key in _WORD_KEYS]).lower()
    if not any(word in raw for word in _SOURCE_WORDS):
        return False
    return bool(_words(el) & _SOURCE_WORDS)


def _elements(zone: list[Block], wanted: Callable[[LexborNode], bool],
              selector: str = "") -> list[str]:
    """Short texts of elements in the zone that `wanted` accepts, in page order.
    `selector`: a query that finds every element `wanted` accepts (default: any element
    with a word attribute or a link)."""
    seen: set[int] = set()
    found: list[str] = []
    for block in zone:
        node = block.node
        if node is None or node.mem_id in seen:
            continue
        seen.add(node.mem_id)
        if len(node.text(deep=True)) > _SCAN_TEXT_MAX:
            continue
        for el in node.css(selector or _ATTR_SELECTOR):
            if wanted(el):
                text = _LABEL_RE.sub("", _text(el)).strip()
                if 2 <= len(text) <= ELEMENT_TEXT_MAX and sum(c.isdigit() for c in text) < 3:
                    found.append(text)
    return found


def element_origin(zone: list[Block]) -> str | None:
    """The outlet in a source-named element of the byline zone (``<span class="source">``)."""
    for text in _elements(zone, _is_source, _SOURCE_SELECTOR):
        head = _ORIGIN_CUT_RE.split(text)[0].strip()
        if head and not _NOT_NAME_RE.search(head):
            return head
    return None


def byline_credits(lines: list[str]) -> list[str]:
    """Editor credits printed inside a byline line ("作者：汐元 责编：汐元")."""
    return [m.group(0) for line in lines for m in _EMBEDDED_CREDIT_RE.finditer(line)]


def element_credits(page: ParsedPage, is_credit: Callable[[str], str | None]) -> list[str]:
    """Credit lines in elements named for editors (``<p class="editor">责任编辑：…``),
    read before removal: portals print them in the page footer, which removal drops.
    Only text that `is_credit` accepts counts; several credits in one element split."""
    found: list[str] = []
    for node in page.tree.css(_CREDIT_SELECTOR)[:CREDIT_ELEMENTS]:
        if not _words(node) & _CREDIT_WORDS:
            continue
        text = node.text(separator=" ", strip=True)
        if len(text) > ELEMENT_TEXT_MAX * 2:
            continue
        for part in _CREDIT_SPLIT_RE.split(text):
            credit = is_credit(part)
            if credit and credit not in found:
                found.append(credit)
    return found


def _element_authors(zone: list[Block]) -> list[str]:
    for text in _elements(zone, _is_author):
        names = [n for n in _NAME_SPLIT_RE.split(re.split(r"\s{2,}|[|·丨]", text)[0])
                 if n and not _ROLE_RE.search(n)]
        if names:
            return names
    return []


