"""`newsharvest query`: read the database with SQL from the command line."""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from ..errors import StoreError
from ..text.scripts import display_width as _width
from .common import DEFAULT_DB, FORMATS, UsageError, existing_database


@click.command("query")
@click.argument("sql")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False), help="SQLite file to read.")
@click.option("-p", "--param", "params", multiple=True, nargs=2, metavar="NAME VALUE",
              help="Named parameter for :NAME in the SQL (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
def query_command(sql: str, db_path: str, params: tuple[tuple[str, str], ...], fmt: str) -> None:
    """Run read-only SQL against the database and print the rows.

    The file is opened read-only: statements that would write (insert, update, delete,
    create, drop, attach, vacuum into) are refused with exit status 2. To change the file,
    use the sqlite3 shell.

    Example: newsharvest query "select source, count(*) n from articles group by source"
    """
    conn, refused = open_read_only(existing_database(db_path))
    try:
        try:
            cursor = conn.execute(sql, dict(params))
            names = [d[0] for d in cursor.description or ()]
            rows = (dict(zip(names, row, strict=True)) for row in cursor)
            emit_rows(rows, fmt, columns=names if fmt == "csv" else None)
        except sqlite3.Error as exc:
            message = str(exc)
            if refused or "readonly" in message or "read-only" in message:
                raise UsageError(f"query is read-only: refused {_statement(sql)!r} "
                                 "(use the sqlite3 shell to change the file)") from exc
            if "not a database" in message:
                raise UsageError(f"{db_path}: not a SQLite database") from exc
            raise StoreError(f"query failed: {exc}") from exc
    finally:
        conn.close()


# Authorizer action codes that only read (sqlite3.SQLITE_*): everything else is refused.
_READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                 sqlite3.SQLITE_RECURSIVE, sqlite3.SQLITE_TRANSACTION}


def open_read_only(path: str) -> tuple[sqlite3.Connection, list[str]]:
    """A connection that cannot change anything, and the list its authorizer fills with
    what it refused.

    Three layers: SQLite's read-only open (``mode=ro``: the file is never written),
    ``PRAGMA query_only`` (no data change even through a writable handle), and an
    authorizer that allows only reading statements, so ``ATTACH`` (which creates files)
    and ``VACUUM INTO`` (which writes a copy anywhere) are refused before they run.
    """
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    conn.execute("PRAGMA query_only = ON")
    refused: list[str] = []

    def authorize(action: int, arg1: str | None, arg2: str | None, db: str | None,
                  trigger: str | None) -> int:
        if action in _READ_ACTIONS or (action == sqlite3.SQLITE_PRAGMA and arg1 != "query_only"
                                       and (arg2 is None or arg1 in _PRAGMAS_WITH_ARGUMENT)):
            return sqlite3.SQLITE_OK
        refused.append(str(action))
        return sqlite3.SQLITE_DENY

    conn.set_authorizer(authorize)
    return conn, refused


def _statement(sql: str) -> str:
    """The statement's first words, to name what was refused (``drop view``)."""
    words = re.sub(r"--[^\n]*|/\*.*?\*/", " ", sql, flags=re.S).split()
    return " ".join(words[:2]).lower() or sql


# Pragmas whose argument names a table or index to describe (all others with an argument set
# something).
_PRAGMAS_WITH_ARGUMENT = {"table_info", "table_xinfo", "table_list", "index_list",
                          "index_info", "index_xinfo", "foreign_key_list", "integrity_check",
                          "quick_check"}


HIGHLIGHT = ("\x02", "\x03")  # snippet marks that a rich table turns into style


def use_rich(fmt: str) -> bool:
    """Rich tables only for the table format on a terminal; plain text when piped."""
    return fmt == "table" and sys.stdout.isatty()


def emit_rows(rows: Iterable[dict[str, Any]], fmt: str, *,
              columns: Sequence[str] | None = None, title: str | None = None) -> int:
    """Print rows as a table (rich on a terminal, aligned plain text otherwise), one JSON
    array, JSON lines or CSV. Everything but the table streams. Returns the row count."""
    if fmt != "table":
        from ..store.read import write_rows

        return write_rows(rows, sys.stdout, fmt, columns)
    rows = list(rows)
    if not rows:
        click.echo("(no rows)")
        return 0
    names = list(columns or rows[0])
    if use_rich(fmt):
        _rich_table(rows, names, title)
    else:
        _plain_table(rows, names)
    return len(rows)


def _rich_table(rows: list[dict[str, Any]], names: list[str], title: str | None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for name in names:
        long = name in {"title", "snippet", "body", "last_failure_reason", "url"}
        table.add_column(name, overflow="fold" if long else "ellipsis", no_wrap=not long,
                         ratio=2 if name == "snippet" else (1 if long else None))
    for row in rows:
        cells = []
        for name in names:
            text = "" if row[name] is None else str(row[name])
            cell = Text()
            for i, part in enumerate(text.replace(HIGHLIGHT[1], HIGHLIGHT[0]).split(
                    HIGHLIGHT[0])):
                cell.append(part, style="bold yellow" if i % 2 else None)
            cells.append(cell)
        table.add_row(*cells)
    Console().print(table)


def _plain_table(rows: list[dict[str, Any]], names: list[str]) -> None:
    cells = [[_cell(r[n]) for n in names] for r in rows]
    widths = [max(_width(n), *(_width(c[i]) for c in cells)) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True))

    click.echo(line(names).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for c in cells:
        click.echo(line(c).rstrip())


def _cell(value: object, width: int = 60) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    text = text.replace(HIGHLIGHT[0], "[").replace(HIGHLIGHT[1], "]")
    if _width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        used += _width(ch)
        if used > width - 1:
            break
        out.append(ch)
    return "".join(out) + "…"
