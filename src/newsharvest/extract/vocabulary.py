"""The class/id and phrase vocabularies of extract/vocab/, loaded once per process.

Kept apart from the removers (boilerplate.py) that use most of them because edges,
paragraphs and the removers all read the same words, and class/id strings are split and
cached here once for all of them.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

from selectolax.lexbor import LexborNode

from .phrases import Phrase, PhraseSet, first_chars
from .visibility import RESPONSIVE, shown_somewhere

_NEGATIONS = frozenset({"no", "not", "without", "non"})
_SPLIT_RE = re.compile(r"[^a-zA-Z0-9]+|(?<=[a-z])(?=[A-Z])")
_ASCII_NON_ALNUM = str.maketrans({i: " " for i in range(128) if not chr(i).isalnum()})


@cache
def vocab_lines(name: str) -> tuple[str, ...]:
    """Non-comment lines of a vocabulary file shipped in extract/vocab/."""
    text = resources.files(__package__).joinpath("vocab", name).read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def class_words(name: str) -> frozenset[str]:
    """The words of a class/id vocabulary file (strong or weak)."""
    return frozenset(w for line in vocab_lines(name) for w in line.split())


@cache
def vocab_regexes(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line, re.IGNORECASE) for line in vocab_lines(name))


class VocabMatcher:
    """All patterns of a vocabulary file, matched in two passes.

    Python's re tries every branch of an alternation at every position, so one big
    alternation of sixty patterns costs ~80 µs per paragraph. Patterns anchored with ``^``
    only need trying at position 0 (one ``match``); the few unanchored ones are searched.
    For lower-cased text the anchored ones are grouped by the characters they can begin
    with (``phrases.first_chars``): a text is matched against the group of its first
    character; the anchored patterns whose first character is not known join the
    unanchored ones in one ``PhraseSet`` (a ``^`` pattern searched finds what ``match``
    finds), which runs a regex only on text holding one of its literals.
    """

    __slots__ = ("anchored", "floating", "by_first")

    def __init__(self, lines: tuple[str, ...], lowered: bool = False) -> None:
        def combine(group: list[str]) -> re.Pattern[str] | None:
            if not group:
                return None
            if lowered:  # for lower-cased text; see vocab_regex_lower
                return re.compile("|".join(f"(?:{lower_pattern(line)})" for line in group))
            return re.compile("|".join(f"(?:{line})" for line in group), re.IGNORECASE)

        anchored = [line for line in lines if line.startswith("^")]
        # One alternation of them all, for text of any case; lower-cased text is matched
        # against `by_first` instead.
        self.anchored = None if lowered else combine(anchored)
        self.by_first: dict[str, re.Pattern[str]] | None = None
        unknown: list[str] = []
        if lowered and anchored:
            groups: dict[str, list[str]] = {}
            for line in anchored:
                chars = first_chars(lower_pattern(line))
                if chars is None:
                    unknown.append(line)
                for char in chars or ():
                    groups.setdefault(char, []).append(line)
            self.by_first = {}
            for char, group in groups.items():
                compiled = combine(group)
                if compiled is not None:
                    self.by_first[char] = compiled
        floating = [line for line in lines if not line.startswith("^")]
        # Case-sensitive patterns keep their literal-prefix scan, which an alternation
        # loses: searched one by one they are ~3x faster than combined.
        self.floating = PhraseSet(())
        if lowered:
            self.floating = PhraseSet(tuple(Phrase(lower_pattern(line))
                                            for line in unknown + floating))
        elif floating:
            joined = "|".join(f"(?:{line})" for line in floating)
            self.floating = PhraseSet((Phrase(joined, re.IGNORECASE),))

    def search(self, text: str) -> bool:
        if self.by_first is not None:
            group = self.by_first.get(text[:1])
            if group is not None and group.match(text):
                return True
        elif self.anchored is not None and self.anchored.match(text):
            return True
        return self.floating.any_match(text)


@cache
def vocab_regex(name: str) -> VocabMatcher:
    """The patterns of a vocabulary file as one matcher (see VocabMatcher)."""
    return VocabMatcher(vocab_lines(name))


@cache
def vocab_regex_lower(name: str) -> VocabMatcher:
    """Like vocab_regex, for text the caller lower-cased: no IGNORECASE, which keeps the
    regex engine's literal-prefix scan (case-insensitive patterns are tried at every
    position, ~2-3x slower)."""
    return VocabMatcher(vocab_lines(name), lowered=True)


@cache
def vocab_regexes_lower(name: str) -> tuple[Phrase, ...]:
    """Like vocab_regexes, for lower-cased text (see vocab_regex_lower), each with its
    literal pre-test (see phrases.py)."""
    return tuple(Phrase(lower_pattern(line)) for line in vocab_lines(name))


@cache
def vocab_phrase_set_lower(name: str) -> PhraseSet:
    """The phrases of vocab_regexes_lower as one PhraseSet: for "does any match" tests."""
    return PhraseSet(vocab_regexes_lower(name))


def lower_pattern(pattern: str) -> str:
    """`pattern` for lower-cased text: literals lower-cased, escapes (\\W, \\S, \\B) kept."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(pattern[i:i + 2])
            i += 2
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out).replace("(?p<", "(?P<").replace("(?p=", "(?P=")  # named groups


def class_tokens(node: LexborNode) -> list[str]:
    """Lower-cased words of an element's class and id (``relatedNews`` -> related, news)."""
    attrs = node.attributes  # a dict: faster than the attrs view (see panel_tokens)
    return list(_class_words_of(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"))


@cache
def union(*sets: frozenset[str]) -> frozenset[str]:
    """The union of vocabularies, one object per combination (so a cache keyed on it
    compares it by identity, not word by word)."""
    return frozenset().union(*sets)


def panel_tokens(node: LexborNode, words: frozenset[str]) -> tuple[str, ...]:
    """`class_tokens(node)` when one of them is in `words`, else () (most elements).
    Cached per class/id string and `words` (pass the same object: see `union`)."""
    # The dict of the element's few attributes: one C call, then two dict lookups (~0.3 us
    # an element faster than the attrs view, whose get() raises KeyError inside for an
    # absent id: this runs on every element with a class or id).
    attrs = node.attributes
    return _tokens_if_any(f"{attrs.get('class') or ''} {attrs.get('id') or ''}", words)


@lru_cache(maxsize=8192)
def _tokens_if_any(raw: str, words: frozenset[str]) -> tuple[str, ...]:
    found = _class_words_of(raw)
    return () if words.isdisjoint(found) else found


@lru_cache(maxsize=8192)
def _class_words_of(raw: str) -> tuple[str, ...]:
    """The words of a class/id string; cached: templates repeat the same few strings."""
    if raw.isascii() and raw.islower() or not raw.strip():
        # No capital, so no camel-case cut: split at non-alphanumerics in C.
        words = raw.translate(_ASCII_NON_ALNUM).split()
    else:
        words = [t.lower() for t in _SPLIT_RE.split(raw) if t]
    if not RESPONSIVE.isdisjoint(words):
        words = shown_somewhere(words)
    if _NEGATIONS.isdisjoint(words):
        return tuple(words)
    # "no-share", "without-ads": the element is *not* that thing; drop the negated word.
    return tuple(w for i, w in enumerate(words) if not (i and words[i - 1] in _NEGATIONS))
