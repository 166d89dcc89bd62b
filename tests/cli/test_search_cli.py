"""`search`, `export`, `stats`, `reindex`: thin commands with stable output contracts."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from helpers import make_article, make_outcome

from newsharvest.cli import main
from newsharvest.records import PageOutcome
from newsharvest.store import Store

CST = timezone(timedelta(hours=8))
DOCS = [
    ("https://a.cn/1", "cn", "zh-Hans", "算力需求大增", "今年全球算力需求大增，OpenAI 新建数据中心。", 14),
    ("https://a.tw/2", "tw", "zh-Hant", "臺灣算力中心", "臺灣的算力中心持續擴張。", 15),
    ("https://b.com/3", "uk", "en", "Chip stocks", "CHIP makers rallied as 算力 demand rose.", 16),
    ("https://a.cn/4", "cn", "zh-Hans", "芯片", "芯片出口管制升级。", 17),
]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "x.db"
    with Store(path) as store:
        for url, source, lang, title, body, day in DOCS:
            article = make_article(url, body, title=title, language=lang, source=source,
                                   published=datetime(2025, 10, day, 9, tzinfo=CST))
            store.save(article, make_outcome(url, source=source,
                                             at=datetime(2025, 10, day, tzinfo=UTC)), "r1")
        store.record(PageOutcome(url="https://b.com/x", source="uk", status="failed",
                                 at=datetime(2025, 10, 18, tzinfo=UTC), error_kind="fetch",
                                 error="HTTP 500"), "r2")
    return str(path)


def run(capsys, *args: str) -> str:
    main(list(args))
    return capsys.readouterr().out


def test_search_jsonl_with_filters(db, capsys):
    out = run(capsys, "search", "算力", "--db", db, "--format", "jsonl")
    hits = [json.loads(line) for line in out.splitlines()]
    assert {h["url"] for h in hits} == {"https://a.cn/1", "https://a.tw/2", "https://b.com/3"}
    assert set(hits[0]) == {"url", "source", "published", "language", "title", "snippet", "score"}
    assert all("[算力]" in h["snippet"] for h in hits)
    out = run(capsys, "search", "算力", "--db", db, "--format", "jsonl", "--lang", "zh",
              "--source", "cn", "--source", "tw", "--since", "2025-10-15", "--until",
              "2025-10-15")
    assert [json.loads(line)["url"] for line in out.splitlines()] == ["https://a.tw/2"]


def test_search_formats(db, capsys):
    hits = json.loads(run(capsys, "search", "chip", "--db", db, "--format", "json"))
    assert [h["url"] for h in hits] == ["https://b.com/3"]
    rows = list(csv.DictReader(io.StringIO(run(capsys, "search", "OpenAI 算力", "--db", db,
                                                "--format", "csv"))))
    assert [r["url"] for r in rows] == ["https://a.cn/1"]
    table = run(capsys, "search", "芯片", "--db", db)  # not a terminal: plain text
    assert table.splitlines()[0].split() == ["published", "source", "language", "title",
                                             "snippet"]
    assert "[芯片]" in table and "\x1b[" not in table
    assert run(capsys, "search", "nothing-here", "--db", db) == "(no rows)\n"
    assert len(json.loads(run(capsys, "search", "算力", "--db", db, "--format", "json",
                              "--limit", "1"))) == 1


def test_search_errors(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["search", "，。", "--db", db])
    assert info.value.code == 2  # a bad argument, as everywhere
    assert "nothing to search" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["search", "算力", "--db", str(tmp_path / "missing.db")])
    assert info.value.code == 2
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(SystemExit) as info:
        main(["search", "算力", "--db", db, "--since", "last week"])
    assert info.value.code == 2  # as in harvest
    assert "is not a date" in capsys.readouterr().err


def test_export_to_stdout_and_file(db, tmp_path, capsys):
    lines = run(capsys, "export", "--db", db, "--lang", "zh-Hans").splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["url"] for r in rows] == ["https://a.cn/1", "https://a.cn/4"]
    assert rows[0]["body"] == DOCS[0][4]
    target = tmp_path / "out.csv"
    main(["export", "--db", db, "--format", "csv", "-o", str(target)])
    assert "4 articles" in capsys.readouterr().err
    assert len(list(csv.DictReader(target.open(encoding="utf-8")))) == 4


def test_export_parquet_file(db, tmp_path, capsys):
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "out.parquet"
    main(["export", "--db", db, "--format", "parquet", "-o", str(target), "--source", "uk"])
    assert pq.read_table(target).column("url").to_pylist() == ["https://b.com/3"]


def test_stats_json_and_table(db, capsys):
    rows = {r["source"]: r for r in json.loads(run(capsys, "stats", "--db", db,
                                                   "--format", "json"))}
    assert rows["uk"]["articles"] == 1
    assert rows["uk"]["last_failure_reason"] == "fetch: HTTP 500"
    assert rows["uk"]["failure_rate"] == 0.5
    assert rows["cn"]["languages"] == {"zh-Hans": 2}
    table = run(capsys, "stats", "--db", db)
    assert "fetch: HTTP 500" in table and "1/2 50%" in table


def test_reindex(db, capsys):
    assert run(capsys, "reindex", "--db", db) == "indexed 4 articles\n"
    assert "https://a.cn/4" in run(capsys, "search", "芯片", "--db", db, "--format", "jsonl")


def test_help_lists_the_commands(capsys):
    try:
        main(["--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    for name in ("search", "export", "stats", "reindex"):
        assert name in out
