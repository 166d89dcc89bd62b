"""Full-text search: Chinese substrings of any length, English words, sync, ranking."""

from __future__ import annotations

import json
import sqlite3

import pytest
from helpers import ROOT, make_article, make_outcome

import newsharvest
from newsharvest.fetch.replay import ReplayTransport
from newsharvest.records import Article
from newsharvest.store import Store
from newsharvest.store.read import Filters
from newsharvest.store.search import (
    SEARCH_TABLE,
    SearchError,
    match_expression,
    parse_query,
    paused_search_index,
    prepare_text,
    rebuild_search_index,
    search,
)

DOCS = {
    "https://a.cn/1": ("算力需求大增", "今年全球算力需求大增，OpenAI 宣布新建数据中心。", "zh-Hans"),
    "https://a.cn/2": ("芯片出口", "芯片出口管制升级，英伟达(NVDA.US)盘后下跌。", "zh-Hans"),
    "https://a.cn/3": ("计算能力", "计算能力与算法、力量无关，这里没有那个词。", "zh-Hans"),
    "https://a.tw/4": ("臺灣晶片", "臺灣的晶片產業與算力中心持續擴張。", "zh-Hant"),
    "https://b.com/5": ("Chip stocks rally", "CHIP makers rallied; ORCL.US rose and C++ devs cheered.", "en"),
    "https://b.com/6": ("Chipset news", "A new chipset was announced and nothing about that word.", "en"),
    "https://b.com/7": ("OpenAI compute", "OpenAI said 算力 would triple, AND more chips are coming.", "en"),
    "https://a.cn/8": ("结尾", "这一段最后两个字是算力", "zh-Hans"),
}


def make(url: str, title: str, body: str, language: str, **kw) -> Article:
    return make_article(url, body, title=title, language=language, **kw)


outcome = make_outcome


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "x.db") as s:
        for url, (title, body, lang) in DOCS.items():
            s.save(make(url, title, body, lang), outcome(url), "r1")
        s.flush()  # the Store indexes in batches: index these now
        yield s


def urls(db, query: str, **kw) -> set[str]:
    return {hit.url for hit in search(db, query, limit=None, **kw)}


def truth(needle: str) -> set[str]:
    return {u for u, (t, b, _) in DOCS.items() if needle.lower() in (t + "\n" + b).lower()}


@pytest.mark.parametrize("needle", ["算力", "芯片", "算", "力", "需求大增", "数据中心", "臺灣"])
def test_chinese_substrings_of_any_length_match_exactly(store, needle):
    assert urls(store.db, needle) == truth(needle)


def test_two_character_query_finds_every_article_containing_it_and_none_without(store):
    found = urls(store.db, "算力")
    assert found == {"https://a.cn/1", "https://a.tw/4", "https://b.com/7", "https://a.cn/8"}
    assert "https://a.cn/3" not in found  # 算 and 力 apart are not 算力


def test_english_word_query_is_case_insensitive_and_whole_word(store):
    assert urls(store.db, "chip") == {"https://b.com/5"}
    assert urls(store.db, "CHIP") == urls(store.db, "Chip") == {"https://b.com/5"}
    assert urls(store.db, "chip*") == {"https://b.com/5", "https://b.com/6", "https://b.com/7"}


def test_mixed_query_is_an_and_of_terms(store):
    assert urls(store.db, "OpenAI 算力") == {"https://a.cn/1", "https://b.com/7"}
    assert urls(store.db, "OpenAI 芯片") == set()


@pytest.mark.parametrize("query", ["ORCL.US", "C++", "AND", "OR", "NOT", "NEAR(a b)", '"',
                                   'chip"s', "(算力", "*", "a*b", "col:算力", "^chip", "-"])
def test_user_input_never_raises(store, query):
    try:
        list(search(store.db, query))
    except SearchError:
        assert not any(ch.isalnum() for ch in query)


def test_operator_words_and_tickers_are_plain_words(store):
    assert urls(store.db, "ORCL.US") == {"https://b.com/5"}
    assert urls(store.db, "AND") == {"https://b.com/5", "https://b.com/6", "https://b.com/7"}
    assert urls(store.db, "NOT") == set()  # "nothing" is not the word "not"
    assert urls(store.db, '"C++ devs"') == {"https://b.com/5"}


def test_query_without_words_is_a_clear_error(store):
    with pytest.raises(SearchError, match="nothing to search"):
        list(search(store.db, "  ，。!! "))


