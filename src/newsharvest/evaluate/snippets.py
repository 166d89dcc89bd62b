"""Snippet scoring, the way trafilatura's own evaluation counts (``eval_common.count_item``).

A snippet truth is ``{"url", "with": [...], "without": [...]}``: short passages the body
must contain and passages it must not. Whitespace runs are collapsed to one space (and the
ends stripped) in the body and in each snippet, then each snippet is a substring test:
a ``with`` snippet found is a true positive, missed a false negative; a ``without``
snippet found is a false positive, absent a true negative. Counts are summed over pages
before precision, recall, F1 and accuracy are taken, as the field reports them, so a
user's own snippet set is scored exactly like the published comparison tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.scripts import HAN_RE as _HAN_RE

_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SnippetCounts:
    """True/false positives/negatives of snippet tests (one page, or summed)."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def __add__(self, other: SnippetCounts) -> SnippetCounts:
        return SnippetCounts(self.tp + other.tp, self.fn + other.fn, self.fp + other.fp,
                             self.tn + other.tn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0


def collapse(text: str) -> str:
    """Whitespace runs to one space, ends stripped (both sides of the substring test)."""
    return _SPACE_RE.sub(" ", text).strip()


def count_snippets(body: str, with_: tuple[str, ...] | list[str],
                   without: tuple[str, ...] | list[str]) -> SnippetCounts:
    """Score one page's output against its snippets. Empty output finds nothing."""
    text = collapse(body)
    found_with = sum(1 for s in with_ if text and collapse(s) in text)
    found_without = sum(1 for s in without if text and collapse(s) in text)
    return SnippetCounts(tp=found_with, fn=len(with_) - found_with, fp=found_without,
                         tn=len(without) - found_without)


def snippet_language(with_: tuple[str, ...] | list[str]) -> str:
    """"zh" when the snippets the page must contain are mostly Han script, else "en".

    Snippet truths carry no language; the script of the article's own passages decides
    which language total the page is counted in.
    """
    text = "".join(with_)
    han = len(_HAN_RE.findall(text))
    letters = sum(1 for ch in text if ch.isalpha())
    return "zh" if letters and han * 2 >= letters else "en"
