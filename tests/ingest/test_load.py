"""`load`: parts into SQLite with the harvester's dedupe; the same articles as a harvest."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from helpers import FIXTURES, kill_load_in_third_batch, sql_rows
from helpers import article_rows as articles

from newsharvest import harvest
from newsharvest.fetch.replay import ReplayTransport
from newsharvest.store.load import load_parts
from newsharvest.store.search import search

COLUMNS = ("url", "title", "published", "modified", "body", "language", "authors", "credits",
           "origin", "content_hash", "simhash", "fetched_at", "extractor_version")


def stories(rows: dict[str, dict]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for url, row in rows.items():
        groups.setdefault(row["story_id"], set()).add(url)
    return {frozenset(g) for g in groups.values()}


def test_loaded_parts_equal_a_replay_harvest_of_the_same_pages(archives, parts, tmp_path):
    loaded = tmp_path / "loaded.db"
    counts = load_parts(parts, loaded)
    harvested = tmp_path / "harvested.db"
    harvest(archives.sources, harvested, transport=ReplayTransport(FIXTURES), replay=True)
    a, b = articles(loaded), articles(harvested)
    assert set(a) == set(b) and len(a) > 30
    assert counts["new"] == len(a) and counts["new"] + counts["unchanged"] == sum(
        pq_rows(p) for p in parts)  # the mobile copy of a page joins its desktop row
    for url in a:
        assert {c: a[url][c] for c in COLUMNS} == {c: b[url][c] for c in COLUMNS}, url
    assert stories(a) == stories(b)  # the same copies linked as one story
    # Source names agree wherever the site is configured once; a site configured as two
    # sources without link_pattern is credited to the first of them (see filters.py).
    shared = _shared_sites(archives.sources)
    for url in a:
        if not any(site in url for site in shared):
            assert a[url]["source"] == b[url]["source"], url


def pq_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.read_metadata(path).num_rows


def _shared_sites(sources) -> set[str]:
    from urllib.parse import urlsplit

    from newsharvest.normalize.urls import registrable_domain

    sites = Counter(registrable_domain(urlsplit(s.url).hostname or "") for s in sources)
    return {site for site, n in sites.items() if n > 1}


def test_load_order_and_repeats_do_not_change_the_result(parts, tmp_path):
    forward, backward = tmp_path / "f.db", tmp_path / "b.db"
    load_parts(parts, forward)
    load_parts(list(reversed(parts)), backward)
    again = load_parts(parts, forward)
    assert again["new"] == again["updated"] == 0
    strip = ({k: v for k, v in row.items() if k != "story_id"} for row in
             articles(forward).values())
    assert sorted(map(str, strip)) == sorted(
        str({k: v for k, v in row.items() if k != "story_id"})
        for row in articles(backward).values())
    assert stories(articles(forward)) == stories(articles(backward))


def test_the_search_index_is_built_for_loaded_articles(parts, tmp_path):
    db = tmp_path / "x.db"
    load_parts(parts, db)
    rows = articles(db)
    zh = next(r for r in rows.values() if r["language"] == "zh-Hans")
    en = next(r for r in rows.values() if r["language"] == "en")
    for row in (zh, en):
        phrase = row["title"][:4] if row is zh else row["title"].split()[0]
        assert row["url"] in {h.url for h in search(db, phrase, limit=100)}, phrase
    [(count,)] = sql_rows(db, "SELECT count(*) FROM articles_search")
    assert count == len(articles(db))


def test_an_unreadable_part_is_counted_and_the_rest_load(parts, tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not a parquet file")
    counts = load_parts([bad, *parts], tmp_path / "x.db")
    assert counts["bad_parts"] == 1 and counts["new"] > 30


def test_load_of_a_folder_without_parts_is_a_config_error(tmp_path, capsys):
    from newsharvest.cli import main

    (tmp_path / "parts").mkdir()
    with pytest.raises(SystemExit) as info:
        main(["load", str(tmp_path / "parts"), "--db", str(tmp_path / "x.db")])
    assert info.value.code == 2 and "no *.parquet part" in capsys.readouterr().err


def test_parts_carry_the_story_sketch_and_load_links_with_it(parts, tmp_path, monkeypatch):
    # ingest keeps normalize's sketch of each body, so load sketches nothing; a part
    # without the column (an older part) loads to the same story groups by sketching.
    import pyarrow.parquet as pq

    from newsharvest.store import sketch

    tables = [pq.read_table(p) for p in parts]
    assert all(t.column("story_sketch").null_count == 0 for t in tables)
    bare = []
    for i, table in enumerate(tables):
        bare.append(tmp_path / f"bare-{i}.parquet")
        pq.write_table(table.drop_columns(["story_sketch"]), bare[-1])
    sketched = articles_of_load(bare, tmp_path / "bare.db")
    with monkeypatch.context() as m:
        m.setattr(sketch, "sketch", lambda body: pytest.fail("load sketched a body"))
        carried = articles_of_load(parts, tmp_path / "carried.db")
    assert stories(carried) == stories(sketched) and len(carried) > 30
    [(unbanded,)] = sql_rows(tmp_path / "carried.db",
                             "SELECT count(*) FROM story_sketches WHERE banded = 0")
    [(bands,)] = sql_rows(tmp_path / "carried.db", "SELECT count(DISTINCT article) "
                          "FROM story_bands")
    assert unbanded == 0 and bands == len(carried)  # each batch wrote its band keys


def articles_of_load(parts: list[Path], db: Path) -> dict[str, dict]:
    load_parts(parts, db)
    return articles(db)


def test_a_load_killed_mid_batch_resumes_to_the_same_result(parts, tmp_path):
    # The process dies (no `finally`, no commit) inside the third batch's bulk write, after
    # its article rows went in: the batch's rows, sketches, band keys and index queue are
    # one transaction, so loading the parts again gives what a load never killed gives.
    killed = tmp_path / "killed.db"
    done = kill_load_in_third_batch(killed, parts)
    assert done.returncode == 9, "the load was not killed"
    partial = articles(killed)
    assert 0 < len(partial)
    load_parts(parts, killed)
    whole = tmp_path / "whole.db"
    load_parts(parts, whole)
    a, b = articles(killed), articles(whole)
    assert len(a) > len(partial) and a == b
    for sql in ("SELECT count(*) FROM articles_search",
                "SELECT count(*), sum(banded) FROM story_sketches",
                "SELECT count(*) FROM story_bands", "SELECT count(*) FROM articles_search_queue"):
        assert sql_rows(killed, sql) == sql_rows(whole, sql), sql