def test_match_expression_is_quoted_and_chinese_terms_end_in_a_prefix():
    # A term ending on a Han character: its last one may end a run in the text (marked) or not.
    assert match_expression(parse_query("算力")) == '"算 力"*'
    assert match_expression(parse_query("算")) == '"算"*'
    assert match_expression(parse_query("人工智能")) == '"人 工 智 能"*'
    assert match_expression(parse_query("芯片AI")) == '"芯 片\u02bc AI"'  # the run ends there
    assert match_expression(parse_query('OpenAI chip"s')) == '"OpenAI" AND "chip""s"'
    assert match_expression(parse_query('"open ai" 芯')) == '"open ai" AND "芯"*'
    assert prepare_text("ＧＰＵ芯片，人") == "GPU 芯 片\u02bc , 人\u02bc "  # NFKC folds full width


def test_match_expression_for_an_index_of_bigrams():
    # Search versions 1 and 2 indexed bigrams: a file not yet rebuilt (read-only) keeps them.
    assert match_expression(parse_query("算力"), version="2") == '"算力"'
    assert match_expression(parse_query("人工智能"), version="1") == '"人工 工智 智能"'
    assert match_expression(parse_query("算 芯片AI"), version=None) == '"算"* AND "芯片 片 AI"'


def test_traditional_and_simplified_forms_on_request(store):
    assert urls(store.db, "台湾") == set()
    assert urls(store.db, "台湾", variants=True) == {"https://a.tw/4"}
    assert urls(store.db, "晶片产业", variants=True) == {"https://a.tw/4"}


def test_ranked_by_bm25_with_title_weighted(store):
    hits = list(search(store.db, "算力"))
    assert hits[0].url == "https://a.cn/1"  # the only one with 算力 in the title
    assert [h.score for h in hits] == sorted(h.score for h in hits)


def test_snippet_highlights_matches(store):
    [hit] = search(store.db, "ORCL.US")
    assert "[ORCL.US]" in hit.snippet
    [hit] = search(store.db, "需求", mark=("<b>", "</b>"))
    assert "<b>需求</b>" in hit.snippet
    assert hit.to_row()["url"] == "https://a.cn/1"


def test_filters_combine_with_search(store):
    assert urls(store.db, "算力", filters=Filters.of(lang="zh")) == {
        "https://a.cn/1", "https://a.tw/4", "https://a.cn/8"}
    assert urls(store.db, "算力", filters=Filters.of(lang="zh-Hant")) == {"https://a.tw/4"}
    assert urls(store.db, "算力", filters=Filters.of(lang="en", source="nope")) == set()
    assert len(list(search(store.db, "算力", limit=2))) == 2


def test_index_follows_updates_and_deletes(store):
    store.save(make("https://a.cn/1", "新标题", "改过的正文，没有了。", "zh-Hans"),
               outcome("https://a.cn/1"), "r2")
    assert "https://a.cn/1" not in urls(store.db, "算力")
    assert urls(store.db, "正文") == {"https://a.cn/1"}
    assert urls(store.db, "新标题") == {"https://a.cn/1"}
    with store.db.conn:
        store.db.execute("DELETE FROM articles WHERE url = 'https://a.cn/2'")
        store.db.execute("UPDATE articles SET story_id = 'x'")  # not title/body: no reindex
    assert urls(store.db, "芯片") == set()
    with store.db.conn:  # INSERT OR REPLACE deletes through the trigger too
        store.db.execute("INSERT OR REPLACE INTO articles (url, title, body, content_hash) "
                         "VALUES ('https://b.com/6', 'x', '替换后的内容', 'h')")
    assert urls(store.db, "chipset") == set()
    assert urls(store.db, "替换") == {"https://b.com/6"}
    docs = store.db.execute(f"SELECT count(*) FROM {SEARCH_TABLE}_docsize").fetchone()[0]
    assert docs == store.count()


def test_rebuild_and_paused_bulk_load(store):
    assert rebuild_search_index(store.db) == len(DOCS)
    assert urls(store.db, "算力") == truth("算力")
    with paused_search_index(store.db):
        store.db.table("articles").insert(
            {"url": "https://c/9", "title": "批量", "body": "批量导入的算力文章", "content_hash": "z"})
        assert "https://c/9" not in urls(store.db, "算力")
    assert "https://c/9" in urls(store.db, "算力")
    assert store.db.execute(f"SELECT count(*) FROM {SEARCH_TABLE}_queue").fetchone() == (0,)
    # the fill's bulk settings (no merging as it goes, a larger hash) are not left behind
    config = dict(store.db.execute(f"SELECT k, v FROM {SEARCH_TABLE}_config").fetchall())
    assert config["automerge"] == 4 and config["hashsize"] == 16 << 20  # STEADY_CONFIG


