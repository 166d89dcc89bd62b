"""Every bad input gets one clear line on stderr, the documented exit code and no
traceback: 1 something failed, 2 bad arguments or configuration."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

from newsharvest.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
PAGE = FIXTURES / "ltn" / "anping-fire" / "page.html"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of the CLI (an escaping exception fails the test)."""
    with pytest.raises(SystemExit) as info:
        main(list(args))
        raise SystemExit(0)
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out, err


def one_error_line(err: str, *words: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: ") and "Traceback" not in err
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from newsharvest import harvest, load_sources
    from newsharvest.fetch.replay import ReplayTransport

    path = tmp_path_factory.mktemp("bad") / "news.db"
    harvest(load_sources(FIXTURES / "sources.yaml"), path,
            transport=ReplayTransport(FIXTURES), replay=True)
    return path


def count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


@pytest.mark.parametrize("sql", [
    "delete from articles", "update articles set title = 'x'", "drop view stories",
    "attach database 'other.db' as other", "vacuum into 'copy.db'",
    "insert into articles(url) values ('x')", "pragma query_only = 0",
])
def test_query_refuses_writes(db, sql, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = count(db)
    code, out, err = run(capsys, "query", sql, "--db", str(db))
    assert code == 2
    one_error_line(err, "read-only")
    assert count(db) == before > 0
    assert not (tmp_path / "other.db").exists() and not (tmp_path / "copy.db").exists()


def test_query_still_reads(db, capsys):
    code, out, _ = run(capsys, "query", "select count(*) n from articles", "--db", str(db),
                       "--format", "csv")
    assert code == 0 and out.splitlines()[1] == str(count(db))


def test_csv_has_its_header_when_empty(db, capsys):
    code, out, _ = run(capsys, "query", "select url, title from articles where 0",
                       "--db", str(db), "--format", "csv")
    assert (code, out) == (0, "url,title\n")
    code, out, _ = run(capsys, "search", "zzyzxqwv", "--db", str(db), "--format", "csv")
    assert code == 0 and out.splitlines() == ["url,source,published,language,title,snippet,score"]


def test_stats_csv_of_an_empty_file_has_its_header(tmp_path, capsys):
    from newsharvest.store import Store

    with Store(tmp_path / "empty.db"):
        pass
    code, out, _ = run(capsys, "stats", "--db", str(tmp_path / "empty.db"), "--format", "csv")
    assert code == 0 and out.startswith("source,articles,") and len(out.splitlines()) == 1


@pytest.mark.parametrize("command", [["search", "芯片"], ["stats"], ["export"],
                                     ["query", "select 1"], ["harvest", "--replay",
                                                             str(FIXTURES)]])
def test_a_file_that_is_not_a_database(command, tmp_path, capsys):
    fake = tmp_path / "notes.db"
    fake.write_text("just some notes\n")
    code, _, err = run(capsys, *command, "--db", str(fake))
    assert code == 2
    one_error_line(err, "not a SQLite database")


def test_db_where_a_folder_cannot_be(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    code, _, err = run(capsys, "harvest", "--replay", str(FIXTURES), "--db",
                       str(tmp_path / "afile" / "x.db"))
    assert code == 2
    one_error_line(err, "afile")


def test_unwritable_db_and_export(db, tmp_path, capsys, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)  # as on a read-only mount
    code, _, err = run(capsys, "harvest", "--replay", str(FIXTURES), "--db",
                       str(tmp_path / "ro" / "x.db"))
    assert code == 2
    one_error_line(err, "Permission denied")
    (tmp_path / "afile").write_text("x")
    code, _, err = run(capsys, "export", "--db", str(db), "-o",
                       str(tmp_path / "afile" / "out.jsonl"))
    assert code == 2
    one_error_line(err, "out.jsonl")


def test_yaml_syntax_error_names_file_line_and_column(tmp_path, capsys):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - name: x\n    feed: http://a.example/f.xml\n   bad: [1\n")
    for command in (["sources", "validate", str(bad)], ["harvest", "--sources", str(bad)]):
        code, _, err = run(capsys, *command)
        assert code == 2
        one_error_line(err, str(bad), "line 4", "column", "not valid YAML")


def test_sources_validate_ok_and_shipped_file(capsys):
    code, out, _ = run(capsys, "sources", "validate", str(ROOT / "sources.yaml"))
    assert code == 0 and "valid" in out


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", b"",
                                     bytes(range(256)) * 8])
def test_extract_refuses_what_is_no_html_page(content, tmp_path, capsys, caplog):
    path = tmp_path / "page.bin"
    path.write_bytes(content)
    code, out, err = run(capsys, "extract", str(path))
    assert code == 1 and out == ""
    one_error_line(err, str(path))
    assert not [r for r in caplog.records if r.name.startswith("trafilatura")]


def test_extract_several_files_and_jsonl(capsys, tmp_path):
    png = tmp_path / "a.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n")
    code, out, err = run(capsys, "extract", str(PAGE), str(png), str(PAGE), "--format",
                         "jsonl")
    assert code == 1 and len(out.splitlines()) == 2
    one_error_line(err, "a.png")


@pytest.mark.parametrize(("args", "words"), [
    (["search", "x", "--lang", "fr"], ["'fr'", "zh-Hant"]),
    (["search", "x", "--since", "last week"], ["--since", "YYYY-MM-DD"]),
    (["harvest", "--since", "2025-13-01"], ["--since", "YYYY-MM-DD"]),
    (["export", "--until", "tomorrow"], ["--until"]),
    (["search", "，。"], ["nothing to search"]),
    (["harvest", "--shard", "5/4", "--replay", str(FIXTURES)], ["--shard"]),
    (["extract", str(PAGE), "--format", "xml"], ["--format"]),
])
def test_bad_values_exit_2_in_every_command(db, args, words, capsys):
    code, _, err = run(capsys, *args, *(["--db", str(db)] if args[0] != "extract" else []))
    assert code == 2
    one_error_line(err, *words)


def test_unknown_source_name_suggests(capsys):
    code, _, err = run(capsys, "sources", "check", "ltnn", "--sources",
                       str(FIXTURES / "sources.yaml"))
    assert code == 2
    one_error_line(err, "no source named ltnn", "did you mean 'ltn'")


def test_reextract_without_database_or_pages(db, tmp_path, capsys):
    missing = tmp_path / "none.db"
    code, _, err = run(capsys, "reextract", "--db", str(missing))
    assert code == 2 and not missing.exists()
    one_error_line(err, "no database")
    code, _, err = run(capsys, "reextract", "--db", str(db), "--raw-dir", str(tmp_path))
    assert code == 2
    one_error_line(err, "no raw pages")


def test_refused_connection_is_reported_as_such(tmp_path, capsys):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: local\n    feed: http://127.0.0.1:{port}/f.xml\n")
    code, out, err = run(capsys, "harvest", "--sources", str(sources), "--db",
                         str(tmp_path / "x.db"), "--timeout", "2")
    assert code == 1
    source_line, total = out.strip().splitlines()[-2:]
    assert "connection refused" in source_line and "robots.txt" not in source_line
    assert "failed=1" in source_line and "failed=1" in total
