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

from selectolax.lexbor import LexborNode

from ..records import SiteRules
from .parse import ParsedPage

# Hidden by markup, or a machine-readable article body that may repeat the visible one.
_CANDIDATES = ("[hidden], [aria-hidden=true], [style*='display:none'], "
               "[style*='display: none'], [style*='visibility:hidden'], "
               "[style*='visibility: hidden'], [itemprop=articleBody]")
# Lines shorter than this are too common to prove a copy ("Share", a date).
COPY_LINE_CHARS = 25
# An element is a copy when at least this share of its long lines are visible elsewhere.
# A hidden copy fuller than the visible text (the whole story behind a teaser) goes too:
# kept, it doubles the body, which costs more than the lines only it has.
COPY_SHARE = 0.6
# Fewer long lines than this: too little text to call it a copy of the article.
COPY_MIN_LINES = 2
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
# A separator no text contains: the element's text nodes are cut apart with it.
_CUT = "\x00"


def _collapse(text: str) -> str:
    """Whitespace runs as one space, none at the ends. (str.split splits on exactly what
    \\s matches, str.isspace: one C call, ~3x faster than the regex on a whole body.)"""
    return " ".join(text.split())


def _lines(text: str) -> list[str]:
    """The element's longer sentences, whitespace collapsed.

    Cut at text-node boundaries and sentence ends: a copy set as one plain run and an
    article set in paragraphs then yield the same pieces.
    """
    pieces = (piece.strip() for run in _collapse(text).split(_CUT)
              for piece in _SENTENCE_RE.split(run))
    return [piece for piece in pieces if len(piece) >= COPY_LINE_CHARS]


def _hidden_marked(node: LexborNode) -> bool:
    attrs = node.attributes
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return ("hidden" in attrs or attrs.get("aria-hidden") == "true"
            or "display:none" in style or "visibility:hidden" in style)


def remove_hidden_copies(page: ParsedPage, rules: SiteRules) -> int:
    """Remove hidden or schema.org elements whose text is already visible on the page.

    A line counts as visible when it occurs more often in the page than inside the
    outermost candidates, so two hidden copies do not vouch for each other. A hidden
    element whose text is mostly visible elsewhere is a copy; a schema.org block that
    is not hidden goes only when its text is visible twice (itself and the article).
    """
    body = page.body
    if body is None:
        return 0
    # lexbor lists an element once per selector it matches (hidden and display:none):
    # one entry each, or a copy removed on its first entry is looked up again on its second.
    found = list({n.mem_id: n for n in page.tree.css(_CANDIDATES)}.values())
    if not found:
        return 0
    ids = {n.mem_id for n in found}
    outer = [n for n in found if not _inside(n, ids) and n.tag not in ("body", "html")]
    # Most candidates are icons and empty panels: a length check spares the rest.
    texts = {n.mem_id: _collapse(n.text(deep=True)) for n in outer}
    minimum = COPY_MIN_LINES * COPY_LINE_CHARS
    if all(len(text) < minimum for text in texts.values()):
        return 0
    # Glued across tags: a copy marked up differently still matches.
    page_text = _collapse(body.text(deep=True))
    candidate_chars = sum(map(len, texts.values()))  # (kept current as copies go)
    removed = 0
    for node in outer:
        own = texts[node.mem_id]
        hidden = _hidden_marked(node)
        # Text outside every candidate (hidden) or outside this one (a schema.org block)
        # too short to hold COPY_SHARE of this element: no copy, skip the line split.
        elsewhere = len(page_text) - (candidate_chars if hidden else len(own))
        if len(own) < minimum or elsewhere < COPY_SHARE * len(own):
            continue
        lines = _lines(node.text(deep=True, separator=_CUT))
        if len(lines) < COPY_MIN_LINES:
            continue
        # Three lines spread over the element first: a copy repeats most of them.
        sample = [lines[i] for i in sorted({0, len(lines) // 2, len(lines) - 1})]
        if not _visible(sample, page_text, texts, own, hidden):
            continue
        if _visible(lines, page_text, texts, own, hidden) >= COPY_SHARE * len(lines):
            node.decompose()
            removed += 1
            candidate_chars -= len(texts.pop(node.mem_id))
            page_text = _collapse(body.text(deep=True))
    return removed


def _visible(lines: list[str], page_text: str, texts: dict[int, str], own: str,
             hidden: bool) -> int:
    """How many of `lines` show outside the candidates (hidden: once; a visible schema.org
    block: a second time besides itself)."""
    count = 0
    for line in lines:
        times = page_text.count(line) - sum(t.count(line) for t in texts.values())
        count += times + (0 if hidden else own.count(line)) >= (1 if hidden else 2)
    return count


def _inside(node: LexborNode, ids: set[int]) -> bool:
    """Whether an ancestor of `node` is one of the candidates."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False
