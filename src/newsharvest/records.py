"""The plain records that flow between stages.

config -> ``Source``; fetch -> ``FetchedPage``; extract -> ``Extraction``;
normalize -> ``Article``; harvest -> ``PageOutcome`` / ``SourceReport`` / ``HarvestReport``.

Every record is a frozen dataclass so that a stage cannot quietly change what an
earlier stage produced. Datetimes stay aware ``datetime`` objects until the store (or
``Article.to_row``) writes them as ISO 8601 strings with their offset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

EXTRACTOR_VERSION = "0.1.0"

# The fixed sets some fields take. StrEnum members are str, so what the store writes and
# what JSON prints stays the plain value ("feed", "new", ...).


class DiscoveryKind(StrEnum):
    """How a source's article links are found (the sources.yaml key that names it)."""

    FEED = "feed"
    SITEMAP = "sitemap"
    LISTING = "listing"
    URLS = "urls"  # an inline list in sources.yaml
    URLLIST = "urllist"  # `urls: URL` of a plain-text list fetched each run


class OutcomeStatus(StrEnum):
    """What became of one URL in a run (the `fetches.status` column)."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


class ExtractionMethod(StrEnum):
    """Which stage found the article text."""

    RULES = "rules"  # the source's CSS rules from sources.yaml
    GENERIC = "generic"
    TRAFILATURA = "trafilatura"  # the fallback stage, or the second opinion's vote
    READABILITY = "readability"  # the second opinion: a readability-style container
    HEADLINE = "headline"  # the second opinion: prose right after the headline


class DateOrigin(StrEnum):
    """Where a date candidate was found, most trusted first. A `meta` origin may carry the
    tag's name after a colon ("meta:article:published_time"); `meta:rules` is the source's
    own date selector."""

    RULES = "meta:rules"
    META = "meta"
    JSONLD = "jsonld"
    TIME = "time"
    BYLINE = "byline"
    URL = "url"


class Calendar(StrEnum):
    """How a year printed on a page is counted (sources.yaml `calendar:`, default gregorian).

    `roc`: also read bare Republic of China years (114年10月14日, 114/10/14 = 2025), as
    Taiwanese sites print them; elsewhere a 3-digit "year" is a count, not a date. Years
    marked 民國 are read under either calendar.
    """

    GREGORIAN = "gregorian"
    ROC = "roc"


CHINESE_ZONE = "Asia/Shanghai"


def default_zone(language: str | None) -> ZoneInfo:
    """The one default for times printed without an offset when no `timezone` is set.

    Chinese (any `zh` tag) is read at UTC+8 (Asia/Shanghai): mainland China, Hong Kong,
    Macau, Taiwan and Singapore all keep that offset, and UTC would move evening news onto
    the next day. Anything else, and an unknown language, is read at UTC. A source applies
    it to its configured `language`; a page with no source, to the language detected on it.
    """
    if language and language.lower().startswith("zh"):
        return ZoneInfo(CHINESE_ZONE)
    return ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class SiteRules:
    """Per-source extraction rules from sources.yaml: data, never code.

    Each field is a tuple of CSS selectors, tried in order.
    """

    body: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    date: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """One configured news source (an entry of sources.yaml), validated."""

    name: str
    discovery: DiscoveryKind
    url: str  # the feed / sitemap / listing URL (for "urls": the first URL)
    language: str | None = None
    timezone: str | None = None  # the IANA name configured; None: default_zone(language)
    link_selector: str | None = None
    link_pattern: str | None = None
    urls: tuple[str, ...] = ()
    rules: SiteRules = field(default_factory=SiteRules)
    delay: float = 1.0  # minimum seconds between two requests to one host
    concurrency: int = 2  # requests in flight to one host
    max_articles: int | None = None
    user_agent: str | None = None  # None: the fetcher's default (fetch.client.USER_AGENT)
    calendar: Calendar = Calendar.GREGORIAN
    # The zone itself, resolved once here from `timezone` (else `default_zone(language)`):
    # every stage reads this, none re-derives it.
    zone: ZoneInfo = field(init=False, repr=False)

    def __post_init__(self) -> None:
        zone = ZoneInfo(self.timezone) if self.timezone else default_zone(self.language)
        object.__setattr__(self, "zone", zone)
        object.__setattr__(self, "discovery", DiscoveryKind(self.discovery))
        object.__setattr__(self, "calendar", Calendar(self.calendar))


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One HTTP response, with the decoded text and how its encoding was chosen."""

    requested_url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content: bytes
    text: str
    encoding: str
    encoding_rule: str  # "bom" | "header" | "meta" | "detected" | "default"
    fetched_at: datetime
    source: str | None = None


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """A date string found on a page and where it was found (decides trust)."""

    text: str
    origin: str  # a DateOrigin, a `meta` one with the tag name: "meta:article:published_time"
    kind: str = "published"  # "published" | "modified"


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the extractor found on a page, before normalisation."""

    paragraphs: tuple[str, ...]
    title_candidates: tuple[tuple[str, str], ...] = ()  # (origin, text): "og", "h1", "title", ...
    date_candidates: tuple[DateCandidate, ...] = ()
    authors: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()  # editor lines: 责编 / 校对 / 编辑 / Edited by
    origin: str | None = None  # 来源 / 來源: the outlet the story came from
    canonical_url: str | None = None
    site_name: str | None = None
    html_lang: str | None = None
    method: ExtractionMethod = ExtractionMethod.GENERIC


@dataclass(frozen=True, slots=True)
class Article:
    """One clean article record: what the store keeps and `extract --json` prints."""

    url: str
    title: str | None
    published: datetime | None
    body: str  # paragraphs separated by one blank line
    language: str | None  # BCP 47: zh-Hans, zh-Hant, en, ...
    content_hash: str
    source: str | None = None
    modified: datetime | None = None
    authors: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    origin: str | None = None
    simhash: int | None = None
    story_id: str | None = None
    fetched_at: datetime | None = None
    requested_url: str | None = None
    extractor_version: str = EXTRACTOR_VERSION
    # The body's story-linking sketch (store/sketch.py `pack`), made once by normalize in
    # the extraction workers rather than by the store's single writer; not a stored column.
    sketch: bytes | None = field(default=None, compare=False, repr=False)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p]

    def to_row(self) -> dict[str, Any]:
        """A flat dict of plain types (str/int/None), for SQLite, JSON and Arrow."""
        return {
            "url": self.url,
            "source": self.source,
            "title": self.title,
            "published": _iso(self.published),
            "modified": _iso(self.modified),
            "body": self.body,
            "language": self.language,
            "authors": "\n".join(self.authors) or None,
            "credits": "\n".join(self.credits) or None,
            "origin": self.origin,
            "content_hash": self.content_hash,
            # SQLite integers are signed 64-bit: store the 64-bit sketch as hex text.
            "simhash": f"{self.simhash:016x}" if self.simhash is not None else None,
            "story_id": self.story_id,
            "fetched_at": _iso(self.fetched_at),
            "extractor_version": self.extractor_version,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Article:
        """The inverse of `to_row` (extra keys, such as a Parquet part's warc_* columns,
        are ignored), so a row read back from SQLite or Parquet is an Article again."""
        simhash = row.get("simhash")
        return cls(
            url=row["url"], title=row.get("title"), published=parse_iso(row.get("published")),
            body=row["body"], language=row.get("language"), content_hash=row["content_hash"],
            source=row.get("source"), modified=parse_iso(row.get("modified")),
            authors=tuple((row.get("authors") or "").split("\n")) if row.get("authors") else (),
            credits=tuple((row.get("credits") or "").split("\n")) if row.get("credits") else (),
            origin=row.get("origin"), simhash=int(simhash, 16) if simhash else None,
            story_id=row.get("story_id"), fetched_at=parse_iso(row.get("fetched_at")),
            requested_url=row.get("requested_url"),
            extractor_version=row.get("extractor_version") or EXTRACTOR_VERSION,
            sketch=row.get("story_sketch"),  # an ingest part's (store/sketch.py `pack`)
        )


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What happened to one URL in a harvest; becomes a row of the `fetches` table."""

    url: str
    source: str
    status: OutcomeStatus
    at: datetime
    http_status: int | None = None
    error_kind: str | None = None
    error: str | None = None
    elapsed: float | None = None


