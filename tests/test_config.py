"""sources.yaml validation: every error names the file, the entry and the field."""

from __future__ import annotations

import pytest
from helpers import ROOT

from newsharvest.cli import main
from newsharvest.config import load_sources
from newsharvest.errors import ConfigError

MINIMAL = """
sources:
  - name: example-zh
    feed: http://host/feed.xml
    language: zh-Hans
    timezone: Asia/Shanghai
"""


def test_minimal_file_from_the_contract(make_sources):
    [source] = load_sources(make_sources(MINIMAL))
    assert source.name == "example-zh"
    assert source.discovery == "feed"
    assert source.url == "http://host/feed.xml"
    assert source.language == "zh-Hans"
    assert source.timezone == "Asia/Shanghai"


def test_defaults_and_rules_are_applied(make_sources):
    path = make_sources("""
defaults: {delay: 3, concurrency: 1, timezone: Asia/Taipei}
sources:
  - name: a
    listing: https://example.com/news/
    link_selector: "ul.list a"
    rules: {body: "div.article", remove: [".share", "#related"]}
  - name: b
    urls: [https://example.com/1.html, https://example.com/2.html]
    timezone: UTC
""")
    a, b = load_sources(path)
    assert (a.delay, a.concurrency, a.timezone) == (3.0, 1, "Asia/Taipei")
    assert a.rules.body == ("div.article",)
    assert a.rules.remove == (".share", "#related")
    assert b.timezone == "UTC" and b.urls[1] == "https://example.com/2.html"


@pytest.mark.parametrize(
    ("text", "entry", "field", "words"),
    [
        ("sources:\n  - name: a\n    fead: http://h/f.xml\n", "#1 (a)", "fead", "did you mean 'feed'"),
        ("sources:\n  - name: a\n    language: en\n", "#1 (a)", "feed", "exactly one of"),
        ("sources:\n  - name: a\n    feed: ''\n", "#1 (a)", "feed", "missing URL"),
        ("sources:\n  - name: a\n    feed: host/f.xml\n", "#1 (a)", "feed", "absolute"),
        ("sources:\n  - name: Bad Name\n    feed: http://h/f\n", "#1 (Bad Name)", "name", "lower-case"),
        ("sources:\n  - name: a\n    feed: http://h/f\n    timezone: Mars/Base\n", "#1 (a)",
         "timezone", "unknown timezone"),
        ("sources:\n  - name: a\n    listing: http://h/\n", "#1 (a)", "link_selector", "required"),
        ("sources:\n  - name: a\n    listing: http://h/\n    link_selector: 'a[['\n", "#1 (a)",
         "link_selector", "invalid CSS"),
        ("sources:\n  - name: a\n    feed: http://h/f\n  - name: a\n    feed: http://h/g\n",
         "#2 (a)", "name", "duplicate"),
        ("sources:\n  - name: a\n    feed: http://h/f\n    delay: soon\n", "#1 (a)", "delay",
         "number"),
        ("sources:\n  - name: a\n    feed: http://h/f\n    rules: {bodyy: x}\n", "#1 (a)",
         "rules.bodyy", "unknown rule"),
    ],
)
def test_errors_name_file_entry_and_field(make_sources, text, entry, field, words):
    path = make_sources(text)
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    message = str(info.value)
    assert str(path) in message
    assert f"entry {entry}" in message
    assert f"field '{field}'" in message
    assert words in message


def test_not_yaml_and_missing_file(make_sources, tmp_path):
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_sources(make_sources("sources: [\n"))
    with pytest.raises(ConfigError, match="file not found"):
        load_sources(tmp_path / "nope.yaml")


def test_cli_bad_config_exits_2_and_touches_no_database(make_sources, tmp_path, capsys):
    path = make_sources("sources:\n  - name: a\n    fead: http://127.0.0.1:9/f.xml\n")
    db = tmp_path / "x.db"
    with pytest.raises(SystemExit) as info:
        main(["harvest", "--sources", str(path), "--db", str(db)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "entry #1 (a)" in err and "field 'fead'" in err
    assert not db.exists()


def test_default_sources_file_is_valid_and_bilingual():
    sources = load_sources(ROOT / "sources.yaml")
    assert len(sources) >= 12
    langs = [s.language for s in sources]
    assert langs.count("en") >= 6
    assert sum(1 for lang in langs if lang and lang.startswith("zh-")) >= 6
    assert "zh-Hant" in langs and "zh-Hans" in langs


def test_zone_and_calendar_are_resolved_once_with_one_documented_default(make_sources):
    from zoneinfo import ZoneInfo

    from newsharvest.records import Calendar, DiscoveryKind

    zh, en, tw = load_sources(make_sources("""
sources:
  - {name: zh, feed: "http://a/f.xml", language: zh-Hant}
  - {name: en, feed: "http://b/f.xml", language: en}
  - {name: tw, feed: "http://c/f.xml", timezone: Asia/Taipei, calendar: roc}
"""))
    assert zh.zone == ZoneInfo("Asia/Shanghai") and en.zone == ZoneInfo("UTC")
    assert tw.zone == ZoneInfo("Asia/Taipei") and tw.calendar is Calendar.ROC
    assert zh.calendar is Calendar.GREGORIAN  # the zone's name switches nothing on
    assert zh.discovery is DiscoveryKind.FEED and zh.discovery == "feed"


def test_unknown_calendar_names_the_field(make_sources):
    with pytest.raises(ConfigError) as info:
        load_sources(make_sources(MINIMAL + "    calendar: lunar\n"))
    assert "field 'calendar'" in str(info.value) and "gregorian or roc" in str(info.value)
