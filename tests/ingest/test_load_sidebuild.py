"""`load` with its search-index helper (store/sidebuild.py): the index it takes is the one
the load would have rebuilt itself, byte for byte, and whatever goes wrong the load falls
back to that rebuild."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from helpers import article_rows as articles
from helpers import kill_load_in_third_batch, sql_rows

from newsharvest.store import sidebuild
from newsharvest.store.load import load_parts
from newsharvest.store.search import search


def index_tables(db: Path) -> dict[str, list[tuple]]:
    """Every row of the index's shadow tables (FTS5's segments, term index, sizes and
    settings), and the queue."""
    return {table: sql_rows(db, f"SELECT * FROM {table} ORDER BY 1, 2")
            for table in (*sidebuild.SHADOW_TABLES, "articles_search_queue")}


@pytest.fixture
def helpers(monkeypatch) -> list[tuple[bool, Path]]:
    """Every load of the test gets a helper (the fixture parts are small, and the machine
    may have one core); per helper: was its index taken, and its scratch folder."""
    monkeypatch.setattr(sidebuild, "MIN_ROWS", 0)
    monkeypatch.setattr(sidebuild, "available_cpus", lambda: 2)
    seen: list[tuple[bool, Path]] = []
    swap = sidebuild.SideBuild.swap_into

    def spy(self: sidebuild.SideBuild) -> bool:
        taken = swap(self)
        seen.append((taken, self.folder))
        return taken

    monkeypatch.setattr(sidebuild.SideBuild, "swap_into", spy)
    return seen


def serial_load(parts: list[Path], db: Path, monkeypatch) -> None:
    """The same load without a helper: the load rebuilds the index itself."""
    with monkeypatch.context() as m:
        m.setattr(sidebuild, "MIN_ROWS", 10**9)
        load_parts(parts, db)


def test_the_helpers_index_is_the_rebuilt_one(parts, tmp_path, helpers, monkeypatch):
    db = tmp_path / "side.db"
    counts = load_parts(parts, db)
    [(taken, folder)] = helpers
    assert taken and counts["new"] == len(articles(db)) > 30
    assert not folder.exists()  # the scratch file is gone
    alone = tmp_path / "serial.db"
    serial_load(parts, alone, monkeypatch)
    assert len(helpers) == 1
    tables = index_tables(db)
    assert tables == index_tables(alone) and tables["articles_search_queue"] == []
    assert len(tables["articles_search_docsize"]) == len(articles(db))
    sql_rows(db, "INSERT INTO articles_search(articles_search) VALUES ('integrity-check')")
    row = next(r for r in articles(db).values() if r["language"] == "zh-Hans")
    assert row["url"] in {h.url for h in search(db, row["title"][:4], limit=100)}


def newer_copy(part: Path, folder: Path) -> tuple[Path, str]:
    """A part holding the first article of `part` fetched again later with other text."""
    import pyarrow.parquet as pq

    table = pq.read_table(part).slice(0, 1)
    row = table.to_pylist()[0]
    row["body"] = "Zyzzyva quokka: the text was rewritten after the first fetch.\n\n" + row["body"]
    row["content_hash"] = "f" * 64
    row["story_sketch"] = None
    row["fetched_at"] = "2099-01-01T00:00:00+00:00"
    out = folder / "newer.parquet"
    pq.write_table(type(table).from_pylist([row], schema=table.schema), out)
    return out, row["url"]


def test_rows_changed_during_the_load_make_the_load_rebuild(parts, tmp_path, helpers,
                                                            monkeypatch):
    newer, url = newer_copy(parts[0], tmp_path)
    db = tmp_path / "side.db"
    counts = load_parts([*parts, newer], db)
    assert counts["updated"] == 1
    [(taken, folder)] = helpers
    assert not taken and not folder.exists()  # the row it may have indexed changed
    alone = tmp_path / "serial.db"
    serial_load([*parts, newer], alone, monkeypatch)
    assert index_tables(db) == index_tables(alone)
    assert [h.url for h in search(db, "zyzzyva quokka")] == [url]


def test_a_failed_helper_leaves_the_rebuild_to_the_load(parts, tmp_path, helpers,
                                                        monkeypatch):
    monkeypatch.setattr(sidebuild.sys, "executable", "false")  # exits 1 at once
    db = tmp_path / "side.db"
    load_parts(parts, db)
    [(taken, folder)] = helpers
    assert not taken and not folder.exists()
    alone = tmp_path / "serial.db"
    serial_load(parts, alone, monkeypatch)
    assert index_tables(db) == index_tables(alone)


def test_a_killed_load_stops_its_helper_and_the_next_load_finishes(parts, tmp_path,
                                                                   monkeypatch):
    # The load dies (os._exit: no `finally`) in its third batch; its helper sees its stdin
    # close, stops and deletes its scratch file; loading again gives the whole result.
    killed = tmp_path / "killed.db"
    done = kill_load_in_third_batch(killed, parts, prelude=(
        "from newsharvest.store import sidebuild\n"
        "sidebuild.MIN_ROWS = 0\n"
        "sidebuild.available_cpus = lambda: 2\n"
        "start = sidebuild.SideBuild.__init__\n"
        "def init(self, db, path):\n"
        "    start(self, db, path)\n"
        "    print(self.folder, flush=True)\n"
        "sidebuild.SideBuild.__init__ = init\n"))
    assert done.returncode == 9, done.stderr
    folder = Path(done.stdout.strip())
    assert folder.name.startswith("newsharvest-search-")
    deadline = time.monotonic() + 60
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not folder.exists(), "the helper outlived its load"
    assert 0 < len(articles(killed))
    monkeypatch.setattr(sidebuild, "MIN_ROWS", 0)
    monkeypatch.setattr(sidebuild, "available_cpus", lambda: 2)
    load_parts(parts, killed)
    whole = tmp_path / "whole.db"
    serial_load(parts, whole, monkeypatch)
    assert articles(killed) == articles(whole)
    [(count,)] = sql_rows(killed, "SELECT count(*) FROM articles_search_docsize")
    assert count == len(articles(whole))
    assert sql_rows(killed, "SELECT count(*) FROM articles_search_queue") == [(0,)]


def test_a_write_by_another_connection_during_the_load_makes_it_rebuild(
        parts, tmp_path, helpers, monkeypatch):
    # Another tool renames a loaded article while the load runs: the load's TEMP triggers
    # do not see it, the file's data_version does; the index must hold the new title.
    import sqlite3

    from newsharvest.store import load

    db = tmp_path / "side.db"
    load_rows = load._load_rows
    renamed: list[str] = []

    def rows_then_rename(store, rows, run_id, counts):
        load_rows(store, rows, run_id, counts)
        if not renamed:
            other = sqlite3.connect(db)
            with other:
                [(url,)] = other.execute("SELECT url FROM articles LIMIT 1").fetchall()
                other.execute("UPDATE articles SET title = 'Quixotic zebu' WHERE url = ?",
                              [url])
            other.close()
            renamed.append(url)

    monkeypatch.setattr(load, "_load_rows", rows_then_rename)
    monkeypatch.setattr(load, "BATCH_ROWS", 7)
    load_parts(parts, db)
    [(taken, _)] = helpers
    assert not taken
    assert [h.url for h in search(db, "quixotic zebu")] == renamed
    sql_rows(db, "INSERT INTO articles_search(articles_search) VALUES ('integrity-check')")


def test_scratch_folders_of_dead_loads_are_swept(parts, tmp_path, helpers, monkeypatch):
    # A load killed together with its helper leaves its folder; the next helper deletes
    # it, and keeps the folders of loads still running (here: this process).
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead_pid = subprocess.Popen(["true"])
    dead_pid.wait()
    dead = tmp_path / f"{sidebuild.PREFIX}{dead_pid.pid}-left"
    alive = tmp_path / f"{sidebuild.PREFIX}{os.getpid()}-running"
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "index.db").write_bytes(b"x")
    load_parts(parts, tmp_path / "x.db")
    [(taken, folder)] = helpers
    assert taken and folder.parent == tmp_path and not folder.exists()
    assert not dead.exists() and alive.exists()
