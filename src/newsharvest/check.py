"""Try a source, or save a page as a fixture: what a user does when adding a site.

`check_source` fetches a source's discovery document and its first article and returns
what the extractor made of it, so a new sources.yaml entry can be judged at once.
`add_fixture` saves a live page into the fixture layout (page, manifest entry, expected
record from the current extractor) so every new site becomes a regression test once a
person has reviewed the expected record.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from .errors import ConfigError, NewsharvestError
from .fetch.client import Fetcher, FetchSettings
from .page import PageFailure, extract_page
from .records import Article, FetchedPage, Source

REVIEW_NOTE = "written by `newsharvest fixture add`: review every field, then delete this key"


@dataclass(slots=True)
class SourceCheck:
    """What one source yields now: links found and the first article as extracted."""

    source: str
    discovered: int = 0
    sample_url: str | None = None
    article: Article | None = None
    error: str | None = None
    seconds: float = 0.0


def check_source(source: Source, *, transport: httpx.AsyncBaseTransport | None = None,
                 settings: FetchSettings | None = None) -> SourceCheck:
    """Discover the source's links and extract its first article (no database written)."""
    return asyncio.run(_check(source, transport, settings))


async def _check(source: Source, transport: httpx.AsyncBaseTransport | None,
                 settings: FetchSettings | None) -> SourceCheck:
    from .harvest import HarvestOptions, _Run
    from .store import Store

    result = SourceCheck(source=source.name)
    started = time.monotonic()
    with Store(":memory:") as scratch:  # discovery needs a store for its validators
        run = _Run(scratch, HarvestOptions(), None)
        async with Fetcher(settings, transport) as fetcher:
            try:
                links = await run.discover(fetcher, source)
                result.discovered = len(links)
                if links:
                    result.sample_url = links[0].url
                    page = await fetcher.fetch(links[0].url, delay=0.0, source=source.name)
                    article = extract_page(page.text, page.final_url, source=source,
                                           headers=page.headers, fetched_at=page.fetched_at)
                    if isinstance(article, PageFailure):
                        raise article.error()
                    result.article = article
            except NewsharvestError as exc:
                result.error = str(exc)
    result.seconds = time.monotonic() - started
    return result


def add_fixture(url: str, case: str, *, root: str | Path = "fixtures",
                source: Source | None = None,
                transport: httpx.AsyncBaseTransport | None = None) -> Path:
    """Fetch `url` and write it as fixture `<root>/<portal>/<case>/`; returns the case folder."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", case):
        raise ConfigError(f"case name {case!r} must use lower-case letters, digits and '-'",
                          field="--name")
    page = asyncio.run(_fetch_one(url, transport))
    portal = source.name if source is not None else _slug(urlsplit(page.final_url).netloc)
    folder = Path(root) / portal / case
    if folder.exists():
        raise ConfigError(f"fixture {folder} exists already", field="--name")
    date = page.headers.get("date") or email.utils.format_datetime(page.fetched_at, usegmt=True)
    headers = {"content-type": page.headers.get("content-type", "text/html"), "date": date}
    # The Date saved in the manifest is what a replay of the fixture will date it by.
    article = extract_page(page.text, page.final_url, source=source,  # decoded once, by fetch
                           headers=headers, fetched_at=page.fetched_at)
    if isinstance(article, PageFailure):
        raise article.error()
    folder.mkdir(parents=True)
    (folder / "page.html").write_bytes(page.content)
    expected = {
        "_review": REVIEW_NOTE,
        "url": article.url,
        "source": portal,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "body": article.body,
        "boilerplate": [],
        "authors": list(article.authors),
        "credits": list(article.credits),
        "origin": article.origin,
    }
    (folder / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    manifest_path = folder.parent / "manifest.json"
    manifest = (json.loads(manifest_path.read_text(encoding="utf-8"))
                if manifest_path.exists() else {})
    manifest[url] = {"file": f"{case}/page.html", "status": 200, "headers": headers}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    return folder


async def _fetch_one(url: str, transport: httpx.AsyncBaseTransport | None) -> FetchedPage:
    async with Fetcher(transport=transport) as fetcher:
        return await fetcher.fetch(url, delay=0.0)


def _slug(host: str) -> str:
    host = host.split(":")[0].lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9]+", "-", host).strip("-") or "site"

