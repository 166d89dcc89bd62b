"""The literal pre-test of vocabulary patterns: a necessary condition, never a filter."""

from __future__ import annotations

import random
import re

import pytest

from newsharvest.extract.phrases import (
    Phrase,
    PhraseSet,
    any_match,
    first_chars,
    required_literals,
)
from newsharvest.extract.vocabulary import (
    lower_pattern,
    vocab_lines,
    vocab_regex_lower,
    vocab_regexes_lower,
)


@pytest.mark.parametrize(("pattern", "literals"), [
    ("(未经|未經)(本网)?(授权|授權).{0,20}(不得|禁止)", ("未經", "未经")),
    (r"we (may |might )?(earn|get)\b.{0,30}\b(commission|share of (the )?revenue)\b",
     ("commission", "share of ")),
    (r"^source\s*[:：]\s*(?P<origin>[a-z][\w .&'-]{1,40})$", ("source",)),
    (r"(a|b)c", None),  # single characters rule out too little to be worth a test
    (r"(foo|)bar", ("bar",)),  # an empty alternative makes the group optional
])
def test_required_literals(pattern: str, literals: tuple[str, ...] | None) -> None:
    assert required_literals(pattern) == literals


def test_ignorecase_patterns_get_no_test() -> None:
    assert Phrase("abc", re.IGNORECASE).literals is None
    assert required_literals("(?i:abc)def") == ("def",)


@pytest.mark.parametrize("name", ["boilerplate_lines.txt", "notice_lines.txt",
                                  "origin_lines.txt", "credit_lines.txt", "end_markers.txt"])
def test_vocabulary_matches_survive_the_test(name: str) -> None:
    """Every pattern still finds the sample lines it was written for."""
    samples = ["特别声明：以上内容仅代表作者本人观点", "we may earn a commission from links",
               "来源：新华社", "source: reuters", "未经授权，不得转载。", "责任编辑：张三",
               "相关新闻", "related articles"]
    for line in vocab_lines(name):
        phrase = Phrase(lower_pattern(line))
        for sample in samples:
            text = sample.lower()
            assert bool(phrase.search(text)) == bool(phrase.regex.search(text)), line


@pytest.mark.parametrize(("pattern", "chars"), [
    ("^abc", {"a"}),
    ("^(ab|c)x", {"a", "c"}),
    ("^(本文|本站)?禁止", {"本", "禁"}),  # an optional group: its start or what follows
    (r"^[a-c]\d", {"a", "b", "c"}),
    (r"^\bword", {"w"}),  # zero-width assertions consume nothing
    (r"^\d+", None),  # a category: unknown
    ("^.{0,8}编辑", None),
    ("^a?", None),  # may match empty
    ("^$", None),
    ("(?i)abc", None),  # other cases match too
    ("^(?i:a)b", None),
])
def test_first_chars(pattern: str, chars: set[str] | None) -> None:
    assert first_chars(pattern) == (frozenset(chars) if chars is not None else None)


@pytest.mark.parametrize("name", ["boilerplate_lines.txt", "credit_lines.txt",
                                  "end_markers.txt", "notice_lines.txt", "origin_lines.txt"])
def test_first_character_dispatch_agrees_with_the_alternation(name: str) -> None:
    """Grouping anchored patterns by first character never changes a result."""
    matcher = vocab_regex_lower(name)
    lines = vocab_lines(name)
    plain = re.compile("|".join(f"(?:{lower_pattern(line)})" for line in lines
                                if line.startswith("^")) or "(?!)")
    # Texts that match: each pattern's own words with the regex syntax taken out, so
    # most patterns meet a text they accept, plus variants with other first characters.
    texts = [re.sub(r"\\.|[\^$()|?*+.\[\]{}]", "", line).lower() for line in lines]
    texts += [t[1:] for t in texts] + [" " + t for t in texts] + ["", "a", "1 分享至"]
    rnd = random.Random(7)
    texts += ["".join(rnd.choice("相关新闻编辑：: 1a") for _ in range(rnd.randint(0, 12)))
              for _ in range(300)]
    for text in texts:
        expected = bool(plain.match(text)) or any_match(matcher.floating.phrases, text)
        assert matcher.search(text) == expected, text


def test_phrase_set_agrees_with_one_test_per_phrase() -> None:
    """The automaton finds overlapping literals ("share of " inside "share of the sale",
    "ab" ending where "bc" starts) and phrases without a literal: same answers."""
    made = PhraseSet((Phrase("xab+y"), Phrase("abc"), Phrase("bcd"), Phrase(r"\d;\d")))
    rnd = random.Random(11)
    texts = ["".join(rnd.choice("abcdxy;1 ") for _ in range(rnd.randint(0, 14)))
             for _ in range(2000)] + ["", "abcd", "xaby", "1;2"]
    for text in texts:
        assert made.any_match(text) == any_match(made.phrases, text), text
    notices = vocab_regexes_lower("notice_lines.txt")
    matcher = PhraseSet(notices)
    samples = [re.sub(r"\\.|[\^$()|?*+.\[\]{}]", "", line).lower()
               for line in vocab_lines("notice_lines.txt")]
    samples += ["we may earn a share of the sale.", "sign up for our newsletter", "未經授權，不得轉載",
                "smith et al. “a title”", "2012; 366: 120-129", "see (2012, january 12)."]
    assert any(matcher.any_match(s) for s in samples)
    for text in samples + [s[3:] for s in samples] + texts[:300]:
        assert matcher.any_match(text) == any_match(notices, text), text
