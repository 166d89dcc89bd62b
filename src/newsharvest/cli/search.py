"""`newsharvest search | export | stats | reindex`: the read side, thin over store.read/search."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from ..errors import NewsharvestError
from ..store.read import (
    EXPORT_FORMATS,
    Filters,
    SourceStats,
    export_articles,
    open_database,
    source_stats,
)
from ..store.search import SearchError, SearchHit, parse_query, rebuild_search_index, search
from .common import (
    DATE,
    DATE_HELP,
    DEFAULT_DB,
    FORMATS,
    UsageError,
    existing_database,
    lang_choice,
)
from .progress import progress_bar
from .query import HIGHLIGHT, emit_rows, use_rich


def _db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                        type=click.Path(dir_okay=False), help="SQLite file to read.")(func)


def _filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--lang", "langs", multiple=True, type=lang_choice(),
                     help="Only this language (repeatable; zh = any Chinese)."),
        click.option("--source", "sources", multiple=True, metavar="NAME",
                     help="Only this source (repeatable)."),
        click.option("--since", type=DATE,
                     help=f"Published at or after: {DATE_HELP}."),
        click.option("--until", type=DATE,
                     help=f"Published at or before (a day: the whole day): {DATE_HELP}."),
    ]
    for option in reversed(options):
        func = option(func)
    return _db_option(func)


def _existing(db_path: str) -> str:
    return existing_database(db_path)


@click.command("search")
@click.argument("query")
@_filter_options
@click.option("--limit", type=click.IntRange(min=1, max=10**9), default=20, show_default=True,
              help="At most N results.")
@click.option("--variants", is_flag=True,
              help="Also match the Traditional/Simplified forms of Chinese terms (台湾 = 臺灣).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
def search_command(query: str, db_path: str, langs: tuple[str, ...], sources: tuple[str, ...],
                   since: str | None, until: str | None, limit: int, variants: bool,
                   fmt: str) -> None:
    """Full-text search, best matches first (bm25), with highlighted snippets.

    Every term must match: Chinese terms of any length as substrings (算力, 芯片), other
    words as whole words, case-insensitively; "quote a phrase"; end a word with * for a
    prefix. Example: newsharvest search "OpenAI 算力" --lang zh-Hans --since 2025-01-01
    """
    filters = Filters.of(langs, sources, since, until)
    try:
        parse_query(query)
    except SearchError as exc:
        raise UsageError(str(exc)) from exc
    mark = HIGHLIGHT if use_rich(fmt) else ("[", "]")
    hits = search(_existing(db_path), query, filters=filters, limit=limit, variants=variants,
                  mark=mark)
    rows = (_short(hit.to_row()) if fmt == "table" else hit.to_row() for hit in hits)
    columns = (["published", "source", "language", "title", "snippet"] if fmt == "table"
               else list(SearchHit.__slots__))
    emit_rows(rows, fmt, columns=columns, title=f"search: {query}")


def _short(row: dict[str, Any]) -> dict[str, Any]:
    if row["published"]:
        row["published"] = row["published"][:16].replace("T", " ")
    return row


@click.command("export")
@_filter_options
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl",
              show_default=True, help="parquet needs the 'parquet' extra (pyarrow).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="File to write ('-' for standard output).")
def export_command(db_path: str, langs: tuple[str, ...], sources: tuple[str, ...],
                   since: str | None, until: str | None, fmt: str, output: str) -> None:
    """Export articles (every column), streaming: a million rows never sit in memory.

    Example: newsharvest export --format parquet --lang en -o en.parquet
    """
    filters = Filters.of(langs, sources, since, until)
    db = _existing(db_path)
    if output != "-":
        with progress_bar("articles", None, stream=sys.stderr) as bar:
            count = export_articles(db, output, fmt, filters, on_row=bar.advance)
        click.echo(f"{count} articles -> {output}", err=True)
        return
    if fmt == "parquet":
        if sys.stdout.isatty():
            raise NewsharvestError("parquet is binary: write it with --output FILE or a pipe")
        export_articles(db, sys.stdout.buffer, fmt, filters)
        sys.stdout.buffer.flush()
    else:
        export_articles(db, sys.stdout, fmt, filters)


@click.command("stats")
@_db_option
@click.option("--runs", type=click.IntRange(min=1), default=5, show_default=True,
              help="Failure rate over this many most recent runs of each source.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
def stats_command(db_path: str, runs: int, fmt: str) -> None:
    """Per source: articles stored, last success and failure, failure rate, mix.

    Also why the last failure happened, the median body length and the language mix.

    Example: newsharvest stats --runs 10 --format csv
    """
    stats = source_stats(_existing(db_path), runs=runs)
    if fmt != "table":
        rows = [s.to_row() for s in stats]
        if fmt == "csv":  # a cell cannot hold a mapping: write it as JSON text
            for row in rows:
                row["languages"] = json.dumps(row["languages"], ensure_ascii=False)
        emit_rows(rows, fmt, columns=[*SourceStats.__slots__, "failure_rate"])
        return
    emit_rows(({
        "source": s.source,
        "articles": s.articles,
        "last success": _when(s.last_success),
        "last failure": _when(s.last_failure),
        f"failed (last {runs} runs)": "-" if s.failure_rate is None
        else f"{s.failures}/{s.fetches} {s.failure_rate:.0%}",
        "median chars": "-" if s.median_body_length is None else f"{s.median_body_length:.0f}",
        "languages": ", ".join(f"{k} {v}" for k, v in s.languages.items()),
        "why it failed": s.last_failure_reason or "",
    } for s in stats), fmt, title="sources")


def _when(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "-"


@click.command("reindex")
@_db_option
def reindex_command(db_path: str) -> None:
    """Rebuild the full-text search index from every stored article.

    Example: newsharvest reindex --db data/newsharvest.db
    """
    with open_database(_existing(db_path)) as db:
        count = rebuild_search_index(db)
    click.echo(f"indexed {count} articles")
