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
