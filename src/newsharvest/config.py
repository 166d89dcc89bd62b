"""sources.yaml -> validated `Source` records.

Validation happens entirely before any network traffic, and every error names the file,
the entry (index and name) and the field, because the people who read these messages are
editing a YAML file by hand at 3 a.m. after cron mailed them.

Schema (see README "Configuring sources")::

    defaults:                 # optional, applies to every source
      delay: 1.0
      concurrency: 2
      timezone: UTC
    sources:
      - name: example-zh      # required, unique, [a-z0-9-]
        feed: URL             # exactly one of feed / sitemap / listing / urls
        listing: URL          #   needs link_selector (CSS); link_pattern: optional regex
        link_selector: CSS
        link_pattern: REGEX
        sitemap: URL
        urls: [URL, ...]      #   or `urls: URL` of a plain-text list, one URL a line
        language: zh-Hans     # optional hint: zh-Hans, zh-Hant, en, ...
        timezone: Asia/Shanghai   # default: Asia/Shanghai (UTC+8) for zh*, else UTC
        calendar: roc         # default gregorian; roc also reads bare ROC years (114年)
        delay: 1.0            # seconds between two requests to one host
        concurrency: 2        # requests in flight to one host
        max_articles: 50      # per run
        rules:                # optional per-source extraction rules (CSS selectors)
          body: "div.post_body"
          remove: ["div.related", ".share-bar"]
          title: "h1.post_title"
          date: ".post_info time"
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from .errors import ConfigError
from .normalize.urls import registrable_domain
from .records import Calendar, DiscoveryKind, SiteRules, Source

DISCOVERY_KEYS = ("feed", "sitemap", "listing", "urls")
SOURCE_KEYS = frozenset(
    {"name", *DISCOVERY_KEYS, "link_selector", "link_pattern", "language", "timezone", "delay",
     "concurrency", "max_articles", "rules", "user_agent", "calendar"}
)
DEFAULT_KEYS = frozenset({"language", "timezone", "delay", "concurrency", "max_articles",
                          "user_agent", "calendar"})
RULE_KEYS = frozenset({"body", "remove", "title", "date"})
# Seconds one page's extraction may take in harvest and ingest (`--page-timeout`); a page
# over it fails as "timeout" for good and its worker is replaced (see workers.py).
DEFAULT_PAGE_TIMEOUT = 30.0
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_PROBE = LexborHTMLParser("<p></p>")
MAX_DELAY = 3600.0  # seconds between two requests to one host
MAX_CONCURRENCY = 64  # requests in flight to one host
MAX_ARTICLES = 1_000_000  # per source and run


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources.yaml file; raise ConfigError naming file, entry and field."""
    path = Path(path)
    where = str(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", path=where) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=where) from exc
    try:
        data = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        raise ConfigError(yaml_error_line(exc), path=where) from exc
    return parse_sources(data, path=where)


def yaml_error_line(exc: yaml.YAMLError) -> str:
    """PyYAML's several-line report as one line: where (line and column, from 1) and what."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return f"{where}not valid YAML: {problem}"


def validate_sources_file(path: str | Path) -> list[Source]:
    """Check a sources file without network traffic: YAML, fields, values, selectors and
    regular expressions (what `load_sources` checks). Returns the sources it defines."""
    return load_sources(path)


def parse_sources(data: Any, *, path: str = "<config>") -> list[Source]:
    """Validate already-parsed YAML data (a mapping with `sources:`)."""
    if not isinstance(data, Mapping):
        raise ConfigError("top level must be a mapping with a 'sources' list", path=path)
    unknown = set(data) - {"sources", "defaults"}
    if unknown:
        raise ConfigError(
            f"unknown top-level key(s) {sorted(unknown)}; expected 'sources' and optional "
            "'defaults'", path=path, field=sorted(unknown)[0],
        )
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise ConfigError("must be a mapping", path=path, field="defaults")
    for key in defaults:
        if key not in DEFAULT_KEYS:
            raise ConfigError(
                f"unknown key{_suggest(key, DEFAULT_KEYS)}", path=path, entry="defaults", field=key
            )
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise ConfigError("must be a non-empty list of sources", path=path, field="sources")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        source = _parse_entry(entry, index, defaults, path)
        if source.name in seen:
            raise ConfigError(
                f"duplicate source name {source.name!r}", path=path,
                entry=f"#{index + 1} ({source.name})", field="name",
            )
        seen.add(source.name)
        sources.append(source)
    return sources


def _parse_entry(entry: Any, index: int, defaults: Mapping[str, Any], path: str) -> Source:
    label = f"#{index + 1}"
    if not isinstance(entry, Mapping):
        raise ConfigError("each source must be a mapping", path=path, entry=label)
    name = entry.get("name")
    if isinstance(name, str):
        label = f"#{index + 1} ({name})"

    def fail(field: str, message: str) -> ConfigError:
        return ConfigError(message, path=path, entry=label, field=field)

    for key in entry:
        if key not in SOURCE_KEYS:
            raise fail(str(key), f"unknown field{_suggest(str(key), SOURCE_KEYS)}")
    if not isinstance(name, str) or not name:
        raise fail("name", "required: a unique name of [a-z0-9-]")
    if not NAME_RE.match(name):
        raise fail("name", f"{name!r} must use only lower-case letters, digits and '-'")

    present = [k for k in DISCOVERY_KEYS if k in entry]
    if len(present) != 1:
        raise fail(
            "feed",
            "exactly one of feed / sitemap / listing / urls is required"
            + (f" (found {', '.join(present)})" if present else ""),
        )
    kind = DiscoveryKind(present[0])
    urls: tuple[str, ...] = ()
    if kind == DiscoveryKind.URLS and isinstance(entry["urls"], str):
        # A URL of a plain-text list (one article URL per line), fetched each run.
        kind = DiscoveryKind.URLLIST
        url = _url(entry["urls"], fail, "urls")
    elif kind == DiscoveryKind.URLS:
        value = entry["urls"]
        if not isinstance(value, list) or not value:
            raise fail("urls", "must be a non-empty list of URLs, or the URL of a text list")
        urls = tuple(_url(u, fail, "urls") for u in value)
        url = urls[0]
    else:
        url = _url(entry[kind], fail, kind)

    selector = entry.get("link_selector")
    if kind == DiscoveryKind.LISTING:
        if not isinstance(selector, str) or not selector.strip():
            raise fail("link_selector", "required with 'listing': a CSS selector for article links")
        _css(selector, fail, "link_selector")
    elif selector is not None:
        raise fail("link_selector", "only allowed with 'listing'")
    pattern = entry.get("link_pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise fail("link_pattern", "must be a regular expression string")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise fail("link_pattern", f"invalid regular expression: {exc}") from exc

    merged = {**defaults, **{k: v for k, v in entry.items() if k in DEFAULT_KEYS}}
    language = merged.get("language")
    if language is not None and (not isinstance(language, str) or not LANGUAGE_RE.match(language)):
        raise fail("language", f"{language!r} is not a BCP 47 tag like zh-Hans, zh-Hant or en")
    timezone = merged.get("timezone")
    if timezone is not None:
        if not isinstance(timezone, str):
            raise fail("timezone", "must be an IANA timezone name like Asia/Shanghai")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            message = f"unknown timezone {timezone!r} (use e.g. Asia/Shanghai)"
            raise fail("timezone", message) from None
    calendar = merged.get("calendar", Calendar.GREGORIAN)
    if not isinstance(calendar, str) or calendar not in {c.value for c in Calendar}:
        known = " or ".join(c.value for c in Calendar)
        raise fail("calendar", f"{calendar!r} is not a known calendar (use {known})")
    delay = _number(merged.get("delay", 1.0), fail, "delay", minimum=0.0, maximum=MAX_DELAY)
    concurrency = int(_number(merged.get("concurrency", 2), fail, "concurrency", minimum=1,
                              maximum=MAX_CONCURRENCY, integer=True))
    max_articles = merged.get("max_articles")
    if max_articles is not None:
        max_articles = int(_number(max_articles, fail, "max_articles", minimum=1,
                                   maximum=MAX_ARTICLES, integer=True))
    user_agent = _user_agent(merged.get("user_agent"), fail)

    return Source(
        name=name, discovery=kind, url=url, language=language, timezone=timezone,
        link_selector=selector, link_pattern=pattern, urls=urls,
        rules=_rules(entry.get("rules"), fail), delay=delay, concurrency=concurrency,
        max_articles=max_articles, user_agent=user_agent, calendar=Calendar(calendar),
    )


def _user_agent(value: Any, fail: Any) -> str | None:
    """A User-Agent header value: printable, one line (a newline would split the header)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        raise fail("user_agent", "must be one line of printable text, e.g. "
                   "'mybot/1.0 (+https://example.org/contact)'")
    return value.strip()


def _rules(value: Any, fail: Any) -> SiteRules:
    if value is None:
        return SiteRules()
    if not isinstance(value, Mapping):
        raise fail("rules", "must be a mapping with body / remove / title / date selectors")
    out: dict[str, tuple[str, ...]] = {}
    for key, selectors in value.items():
        field = f"rules.{key}"
        if key not in RULE_KEYS:
            raise fail(field, f"unknown rule{_suggest(str(key), RULE_KEYS)}")
        items = [selectors] if isinstance(selectors, str) else selectors
        if not isinstance(items, list) or not all(isinstance(s, str) and s for s in items):
            raise fail(field, "must be a CSS selector or a list of them")
        out[key] = tuple(_css(s, fail, field) for s in items)
    return SiteRules(**out)


def _url(value: Any, fail: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(field, "missing URL")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise fail(field, f"{value!r} is not an absolute http(s) URL")
    return value.strip()


def _css(selector: str, fail: Any, field: str) -> str:
    try:
        _PROBE.css(selector)
    except SelectolaxError as exc:
        raise fail(field, f"invalid CSS selector {selector!r}: {exc}") from exc
    return selector


def _number(value: Any, fail: Any, field: str, *, minimum: float, maximum: float,
            integer: bool = False) -> float:
    """A finite number in [minimum, maximum]: `.inf` or `.nan` would pass a bare `<`
    check and then hang the harvest (a delay of infinity) or compare as never true."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(field, f"must be a number, got {value!r}")
    if not math.isfinite(value):
        raise fail(field, f"must be a finite number, got {value!r}")
    if integer and not float(value).is_integer():
        raise fail(field, f"must be a whole number, got {value!r}")
    if not minimum <= value <= maximum:
        raise fail(field, f"must be between {minimum:g} and {maximum:g}, got {value!r}")
    return float(value)


def _suggest(key: str, known: frozenset[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(sorted(known))})"


def parse_shard(value: str) -> tuple[int, int]:
    """`"I/N"` (1 <= I <= N) -> (I, N); ConfigError naming the shard otherwise."""
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise ConfigError(f"{value!r} is not I/N (e.g. 1/4)", field="shard") from None
    if not 1 <= index <= count:
        raise ConfigError(f"{value!r}: I must be between 1 and N", field="shard")
    return index, count


def select_sources(sources: Sequence[Source], names: Sequence[str], *, path: str,
                   field: str | None = None) -> list[Source]:
    """The sources called `names` (all when none is given), in file order; a ConfigError
    naming the file and the unknown names (with the closest known name) otherwise."""
    known = {s.name for s in sources}
    unknown = [n for n in names if n not in known]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], sorted(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ConfigError(f"no source named {', '.join(unknown)}{hint}", path=path,
                          field=field)
    return [s for s in sources if not names or s.name in names]


def select_shard(sources: Sequence[Source], index: int, count: int) -> list[Source]:
    """The sources machine `index` of `count` harvests.

    Split by site (registrable domain of the source URL), hashed with SHA-1 so every
    machine computes the same split from the same sources.yaml without talking to the
    others, and one site's politeness budget stays on one machine.
    """
    def shard_of(source: Source) -> int:
        site = registrable_domain(urlsplit(source.url).hostname or source.url)
        return int.from_bytes(hashlib.sha1(site.encode()).digest()[:8], "big") % count

    return [s for s in sources if shard_of(s) == index - 1]
