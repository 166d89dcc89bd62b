"""Headline matching in byline.py: the shared-run length is difflib's longest match."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

from newsharvest.extract.byline import _shared


def _longest(a: str, b: str) -> int:
    if not a or not b:
        return 0
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(
        0, len(a), 0, len(b)).size


def test_shared_run_is_the_longest_common_substring() -> None:
    rnd = random.Random(4)
    pairs = [("", "abc"), ("abc", ""), ("abc", "abc"), ("即时播报习近平会见", "习近平会见外宾"),
             ("breakingnewscouncilvotes", "councilvotesonbudget")]
    for _ in range(3000):
        alphabet = rnd.choice(["ab", "abc中", "abcdefghij"])
        pairs.append(("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))),
                      "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))))
    for a, b in pairs:
        assert _shared(a, b) == _longest(a, b), (a, b)


def test_title_key_keeps_letters_and_digits_only() -> None:
    import re

    from newsharvest.extract.byline import title_key

    rnd = random.Random(12)
    pools = [(0x0, 0x7E), (0xA0, 0x24F), (0x2000, 0x206F), (0x3000, 0x303F), (0x4E00, 0x4E80),
             (0xFF00, 0xFF5E), (0x1D400, 0x1D4FF)]
    samples = ["“Quoted” headline — with_underscores 12", "Café au lait", "标题：新闻", ""]
    samples += ["".join(chr(rnd.randint(*rnd.choice(pools))) for _ in range(rnd.randint(0, 30)))
                for _ in range(3000)]
    for text in samples:
        assert title_key(text) == re.sub(r"[\W_]+", "", text).lower(), text


def test_byline_zones_are_the_window_and_the_lead_lines() -> None:
    from newsharvest.extract.blocks import collect_blocks
    from newsharvest.extract.byline import byline_window, byline_zones, lead_blocks
    from newsharvest.extract.parse import parse_page

    page = parse_page(
        "<html><body><p>Home | World</p><h1>Council votes on the budget</h1>"
        "<p>By A. Writer</p><p>12 January 2012</p>"
        "<p>The council voted on Tuesday, after a long debate, to pass the budget.</p>"
        "<p>Members said the plan, which cuts spending, would pass again next year.</p>"
        "<p>Posted 12:30</p></body></html>")
    assert page.body is not None
    blocks = collect_blocks(page.body)
    content = blocks[2:]
    for titles in (["Council votes on the budget - Site"], [], None):
        window, lead = byline_zones(blocks, content, titles)
        assert window == byline_window(blocks, content, titles)
        assert lead == lead_blocks(blocks, content, titles)
        assert [b.text for b in window][:2] == ["By A. Writer", "12 January 2012"]
    assert byline_zones([], content) == ([], [])


def test_dateline_digit_pretests_never_change_a_verdict() -> None:
    """is_dateline (byline) and paragraphs._is_dateline skip their date regex on text with
    no year / no digit: the same verdicts as the regexes alone, digits of any script."""
    from newsharvest.extract import byline, paragraphs
    from newsharvest.extract.blocks import Block

    rnd = random.Random(5)
    parts = ["12", "2012", "1999", "20", "19", "２０１２", "١٢", "٢٠١٢", "Jan", "January", " ",
             ", ", "年", "月", "日", "/", "-", "th", "x", ".", "。"]
    texts = ["".join(rnd.choice(parts) for _ in range(rnd.randint(0, 9))) for _ in range(3000)]
    days, years = ["12", "１２", "١٢", "3"], ["2012", "２０１２", "٢٠١٢", "1999", "2100"]
    texts += [rnd.choice(["{d} Jan {y}", "January {d}, {y}", "{y}年1月{d}日", "{y}-1-{d}",
                          "x {d}/1/{y}.", "{d} January {y}。"]).format(
                   d=rnd.choice(days), y=rnd.choice(years)) for _ in range(300)]
    found = 0
    for text in texts:
        block = Block(text, 5, 0, 0, "p", (), (), None)
        head = text[:byline.DATELINE_CHARS]
        expected = (not byline._SENTENCE_END_RE.search(text)
                    and bool(byline.FULL_DATE_RE.search(head)))
        assert byline.is_dateline(block) == expected, text
        expected = (not paragraphs._FINAL_STOP_RE.search(text)
                    and bool(paragraphs._FULL_DATE_RE.search(text)))
        assert paragraphs._is_dateline(block) == expected, text
        found += expected
    assert found > 100  # the texts do hold datelines
