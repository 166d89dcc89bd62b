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
_SEP_RE = re.compile(r"\s+[|｜\-–—·•:：]\s+|\s*[_｜|]\s*|\s+[-–—]\s*|\s*[–—]\s+")
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
_RANK = {"rules": 0, "h1": 1, "og": 2, "jsonld": 2, "meta": 3, "title": 4}


def _key(text: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text)).lower()


def _strip_hyphen_labels(title: str) -> str:
    while (match := _HYPHEN_LABEL_RE.search(title)) and _HAS_CJK_RE.search(match["label"]) \
            and len(title) - len(match[0]) >= 8:
        title = title[: match.start()].rstrip()
    return title


def strip_site_suffix(title: str, site_names: list[str]) -> str:
    """Drop leading/trailing segments that name the site; keep the headline segment(s)."""
    title = _strip_hyphen_labels(title)
    parts = [p for p in _SEP_RE.split(title) if p.strip()]
    if len(parts) < 2:
        return title.strip()
    keys = [_key(n) for n in site_names if _key(n)]

    def is_site(part: str) -> bool:
        k = _key(part)
        return bool(k) and any(k in s or s in k for s in keys)

    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    if len(parts) > 1 and not keys:
        # No site name known: the headline is the longest segment when it clearly dominates.
        longest = max(parts, key=len)
        if len(longest) >= 0.6 * sum(len(p) for p in parts):
            return longest.strip()
    if len(parts) > 1:
        # Known names did not match every extra segment: cut only the trailing ones after
        # the longest, which are section or site labels ("科技_网易", "Business | Reuters").
        cut = parts.index(max(parts, key=len))
        parts = parts[: cut + 1] if cut == 0 else parts
    return re.sub(r"\s+", " ", " ".join(parts)).strip() if len(parts) > 1 else parts[0].strip()


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
    best = min(cleaned, key=lambda c: (_RANK.get(c[0], 5) if c[0] != "h1" else 9))
    title = strip_site_suffix(best[1], names) or best[1]
    return _strip_outlet_words(title) if best[0] == "title" else title


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
