"""prepare_text's fast path gives the index exactly the tokens of the plain definition."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import unicodedata
from pathlib import Path

from newsharvest.store.ngrams import CJK_CHARS, FAST_FROM, _visible_to_nfkc, prepare_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
_RUN = re.compile(f"[{CJK_CHARS}]+")


def reference(text: str) -> str:
    """The definition: NFKC, then each CJK run as its bigrams plus its last character."""
    def grams(match: re.Match[str]) -> str:
        run = match.group()
        return " " + " ".join([run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]) + " "

    return _RUN.sub(grams, unicodedata.normalize("NFKC", text))


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


def test_short_text_is_prepared_as_before():
    assert prepare_text("ＧＰＵ芯片，人") == "GPU 芯片 片 , 人 "
    assert prepare_text(None) == "" and prepare_text(b"\xe4\xba\xba") == " 人 "
