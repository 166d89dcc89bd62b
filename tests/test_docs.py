"""The README keeps up with the code: every command and every sources.yaml field."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from newsharvest.cli import cli
from newsharvest.config import SOURCE_KEYS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the CLI's group loads commands on demand
        command = group.get_command(ctx, name)
        assert command is not None, name
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.extend(commands(command, f"{full} "))
        else:
            found.append((full, command))
    return found


@pytest.mark.parametrize(("name", "command"), commands(cli), ids=lambda x: str(x))
def test_every_command_is_in_the_readme_and_has_help(name, command):
    assert f"newsharvest {name}" in README
    assert (command.help or "").strip()


@pytest.mark.parametrize(("name", "command"), commands(cli), ids=lambda x: str(x))
def test_every_command_help_has_one_example(name, command):
    assert (command.help or "").count("Example: newsharvest ") == 1, name


@pytest.mark.parametrize("field", sorted(SOURCE_KEYS - {"rules"}))
def test_every_sources_field_is_documented(field):
    assert f"| `{field}` |" in README


@pytest.mark.parametrize("rule", ["body", "remove", "title", "date"])
def test_every_rule_is_documented(rule):
    assert f"`rules.{rule}`" in README
