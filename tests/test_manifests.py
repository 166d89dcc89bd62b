"""newsharvest.fixtures: the one reader and writer of manifest.json and expected.json."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import FIXTURES, make_article

from newsharvest.errors import ConfigError, EvalError
from newsharvest.evaluate import load_cases
from newsharvest.fixtures import (
    add_manifest_entry,
    entry_for_page,
    expected_record,
    load_manifests,
    read_expected,
    read_manifest,
    write_expected,
)


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_read_manifest_resolves_files_and_lower_cases_headers(tmp_path: Path):
    path = write(tmp_path / "portal" / "manifest.json", {
        "https://a.test/1": {"file": "one/page.html", "headers": {"Content-Type": "text/html"}},
        "https://a.test/old": {"file": "one/page.html", "status": "301",
                               "headers": {"Location": "https://a.test/1"}},
    })
    entries = read_manifest(path)
    first, moved = entries["https://a.test/1"], entries["https://a.test/old"]
    assert first.path == tmp_path / "portal" / "one" / "page.html"
    assert (first.status, first.headers, first.manifest) == (200, {"content-type": "text/html"},
                                                             path)
    assert (moved.status, moved.headers) == (301, {"location": "https://a.test/1"})


@pytest.mark.parametrize(("data", "message"), [
    ("not json", "unreadable manifest"),
    (["a list"], "must map URLs to entries"),
    ({"https://a.test/1": {"status": 200}}, "entry https://a.test/1: field 'file'"),
    ({"https://a.test/1": {"file": "p.html", "status": "OK"}}, "field 'status'"),
])
def test_a_broken_manifest_is_a_config_error_naming_where(tmp_path: Path, data: object,
                                                           message: str):
    path = tmp_path / "manifest.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        read_manifest(path)
    assert info.value.path == str(path)


def test_load_manifests_merges_a_tree_and_refuses_a_url_twice(tmp_path: Path):
    write(tmp_path / "a" / "manifest.json", {"https://a.test/1": {"file": "1.html"}})
    write(tmp_path / "b" / "manifest.json", {"https://b.test/2": {"file": "2.html"}})
    assert set(load_manifests(tmp_path)) == {"https://a.test/1", "https://b.test/2"}
    write(tmp_path / "c" / "manifest.json", {"https://a.test/1": {"file": "x.html"}})
    with pytest.raises(ConfigError, match="URL listed twice"):
        load_manifests(tmp_path)
    with pytest.raises(ConfigError, match="replay folder not found"):
        load_manifests(tmp_path / "missing")


def test_every_fixture_page_has_its_manifest_entry():
    entries = load_manifests(FIXTURES)
    for expected in sorted(FIXTURES.glob("*/*/expected.json")):
        page = expected.with_name("page.html")
        entry = entry_for_page(page)
        assert entry is not None and entries[entry.url] == entry, page


def test_entry_for_page_prefers_the_file_then_the_url(tmp_path: Path):
    page = tmp_path / "portal" / "case" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(b"<p>x</p>")
    write(tmp_path / "portal" / "manifest.json", {
        "https://a.test/other": {"file": "elsewhere.html", "headers": {"date": "by url"}},
        "https://a.test/1": {"file": "case/page.html", "headers": {"date": "by file"}}})
    assert entry_for_page(page, "https://a.test/other").headers == {"date": "by file"}
    (tmp_path / "portal" / "manifest.json").write_text(json.dumps({
        "https://a.test/other": {"file": "elsewhere.html", "headers": {"date": "by url"}}}),
        encoding="utf-8")
    assert entry_for_page(page, "https://a.test/other").headers == {"date": "by url"}
    assert entry_for_page(page, "https://a.test/none") is None


def test_add_manifest_entry_keeps_the_others_and_refuses_a_broken_file(tmp_path: Path):
    add_manifest_entry(tmp_path, "https://a.test/1", "one/page.html",
                       headers={"date": "Tue, 14 Oct 2025 04:00:00 GMT"})
    add_manifest_entry(tmp_path, "https://a.test/2", "two/page.html")
    entries = read_manifest(tmp_path / "manifest.json")
    assert sorted(entries) == ["https://a.test/1", "https://a.test/2"]
    assert entries["https://a.test/1"].headers == {"date": "Tue, 14 Oct 2025 04:00:00 GMT"}
    (tmp_path / "manifest.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(ConfigError, match="unreadable manifest"):
        add_manifest_entry(tmp_path, "https://a.test/3", "three/page.html")
    assert (tmp_path / "manifest.json").read_text(encoding="utf-8") == "{broken"


def test_expected_record_round_trips(tmp_path: Path):
    article = make_article("https://a.test/1", "第一段。\n\n第二段。", title="标题",
                           published=datetime(2025, 10, 14, 1, 30, tzinfo=UTC),
                           authors=("王明",), credits=("责编：李四",), origin="新华社")
    record = expected_record(article, "portal", note="review me")
    assert list(record)[0] == "_review"
    path = write_expected(tmp_path, record)
    assert "第一段" in path.read_text(encoding="utf-8")  # readable, not \\u escapes
    again = read_expected(path)
    assert again == record
    assert again["published"] == "2025-10-14T01:30:00+00:00" and again["boilerplate"] == []
    write(tmp_path / "bad" / "expected.json", {"title": "no body"})
    with pytest.raises(ConfigError, match="string 'body'"):
        read_expected(tmp_path / "bad" / "expected.json")


def test_eval_reports_a_broken_manifest_as_an_eval_error(tmp_path: Path):
    case = tmp_path / "portal" / "case"
    write(case / "expected.json", {"url": "https://a.test/1", "body": "x"})
    (case / "page.html").write_bytes(b"<p>x</p>")
    write(tmp_path / "portal" / "manifest.json", {"https://a.test/1": {"status": 200}})
    with pytest.raises(EvalError, match="cannot read manifest .entry https://a.test/1.: needs"):
        load_cases(tmp_path)
