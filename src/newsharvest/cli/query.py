"""`newsharvest query`: read the database with SQL from the command line."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from ..store import Store
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
    with Store(db_path) as store:
        rows = store.query(sql, dict(params))
        if fmt == "jsonl":
            for row in rows:
                click.echo(json.dumps(row, ensure_ascii=False))
        elif fmt == "json":
            click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2))
        elif fmt == "csv":
            writer = None
            for row in rows:
                if writer is None:
                    writer = csv.DictWriter(sys.stdout, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
        else:
            _table(list(rows))


def _table(rows: list[dict]) -> None:
    if not rows:
        click.echo("(no rows)")
        return
    names = list(rows[0])
    cells = [[_cell(r[n]) for n in names] for r in rows]
    widths = [max(len(n), *(len(c[i]) for c in cells)) for i, n in enumerate(names)]
    click.echo("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)))
    click.echo("  ".join("-" * w for w in widths))
    for c in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)))


def _cell(value: object, width: int = 60) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
