"""The literal pre-test of vocabulary patterns: a necessary condition, never a filter."""

from __future__ import annotations

import re

import pytest

from newsharvest.extract.boilerplate import lower_pattern, vocab_lines
from newsharvest.extract.phrases import Phrase, required_literals


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
