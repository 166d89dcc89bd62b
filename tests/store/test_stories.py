"""Story linking: copies of one story share a story_id, different stories do not."""

from __future__ import annotations

import re
from functools import partial

from helpers import FIXTURES, make_article, make_outcome

from newsharvest import harvest, load_sources
from newsharvest.fetch.replay import ReplayTransport
from newsharvest.fixtures import read_expected
from newsharvest.records import Article
from newsharvest.store import Store


def body_of(case: str) -> str:
    return read_expected(FIXTURES / case / "expected.json")["body"]


article = partial(make_article, with_simhash=True)


def save(store: Store, a: Article) -> str:
    store.save(a, make_outcome(a.url), "r")
    return next(store.query("select story_id from articles where url = ?", [a.url]))["story_id"]


def reprint(body: str) -> str:
    """What a second portal does to a syndicated story: drops a paragraph, edits words."""
    paragraphs = body.split("\n\n")
    del paragraphs[len(paragraphs) // 2]
    edited = "\n\n".join(paragraphs).replace("OpenAI", "Open AI", 2).replace("数据中心", "数据中心项目", 1)
    return edited + "\n\n（本文综合自证券时报）"


def test_copies_share_a_story_and_other_stories_do_not(tmp_path):
    original = body_of("netease/seed-002")
    other = body_of("thepaper/county-childcare")
    with Store(tmp_path / "x.db") as store:
        first = save(store, article("https://a.example/1", original))
        assert save(store, article("https://b.example/2", reprint(original))) == first
        assert save(store, article("https://c.example/3", original)) == first  # exact copy
        assert save(store, article("https://d.example/4", other)) != first


def test_story_on_one_topic_is_not_a_copy(tmp_path):
    # Two different Chinese finance stories share vocabulary but are not one story.
    with Store(tmp_path / "x.db") as store:
        a = save(store, article("https://a.example/1", body_of("sina/market-close")))
        b = save(store, article("https://b.example/2", body_of("stcn/investor-services")))
        assert a != b


def reference_groups(rows: list[tuple[str, str, str, str | None]]) -> set[frozenset[str]]:
    """The previous design, all pairs (fine for a few dozen articles): an exact copy joins
    its story; else among earlier articles within 12 SimHash bits, nearest first, the
    first whose 5-gram containment with this body is >= 0.6."""
    def grams(body: str) -> set[str]:
        text = re.sub(r"[\W_]+", "", body.lower())
        return {text[i:i + 5] for i in range(max(0, len(text) - 4))}

    story: dict[str, str] = {}
    for i, (url, body, digest, sketch) in enumerate(rows):
        earlier = rows[:i]
        found = next((story[u] for u, _, d, _ in earlier if d == digest), None)
        if found is None and sketch:
            near = sorted((bin(int(s, 16) ^ int(sketch, 16)).count("1"), u, b)
                          for u, b, _, s in earlier if s)
            mine = grams(body)
            for bits, u, b in near:
                other = grams(b)
                if bits <= 12 and len(mine & other) / min(len(mine), len(other)) >= 0.6:
                    found = story[u]
                    break
        story[url] = found or digest[:16]
    groups: dict[str, set[str]] = {}
    for url, sid in story.items():
        groups.setdefault(sid, set()).add(url)
    return {frozenset(g) for g in groups.values()}


def test_fixture_story_groups_are_those_of_the_previous_design(tmp_path):
    db = tmp_path / "fixtures.db"
    harvest(load_sources(str(FIXTURES / "sources.yaml")), db,
            transport=ReplayTransport(str(FIXTURES)), replay=True)
    with Store(db) as store:
        rows = [(r["url"], r["body"], r["content_hash"], r["simhash"]) for r in store.query(
            "SELECT url, body, content_hash, simhash FROM articles ORDER BY rowid")]
        groups: dict[str, set[str]] = {}
        for r in store.query("SELECT url, story_id FROM articles"):
            groups.setdefault(r["story_id"], set()).add(r["url"])
    linked = {frozenset(g) for g in groups.values()}
    assert len(rows) > 30 and any(len(g) > 1 for g in linked)
    assert linked == reference_groups(rows)


def test_a_killed_run_leaves_sketches_that_the_next_run_links_to(tmp_path):
    original = body_of("netease/seed-002")
    store = Store(tmp_path / "x.db")
    first = save(store, article("https://a.example/1", original))
    store.db.close()  # killed before its batch of band keys was written
    with Store(tmp_path / "x.db") as again:
        assert save(again, article("https://b.example/2", reprint(original))) == first
    with Store(tmp_path / "x.db") as third:  # and once written, from the band index
        assert third.count("story_bands") > 0
        assert not list(third.query("SELECT 1 FROM story_sketches WHERE banded = 0"))
        assert save(third, article("https://c.example/3", reprint(original) + "\n\n完")) == first


def test_a_batch_links_as_the_same_articles_saved_one_by_one(tmp_path):
    # save_many sketches a batch and reads its band rows up front: the groups must be those
    # of saving each article alone, also when the batch rewrites a banded article's text.
    original, other = body_of("netease/seed-002"), body_of("thepaper/county-childcare")
    market = body_of("sina/market-close")
    before = [article("https://a.example/1", original), article("https://m.example/1", market)]
    batch = [article("https://a.example/1", other),  # its old bands are deleted
             article("https://b.example/2", reprint(original)),
             article("https://c.example/3", original),
             article("https://d.example/4", reprint(other)),
             article("https://m.example/2", reprint(market)),
             article("https://b.example/2", reprint(original) + "\n\n完")]
    groups = []
    for one_by_one in (True, False):
        with Store(tmp_path / f"{one_by_one}.db") as store:
            for a in before:
                save(store, a)
            store.flush()  # the earlier articles' band keys are in the table
            if one_by_one:
                for a in batch:
                    store.save(a, make_outcome(a.url), "r")
            else:
                store.save_many([(a, make_outcome(a.url)) for a in batch], "r",
                                newer_only=True)
            rows = store.query("SELECT url, story_id FROM articles ORDER BY url")
            groups.append({r["url"]: r["story_id"] for r in rows})
    assert groups[0] == groups[1]
    assert groups[0]["https://m.example/2"] == groups[0]["https://m.example/1"]
    assert groups[0]["https://d.example/4"] == groups[0]["https://a.example/1"]


def test_a_failed_flush_keeps_the_band_keys_it_did_not_write(tmp_path, monkeypatch):
    import sqlite3

    import pytest

    from newsharvest.errors import StoreError
    from newsharvest.store import writer

    original = body_of("netease/seed-002")
    with Store(tmp_path / "x.db") as store:
        first = save(store, article("https://a.example/1", original))

        def fail(db: object) -> int:
            raise sqlite3.OperationalError("disk I/O error")

        with monkeypatch.context() as m:
            m.setattr(writer, "sync_search_index", fail)
            with pytest.raises(StoreError):
                store.flush()  # rolled back: the band keys are still unwritten
        assert save(store, article("https://b.example/2", reprint(original))) == first


def test_a_widely_reprinted_story_links_every_copy_comparing_a_bounded_number(
        tmp_path, monkeypatch):
    from newsharvest.store import sketch, stories

    monkeypatch.setattr(stories, "MAX_CANDIDATES", 4)
    monkeypatch.setattr(stories, "PER_KEY", 4)
    stories._band_lookup.cache_clear()  # its SQL holds PER_KEY
    compared: list[int] = []
    containment_of = sketch.Sketch.containment_of

    def counting(self, equal_bins: int, other_grams: int) -> float:
        compared[-1] += 1
        return containment_of(self, equal_bins, other_grams)

    monkeypatch.setattr(sketch.Sketch, "containment_of", counting)
    original = body_of("netease/seed-002")
    paragraphs = original.split("\n\n")
    try:
        with Store(tmp_path / "x.db") as store:
            first = save(store, article("https://a.example/0", original))
            for i in range(1, 30):
                compared.append(0)
                copy = paragraphs[:i % len(paragraphs)] + paragraphs[i % len(paragraphs) + 1:]
                body = "\n\n".join(copy) + f"\n\n（本文转载自合作媒体{i}）"
                assert save(store, article(f"https://r{i}.example/{i}", body)) == first
                if i % 10 == 0:
                    store.flush()  # stored band keys as well as pending ones
    finally:
        stories._band_lookup.cache_clear()
    assert max(compared) <= 4 and compared[-1] == 4


def test_the_sketch_normalize_made_is_used_and_one_of_other_text_is_not(tmp_path):
    from dataclasses import replace

    from newsharvest.normalize.dedupe import story_sketch

    original = body_of("netease/seed-002")
    other = body_of("thepaper/county-childcare")
    copy = reprint(original)
    with Store(tmp_path / "x.db") as store:
        first = save(store, article("https://a.example/1", original))
        carried = article("https://b.example/2", copy)
        carried = replace(carried, sketch=story_sketch(copy, carried.content_hash))
        assert save(store, carried) == first
        # a body replaced after normalize: its sketch no longer matches the content hash
        stale = article("https://c.example/3", copy)
        stale = replace(stale, sketch=story_sketch(other, stale.content_hash[::-1]))
        assert save(store, stale) == first
        rows = {r["article"]: r["sketch"] for r in store.query(
            "SELECT article, sketch FROM story_sketches")}
        assert rows[2] == rows[3]  # both sketched from the same text


def test_a_sketch_packed_by_another_hashing_version_is_made_again(tmp_path, monkeypatch):
    # Packed sketches outlive the process (ingest's parts): one of another SKETCH_VERSION
    # would compare its bins with incomparable ones, so it is recognised and not used.
    from dataclasses import replace

    from newsharvest.normalize.dedupe import story_sketch
    from newsharvest.store import sketch, stories

    assert sketch.PACK_VERSION == stories.SKETCH_VERSION.encode()
    copy = reprint(body_of("netease/seed-002"))
    carried = article("https://b.example/2", copy)
    packed = story_sketch(copy, carried.content_hash)
    assert packed is not None
    assert sketch.unpack(packed, carried.content_hash) is not None
    monkeypatch.setattr(sketch, "PACK_VERSION", b"9")
    assert sketch.unpack(packed, carried.content_hash) is None
    made: list[str] = []
    real = sketch.sketch
    monkeypatch.setattr(sketch, "sketch", lambda body: made.append(body) or real(body))
    with Store(tmp_path / "x.db") as store:
        save(store, replace(carried, sketch=packed))
    assert made == [copy]
