"""simhash against a plain per-shingle Python reference (the vectorised code must agree),
and the fused `fingerprints` against simhash and story_sketch made apart."""

from __future__ import annotations

import random
import re

import pytest

from newsharvest.normalize.dedupe import fingerprints, simhash, story_sketch

_MASK = (1 << 64) - 1


def _mix(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def reference(body: str) -> int | None:
    text = re.sub(r"[\W_]+", "", body.lower())
    if len(text) < 16:
        return None
    votes = [0] * 64
    grams = len(text) - 3
    for i in range(grams):
        value = 0
        for ch in text[i:i + 4]:
            value = (value * 0x100000001B3 + ord(ch)) & _MASK
        mixed = _mix(value)
        for bit in range(64):
            votes[bit] += mixed >> bit & 1
    return sum(1 << bit for bit in range(64) if 2 * votes[bit] > grams)


def _random_text(rnd: random.Random) -> str:
    pools = [(0x20, 0x7E), (0xA0, 0x24F), (0x2000, 0x206F), (0x3000, 0x303F),
             (0x4E00, 0x4E80), (0xFF00, 0xFF5E), (0x1D400, 0x1D4FF), (0x20000, 0x20080)]
    out = []
    for _ in range(rnd.randint(0, 80)):
        low, high = rnd.choice(pools)
        out.append(chr(rnd.randint(low, high)))
    return "".join(out)


@pytest.mark.parametrize("body", [
    "", "short", "The quick brown fox jumps over the lazy dog, again and again.",
    "“Curly quotes” and an em dash — and accents: café, naïve, Ærø.",
    "北京时间10月14日，新华社记者报道：经济数据好于预期。",
    "Mixed 中文 and English_with_underscores 123 ４５６ ½ ² Ⅻ.",
    "Astral 𝐀𝐁𝐂 math letters and 𠵱𨋢 Cantonese characters in a line.",
    "a lone surrogate \ud800 inside an otherwise ordinary line of text",
])
def test_simhash_matches_reference(body: str) -> None:
    assert simhash(body) == reference(body)


def test_simhash_matches_reference_on_random_text() -> None:
    rnd = random.Random(13)
    for _ in range(300):
        body = _random_text(rnd)
        assert simhash(body) == reference(body), body


def test_fingerprints_equal_the_hashes_made_apart() -> None:
    rnd = random.Random(15)
    bodies = ["", "abcd", "abcde", "a" * 15, "a" * 16, "北京时间10月14日，新华社记者报道",
              "The quick brown fox jumps over the lazy dog. " * 40]
    for body in bodies + [_random_text(rnd) for _ in range(300)]:
        made = fingerprints(body, "0f" * 32)
        assert made == (simhash(body), story_sketch(body, "0f" * 32)), body


def test_content_hash_of_a_joined_body_equals_the_general_form() -> None:
    from newsharvest.normalize.dedupe import content_hash
    from newsharvest.normalize.text import join_paragraphs

    rnd = random.Random(16)
    spaces = [" ", "  ", "\n", "\t", "\u00a0", "\u3000", "\r\n", "\n\n", "\u2028", ""]
    for _ in range(300):
        paragraphs = ["".join(rnd.choice(spaces) + _random_text(rnd)[:12]
                              for _ in range(rnd.randint(0, 6))) for _ in range(rnd.randint(0, 5))]
        body = join_paragraphs(paragraphs)
        assert content_hash(body, joined=True) == content_hash(body), paragraphs
