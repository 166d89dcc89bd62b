"""`newsharvest extract`: one page (file or URL) to one record, for trying the extractor."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import click

from ..config import load_sources, select_sources
from ..fetch.politeness import http_date
from ..page import PageFailure, extract_page
from ..records import Source, parse_iso
from .harvest import DEFAULT_SOURCES


def source_named(sources_path: str, name: str | None) -> Source | None:
    """The source called `name` in the sources file (None when no name is given)."""
    if not name:
        return None
    return select_sources(load_sources(sources_path), [name], path=sources_path)[0]


@click.command("extract")
@click.argument("target")
@click.option("--url", help="The page's address when TARGET is a saved file.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.option("--source", "source_name", metavar="NAME",
              help="Apply this source's timezone, language hint and rules.")
@click.option("--sources", "sources_path", default=DEFAULT_SOURCES, show_default=True,
              type=click.Path(dir_okay=False), help="Sources file for --source.")
@click.option("--content-type", help="Content-Type header of a saved file (for its charset).")
@click.option("--date", "fetched", metavar="DATE",
              help="When a saved file was fetched (its Date header, or ISO 8601 UTC): "
                   "relative dates such as 3小时前 count from it.")
def extract_command(target: str, url: str | None, as_json: bool, source_name: str | None,
                    sources_path: str, content_type: str | None, fetched: str | None) -> None:
    """Extract one article from TARGET, a saved HTML file or an http(s) URL."""
    source = source_named(sources_path, source_name)
    content: str | bytes
    headers = {"content-type": content_type} if content_type else {}
    fetched_at = _when(fetched)
    if target.startswith(("http://", "https://")):
        from ..fetch.client import Fetcher

        async def get() -> tuple[str, str, dict[str, str], datetime]:
            async with Fetcher() as fetcher:
                page = await fetcher.fetch(target, delay=0)
                # decoded once, by fetch
                return page.text, page.final_url, page.headers, page.fetched_at

        content, url, headers, fetched_at = asyncio.run(get())
    else:
        path = Path(target)
        if not path.is_file():
            raise click.BadParameter(f"no such file: {target}", param_hint="TARGET")
        content = path.read_bytes()  # decoded with the page's own charset rules
    article = extract_page(content, url or "", source=source, headers=headers,
                           fetched_at=fetched_at)
    if isinstance(article, PageFailure):
        raise article.error()
    if as_json:
        row = article.to_row()
        row["authors"] = list(article.authors)
        row["credits"] = list(article.credits)
        click.echo(json.dumps(row, ensure_ascii=False))
        return
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
    """Inspect the configured sources."""


@sources_group.command("check")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--sources", "sources_path", default=DEFAULT_SOURCES, show_default=True,
              type=click.Path(dir_okay=False), help="Sources file.")
def sources_check_command(names: tuple[str, ...], sources_path: str) -> None:
    """Fetch each source's discovery page and first article; show what was extracted."""
    from ..check import check_source

    failed = False
    for source in select_sources(load_sources(sources_path), names, path=sources_path,
                                 field="NAME"):
        result = check_source(source)
        click.echo(f"== {source.name} ({source.discovery} {source.url})")
        if result.error:
            failed = True
            click.echo(f"   FAILED: {result.error}")
            continue
        click.echo(f"   links found: {result.discovered}  ({result.seconds:.1f} s)")
        article = result.article
        if article is None:
            failed = failed or result.discovered == 0
            continue
        paragraphs = article.paragraphs
        published = article.published.isoformat() if article.published else None
        click.echo(f"   first:     {result.sample_url}")
        click.echo(f"   title:     {article.title}")
        click.echo(f"   published: {published}   language: {article.language}")
        click.echo(f"   body:      {len(paragraphs)} paragraphs, {len(article.body)} chars")
        shown = paragraphs[:2] + (["..."] if len(paragraphs) > 3 else []) + paragraphs[2:][-1:]
        for paragraph in shown:
            click.echo(f"     | {paragraph[:100]}")
    if failed:
        raise SystemExit(1)


@click.group("fixture")
def fixture_group() -> None:
    """Manage the fixture corpus (saved pages with their expected records)."""


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
    """
    from ..check import add_fixture

    source = source_named(sources_path, source_name)
    folder = add_fixture(url, case, root=root, source=source)
    click.echo(f"wrote {folder}/page.html and expected.json; review expected.json")