def test_saved_articles_are_indexed_in_batches_and_search_never_misses_them(tmp_path):
    db_path = tmp_path / "x.db"
    with Store(db_path) as s:
        s.save(make("https://a.cn/1", *DOCS["https://a.cn/1"]), outcome("https://a.cn/1"), "r")
        queued = s.db.execute(f"SELECT count(*) FROM {SEARCH_TABLE}_queue").fetchone()[0]
        assert queued == 1  # committed with its row, indexed at the next flush
        assert urls(db_path, "算力") == {"https://a.cn/1"}  # search indexes what waits
        s.save(make("https://a.cn/2", *DOCS["https://a.cn/2"]), outcome("https://a.cn/2"), "r")
        changed = make("https://a.cn/1", "新标题", "改过的正文，芯片。", "zh-Hans")
        s.save(changed, outcome("https://a.cn/1"), "r")  # updated while queued
    con = sqlite3.connect(db_path)  # closing the Store indexed the rest
    assert con.execute(f"SELECT count(*) FROM {SEARCH_TABLE}_queue").fetchone()[0] == 0
    found = con.execute(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH "
                        "'\"芯 片\"*'").fetchall()
    assert len(found) == 2
    assert con.execute(f"SELECT count(*) FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH "
                       "'\"算 力\"*'").fetchone()[0] == 0  # the old text of a.cn/1 is gone
    con.close()


def test_index_is_built_for_an_older_file(tmp_path):
    db_path = tmp_path / "old.db"
    with Store(db_path) as s:
        s.save(make("https://a.cn/1", *DOCS["https://a.cn/1"]), outcome("https://a.cn/1"), "r")
        with s.db.conn:
            s.db.execute(f"DROP TABLE {SEARCH_TABLE}")
            s.db.execute("DELETE FROM newsharvest_meta WHERE key = 'search_version'")
    with Store(db_path) as s:
        assert urls(s.db, "算力") == {"https://a.cn/1"}
    assert urls(db_path, "算力") == {"https://a.cn/1"}  # a path works as well


def test_plain_sqlite_readers_need_nothing_special(store):
    s2 = make("https://a.cn/1b", "算力需求大增", DOCS["https://a.cn/1"][1] + "转载", "zh-Hans")
    store.save(s2, outcome(s2.url), "r2")
    store.flush()
    with store.db.conn:  # a reprint: same story as https://a.cn/1
        store.db.execute("UPDATE articles SET story_id = 'story-1' WHERE url LIKE 'https://a.cn/1%'")
    con = sqlite3.connect(store.path)  # no newsharvest function registered
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert {"stories", "article_duplicates"} <= names
    rows = con.execute("SELECT url, duplicate_url FROM article_duplicates ORDER BY url").fetchall()
    assert rows == [("https://a.cn/1", "https://a.cn/1b"), ("https://a.cn/1b", "https://a.cn/1")]
    assert con.execute("SELECT count(*) FROM articles_search WHERE articles_search "
                       "MATCH '\"算 力\"*'").fetchone()[0] == 5
    indexes = {r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE type = 'index' "
                                         "AND tbl_name = 'articles'")}
    assert any("[source]" in (sql or "") or '"source"' in (sql or "") for sql in indexes)
    con.close()


