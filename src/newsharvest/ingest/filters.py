"""Which WARC records are worth extracting, decided as early (as cheaply) as possible.

A CC-NEWS file holds pages of thousands of sites in dozens of languages; extraction is
the expensive step, so a record is dropped by URL (host, pattern, configured sources)
before its payload is even decoded, then by the language the page declares (HTTP
Content-Language or `<html lang>`), and only last by the language detected in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..normalize.urls import registrable_domain
from ..records import Source

_LANG_ATTR = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)",
                        re.IGNORECASE)
_HINT_BYTES = 4096


@dataclass(frozen=True)
class PageFilter:
    """What to keep. Empty fields keep everything; all given fields must agree.

    `hosts` match a host and its subdomains ("example.org" keeps www.example.org);
    `url_pattern` is a regular expression searched in the URL; `languages` are BCP 47
    prefixes ("zh" keeps zh-Hans and zh-Hant, "zh-Hant" only Traditional); `sources`
    keeps pages of the configured sources' sites and gives each page its source's name,
    timezone and site rules, exactly as a live harvest would.
    """

    hosts: tuple[str, ...] = ()
    url_pattern: str | None = None
    languages: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    _by_site: dict[str, tuple[Source, ...]] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_site: dict[str, list[Source]] = {}
        for source in self.sources:
            for site in {registrable_domain(_host(u)) for u in (source.url, *source.urls)}:
                by_site.setdefault(site, []).append(source)
        object.__setattr__(self, "_by_site", {k: tuple(v) for k, v in by_site.items()})
        object.__setattr__(self, "_pattern",
                           re.compile(self.url_pattern) if self.url_pattern else None)

    def source_for(self, url: str) -> Source | None:
        """The configured source this URL belongs to, or None.

        On the URL's own site: the source whose `link_pattern` matches, else one without a
        pattern (the one configured on the URL's exact host first: m.example.com pages go
        to the source whose listing is on m.example.com). Failing that, any source whose
        `link_pattern` matches: that is how a feed hosted elsewhere (feedburner, say)
        claims its site's pages. A site
        configured as several sources without patterns cannot be told apart in an
        archive; its pages go to the first of them.
        """
        host = _host(url)
        candidates = self._by_site.get(registrable_domain(host), ())
        for source in candidates:
            if source.link_pattern and re.search(source.link_pattern, url):
                return source
        plain = [s for s in candidates if not s.link_pattern]
        chosen = next((s for s in plain if host in _hosts(s)), plain[0] if plain else None)
        if chosen is not None:
            return chosen
        return next((s for s in self.sources
                     if s.link_pattern and re.search(s.link_pattern, url)), None)

    def wants_url(self, url: str) -> tuple[bool, Source | None]:
        """Keep this URL? And the source it belongs to."""
        if not (self.hosts or self._pattern or self.sources):
            return True, None
        host = _host(url)
        if self.hosts and not any(host == h or host.endswith("." + h) for h in self.hosts):
            return False, None
        if self._pattern is not None and not self._pattern.search(url):
            return False, None
        source = self.source_for(url) if self.sources else None
        if self.sources and source is None:
            return False, None
        return True, source

    def wants_hint(self, content_language: str | None, payload: bytes) -> bool:
        """False only when the page declares a language we do not want (no hint: keep)."""
        if not self.languages:
            return True
        hint = content_language
        if not hint:
            match = _LANG_ATTR.search(payload, 0, _HINT_BYTES)
            hint = match.group(1).decode("ascii") if match else None
        if not hint:
            return True
        primary = hint.split(",")[0].strip().replace("_", "-").split("-")[0].lower()
        return any(lang.split("-")[0].lower() == primary for lang in self.languages)

    def wants_language(self, language: str | None) -> bool:
        """The final check, on the language detected in the extracted text."""
        if not self.languages:
            return True
        if not language:
            return False
        found = language.lower()
        return any(found == lang.lower() or found.startswith(lang.lower() + "-")
                   for lang in self.languages)


def _hosts(source: Source) -> set[str]:
    return {_host(u) for u in (source.url, *source.urls)}


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
