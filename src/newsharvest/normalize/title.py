"""Choose the headline and strip the site suffix the portal appends to <title>.

The site name is learned from the page itself (og:site_name, application-name, JSON-LD
publisher, and agreement between candidates), never from a hard-coded list: "_网易订阅",
"- 新浪财经", "| Reuters" and "_凤凰网" all go by the same rule.
"""

from __future__ import annotations

import re
import unicodedata

from ..text.scripts import HAN, WIDE
from .text import clean_inline

# Separators portals put between headline and site name.
_SEP_RE = re.compile(
    r"\s*-{2,}\s*|\s+[|｜\-–—·•:：]\s+|\s*[_｜|]\s*|\s+[-–—]\s*|\s*[–—]\s+")
# A short label before the headline, joined by a colon or a single unspaced hyphen.
_PREFIX_RE = re.compile(r"^(?P<label>[^\s:：|_-]{2,12}?)\s*(?:[：:]|-(?!-))\s*(?P<rest>\S.{7,})$")
# "(From Basingstoke Gazette)", "(via Reuters)" after an English headline.
_FROM_RE = re.compile(r"\s*[(（](?:From|Source:?|via)\s+[^()（）]{2,60}[)）]\s*$", re.I)
# Before a colon a word may be the speaker (天文台：…, 人民日报：…): only web outlets' names.
_PREFIX_OUTLET_RE = re.compile(r"(?:网|網|新闻|新聞|视频|視頻|在线|在線)$")
_CJK_OUTLET_RE = re.compile(r"(?:网|網|新闻|新聞|视频|視頻|频道|頻道|报|報|社|台|在线|在線|中心)$")
_EN_OUTLET_RE = re.compile(
    r"(?:(?:[A-Z][\w'.&-]*|of|the|and|&)\s+){0,5}(?:News|Herald|Times|Post|Online|Gazette|Journal|Press|Mail"
    r"|Tribune|Telegraph|Chronicle|TV|Radio|Network)")
# Chinese portals also append labels with an unspaced hyphen: 看完-高速-国内国际,
# 交通-新华网, GPU-EDN 电子技术设计. Such a label is short, has no digits (净利1900万-2900万
# is a range, not a label) and is Chinese or follows Chinese text.
_HYPHEN_LABEL_RE = re.compile(r"(?<=\S)-(?P<label>[^-\d]{1,12})$")
_HAS_CJK_RE = re.compile(f"[{WIDE}]")
_KICKER_RE = re.compile(r"^[【\[](?P<kicker>[^】\]]{2,12})[】\]]\s*(?P<rest>.{8,})$")
_OUTLET_RE = re.compile(
    f"(?:(?<=[{HAN}”」）)])\\s+[{HAN}]{{1,8}}(?:网|網|报|報|台|社|快讯|快訊|频道|頻道)"
    r"|,\s+(?:[A-Z][\w.]*\s+){0,3}(?:News|Online|Times|Post|Live|TV))$")
# Share of another candidate's text an <h1> must cover to count as agreeing with it.
AGREEMENT_SHARE = 0.5
SITE_ONLY_CHARS = 12  # a <title> this short with no separator may be the site's name alone
_RANK = {"rules": 0, "h1": 1, "og": 2, "jsonld": 2, "meta": 3, "title": 4}


def _key(text: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text)).lower()


def _strip_hyphen_labels(title: str) -> str:
    while (match := _HYPHEN_LABEL_RE.search(title)) and _HAS_CJK_RE.search(match["label"]) \
            and len(title) - len(match[0]) >= 8:
        title = title[: match.start()].rstrip()
    return title


