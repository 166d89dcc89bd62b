"""`newsharvest harvest`: run the pipeline over the configured sources."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from ..config import DEFAULT_PAGE_TIMEOUT, load_sources, parse_shard, select_shard, select_sources
from ..errors import ConfigError
from ..logs import configure
from ..records import SourceReport
from .common import (
    DATE,
    DATE_HELP,
    DEFAULT_DB,
    DEFAULT_RAW,
    DEFAULT_SOURCES,
    existing_database,
    parse_date,
)
from .progress import progress_bar

__all__ = ["DEFAULT_DB", "DEFAULT_RAW", "DEFAULT_SOURCES", "harvest_command",
           "reextract_command"]


@click.command("harvest")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False),
              help="Sources file [default: sources.yaml, or DIR/sources.yaml with --replay].")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False), help="SQLite file to write.")
@click.option("--source", "only", multiple=True, metavar="NAME",
              help="Harvest only this source (repeatable).")
@click.option("--limit", type=click.IntRange(min=1, max=1_000_000),
              help="At most N new articles per source.")
@click.option("--replay", type=click.Path(exists=True, file_okay=False),
              help="Serve every request from saved pages in DIR (offline run).")
@click.option("--timeout", type=click.FloatRange(min=0, max=3600, min_open=True),
              default=20.0, show_default=True, callback=lambda c, p, v: _finite(p, v),
              help="Seconds a request may stall (a whole request: 2x this + 10 s).")
@click.option("--since", type=DATE,
              help=f"Skip links whose feed or sitemap date is older: {DATE_HELP}.")
@click.option("--time-budget", type=click.FloatRange(min=1, max=7 * 86400), metavar="SECONDS",
              callback=lambda c, p, v: _finite(p, v),
              help="Stop after this long, requests in flight too; the rest waits for the next run.")
@click.option("--keep-raw", is_flag=True,
              help="Keep every fetched page, compressed, under data/raw/ (for reextract).")
@click.option("--raw-dir", default=DEFAULT_RAW, show_default=True,
              type=click.Path(file_okay=False), help="Where --keep-raw stores pages.")
@click.option("--refetch", is_flag=True,
              help="Fetch pages again even when already stored (records update if changed).")
@click.option("--shard", metavar="I/N",
              help="Harvest only this machine's share of the sources (split by site), "
                   "for N machines sharing one sources.yaml; merge with `load`/`export`.")
@click.option("--page-timeout", type=click.FloatRange(min=0.1), default=DEFAULT_PAGE_TIMEOUT,
              show_default=True, metavar="SECONDS",
              help="Seconds one page's extraction may take; a page over it fails as "
                   "'timeout' and is not fetched again.")
@click.option("--log-format", type=click.Choice(["text", "json"]),
              help="Log lines on stderr as text or JSON (same as the global option).")
def harvest_command(sources_path: str | None, db_path: str, only: tuple[str, ...],
                    limit: int | None, replay: str | None, timeout: float,
                    since: str | None, time_budget: float | None, keep_raw: bool,
                    raw_dir: str, refetch: bool, shard: str | None, page_timeout: float,
                    log_format: str | None) -> None:
    """Fetch new articles from every source and store them.

    Prints one line per source and a total. Exit status: 0 every source worked, 1 some
    failed (see the `fetches` table), 2 bad arguments or configuration, 3 another run
    holds the lock.

    Example: newsharvest harvest --source ltn --limit 5 --since 2025-10-01
    """
    from ..fetch.client import FetchSettings
    from ..harvest import HarvestOptions, harvest

    if log_format:
        configure(logging.getLogger().level, log_format)
    existing_database(db_path, may_be_new=True)

    if sources_path is None:
        sources_path = str(Path(replay) / "sources.yaml") if replay else DEFAULT_SOURCES
    sources = select_sources(load_sources(sources_path), only, path=sources_path)
    if shard:
        try:
            index, count = parse_shard(shard)
        except ConfigError as exc:
            raise click.BadParameter(exc.reason, param_hint="--shard") from None
        total = len(sources)
        sources = select_shard(sources, index, count)
        click.echo(f"shard {index}/{count}: {len(sources)} of {total} sources", err=True)
        if not sources:
            return
    transport = None
    if replay:
        from ..fetch.replay import ReplayTransport

        transport = ReplayTransport(replay)

    options = HarvestOptions(
        since=parse_date(since) if since else None, time_budget=time_budget,
        keep_raw=Path(raw_dir) if keep_raw else None, refetch=refetch,
        page_timeout=page_timeout,
    )
    with progress_bar("sources", len(sources)) as bar:

        def echo(report: SourceReport) -> None:
            bar.echo(report.summary())
            bar.advance()

        result = harvest(sources, db_path, limit=limit, transport=transport,
                         settings=FetchSettings(timeout=timeout), replay=bool(replay),
                         on_source_done=echo, options=options)
    click.echo(result.total().summary().replace("total: FAILED", "total:").replace(
        "total: ok", "total:"))
    if not result.ok:
        sys.exit(1)


def _finite(param: click.Parameter, value: float | None) -> float | None:
    """click's FloatRange lets NaN through (every comparison with it is false)."""
    if value is not None and value != value:
        raise click.BadParameter("must be a number, not nan", param=param)
    return value


@click.command("reextract")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False), help="SQLite file to update.")
@click.option("--raw-dir", default=DEFAULT_RAW, show_default=True,
              type=click.Path(file_okay=False), help="The --keep-raw page store.")
@click.option("--sources", "sources_path", default=DEFAULT_SOURCES, show_default=True,
              type=click.Path(dir_okay=False), help="Sources (for timezones and rules).")
def reextract_command(db_path: str, raw_dir: str, sources_path: str) -> None:
    """Rebuild every record from pages kept with --keep-raw, with no network traffic.

    Example: newsharvest reextract --db data/newsharvest.db --raw-dir data/raw
    """
    from ..reextract import reextract
    from .common import UsageError

    if not Path(db_path).is_file():
        raise UsageError(f"no database at {db_path}: harvest with --keep-raw first")
    existing_database(db_path)
    if not Path(raw_dir).is_dir() or next(Path(raw_dir).glob("*/*.html.gz"), None) is None:
        raise UsageError(f"no raw pages under {raw_dir}: harvest with --keep-raw first")

    sources = load_sources(sources_path) if Path(sources_path).exists() else []
    with progress_bar("pages", None) as bar:
        counts = reextract(db_path, raw_dir, sources,
                           on_page=lambda url, status: bar.advance())
    click.echo(" ".join(f"{k}={counts.get(k, 0)}"
                        for k in ("new", "updated", "unchanged", "failed")))
    if counts.get("failed"):
        sys.exit(1)
