"""Datasette plugin: full-text search of a newsharvest file with no hand configuration.

The search index (``articles_search``) is contentless and holds text rewritten by
``store.search.prepare_text`` (each Han character a token, run ends marked), so Datasette
cannot find it nor query it by itself: it does not link a contentless table to ``articles``, and its
``escape_fts(:search)`` would send ``芯片`` as one token the index does not hold.

Installed with the package (entry point ``newsharvest`` in the ``datasette`` group), this
plugin:

* names the index in the table's metadata (``fts_table``/``fts_pk``) for every database
  that is a newsharvest file, so the articles table gets its search box and ``_search``;
* replaces ``escape_fts`` on that database's connections with newsharvest's own query
  parser, so a search is turned into the same tokens the index holds: English words,
  two-character Chinese words, longer phrases, and the other script too (東北季風 finds
  东北季风).

``newsharvest serve`` starts Datasette on the file with the same metadata written out.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils import escape_fts as datasette_escape_fts

from .errors import SearchError
from .store.fts import SEARCH_VERSION, index_version
from .store.search import SEARCH_TABLE, match_expression, parse_query


def search_metadata(database: str) -> dict[str, Any]:
    """Datasette metadata that links `articles` to its index in `database`."""
    return {"databases": {database: {"tables": {"articles": {
        "fts_table": SEARCH_TABLE, "fts_pk": "rowid",
        "description": "Search: English words, Chinese words and phrases in either script",
    }}}}}


def newsharvest_escape_fts(query: str, version: str | None = SEARCH_VERSION) -> str:
    """A search box entry as an FTS5 MATCH expression over the index (of that search
    `version`): every term must match, Chinese terms in Simplified and Traditional forms.
    A query with no words falls back to Datasette's own escaping (it then matches
    nothing)."""
    try:
        return match_expression(parse_query(query, variants=True), version=version)
    except SearchError:
        return str(datasette_escape_fts(query))


def is_newsharvest_file(conn: sqlite3.Connection) -> bool:
    """Whether this connection's main database holds newsharvest's search index."""
    try:
        row = conn.execute("SELECT 1 FROM sqlite_master WHERE name IN (?, 'newsharvest_meta') "
                           "GROUP BY 1 HAVING count(*) = 2", [SEARCH_TABLE]).fetchone()
    except sqlite3.Error:
        return False
    return row is not None


@hookimpl(trylast=True)  # after Datasette's own prepare_connection registers escape_fts
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    if is_newsharvest_file(conn):
        version = index_version(conn)  # a file newsharvest has not rebuilt keeps its own

        def escape(query: str) -> str:
            return newsharvest_escape_fts(query, version)

        conn.create_function("escape_fts", 1, escape, deterministic=True)


_FILES: dict[str, bool] = {}


@hookimpl
def get_metadata(datasette: Any, key: str, database: str | None, table: str | None
                 ) -> dict[str, Any]:
    """The index's name for every attached newsharvest file (cached per database)."""
    found: dict[str, Any] = {"databases": {}}
    for name, db in getattr(datasette, "databases", {}).items():
        path = getattr(db, "path", None)
        if not path:
            continue
        if name not in _FILES:
            _FILES[name] = _file_has_index(Path(path))
        if _FILES[name]:
            found["databases"].update(search_metadata(name)["databases"])
    return found


def _file_has_index(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return is_newsharvest_file(conn)
    finally:
        conn.close()