def test_fixture_corpus_search_for_suanli(tmp_path):
    db = tmp_path / "fixtures.db"
    newsharvest.harvest(newsharvest.load_sources(str(ROOT / "fixtures" / "sources.yaml")), db,
                        transport=ReplayTransport(str(ROOT / "fixtures")), replay=True)
    expected_urls = set()
    for path in (ROOT / "fixtures").glob("*/*/expected.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        if "算力" in (record.get("body") or "") + (record.get("title") or ""):
            expected_urls.add(record["url"])
    con = sqlite3.connect(db)
    stored = dict(con.execute("SELECT url, coalesce(title, '') || body FROM articles"))
    con.close()
    containing = {u for u, text in stored.items() if "算力" in text}
    found = urls(db, "算力")
    assert found == containing
    assert expected_urls & set(stored) <= found
    assert len(found) >= 5


def test_other_tools_can_write_and_their_changes_are_indexed_on_next_use(store):
    assert store.db.execute(f"SELECT count(*) FROM {SEARCH_TABLE}_queue").fetchone()[0] == 0
    con = sqlite3.connect(store.path)  # the sqlite3 shell: no newsharvest function
    with con:
        con.execute("UPDATE articles SET body = '外部工具改写了正文' WHERE url = 'https://a.cn/1'")
        con.execute("DELETE FROM articles WHERE url = 'https://a.cn/2'")
        con.execute("INSERT INTO articles (url, title, body, content_hash) "
                    "VALUES ('https://c/9', '外部', '外部插入的芯片新闻', 'h')")
    con.close()
    # the next search (or open) indexes the queued rows
    assert urls(store.db, "芯片") == {"https://c/9"}
    assert urls(store.db, "外部工具") == {"https://a.cn/1"}
    assert "https://a.cn/1" in urls(store.db, "算力")  # still in its title
    assert urls(store.db, "需求大增") == {"https://a.cn/1"}  # title 算力需求大增
    assert urls(store.db, "OpenAI") == {"https://b.com/7"}  # the old body is gone
    docs = store.db.execute(f"SELECT count(*) FROM {SEARCH_TABLE}_docsize").fetchone()[0]
    assert docs == store.count()


def test_a_load_killed_while_the_index_was_paused_is_indexed_on_next_open(store):
    from newsharvest.store.fts import TRIGGERS

    con = sqlite3.connect(store.path)  # a tool that dropped the triggers, then wrote
    with con:
        for name in TRIGGERS:
            con.execute(f"DROP TRIGGER {name}")
        con.execute("INSERT INTO articles (url, title, body, content_hash) "
                    "VALUES ('https://c/9', '批量', '批量导入的芯片文章', 'z')")
    con.close()
    with Store(store.path) as s:
        assert urls(s.db, "芯片") == {"https://a.cn/2", "https://c/9"}


def test_an_index_of_bigrams_is_rebuilt_as_characters_on_open(tmp_path):
    # A file of search version 2: its index holds bigrams, which the phrases of version 3
    # do not find; opening it for writing rebuilds the index, with the same results.
    from newsharvest.store.ngrams import bigram_text

    db_path = tmp_path / "v2.db"
    with Store(db_path) as s:
        for url, (title, body, lang) in DOCS.items():
            s.save(make(url, title, body, lang), outcome(url), "r1")
    con = sqlite3.connect(db_path)
    con.create_function("bigram_text", 1, bigram_text)
    with con:
        con.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('delete-all')")
        con.execute(f"INSERT INTO {SEARCH_TABLE}(rowid, title, body) SELECT rowid, "
                    "bigram_text(title), bigram_text(body) FROM articles")
        con.execute("UPDATE newsharvest_meta SET value = '2' WHERE key = 'search_version'")
    assert con.execute(f"SELECT count(*) FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH "
                       "'\"算 力\"*'").fetchone()[0] == 0  # bigrams: not the new phrase
    con.close()
    with Store(db_path) as s:
        assert s.db.execute("SELECT value FROM newsharvest_meta WHERE key = 'search_version'"
                            ).fetchone()[0] == "3"
        for needle in ("算力", "算", "需求大增", "臺灣"):
            assert urls(s.db, needle) == truth(needle)


def test_datasette_search_box_uses_the_phrases_of_the_files_index():
    pytest.importorskip("datasette")
    from newsharvest.datasette_plugin import newsharvest_escape_fts

    assert newsharvest_escape_fts("算力") == '"算 力"*'
    assert newsharvest_escape_fts("算力", "2") == '"算力"'  # a file not yet rebuilt


def test_a_small_load_into_a_large_file_updates_the_index_instead_of_rebuilding(
        store, monkeypatch):
    """Cost in proportion to the load: a few rows loaded into a file of many are indexed
    from the queue; a load of most of the file's rows rebuilds it (a fill is cheaper)."""
    from newsharvest.store import fts

    fills: list[int] = []
    real_fill = fts._fill
    monkeypatch.setattr(fts, "_fill", lambda db: fills.append(1) or real_fill(db))
    table = store.db.table("articles")
    table.insert_all({"url": f"https://m/{i}", "title": f"标题{i}", "body": f"正文{i}的内容",
                      "content_hash": f"m{i}"} for i in range(40))
    assert len(urls(store.db, "内容")) == 40  # (a search indexes what waits in the queue)
    with paused_search_index(store.db):
        table.insert({"url": "https://c/1", "title": "批量", "body": "批量导入的算力文章",
                      "content_hash": "c1"})
        store.db.execute("UPDATE articles SET body = '改写后的正文' WHERE url = 'https://m/3'")
        assert "https://c/1" not in urls(store.db, "算力")  # queued, not indexed yet
    assert fills == []  # 2 changes among 40+ rows: updated, not rebuilt
    assert "https://c/1" in urls(store.db, "算力")
    assert urls(store.db, "正文3") == set() and urls(store.db, "改写") == {"https://m/3"}
    with paused_search_index(store.db):
        table.insert_all({"url": f"https://n/{i}", "title": "新批", "body": f"新批次{i}",
                          "content_hash": f"n{i}"} for i in range(60))
    assert fills == [1]  # most of the file: one rebuild
    assert len(urls(store.db, "新批次")) == 60
    docs = store.db.execute(f"SELECT count(*) FROM {SEARCH_TABLE}_docsize").fetchone()[0]
    assert docs == store.count()
