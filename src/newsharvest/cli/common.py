"""What every command shares: default paths, the value lists of common options and their
checks, and the import guard that keeps read commands light.

Kept free of heavy imports: `newsharvest --help` loads this module and nothing else of the
library.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

DEFAULT_DB = "data/newsharvest.db"
DEFAULT_SOURCES = "sources.yaml"
DEFAULT_RAW = "data/raw"

# One list per kind of value, for every command that takes it.
FORMATS = ["table", "json", "jsonl", "csv"]
LANGS = ["zh", "zh-Hans", "zh-Hant", "en"]  # zh = any Chinese
DATE_HELP = "YYYY-MM-DD (a UTC day) or an ISO datetime such as 2025-10-01T08:00+08:00"


def lang_choice() -> click.Choice[str]:
    """The --lang values, shown with the accepted list when refused."""
    return click.Choice(LANGS)


class DateParam(click.ParamType[str, Any]):
    """A date as every command spells it: YYYY-MM-DD or an ISO 8601 datetime (offset
    optional, UTC when absent). The value passes through as text; a bad one is a usage
    error (exit 2) in every command."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        text = str(value).strip()
        try:
            parse_date(text)
        except ValueError:
            self.fail(f"{text!r} is not a date: use {DATE_HELP}", param, ctx)
        return text


DATE = DateParam()


def parse_date(text: str) -> datetime:
    """The moment a DATE value starts, as an aware UTC datetime (ValueError if malformed):
    the store's reading of --since/--until, so every command means the same moment."""
    from ..errors import NewsharvestError
    from ..store.filters import parse_when  # here: `--help` loads no more of the library

    try:
        return parse_when(text)[0]
    except NewsharvestError as exc:
        raise ValueError(str(exc)) from exc


def light_sqlite_utils(*, without_numpy: bool = False) -> None:
    """Import sqlite_utils without pandas (and numpy, for commands that only read).

    sqlite_utils imports both when installed, only to map pandas/numpy cell types on
    insert; pandas brings pyarrow, which costs every command 0.4-1 s and 100 MB where the
    test or Ray extras are installed. newsharvest never inserts a pandas value, and the read
    commands insert nothing, so they import it with those hidden; a later `import pandas`
    elsewhere in the process (Ray) works as usual.
    """
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in (("pandas", "numpy") if without_numpy else ("pandas",))
              if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


class UsageError(click.UsageError):
    """A bad argument found after parsing (a write in `query`, a file that is not a
    database): one line, exit status 2, without the usage text click would print."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def existing_database(db_path: str, *, may_be_new: bool = False) -> str:
    """The path of an existing SQLite file; exit 2 otherwise (a read never creates one).

    With `may_be_new` (the commands that write) a missing file is fine: it is created.
    """
    path = Path(db_path)
    if may_be_new and not path.exists():
        return db_path
    if not path.is_file():
        raise UsageError(f"no database at {db_path}")
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise UsageError(f"cannot read {db_path}: {exc.strerror}") from exc
    if header and header != b"SQLite format 3\x00":
        raise UsageError(f"{db_path}: not a SQLite database")
    return db_path
