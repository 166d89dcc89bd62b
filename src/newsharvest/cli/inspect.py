"""`newsharvest extract`: one page (file or URL) to one record, for trying the extractor."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..config import DEFAULT_PAGE_TIMEOUT, load_sources, select_sources
from ..errors import ExtractionError, NewsharvestError
from ..fetch.politeness import http_date
from ..records import Article, Source, parse_iso
from .common import DEFAULT_SOURCES

if TYPE_CHECKING:
    from ..check import SourceCheck


def source_named(sources_path: str, name: str | None) -> Source | None:
    """The source called `name` in the sources file (None when no name is given)."""
    if not name:
        return None
    return select_sources(load_sources(sources_path), [name], path=sources_path)[0]


@click.command("extract")
@click.argument("targets", nargs=-1, required=True, metavar="FILE_OR_URL...")
@click.option("--url", help="The page's address when a target is a saved file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default=None,
              help="text (readable), json (one object; an array for several pages) or "
                   "jsonl (one object a line).  [default: text]")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--source", "source_name", metavar="NAME",
              help="Apply this source's timezone, language hint and rules.")
@click.option("--sources", "sources_path", default=DEFAULT_SOURCES, show_default=True,
              type=click.Path(dir_okay=False), help="Sources file for --source.")
@click.option("--content-type", help="Content-Type header of a saved file (for its charset).")
@click.option("--date", "fetched", metavar="DATE",
              help="When a saved file was fetched (its Date header, or ISO 8601 UTC): "
                   "relative dates such as 3小时前 count from it.")
def extract_command(targets: tuple[str, ...], url: str | None, fmt: str | None, as_json: bool,
                    source_name: str | None, sources_path: str,
                    content_type: str | None, fetched: str | None) -> None:
    """Extract articles from saved HTML files, standard input or URLs.

    Each target is a file, - for standard input, or an http(s) URL. A target that is not
    an HTML page, or has no article text, is reported on stderr; the others are printed,
    and the exit status is then 1.

    Example: newsharvest extract page1.html page2.html --format jsonl
    """
    if as_json and fmt not in (None, "json"):
        raise click.BadParameter("--json and --format disagree", param_hint="--json")
    fmt = fmt or ("json" if as_json else "text")
    if url and len(targets) > 1:
        raise click.BadParameter("--url names one page: give one target", param_hint="--url")
    source = source_named(sources_path, source_name)
    fetched_at = _when(fetched)
    for target in targets:  # missing files are a usage error before any output
        if target != "-" and not target.startswith(("http://", "https://")) \
                and not Path(target).is_file():
            raise click.BadParameter(f"no such file: {target}", param_hint="FILE_OR_URL")
    quiet_fallback_logs()
    rows: list[dict[str, object]] = []
    failed = 0
    for target in targets:
        try:
            article = extract_target(target, url, source, content_type, fetched_at)
        except NewsharvestError as exc:
            failed += 1
            click.echo(f"Error: {exc}", err=True)
            continue
        if fmt == "text":
            print_article(article, first=not rows)
            rows.append({})
        elif fmt == "jsonl":
            click.echo(json.dumps(article_json(article), ensure_ascii=False))
        else:
            rows.append(article_json(article))
    if fmt == "json" and rows:
        value = rows[0] if len(targets) == 1 else rows
        click.echo(json.dumps(value, ensure_ascii=False))
    if failed:
        raise SystemExit(1)


def extract_target(target: str, url: str | None, source: Source | None,
                   content_type: str | None, fetched_at: datetime | None = None) -> Article:
    """One target (file, - or URL) to one Article, through the same page step as harvest
    (page.extract_page); ExtractionError when it is not an HTML page with article text (an
    image, an empty file, random bytes)."""
    from ..page import PageFailure, extract_page  # the extractor: only when extracting

    content: str | bytes
    headers = {"content-type": content_type} if content_type else {}
    if target.startswith(("http://", "https://")):
        from ..fetch.client import Fetcher

        async def get() -> tuple[str, str, dict[str, str], datetime]:
            async with Fetcher() as fetcher:
                page = await fetcher.fetch(target, delay=0)
                # decoded once, by fetch
                return page.text, page.final_url, page.headers, page.fetched_at

        content, url, headers, fetched_at = asyncio.run(get())
        name = target
    else:
        content = sys.stdin.buffer.read() if target == "-" else Path(target).read_bytes()
        name = "standard input" if target == "-" else target
        problem = not_html(content)
        if problem:
            raise ExtractionError(f"{name}: {problem}")
    article = extract_page(content, url or "", source=source, headers=headers,
                           fetched_at=fetched_at)
    if isinstance(article, PageFailure):
        if article.kind == ExtractionError.kind:
            raise ExtractionError(f"{name}: no article text found")
        raise article.error()
    return article


def not_html(content: bytes) -> str | None:
    """Why these bytes are no HTML page (empty, binary), or None when they may be one."""
    from ..fetch.decode import is_html_response

    if not content.strip():
        return "empty file"
    head = content[:1024]
    if not is_html_response("text/html", content) or b"\x00" in head.replace(b"\x00<", b""):
        return "not an HTML page (binary data)"
    return None


def quiet_fallback_logs() -> None:
    """trafilatura (the fallback for pages with next to no text) logs its own complaints
    about odd input at WARNING; the command reports those pages itself, once."""
    if logging.getLogger().level >= logging.WARNING:
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def article_json(article: Article) -> dict[str, object]:
    """The record as JSON: authors and credits as lists."""
    row: dict[str, object] = dict(article.to_row())
    row["authors"] = list(article.authors)
    row["credits"] = list(article.credits)
    return row


def print_article(article: Article, *, first: bool) -> None:
    if not first:
        click.echo("")
    click.echo(f"url:       {article.url}")
    click.echo(f"title:     {article.title}")
    click.echo(f"published: {article.published.isoformat() if article.published else None}")
    click.echo(f"language:  {article.language}")
    if article.authors:
        click.echo(f"authors:   {', '.join(article.authors)}")
    click.echo("")
    click.echo(article.body)


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    when = http_date(value) or parse_iso(value, naive_tz=UTC)
    if when is None:
        raise click.BadParameter(f"{value!r} is neither an HTTP date nor ISO 8601",
                                 param_hint="--date")
    return when


@click.group("sources")
def sources_group() -> None:
    """Check the configured sources.

    Example: newsharvest sources validate sources.yaml && newsharvest sources check ltn
    """


@sources_group.command("validate")
@click.argument("path", default=DEFAULT_SOURCES, required=False, metavar="[FILE]",
                type=click.Path(dir_okay=False))
def sources_validate_command(path: str) -> None:
    """Check a sources file without any network traffic.

    YAML syntax, fields, values, CSS selectors and regular expressions, as harvest checks
    them before it starts. Exit status 2 with one line naming the file, entry and field.

    Example: newsharvest sources validate sources.yaml
    """
    from ..config import validate_sources_file

    sources = validate_sources_file(path)
    click.echo(f"{path}: {len(sources)} sources, valid")


@sources_group.command("check")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--sources", "sources_path", default=DEFAULT_SOURCES, show_default=True,
              type=click.Path(dir_okay=False), help="Sources file.")
@click.option("--page-timeout", type=click.FloatRange(min=0.1), default=DEFAULT_PAGE_TIMEOUT,
              show_default=True, metavar="SECONDS",
              help="Seconds the first article's extraction may take (as in harvest).")
def sources_check_command(names: tuple[str, ...], sources_path: str,
                          page_timeout: float) -> None:
    """Fetch each source's discovery page and first article; show what was extracted.

    Sources on different hosts are checked at once (each host politely, as in a harvest);
    a summary table ends the output. Exit status 1 when any source failed.

    Example: newsharvest sources check ltn bbc-zh
    """
    from ..check import check_sources
    from .query import emit_rows

    sources = select_sources(load_sources(sources_path), names, path=sources_path)
    quiet_fallback_logs()
    results = check_sources(sources, on_done=print_check, page_timeout=page_timeout)
    click.echo("\nsummary:")
    emit_rows(({
        "source": r.source,
        "result": "FAILED" if failed_check(r) else "ok",
        "links": r.discovered,
        "title": (r.article.title or "")[:40] if r.article else "",
        "paragraphs": len(r.article.paragraphs) if r.article else "",
        "seconds": f"{r.seconds:.1f}",
        "error": r.error or ("no links found" if not r.discovered else ""),
    } for r in results), "table")
    if any(failed_check(r) for r in results):
        raise SystemExit(1)


def failed_check(result: SourceCheck) -> bool:
    return bool(result.error) or result.discovered == 0


def print_check(result: SourceCheck) -> None:
    """One source's findings, printed as its check finishes."""
    click.echo(f"== {result.source}")
    if result.error:
        click.echo(f"   FAILED: {result.error}")
        return
    click.echo(f"   links found: {result.discovered}  ({result.seconds:.1f} s)")
    article = result.article
    if article is None:
        return
    paragraphs = article.paragraphs
    published = article.published.isoformat() if article.published else None
    click.echo(f"   first:     {result.sample_url}")
    click.echo(f"   title:     {article.title}")
    click.echo(f"   published: {published}   language: {article.language}")
    click.echo(f"   body:      {len(paragraphs)} paragraphs, {len(article.body)} chars")
    shown = paragraphs[:2] + (["..."] if len(paragraphs) > 3 else []) + paragraphs[2:][-1:]
    for paragraph in shown:
        click.echo(f"     | {paragraph[:100]}")


@click.group("fixture")
def fixture_group() -> None:
    """Manage the fixture corpus (saved pages with their expected records).

    Example: newsharvest fixture add URL --name case --source ltn
    """


@fixture_group.command("add")
@click.argument("url")
@click.option("--name", "case", required=True, help="Case name, [a-z0-9-].")
@click.option("--source", "source_name", metavar="NAME",
              help="The source it belongs to (its folder, timezone and rules).")
@click.option("--sources", "sources_path", default=DEFAULT_SOURCES, show_default=True,
              type=click.Path(dir_okay=False), help="Sources file for --source.")
@click.option("--dir", "root", default="fixtures", show_default=True,
              type=click.Path(file_okay=False), help="The fixture folder.")
def fixture_add_command(url: str, case: str, source_name: str | None, sources_path: str,
                        root: str) -> None:
    """Save the page at URL as a fixture, with its current record as expected output.

    Review expected.json (and list the page's boilerplate lines) before committing it.

    Example: newsharvest fixture add https://example.com/news/1 --name fire --source ltn
    """
    from ..check import add_fixture

    source = source_named(sources_path, source_name)
    folder = add_fixture(url, case, root=root, source=source)
    click.echo(f"wrote {folder}/page.html and expected.json; review expected.json")