def _segments(title: str) -> list[tuple[int, int]]:
    """(start, end) of the non-empty runs between separators."""
    spans, pos = [], 0
    for m in _SEP_RE.finditer(title):
        if title[pos:m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if title[pos:].strip():
        spans.append((pos, len(title)))
    return spans


def _is_outlet(part: str) -> bool:
    """A segment shaped like an outlet or channel label (新闻中心, 财经频道, Bay of Plenty News)."""
    part = part.strip()
    if _HAS_CJK_RE.search(part):
        return len(part) <= 8 and bool(_CJK_OUTLET_RE.search(part))
    return bool(_EN_OUTLET_RE.fullmatch(part))


def strip_site_suffix(title: str, site_names: list[str]) -> str:
    """Drop leading/trailing segments that name the site; keep the headline segment(s).

    A segment goes when it is one of `site_names` (or shares a name's first characters:
    千龙网--千龙财富--…) or is shaped like an outlet label; the longest segment always stays.
    What remains is cut from the original text, so a ``_`` or ``|`` inside the headline
    stays as printed.
    """
    title = _FROM_RE.sub("", _strip_prefix_label(_strip_hyphen_labels(title), site_names))
    title = _strip_trailing_name(title, site_names)
    spans = _segments(title)
    if len(spans) < 2:
        return title.strip()
    parts = [title[a:b] for a, b in spans]
    keys = [_key(n) for n in site_names if _key(n)]

    def is_site(part: str) -> bool:
        k = _key(part)
        return bool(k) and (any(k in s or s in k or (len(k) >= 2 and s[:2] == k[:2])
                                for s in keys) or _is_outlet(part))

    # The anchor: the longest segment that is not a site label (a short headline can be
    # shorter than "Bay of Plenty News").
    plain = [i for i, part in enumerate(parts) if not is_site(part)] or list(range(len(parts)))
    longest = max(plain, key=lambda i: len(parts[i]))

    lo, hi = 0, len(parts) - 1
    while hi > longest and is_site(parts[hi]):
        hi -= 1
    while lo < longest and is_site(parts[lo]):
        keys.append(_key(parts[lo]))  # 千龙网--千龙财富--…: the next label shares its start
        lo += 1
    if lo < hi and not keys:
        # No site name known: the headline is the longest segment when it clearly dominates.
        if len(parts[longest]) >= 0.6 * sum(len(p) for p in parts[lo:hi + 1]):
            lo = hi = longest
    if lo < hi and longest == lo:
        # Known names did not match every extra segment: cut only the trailing ones after
        # the longest, which are section or site labels ("科技_网易", "Business | Reuters").
        hi = longest
    return title[spans[lo][0]:spans[hi][1]].strip()


def _strip_prefix_label(title: str, site_names: list[str]) -> str:
    """A site or channel name printed before the headline: 中國評論新聞：…, 中新视频-…"""
    m = _PREFIX_RE.match(title)
    if not m:
        return title
    label = _key(m["label"])
    named = any(label and (label in _key(n) or _key(n) in label) for n in site_names if _key(n))
    if named or (_HAS_CJK_RE.search(m["label"]) and _PREFIX_OUTLET_RE.search(m["label"])):
        return m["rest"]
    return title


def _strip_trailing_name(title: str, site_names: list[str]) -> str:
    """A known site name after the headline with only a space between (… Taiwan News Online)."""
    for name in site_names:
        name = name.strip()
        if len(name) < 4:
            continue
        for tail in (f" {name} Online", f" {name}"):
            if title.lower().endswith(tail.lower()) and len(title) - len(tail) >= 8:
                return title[: -len(tail)].rstrip(" ,-|")
    return title


def choose_title(candidates: list[tuple[str, str]], site_names: list[str]) -> str | None:
    """The headline: agreement between h1 and og:title/<title> first, else the best-ranked."""
    cleaned = [(o, clean_inline(t)) for o, t in candidates if clean_inline(t)]
    if not cleaned:
        return None
    for origin, text in cleaned:
        if origin == "rules":
            return text
    h1s = [t for o, t in cleaned if o == "h1"]
    others = [t for o, t in cleaned if o != "h1"]
    # Site labels: the given names, plus what <title> adds around the meta headline.
    names = list(site_names)
    declared_keys = {_key(n) for n in names if _key(n)}
    meta = [t for o, t in cleaned if o not in ("h1", "title")]
    for origin, text in cleaned:
        if origin == "title":
            names.extend(_suffix_names(text, meta))
    for h1 in h1s:
        kicker = _KICKER_RE.match(h1)
        if kicker and any(_key(o).startswith(_key(kicker["rest"])) for o in others):
            return kicker["rest"]  # 【记者即时播报】headline: the page's title has no kicker
        k = _key(h1)
        # An h1 that is the site's name is the logo, not the headline: agreement means the
        # h1 makes up most of another candidate, not one short segment of it.
        if len(k) >= 4 and k not in declared_keys and any(
                k in _key(o) and len(k) >= AGREEMENT_SHARE * len(_key(o)) for o in others):
            return h1
    best = min(cleaned, key=lambda c: (_RANK.get(c[0], 5) if c[0] not in ("h1", "heading")
                                       else 9))
    heading = next((t for o, t in cleaned if o == "heading"), None)
    if heading and best[0] == "title" and _names_only_the_site(best[1], names, heading):
        return heading  # <title> is just the site's name: the line above the dateline is it
    title = strip_site_suffix(best[1], names) or best[1]
    return _strip_outlet_words(title) if best[0] == "title" else title


def _names_only_the_site(title: str, names: list[str], heading: str) -> bool:
    """A <title> with no separator, short, sharing nothing with the heading ("经济参考网")."""
    k = _key(title)
    return (len(_segments(title)) == 1 and len(k) <= SITE_ONLY_CHARS
            and (any(k == _key(n) for n in names) or _key(heading)[:4] not in k))


def _strip_outlet_words(title: str) -> str:
    """<title> alone sometimes ends in labels joined by a space or comma ("…说法 中国快讯 南方网",
    "…, IBN Live News"). Words shaped like outlet or channel names go: Chinese ones ending
    in 网/报/台/社/快讯/频道, English capitalised ones ending in News/Online/Times/Post/Live/TV."""
    while (match := _OUTLET_RE.search(title)) and len(title) - len(match[0]) >= 8:
        title = title[: match.start()].rstrip(" ,，")
    return title


def _suffix_names(title_tag: str, others: list[str]) -> list[str]:
    """Segments of <title> that are not part of any other candidate: the site's labels."""
    other_keys = [_key(o) for o in others]
    parts = [p for p in _SEP_RE.split(title_tag) if p.strip()]
    if len(parts) < 2 or not other_keys:
        return []
    return [p for p in parts if not any(_key(p) in ok for ok in other_keys)]
