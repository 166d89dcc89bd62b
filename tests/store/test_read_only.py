"""Reading a database this user may not write: search, stats, export and query still work."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FIXTURES

from newsharvest import harvest, load_sources
from newsharvest.cli import main
from newsharvest.fetch.replay import ReplayTransport


def _make_read_only(path: Path) -> bool:
    if os.geteuid() != 0:
        path.chmod(0o444)
        return True
    # root writes through any mode bits; the immutable attribute stops it where allowed.
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def read_only_db(tmp_path: Path) -> Iterator[Path]:
    db = tmp_path / "cron.db"
    harvest(load_sources(FIXTURES / "sources.yaml"), db, transport=ReplayTransport(FIXTURES),
            replay=True)
    assert not Path(f"{db}-wal").exists()  # checkpointed on close: the file is complete
    if not _make_read_only(db):
        pytest.skip("this machine cannot make a file read-only for root (no chattr)")
    with pytest.raises(OSError):
        db.open("ab").close()  # the precondition really holds
    try:
        yield db
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(db)], check=False)
        db.chmod(0o644)


def test_read_commands_work_on_a_read_only_database(read_only_db, capsys):
    db = str(read_only_db)
    main(["search", "托育", "--db", db, "--format", "jsonl"])
    assert "thepaper.cn" in capsys.readouterr().out
    main(["stats", "--db", db])
    assert "thepaper" in capsys.readouterr().out
    main(["export", "--db", db, "--format", "jsonl", "--source", "ltn"])
    assert '"source": "ltn"' in capsys.readouterr().out
    main(["query", "select count(*) n from articles", "--db", db, "--format", "json"])
    assert '"n": ' in capsys.readouterr().out


def test_writing_to_a_read_only_database_is_a_clear_error(read_only_db, capsys):
    with pytest.raises(SystemExit) as info:
        main(["query", "delete from articles", "--db", str(read_only_db)])
    assert info.value.code == 2  # query is read-only on every file (issue 16)
    assert "read-only" in capsys.readouterr().err
