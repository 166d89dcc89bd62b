"""Vocabulary patterns with a literal pre-test: most paragraphs never reach the regex.

A pattern such as ``(未经|未經)(本网)?(授权|授權).{0,20}(不得|禁止)...`` has no literal
prefix, so the regex engine tries it at every position of every paragraph (~5 µs on a
short paragraph, times thirty patterns). But any text it matches must contain one of
``未经`` / ``未經``. ``required_literals`` reads that set off the parsed pattern, and
``Phrase.search`` runs the regex only when one of them occurs in the text (``in`` is a
C-level substring scan). The set is only ever a necessary condition, so results are
exactly the regex's; a pattern with no such set is always searched.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from ahocorasick_rs import AhoCorasick

# The regex parser and its opcodes (re._parser / re._constants, stable since 3.11; the
# public sre_parse alias warns on import). Typed Any: the stubs do not describe them.
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

# Literal runs shorter than this are too common to save any work ("a", "的").
MIN_LITERAL = 2
# A literal with more spellings than this ([经經][权權]...) is not worth testing.
MAX_SPELLINGS = 8
# A character range wider than this at the start of a pattern: its first character is
# taken as unknown (see `first_chars`).
MAX_FIRST_RANGE = 64


class Phrase:
    """A compiled pattern and the literals one of which every match contains."""

    __slots__ = ("regex", "literals")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self.literals = required_literals(pattern) if not flags & re.IGNORECASE else None

    def search(self, text: str) -> re.Match[str] | None:
        literals = self.literals
        if literals is None:
            return self.regex.search(text)
        for literal in literals:  # (a plain loop: no generator for the common miss)
            if literal in text:
                return self.regex.search(text)
        return None


def any_match(phrases: tuple[Phrase, ...], text: str) -> bool:
    """Whether any of `phrases` matches `text`: one loop, no generator or call per phrase
    that fails its literal test (nearly all of them, on nearly every paragraph)."""
    for phrase in phrases:
        literals = phrase.literals
        if literals is None:
            if phrase.regex.search(text):
                return True
            continue
        for literal in literals:
            if literal in text:
                if phrase.regex.search(text):
                    return True
                break
    return False


class PhraseSet:
    """Phrases tested together: one Aho-Corasick pass finds which literals occur.

    ``any_match`` tests each phrase's literals with its own ``in`` scan: forty scans of
    every short paragraph (~5 µs). The automaton reads the text once (~0.6 µs) and
    reports every occurrence of every literal, overlapping ones included, so the phrases
    whose regex is then run are exactly those ``any_match`` would run: same results.
    """

    __slots__ = ("phrases", "_always", "_automaton", "_by_literal")

    def __init__(self, phrases: tuple[Phrase, ...]) -> None:
        self.phrases = phrases
        # Phrases with no literal test are always searched, as in any_match.
        self._always = tuple(p.regex for p in phrases if p.literals is None)
        literals = sorted({lit for p in phrases for lit in p.literals or ()})
        self._by_literal = tuple(
            tuple(p.regex for p in phrases if p.literals and lit in p.literals)
            for lit in literals)
        self._automaton = AhoCorasick(literals) if literals else None

    def any_match(self, text: str) -> bool:
        """Whether any phrase matches `text` (the same answer as `any_match`)."""
        for regex in self._always:
            if regex.search(text):
                return True
        if self._automaton is None:
            return False
        found = self._automaton.find_matches_as_indexes(text, overlapping=True)
        if not found:  # nearly every paragraph: no literal of any phrase
            return False
        tried: set[re.Pattern[str]] = set()
        for index in {hit[0] for hit in found}:
            for regex in self._by_literal[index]:
                if regex not in tried:
                    tried.add(regex)
                    if regex.search(text):
                        return True
        return False


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Strings of which every match of `pattern` contains one, or None if none are known."""
    try:
        found = _required(list(sre_parse.parse(pattern)))
    except (re.error, TypeError, ValueError, IndexError):  # an unusual construct: no test
        return None
    return tuple(sorted(found)) if found else None


def _required(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The most selective literal set required by a sequence of parsed items."""
    candidates: list[set[str]] = []
    run: set[str] = {""}  # the literal text just before this item, in each of its spellings

    def close_run() -> None:
        nonlocal run
        if min(map(len, run)) >= MIN_LITERAL:
            candidates.append(run)
        run = {""}

    for op, arg in items:
        if op is sre.LITERAL:
            run = {r + chr(arg) for r in run}
            continue
        if (op is sre.IN and len(arg) <= MAX_SPELLINGS and run != {""}
                and all(kind is sre.LITERAL for kind, _ in arg)):
            # re factors "未经|未經" into 未 + [经經]: spell both out again
            run = {r + chr(char) for r in run for _, char in arg}
            if len(run) <= MAX_SPELLINGS:
                continue
            run = {""}
            continue
        close_run()
        if op is sre.SUBPATTERN:  # (?i:...) inside would match other cases: no test
            inner = None if arg[1] & sre.SRE_FLAG_IGNORECASE else _required(list(arg[-1]))
        elif op is sre.BRANCH:
            inner = set()
            for alternative in arg[1]:
                found = _required(list(alternative))
                if not found:  # one alternative without a literal: the branch has none
                    inner = None
                    break
                inner |= found
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            inner = _required(list(arg[2]))
        else:
            inner = None
        if inner:
            candidates.append(inner)
    close_run()
    if not candidates:
        return None
    # The set whose shortest literal is longest rules out the most text.
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)))


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters every match of `pattern` (case-sensitive) begins with, or None when
    that is not known or a match may be empty.

    Used to try an anchored pattern only on text that starts with one of them: Python's
    re tries every branch of an anchored alternation on every text (~4 µs for eighty
    branches), a dict lookup on the first character costs next to nothing. The set is a
    necessary condition read off the parsed pattern, so results are exactly the regex's.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, TypeError, ValueError, IndexError):
        return None
    if parsed.state.flags & sre.SRE_FLAG_IGNORECASE:
        return None
    found = _first(list(parsed))
    return frozenset(found) if found else None


def _first(items: list[tuple[Any, Any]]) -> set[str] | None:
    """First characters of a parsed sequence (None: unknown, or it may match empty)."""
    for index, (op, arg) in enumerate(items):
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] == 0:
            # An optional item ("(本文|本站)?"): its first characters or those of the rest.
            inner = _first(list(arg[2]))
            rest = _first(items[index + 1:]) if inner is not None else None
            return inner | rest if inner is not None and rest is not None else None
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: the first character comes from what follows
        if op is sre.LITERAL:
            return {chr(arg)}
        if op is sre.IN:
            chars: set[str] = set()
            for kind, value in arg:
                if kind is sre.LITERAL:
                    chars.add(chr(value))
                elif kind is sre.RANGE and value[1] - value[0] < MAX_FIRST_RANGE:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                else:  # a negated set, a category (\\d, \\w): unknown
                    return None
            return chars
        if op is sre.SUBPATTERN:
            if arg[1] & sre.SRE_FLAG_IGNORECASE:  # (?i:...): other cases match too
                return None
            return _first(list(arg[3]))
        if op is sre.ATOMIC_GROUP:
            return _first(list(arg))
        if op is sre.BRANCH:
            union: set[str] = set()
            for alternative in arg[1]:
                found = _first(list(alternative))
                if found is None:
                    return None
                union |= found
            return union
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            return _first(list(arg[2]))
        return None  # any character, a back reference, an optional item: unknown
    return None  # nothing consumed: the pattern may match empty
