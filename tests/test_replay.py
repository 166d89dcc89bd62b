"""`harvest --replay fixtures/`: the whole pipeline offline, through httpx.MockTransport."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from newsharvest import harvest, load_sources
from newsharvest.cli import main
from newsharvest.replay import ReplayTransport, load_manifest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPECTED = [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(FIXTURES.glob("*/*/expected.json"))]


@pytest.fixture(scope="module")
def harvested(tmp_path_factory) -> tuple[Path, object, object]:
    db = tmp_path_factory.mktemp("replay") / "x.db"
    sources = load_sources(FIXTURES / "sources.yaml")
    first = harvest(sources, db, transport=ReplayTransport(FIXTURES), replay=True)
    transport = ReplayTransport(FIXTURES)
    second = harvest(sources, db, transport=transport, replay=True)
    return db, first, (second, transport)


def rows(db: Path) -> dict[str, dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    return {r["url"]: dict(r) for r in con.execute("select * from articles")}


def test_every_source_and_page_succeeds(harvested):
    _, first, _ = harvested
    failures = [s.summary() for s in first.sources if not s.ok]
    assert not failures


def test_one_row_per_fixture_article_and_second_run_adds_none(harvested):
    db, first, (second, transport) = harvested
    stored = rows(db)
    assert set(stored) == {e["url"] for e in EXPECTED}
    assert second.total().new == 0
    # The second run fetched discovery documents only, no article page again.
    article_urls = {e["url"] for e in EXPECTED}
    assert not article_urls.intersection(transport.requests)


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["url"] for e in EXPECTED])
def test_stored_record_matches_expected(harvested, expected):
    db, _, _ = harvested
    row = rows(db)[expected["url"]]
    assert row["body"] == expected["body"]
    assert row["title"] == expected["title"]
    published = expected["published"]
    assert (datetime.fromisoformat(row["published"]) if row["published"] else None) == (
        datetime.fromisoformat(published) if published else None)
    assert row["language"] == expected["language"]
    assert row["source"] == expected["source"]
    for line in expected.get("boilerplate", []):
        assert line not in row["body"]
    assert "\ufffd" not in row["body"]


def test_cli_replay_uses_the_folders_sources(tmp_path, capsys):
    db = tmp_path / "x.db"
    for _ in range(2):
        main(["harvest", "--replay", str(FIXTURES), "--db", str(db)])  # exit 0: no SystemExit
    out = capsys.readouterr().out
    assert out.count("total:") == 2
    assert len(rows(db)) == len(EXPECTED)


def test_manifest_urls_are_unique_and_files_exist():
    for url, entry in load_manifest(FIXTURES).items():
        assert entry["path"].is_file(), url
