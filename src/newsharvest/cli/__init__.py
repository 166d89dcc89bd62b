"""The `newsharvest` command line: a thin client of the newsharvest library.

Every command opens what it needs, calls one library function and prints. Errors raised
on purpose (`NewsharvestError`) are turned into a one-line message and the exit code the
error class carries, here and only here: 1 failure, 2 configuration, 3 lock held.
"""

from __future__ import annotations

import logging
import sys

import click

from .._version import __version__
from ..errors import NewsharvestError
from ..logs import configure
from .evalcmd import eval_command
from .harvest import harvest_command, reextract_command
from .ingest import ingest_command, load_command
from .inspect import extract_command, fixture_group, sources_group
from .query import query_command
from .search import export_command, reindex_command, search_command, stats_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsharvest")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv: debug).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Log lines on stderr as text or one JSON object each.")
def cli(verbose: int, log_format: str) -> None:
    """Harvest Chinese and English news into a clean SQLite file."""
    configure(logging.WARNING - 10 * min(verbose, 2), log_format)


cli.add_command(harvest_command)
cli.add_command(reextract_command)
cli.add_command(extract_command)
cli.add_command(sources_group)
cli.add_command(fixture_group)
cli.add_command(query_command)
cli.add_command(search_command)
cli.add_command(export_command)
cli.add_command(stats_command)
cli.add_command(reindex_command)
cli.add_command(ingest_command)
cli.add_command(load_command)
cli.add_command(eval_command, name="eval")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI and map library errors to exit codes."""
    try:
        cli.main(args=argv, prog_name="newsharvest", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except NewsharvestError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
