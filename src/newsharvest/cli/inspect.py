"""`newsharvest extract`: one page (file or URL) to one record, for trying the extractor."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import click

from ..api import extract_html
from ..config import load_sources
from ..errors import ConfigError


@click.command("extract")
@click.argument("target")
@click.option("--url", help="The page's address when TARGET is a saved file.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.option("--source", "source_name", metavar="NAME",
              help="Apply this source's timezone, language hint and rules.")
@click.option("--sources", "sources_path", default="sources.yaml", show_default=True,
              type=click.Path(dir_okay=False), help="Sources file for --source.")
@click.option("--content-type", help="Content-Type header of a saved file (for its charset).")
def extract_command(target: str, url: str | None, as_json: bool, source_name: str | None,
                    sources_path: str, content_type: str | None) -> None:
    """Extract one article from TARGET, a saved HTML file or an http(s) URL."""
    source = None
    if source_name:
        matches = [s for s in load_sources(sources_path) if s.name == source_name]
        if not matches:
            raise ConfigError(f"no source named {source_name}", path=sources_path,
                              field="--source")
        source = matches[0]
    if target.startswith(("http://", "https://")):
        from ..fetch.client import Fetcher

        async def get() -> tuple[bytes, str | None, str]:
            async with Fetcher() as fetcher:
                page = await fetcher.fetch(target, delay=0)
                return page.content, page.headers.get("content-type"), page.final_url

        content, content_type, url = asyncio.run(get())
    else:
        path = Path(target)
        if not path.is_file():
            raise click.BadParameter(f"no such file: {target}", param_hint="TARGET")
        content = path.read_bytes()
    article = extract_html(content, url, source=source, content_type=content_type)
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
