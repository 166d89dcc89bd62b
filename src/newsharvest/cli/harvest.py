"""`newsharvest harvest`: run the pipeline over the configured sources."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import load_sources
from ..errors import ConfigError
from ..harvest import harvest
from ..records import SourceReport

DEFAULT_DB = "data/newsharvest.db"
DEFAULT_SOURCES = "sources.yaml"


@click.command("harvest")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False),
              help="Sources file [default: sources.yaml, or DIR/sources.yaml with --replay].")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False), help="SQLite file to write.")
@click.option("--source", "only", multiple=True, metavar="NAME",
              help="Harvest only this source (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), help="At most N new articles per source.")
@click.option("--replay", type=click.Path(exists=True, file_okay=False),
              help="Serve every request from saved pages in DIR (offline run).")
@click.option("--timeout", type=float, default=20.0, show_default=True,
              help="Seconds before one request gives up.")
def harvest_command(sources_path: str | None, db_path: str, only: tuple[str, ...],
                    limit: int | None, replay: str | None, timeout: float) -> None:
    """Fetch new articles from every source and store them.

    Prints one line per source and a total. Exit status: 0 every source worked, 1 some
    failed (see the `fetches` table), 2 configuration error, 3 another run holds the lock.
    """
    from ..fetch.client import FetchSettings

    if sources_path is None:
        sources_path = str(Path(replay) / "sources.yaml") if replay else DEFAULT_SOURCES
    sources = load_sources(sources_path)
    if only:
        names = {s.name for s in sources}
        unknown = [n for n in only if n not in names]
        if unknown:
            raise ConfigError(f"no source named {', '.join(unknown)}", path=sources_path,
                              field="--source")
        sources = [s for s in sources if s.name in only]
    transport = None
    if replay:
        from ..replay import ReplayTransport

        transport = ReplayTransport(replay)

    def echo(report: SourceReport) -> None:
        click.echo(report.summary())

    result = harvest(sources, db_path, limit=limit, transport=transport,
                     settings=FetchSettings(timeout=timeout), replay=bool(replay),
                     on_source_done=echo)
    click.echo(result.total().summary().replace("total: FAILED", "total:").replace(
        "total: ok", "total:"))
    if not result.ok:
        sys.exit(1)
