"""`newsharvest query`: read the database with SQL from the command line."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from ..errors import StoreError
from ..store.read import open_database, write_rows
from ..text.scripts import display_width as _width
from .harvest import DEFAULT_DB


@click.command("query")
@click.argument("sql")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False), help="SQLite file to read.")
@click.option("-p", "--param", "params", multiple=True, nargs=2, metavar="NAME VALUE",
              help="Named parameter for :NAME in the SQL (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]),
              default="table", show_default=True)
def query_command(sql: str, db_path: str, params: tuple[tuple[str, str], ...], fmt: str) -> None:
    """Run SQL against the database and print the rows.

    Example: newsharvest query "select source, count(*) n from articles group by source"
    """
    if not Path(db_path).exists():
        raise click.BadParameter(f"no database at {db_path}", param_hint="--db")
    with open_database(db_path) as db:  # read-only files open read-only
        try:
            cursor = db.execute(sql, dict(params))
        except sqlite3.Error as exc:
            raise StoreError(f"query failed: {exc}") from exc
        names = [d[0] for d in cursor.description or ()]
        emit_rows((dict(zip(names, row, strict=True)) for row in cursor), fmt)


HIGHLIGHT = ("\x02", "\x03")  # snippet marks that a rich table turns into style


def use_rich(fmt: str) -> bool:
    """Rich tables only for the table format on a terminal; plain text when piped."""
    return fmt == "table" and sys.stdout.isatty()


def emit_rows(rows: Iterable[dict[str, Any]], fmt: str, *,
              columns: Sequence[str] | None = None, title: str | None = None) -> int:
    """Print rows as a table (rich on a terminal, aligned plain text otherwise), one JSON
    array, JSON lines or CSV. Everything but the table streams. Returns the row count."""
    if fmt != "table":
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
