"""`newsharvest serve`: the database in Datasette, with full-text search set up."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from .common import DEFAULT_DB, UsageError, existing_database


@click.command("serve")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False), help="SQLite file to browse.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("-o", "--open", "open_browser", is_flag=True, help="Open it in a web browser.")
def serve_command(db_path: str, host: str, port: int, open_browser: bool) -> None:
    """Browse and search the database in Datasette.

    Starts Datasette on the file (read-only: immutable mode is not used, so a running
    harvest's new rows show up) with the newsharvest plugin and the metadata that links
    `articles` to its search index: the search box finds English words and Chinese words
    or phrases in either script. Needs the 'serve' extra (pip install 'newsharvest[serve]').

    Example: newsharvest serve --db data/newsharvest.db --port 8001 --open
    """
    existing_database(db_path)
    try:
        from datasette import cli as datasette_cli
        from datasette.plugins import pm
    except ImportError as exc:
        raise UsageError("serve needs Datasette: pip install 'newsharvest[serve]'") from exc
    from .. import datasette_plugin

    if not pm.is_registered(datasette_plugin) and pm.get_plugin("newsharvest") is None:
        pm.register(datasette_plugin, name="newsharvest")  # when run from a source tree
    name = Path(db_path).stem
    with tempfile.TemporaryDirectory() as folder:
        metadata = Path(folder) / "metadata.json"
        metadata.write_text(json.dumps(datasette_plugin.search_metadata(name)),
                            encoding="utf-8")
        args = ["serve", db_path, "--metadata", str(metadata), "--host", host,
                "--port", str(port)]
        if open_browser:
            args.append("--open")
        datasette_cli.cli.main(args=args, prog_name="datasette", standalone_mode=False)
