"""Second copies of the article kept out of sight, removed before content is located.

Pages ship the article twice: a hidden copy for a print view or a share dialog
(``display:none``, the ``hidden`` attribute, ``aria-hidden``), or a schema.org block
(``itemprop="articleBody"``) repeating the visible text for crawlers. Located as part of
a wrapper, the copy doubles the body. The generic removers leave such a copy alone on
purpose: hidden elements holding much of the page are usually the page (a wrapper a
script reveals), and inline ``display:none`` also hides tabs and gallery pages that are
part of the article.

What tells a copy apart is not where it sits but that its text is on the page twice. An
element counts as a copy when most of its longer lines also occur elsewhere in the
body; then it goes whatever its size. One text pull per candidate and one substring
count per line: linear in the page.
"""

from __future__ import annotations

import re

from ..records import SiteRules
from .parse import ParsedPage

# Hidden by markup, or a machine-readable article body that may repeat the visible one.
_CANDIDATES = ("[hidden], [aria-hidden=true], [style*='display:none'], "
               "[style*='display: none'], [style*='visibility:hidden'], "
               "[style*='visibility: hidden'], [itemprop=articleBody]")
# Lines shorter than this are too common to prove a copy ("Share", a date).
COPY_LINE_CHARS = 25
# An element is a copy when at least this share of its long lines occur twice.
COPY_SHARE = 0.6
# Fewer long lines than this: too little text to call it a copy of the article.
COPY_MIN_LINES = 2
_SPACE_RE = re.compile(r"\s+")
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
# A separator no text contains: the element's text nodes are cut apart with it.
_CUT = "\x00"


def _collapse(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _lines(text: str) -> list[str]:
    """The element's longer sentences, whitespace collapsed.

    Cut at text-node boundaries and sentence ends: a copy set as one plain run and an
    article set in paragraphs then yield the same pieces.
    """
    pieces = (_collapse(piece) for run in text.split(_CUT) for piece in _SENTENCE_RE.split(run))
    return [piece for piece in pieces if len(piece) >= COPY_LINE_CHARS]


def remove_hidden_copies(page: ParsedPage, rules: SiteRules) -> int:
    """Remove hidden or schema.org elements whose text is repeated elsewhere on the page.

    Candidates are visited in document order and the page text is re-read after each
    removal, so of two visible-looking copies (two ``articleBody`` blocks) the first
    stays and only the later, appended one goes.
    """
    body = page.body
    if body is None:
        return 0
    candidates = page.tree.css(_CANDIDATES)
    if not candidates:
        return 0
    page_text: str | None = None
    removed = 0
    for node in candidates:
        if node.parent is None or node.tag in ("body", "html"):
            continue
        lines = _lines(node.text(deep=True, separator=_CUT))
        if len(lines) < COPY_MIN_LINES:
            continue
        if page_text is None:
            # Glued across tags: a copy marked up differently still matches.
            page_text = _collapse(body.text(deep=True))
        repeated = sum(1 for line in lines if page_text.count(line) >= 2)
        if repeated >= COPY_SHARE * len(lines):
            node.decompose()
            removed += 1
            page_text = None  # the copy is gone: the other copy now appears once
    return removed
