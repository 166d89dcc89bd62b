"""prepare_text's fast path gives the index exactly the tokens of the plain definition, and
that index finds what the bigram index of search versions 1-2 found, with the same bm25."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import unicodedata
from pathlib import Path

from newsharvest.store.ngrams import (
    CJK_CHARS,
    FAST_FROM,
    RUN_END,
    _visible_to_nfkc,
    bigram_text,
    prepare_text,
)
from newsharvest.store.search import match_expression, parse_query

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
_RUN = re.compile(f"[{CJK_CHARS}]+")


def reference(text: str) -> str:
    """The definition: NFKC, then each CJK character a token, each run's last one marked."""
    def characters(match: re.Match[str]) -> str:
        run = match.group()
        return " " + " ".join(run) + RUN_END + " "

    return _RUN.sub(characters, unicodedata.normalize("NFKC", text))


def index_tokens(texts: list[str]) -> list[tuple[int, str, int]]:
    """(document, token, position) as FTS5's unicode61 tokenizer indexes the texts."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, content='', "
                 "tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    conn.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", enumerate(texts, 1))
    return sorted(conn.execute("SELECT doc, term, offset FROM v"))


def fixture_texts() -> list[str]:
    texts = []
    for path in sorted(FIXTURES.glob("*/*/expected.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        texts += [t for t in (record.get("title"), record.get("body")) if t]
    return texts


TRICKY = ["ＧＰＵ芯片，人", "OpenAI算力 中国", "ａｂｃ１２３漢字Ｘ", "x人y", "𠀀𠀁a", "々〇ぁゖ",
          "カタカナーー日本語", "\uf900\uf901", "か\u3099き\u309a", "cafe\u0301 ｶﾀｶﾅ", "①②③",
          "\u1100\u1161\u11a8 가\u11a8", "™ ﬁ ½ ²", "\U0001d400\U0001d401", "\u3000　，。！？（）",
          "Ａ\u0301", "\U0002f800\U0002f801", "e\u0301\u0323"]


def mixed(rng: random.Random, length: int) -> str:
    pools = ["甲乙丙丁人工智能算力芯片臺灣", "abcXYZ 0123", "，。！？、；：「」（）", "ａｂＣ１２",
             "ぁかきカタ゛゜\u3099", "  \n", "é\u0301ñ", "가각\u1161\u11a8", "\uf900𠀀\U0002f800"]
    return "".join(rng.choice(rng.choice(pools)) for _ in range(length))


def test_fast_path_gives_the_same_index_tokens():
    rng = random.Random(5)
    samples = fixture_texts() + [mixed(rng, rng.randint(1, 600)) for _ in range(300)]
    samples += [t * (FAST_FROM // len(t) + 1) for t in TRICKY] + TRICKY
    assert sum(len(t) >= FAST_FROM for t in samples) > 100  # the fast path is exercised
    assert index_tokens([prepare_text(t) for t in samples]) == index_tokens(
        [reference(t) for t in samples])


def test_characters_left_unnormalised_are_separators_either_way():
    # The fast path skips NFKC for text whose only changes would be separator -> separator
    # (a full-width comma): every such character, between two words, indexes the same.
    visible = _visible_to_nfkc()
    skipped = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp < 0xE000
               and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
               and not visible.search(chr(cp))]
    assert len(skipped) > 50  # full-width punctuation, ideographic space, ...
    texts = [("word" + c + "字") * (FAST_FROM // 4) for c in skipped]
    assert index_tokens([prepare_text(t) for t in texts]) == index_tokens(
        [reference(t) for t in texts])


def test_short_text_is_prepared_as_defined():
    assert prepare_text("ＧＰＵ芯片，人") == f"GPU 芯 片{RUN_END} , 人{RUN_END} "
    assert prepare_text(None) == "" and prepare_text(b"\xe4\xba\xba") == f" 人{RUN_END} "
    assert bigram_text("ＧＰＵ芯片，人") == "GPU 芯片 片 , 人 "  # search versions 1-2


def test_the_run_end_mark_stays_in_its_token():
    # unicode61 must keep RUN_END as part of the token (a letter, not a diacritic it drops)
    assert index_tokens([prepare_text("算。力 算力")]) == [
        (1, f"力{RUN_END}", 1), (1, f"力{RUN_END}", 3), (1, "算", 2), (1, f"算{RUN_END}", 0)]


def ranked(texts: list[tuple[str, str]], prepare, queries: list[str], version: str
           ) -> list[list[tuple[int, float]]]:
    """Every query's (rowid, bm25) list over an index of `texts` made by `prepare`."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE s USING fts5(title, body, content='', "
                 "tokenize='unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO s(rowid, title, body) VALUES (?, ?, ?)",
                     [(i, prepare(t), prepare(b)) for i, (t, b) in enumerate(texts, 1)])
    return [[(rowid, round(score, 9)) for rowid, score in conn.execute(
        "SELECT rowid, bm25(s, 3.0, 1.0) AS score FROM s WHERE s MATCH ? "
        "ORDER BY score, rowid", [match_expression(parse_query(q), version=version)])]
        for q in queries]


def test_character_index_finds_what_the_bigram_index_found_with_the_same_bm25():
    rng = random.Random(11)
    chars = "甲乙丙丁人工智能算力芯片"  # few characters: phrases recur, also across runs
    words = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 6))) for _ in range(40)]
    words += ["AI", "chip", "GPU芯片", "算力AI"]
    seps = [" ", "，", "。", "", "", "x"]
    def text(n: int) -> str:
        return "".join(rng.choice(words) + rng.choice(seps) for _ in range(n))
    texts = [(text(3), text(rng.randint(5, 200))) for _ in range(150)]
    queries = [w for w in words[:30]] + ["算", "力", "能算", "芯片AI", "AI芯片", "算力 chip",
                                         '"工 智"', "丁甲*", "x算"]
    found = ranked(texts, prepare_text, queries, "3")
    assert sum(map(len, found)) > 1000  # the queries do match
    assert found == ranked(texts, bigram_text, queries, "2")
