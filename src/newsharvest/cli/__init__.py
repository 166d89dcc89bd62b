"""The `newsharvest` command line: a thin client of the newsharvest library.

Every command opens what it needs, calls one library function and prints. Errors raised
on purpose (`NewsharvestError`) are turned into a one-line message and the exit code the
error class carries, here and only here: 1 failure, 2 configuration, 3 lock held.
"""

from __future__ import annotations

import errno
import importlib
import logging
import sqlite3
import sys

import click

from .._version import __version__
from ..errors import NewsharvestError
from ..logs import configure
from .common import UsageError, light_sqlite_utils

# name: (module, attribute, the one-line help `newsharvest --help` shows). Commands load
# on use, so `--help` and the read commands never import the extractor, numpy, pyarrow,
# Ray or trafilatura (tests/cli/test_startup.py checks that the lines match the commands).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "harvest": (".harvest", "harvest_command",
                "Fetch new articles from every source and store them."),
    "reextract": (".harvest", "reextract_command",
                  "Rebuild every record from pages kept with --keep-raw, with no network "
                  "traffic."),
    "extract": (".inspect", "extract_command",
                "Extract articles from saved HTML files, standard input or URLs."),
    "sources": (".inspect", "sources_group", "Check the configured sources."),
    "fixture": (".inspect", "fixture_group",
                "Manage the fixture corpus (saved pages with their expected records)."),
    "query": (".query", "query_command",
              "Run read-only SQL against the database and print the rows."),
    "search": (".search", "search_command",
               "Full-text search, best matches first (bm25), with highlighted snippets."),
    "export": (".search", "export_command",
               "Export articles (every column), streaming: a million rows never sit in "
               "memory."),
    "stats": (".search", "stats_command",
              "Per source: articles stored, last success and failure, failure rate, mix."),
    "reindex": (".search", "reindex_command",
                "Rebuild the full-text search index from every stored article."),
    "serve": (".serve", "serve_command", "Browse and search the database in Datasette."),
    "ingest": (".ingest", "ingest_command",
               "Extract the HTML pages of WARC files (.warc, .warc.gz) into Parquet parts."),
    "load": (".ingest", "load_command",
             "Merge Parquet parts (from ingest) or shard databases (harvest --shard) into "
             "--db."),
    "eval": (".evalcmd", "eval_command",
             "Score body / title / date / language extraction on labelled pages in "
             "DIRECTORY."),
}
# Commands that only read SQLite: they import sqlite_utils without numpy too.
READ_COMMANDS = {"query", "search", "export", "stats", "reindex", "serve"}


class LazyGroup(click.Group):
    """A group whose commands are imported when run, not when listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *super().list_commands(ctx)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, attribute, _ = COMMANDS[cmd_name]
        light_sqlite_utils(without_numpy=cmd_name in READ_COMMANDS)
        command = getattr(importlib.import_module(module_name, __name__), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_line) for name, (_, _, help_line) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsharvest")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv: debug).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Log lines on stderr as text or one JSON object each.")
def cli(verbose: int, log_format: str) -> None:
    """Harvest Chinese and English news into a clean SQLite file.

    Example: newsharvest harvest --source ltn --limit 5 && newsharvest search 芯片
    """
    configure(logging.WARNING - 10 * min(verbose, 2), log_format)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI and map errors to one line and an exit code.

    Exit codes mean one thing in every command: 1 something failed (a page, a source, a
    write that ran out of room), 2 bad arguments or configuration (including a path that
    cannot be opened or written and a file that is not a database), 3 the lock is held.
    """
    try:
        cli.main(args=argv, prog_name="newsharvest", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        hint = (f" (see '{exc.ctx.command_path} --help')"
                if exc.ctx is not None and not isinstance(exc, UsageError) else "")
        click.echo(f"Error: {exc.format_message()}{hint}", err=True)
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
    except OSError as exc:  # a path given that cannot be read or written
        click.echo(f"Error: {describe_os_error(exc)}", err=True)
        sys.exit(1 if exc.errno == errno.ENOSPC else 2)
    except sqlite3.Error as exc:  # reached the top: the file itself is the problem
        click.echo(f"Error: database: {exc}", err=True)
        sys.exit(2 if _is_file_problem(exc) else 1)


def describe_os_error(exc: OSError) -> str:
    """`cannot write data/x.db: Permission denied`, not a traceback."""
    name = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or str(exc)
    if isinstance(exc, FileExistsError | NotADirectoryError):
        reason = "is a file, where a folder is needed"
    return f"{name}: {reason}" if name else reason


def _is_file_problem(exc: sqlite3.Error) -> bool:
    text = str(exc)
    return any(part in text for part in ("not a database", "unable to open", "readonly",
                                          "read-only", "disk I/O error"))
