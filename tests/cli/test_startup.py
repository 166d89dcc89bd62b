"""Start-up stays light: `--help` and the read commands import no heavy package, and the
command list `--help` prints (without importing the commands) matches the commands."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from newsharvest.cli import COMMANDS, cli

HEAVY = ("ray", "pyarrow", "numpy", "pandas", "trafilatura")

PROBE = """
import json, sys
from newsharvest.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(json.loads({heavy!r})))
print(json.dumps(heavy), file=sys.stderr)
"""


def imported_heavy(*args: str) -> list[str]:
    """The heavy packages a fresh interpreter has loaded after running the CLI with args."""
    code = PROBE.replace("{heavy!r}", repr(json.dumps(HEAVY)))
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, timeout=60, check=False)
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_help_imports_no_heavy_package() -> None:
    assert imported_heavy("--help") == []


def test_search_imports_no_heavy_package(tmp_path) -> None:
    from newsharvest.store.read import open_database

    db = tmp_path / "x.db"
    db.touch()
    with open_database(db):  # an empty newsharvest file
        pass
    assert imported_heavy("search", "芯片", "--db", str(db)) == []
    assert imported_heavy("query", "select 1", "--db", str(db)) == []


def test_harvest_imports_what_it_needs_only() -> None:
    """Harvest extracts (numpy for SimHash) but never needs pandas, pyarrow or Ray."""
    assert not {"pandas", "pyarrow", "ray"} & set(imported_heavy("harvest", "--help"))


def test_the_heavy_check_can_fail() -> None:
    """The probe does see a heavy import (here: extraction needs numpy)."""
    assert "numpy" in imported_heavy("extract", "--help") + imported_heavy(
        "harvest", "--help")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_listed_help_is_the_commands_own(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    assert command.get_short_help_str(limit=10**6) == COMMANDS[name][2]
