"""The `extract` and `query` commands: thin layers that keep their output contracts."""

from __future__ import annotations

import json
import sqlite3

import pytest
from helpers import ROOT

from newsharvest.cli import main

SEED = ROOT / "fixtures" / "netease" / "seed-002"


def test_extract_json_prints_exactly_one_object(capsys):
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    main(["extract", str(SEED / "page.html"), "--url", expected["url"], "--json"])
    out = capsys.readouterr().out
    record = json.loads(out)  # exactly one JSON document, nothing else on stdout
    assert out.count("\n") == 1
    assert {"url", "title", "published", "body", "language", "content_hash"} <= set(record)
    assert record["title"] == expected["title"]
    assert record["body"] == expected["body"]
    assert record["language"] == "zh-Hans"


def test_extract_source_applies_timezone_and_text_output(capsys):
    main(["extract", str(ROOT / "fixtures" / "ltn" / "anping-fire" / "page.html"),
          "--source", "ltn", "--sources", str(ROOT / "fixtures" / "sources.yaml")])
    out = capsys.readouterr().out
    assert "published: 2025-10-14T05:30:00+08:00" in out
    assert "language:  zh-Hant" in out


def test_extract_missing_file_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["extract", "/nonexistent/page.html"])
    assert info.value.code == 2
    assert "no such file" in capsys.readouterr().err


def test_query_formats(tmp_path, capsys):
    db = tmp_path / "x.db"
    con = sqlite3.connect(db)
    con.execute("create table t (a text, b integer)")
    con.executemany("insert into t values (?, ?)", [("算力", 1), ("chips", 2)])
    con.commit()
    con.close()
    main(["query", "select a, b from t order by b", "--db", str(db), "--format", "jsonl"])
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in lines] == [{"a": "算力", "b": 1}, {"a": "chips", "b": 2}]
    main(["query", "select a from t where b = :b", "-p", "b", "2", "--db", str(db),
          "--format", "csv"])
    assert capsys.readouterr().out.splitlines() == ["a", "chips"]


def test_query_bad_sql_is_a_clear_error(tmp_path, capsys):
    db = tmp_path / "x.db"
    sqlite3.connect(db).close()
    with pytest.raises(SystemExit) as info:
        main(["query", "select nope from nothing", "--db", str(db)])
    assert info.value.code == 1
    assert "query failed" in capsys.readouterr().err
