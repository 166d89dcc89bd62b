"""Paragraph-level cleanup inside the located content.

What survives content location can still hold portal furniture: a related list inside the
article container, a credit line, a platform notice, the title repeated as the first line,
a paragraph printed twice. Each rule here looks at one paragraph (and what came before it),
so it can be tested on its own; fixed phrases are data in ``vocab/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block, count_tokens
from .boilerplate import vocab_regexes
from .content import CHROME_TOKENS, LINK_DENSITY_MAX

_BRACKETS = "[]【】()（）〔〕<>《》「」"
_NEAR_DUP_MIN_TOKENS = 12
BYLINE_TOKENS = 30
_NEAR_DUP_JACCARD = 0.8
_WORD_RE = re.compile(r"[\u3400-\u9fff]|[^\W\u3400-\u9fff_]+")


@dataclass(slots=True)
class Cleaned:
    """Body paragraphs plus what was pulled out of them on the way."""

    paragraphs: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    origin: str | None = None


def is_boilerplate_line(text: str) -> bool:
    """A fixed portal phrase in either language (特别声明, Write a comment, ...)."""
    return any(rx.search(text) for rx in vocab_regexes("boilerplate_lines.txt"))


def credit_line(text: str) -> str | None:
    """The credit text when the paragraph is an editor/production credit, else None.

    Only short lines count: a paragraph of prose that mentions 编辑 is not a credit.
    """
    if count_tokens(text) > 40:
        return None
    bare = text.strip().strip(_BRACKETS).strip()
    if any(rx.search(bare) for rx in vocab_regexes("credit_lines.txt")):
        return bare
    return None


def origin_of(text: str) -> str | None:
    """The outlet named by a 来源/來源/Source line, else None."""
    if count_tokens(text) > 40:
        return None
    bare = text.strip().strip(_BRACKETS).strip()
    for rx in vocab_regexes("origin_lines.txt"):
        match = rx.search(bare)
        if match:
            return match.group("origin").strip()
    return None


def _shingles(text: str) -> set[tuple[str, str]]:
    words = _WORD_RE.findall(text.lower())
    return set(zip(words, words[1:], strict=False))


def clean_paragraphs(blocks: list[Block], title: str | None = None) -> Cleaned:
    """Blocks of the main content -> clean body paragraphs, credits and origin."""
    out = Cleaned()
    seen: set[str] = set()
    kept_shingles: list[set[tuple[str, str]]] = []
    title_key = _key(title) if title else None
    for block in blocks:
        text = block.text
        if block.link_density > LINK_DENSITY_MAX:
            continue
        credit = credit_line(text)
        if credit is not None:
            out.credits.append(credit)
            continue
        origin = origin_of(text)
        if origin is not None:
            out.origin = out.origin or origin
            continue
        if is_boilerplate_line(text):
            continue
        if block.tokens <= BYLINE_TOKENS and any(
            rx.search(text) for rx in vocab_regexes("byline_lines.txt")
        ):
            continue
        key = _key(text)
        if key in seen or (title_key and key == title_key and not out.paragraphs):
            continue
        if block.tokens >= _NEAR_DUP_MIN_TOKENS:
            shingles = _shingles(text)
            if any(_jaccard(shingles, other) >= _NEAR_DUP_JACCARD for other in kept_shingles):
                continue
            kept_shingles.append(shingles)
        if _is_truncated_repeat(key, seen):
            continue
        seen.add(key)
        out.paragraphs.append(text)
    _trim_chrome(out.paragraphs)
    return out


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def _jaccard(a: set[tuple[str, str]], b: set[tuple[str, str]]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _is_truncated_repeat(key: str, seen: set[str]) -> bool:
    """A paragraph that is the start of one already kept, cut off (seed 003's ending)."""
    return len(key) >= 20 and any(other.startswith(key) for other in seen)


def _trim_chrome(paragraphs: list[str]) -> None:
    """Drop short unpunctuated lines at both ends: bylines, counters, 'Share', tags."""
    def chrome(text: str) -> bool:
        return count_tokens(text) < CHROME_TOKENS and not re.search(r"[，。！？；,.!?;]", text)

    while paragraphs and chrome(paragraphs[-1]):
        paragraphs.pop()
    while len(paragraphs) > 1 and chrome(paragraphs[0]):
        paragraphs.pop(0)