@dataclass(slots=True)
class SourceReport:
    """Counts for one source in one harvest run (mutable while the run goes on)."""

    source: str
    discovered: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0  # not fetched on purpose (e.g. not captured in a replay folder)
    pending: int = 0  # links left for later runs (--limit, --time-budget, back-off)
    errors: list[str] = field(default_factory=list)
    source_error: str | None = None  # discovery failed: the source as a whole failed

    @property
    def ok(self) -> bool:
        return self.source_error is None and self.failed == 0

    @property
    def failures(self) -> int:
        """Failed pages plus a failed discovery document (a row in `fetches` too): the
        figure both a source's line and the total print."""
        return self.failed + (1 if self.source_error else 0)

    def summary(self) -> str:
        status = "ok" if self.ok else "FAILED"
        line = (
            f"{self.source}: {status} discovered={self.discovered} new={self.new} "
            f"updated={self.updated} unchanged={self.unchanged} failed={self.failures}"
        )
        if self.skipped:
            line += f" skipped={self.skipped}"
        if self.pending:
            line += f" pending={self.pending}"
        if self.source_error:
            line += f" ({self.source_error})"
        return line


@dataclass(slots=True)
class HarvestReport:
    """The result of one harvest run: one SourceReport per source."""

    sources: list[SourceReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.sources)

    def total(self) -> SourceReport:
        t = SourceReport(source="total")
        for s in self.sources:
            t.discovered += s.discovered
            t.new += s.new
            t.updated += s.updated
            t.unchanged += s.unchanged
            t.skipped += s.skipped
            t.pending += s.pending
            t.failed += s.failures
        return t


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_iso(value: str | None, *, naive_tz: tzinfo | None = None) -> datetime | None:
    """An ISO 8601 timestamp as written by `to_row` (or a WARC-Date), None when empty or
    unreadable; `naive_tz` is given to a timestamp without an offset."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=naive_tz) if parsed.tzinfo is None and naive_tz else parsed
