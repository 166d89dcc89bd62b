"""`sources check` over several sources at once, `sources validate`, the `user_agent`
setting, `extract` from standard input, and `serve`'s wiring."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest
from helpers import send_response

from newsharvest.cli import main
from newsharvest.config import parse_sources
from newsharvest.fetch.client import USER_AGENT

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_sources_fixture_cli import PAGE  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def feed(loopback, path: str, page: str, delay: float = 0.0) -> None:
    url = loopback.route(page, PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    loopback.route(path, f'<rss version="2.0"><channel><item><link>{url}</link></item>'
                   "</channel></rss>", headers={"Content-Type": "application/rss+xml"},
                   delay=delay)


def test_check_runs_hosts_at_once_and_ends_with_a_table(loopback, tmp_path, capsys):
    feed(loopback, "/a.xml", "/a/1.html", delay=0.6)
    feed(loopback, "/b.xml", "/b/1.html", delay=0.6)
    other_host = loopback.url("/b.xml").replace("127.0.0.1", "localhost")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: a\n    feed: {loopback.url('/a.xml')}\n"
                       f"  - name: b\n    feed: {other_host}\n    delay: 0\n"
                       "defaults:\n  delay: 0\n", encoding="utf-8")
    main(["sources", "check", "--sources", str(sources)])
    out = capsys.readouterr().out
    started = {path: at for at, path in loopback.log if path in ("/a.xml", "/b.xml")}
    assert abs(started["/a.xml"] - started["/b.xml"]) < 0.5  # the second did not wait
    table = out[out.index("summary:"):].splitlines()
    assert table[1].split()[:3] == ["source", "result", "links"], out
    assert [row.split()[:3] for row in table[3:5]] == [["a", "ok", "1"], ["b", "ok", "1"]]


def test_validate_reports_fields_without_network(tmp_path, capsys):
    bad = tmp_path / "s.yaml"
    bad.write_text("sources:\n  - name: x\n    fead: http://a.example/f.xml\n")
    with pytest.raises(SystemExit) as info:
        main(["sources", "validate", str(bad)])
    assert info.value.code == 2
    assert "did you mean 'feed'" in capsys.readouterr().err


def test_user_agent_default_and_per_source(loopback, tmp_path):
    seen: list[str] = []

    def record(handler) -> None:
        seen.append(handler.headers.get("User-Agent", ""))
        send_response(handler, 200, PAGE.encode(), {"Content-Type": "text/html; charset=utf-8"})

    loopback.route("/p/1.html", custom=record)
    loopback.route("/p/2.html", custom=record)
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "defaults:\n  user_agent: 'examplebot/2.0 (+https://example.com/bot)'\n  delay: 0\n"
        f"sources:\n  - name: one\n    urls: ['{loopback.url('/p/1.html')}']\n"
        f"  - name: two\n    urls: ['{loopback.url('/p/2.html')}']\n"
        "    user_agent: 'otherbot/1.0 (+https://example.com/other)'\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["harvest", "--sources", str(sources), "--db", str(tmp_path / "x.db")])
        raise SystemExit(0)
    assert info.value.code == 0
    assert sorted(seen) == ["examplebot/2.0 (+https://example.com/bot)",
                            "otherbot/1.0 (+https://example.com/other)"]
    assert USER_AGENT.startswith("newsharvest/") and "+https://" in USER_AGENT


def test_user_agent_must_be_one_printable_line():
    from newsharvest.errors import ConfigError

    with pytest.raises(ConfigError, match="user_agent"):
        parse_sources({"sources": [{"name": "x", "feed": "http://a.example/f",
                                    "user_agent": "bot\r\nX-Evil: 1"}]})


def test_extract_reads_standard_input(monkeypatch, capsys):
    page = (ROOT / "fixtures" / "ltn" / "anping-fire" / "page.html").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    main(["extract", "-", "--format", "json"])
    out = capsys.readouterr().out
    assert out.startswith("{") and '"body"' in out and len(out.splitlines()) == 1


def test_serve_starts_datasette_with_plugin_and_metadata(tmp_path, monkeypatch, capsys):
    pytest.importorskip("datasette")
    import json

    from datasette import cli as datasette_cli

    from newsharvest.store.read import open_database

    db = tmp_path / "news.db"
    db.touch()
    with open_database(db):
        pass
    calls: list[list[str]] = []

    def fake_main(args: list[str], **kwargs: object) -> None:
        metadata = Path(args[args.index("--metadata") + 1])
        calls.append([*args, metadata.read_text(encoding="utf-8")])

    monkeypatch.setattr(datasette_cli.cli, "main", fake_main)
    main(["serve", "--db", str(db), "--port", "0"])
    args = calls[0]
    assert args[:2] == ["serve", str(db)] and "--port" in args
    meta = json.loads(args[-1])
    assert meta["databases"]["news"]["tables"]["articles"]["fts_table"] == "articles_search"
    from datasette.plugins import pm

    assert pm.get_plugin("newsharvest") is not None


def test_check_answers_within_the_page_budget(loopback, tmp_path, capsys):
    """A new source whose first article would take minutes to extract: the check fails it
    as a timeout after --page-timeout seconds instead of hanging."""
    from test_workers import pathological

    url = loopback.route("/huge.html", pathological().decode(),
                         headers={"Content-Type": "text/html; charset=utf-8"})
    loopback.route("/h.xml", f'<rss version="2.0"><channel><item><link>{url}</link></item>'
                   "</channel></rss>", headers={"Content-Type": "application/rss+xml"})
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: h\n    feed: {loopback.url('/h.xml')}\n"
                       "defaults:\n  delay: 0\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(SystemExit) as exit_:
        main(["sources", "check", "--sources", str(sources), "--page-timeout", "1"])
    assert exit_.value.code == 1
    assert time.monotonic() - started < 20  # the budget and a worker's start, not the page
    out = capsys.readouterr().out
    summary = out[out.index("summary:"):]
    assert "FAILED" in summary and "extraction took longer than 1 s" in out, out
