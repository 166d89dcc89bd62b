"""text.scripts: one Han class and one tokenizer for the extractor, search and eval."""

from __future__ import annotations

import random
import re

import pytest

from newsharvest.evaluate.scoring import tokenize
from newsharvest.extract import blocks
from newsharvest.normalize import language
from newsharvest.normalize.text import clean_inline
from newsharvest.text.scripts import (
    HAN,
    HAN_RE,
    TOKEN_RE,
    WIDE,
    count_han,
    count_punct,
    count_tokens,
    display_width,
    tokens,
    words,
)

SRC = __import__("pathlib").Path(__file__).resolve().parents[2] / "src" / "newsharvest"


@pytest.mark.parametrize("char", [
    "中", "龘",          # CJK Unified Ideographs, both ends of common use
    "㐀", "䶵",          # Extension A (U+3400, U+4DB5)
    "𠵱", "𨋢",          # Extension B: HKSCS characters of Cantonese text
    "\U0002b740",       # Extension D
    "\U00030000",       # Extension G
    "丽",               # U+F900 block: compatibility ideograph
    "\U0002f800",       # compatibility supplement
    "々", "〇", "〥",   # iteration mark, ideographic zero, a Hangzhou numeral
])
def test_han_covers_every_ideograph_block(char: str):
    assert HAN_RE.fullmatch(char)


@pytest.mark.parametrize("char", [
    "a", "1", "。", "，", "ー", "・", "あ", "ア", "한", "\u4dc0",  # ䷀: Yijing hexagram, a symbol
    "\u2f00",  # ⼀ Kangxi radical: a symbol (NFKC makes it 一)
])
def test_han_excludes_punctuation_kana_hangul_and_symbols(char: str):
    assert not HAN_RE.fullmatch(char)


def test_tokens_follow_the_eval_scoring_rule():
    # NFKC + lower-case; every Han character one token; letter/digit runs; punctuation out.
    assert tokens("ＯｐｅｎＡＩ宣布：2025年建成𠵱〇號！Don't") == [
        "openai", "宣", "布", "2025", "年", "建", "成", "𠵱", "〇", "號", "don", "t"]
    assert tokens("") == []
    assert tokenize is tokens  # the scorer is this function, not a copy


def test_count_tokens_equals_the_scoring_count_on_clean_text():
    text = "北京时间3月5日，OpenAI CEO 说：算力需求大增 (NVDA.US) 々〇〇"
    assert count_tokens(text) == len(tokens(text)) == 22
    # NFKC is the only difference: a compatibility square expands to four Han characters.
    assert (count_tokens("㍿"), len(tokens("㍿"))) == (0, 4)


def test_count_tokens_and_words_are_the_token_matches():
    """The shortcuts (Han runs, punctuation-only non-ASCII) find exactly TOKEN_RE's tokens,
    in any mix of scripts."""
    rnd = random.Random(11)
    pools = [(0x20, 0x7E), (0xA0, 0x24F), (0x2000, 0x206F), (0x3000, 0x303F),
             (0x3400, 0x3410), (0x4E00, 0x4E80), (0xFF00, 0xFF5E), (0x20000, 0x20080),
             (0xD800, 0xDFFF)]
    samples = ["中文，English 混排 mixed_words 3.14 ２０２５年", "“Quoted” text — with dashes",
               "café naïve — ½ ² Ⅻ", "a\u00a0b\u2009c",
               "々〇〥 漢字", "", " ", "中", "a中b", "中a中"]
    samples += ["".join(chr(rnd.randint(*rnd.choice(pools))) for _ in range(rnd.randint(0, 40)))
                for _ in range(3000)]
    for text in samples:
        assert count_tokens(text) == len(TOKEN_RE.findall(text)), text
        assert words(text) == TOKEN_RE.findall(text), text


def test_count_han_and_count_punct():
    assert count_han("abc中文𠵱〇。") == 4
    assert count_punct("价格为11,879.90元，涨了。Up 10:30, down.") == 4


def test_display_width_counts_wide_characters_twice():
    assert display_width("ab中文ＡＢ") == 2 + 4 + 4
    assert display_width("") == 0


def test_wide_holds_han_and_cjk_punctuation_and_joins_broken_lines():
    assert all(re.fullmatch(f"[{WIDE}]", c) for c in "中𠵱。あ（ｱ")
    assert not re.fullmatch(f"[{WIDE}]", "a")
    # a line break between two Extension B characters is dropped like one between any Han
    assert clean_inline("港𠵱\n𠵱港") == "港𠵱𠵱港"


def test_no_module_defines_its_own_han_range():
    """The ranges live in text/scripts.py only; other modules build on HAN / TOKEN_RE."""
    pattern = re.compile(r"\\u(4e00|3400|9fff|9fa5)|\\U0002|一-[龥鿿龯]|0x4e00", re.I)
    offenders = [p.name for p in SRC.rglob("*.py")
                 if p.name != "scripts.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_stages_share_the_definitions():
    assert blocks.count_tokens is count_tokens
    assert language.HAN_RE is HAN_RE
    assert TOKEN_RE.pattern.startswith(f"[{HAN}]")


def test_search_index_tokenizes_every_han_character():
    from newsharvest.store.search import prepare_text  # where the index prepares text

    # Extension B and 〇 are Han to the index too: one token each, the run's last marked.
    assert prepare_text("港𠵱仔") == " 港 𠵱 仔\u02bc "
    assert prepare_text("二〇二五") == " 二 〇 二 五\u02bc "
