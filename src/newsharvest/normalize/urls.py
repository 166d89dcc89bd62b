"""Canonical URLs: one page is one row however it was reached.

rel=canonical / og:url win when they point at the same site; tracking parameters (utm_*,
spm, from, share, ...) are dropped; fragments are dropped; the host is lower-cased.
Mobile-host mapping (m.example.com -> www.example.com) is only applied through the page's
own canonical link, because guessing a desktop host can point at a page that does not exist.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({
    "spm", "from", "share", "share_token", "shareid", "share_source", "fbclid", "gclid",
    "igshid", "mc_cid", "mc_eid", "cmpid", "ocid", "src", "ref", "ref_src", "scm", "mod",
    "s_trk", "cid", "ncid", "isappinstalled", "wfr", "tt_from", "utm_source", "_ga",
})


def clean_url(url: str) -> str:
    """Drop fragment and tracking parameters; lower-case scheme and host."""
    parts = urlsplit(url.strip())
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
    ]
    netloc = parts.netloc.lower()
    if netloc.endswith(":80") and parts.scheme == "http":
        netloc = netloc[:-3]
    if netloc.endswith(":443") and parts.scheme == "https":
        netloc = netloc[:-4]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def canonical_url(page_url: str, declared: str | None = None) -> str:
    """The URL a page is stored under: its declared canonical when trustworthy, else itself."""
    base = clean_url(page_url)
    if declared:
        resolved = urljoin(page_url, declared.strip())
        parts = urlsplit(resolved)
        if parts.scheme in ("http", "https") and _same_site(parts.netloc, urlsplit(base).netloc):
            return clean_url(resolved)
    return base


def registrable_domain(host: str) -> str:
    """The site a host belongs to (news.example.co.jp -> example.co.jp), without a suffix list."""
    labels = host.lower().split(":")[0].split(".")
    # Good enough for same-site checks: last two labels, three for ccTLD second levels.
    if len(labels) >= 3 and labels[-2] in {"com", "net", "org", "gov", "edu", "co", "ac"}:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _same_site(a: str, b: str) -> bool:
    return registrable_domain(a) == registrable_domain(b)
