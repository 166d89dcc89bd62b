"""Generic removal of page parts that are never article text, before content is located.

Each remover has one signature, ``(page, rules) -> int`` (how many elements it removed),
and mutates the parsed tree. They run in the order of ``REMOVERS``, so one can be switched
off or tested alone. The vocabulary they use is data in ``vocab/`` (both languages), loaded
once per process by ``vocabulary.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from selectolax.lexbor import LexborNode, SelectolaxError

from ..records import SiteRules
from ..text.scripts import PUNCT_RE, count_punct, count_tokens
from .hidden import remove_hidden_copies
from .parse import ParsedPage
from .templates import unwrap_templates
from .visibility import page_of_series, shown_on_some_screen
from .vocabulary import class_words, panel_tokens, union

log = logging.getLogger(__name__)
# Containers that are never article text when they hold little of the page.
_STRUCTURAL_TAGS = "nav, aside, footer, dialog, [role=navigation], [role=complementary], "\
    "[role=contentinfo], [aria-hidden=true], [hidden], figcaption, table > caption"
_ALWAYS_TAGS = "script, style, noscript, template, svg, iframe, form select, button, textarea"
# Fields through which a form asks the reader for words or choices, and buttons (a
# dialog's "Delete" / "Cancel", a search box's "Go"): a form holding one is a widget.
_INPUT_FIELDS = "textarea, input[type=radio], input[type=checkbox], input[type=password], "\
    "form button"
# A responsive class that shows an element on some screens ("d-lg-block", "visible-md").
# An element holding more than this share of the page's text is a wrapper, not a panel.
PROTECT_SHARE = 0.4
# A weak-vocabulary element at least this link-heavy is a link panel.
WEAK_LINK_DENSITY = 0.35
# A strong-vocabulary element is kept only with this much prose and so few links.
STRONG_PROSE_PARAGRAPHS = 3
STRONG_LINK_DENSITY = 0.25
# A prose paragraph: this many characters of its own text and punctuation marks.
PROSE_CHARS = 60
PROSE_MARKS = 2
_ASCII_PUNCT = ",.!?;:"  # PUNCT_RE's ASCII members
# A form's wrappers go with it while they add at most this many tokens of their own (the
# dialog's title, its instructions, an error line), up to this many levels up.
FORM_PANEL_TOKENS = 40
FORM_PANEL_LEVELS = 4
FORM_PANEL_CHARS = 2000  # more characters than any 40 tokens with their indentation


def _drop(node: LexborNode) -> None:
    """Remove `node` from the tree. lexbor refuses to remove what it treats as a root (a
    second <html> nested in the body): such a node stays, its page is still read."""
    try:
        node.decompose()
    except SelectolaxError:
        log.debug("lexbor kept a root-like <%s>", node.tag)


def _text_len(node: LexborNode) -> int:
    # skip_empty: whitespace-only text nodes strip to "" anyway; not decoding them is faster.
    return len(node.text(deep=True, strip=True, skip_empty=True))


def _headline_ancestors(page: ParsedPage) -> set[int]:
    """mem_ids of the elements that contain the page's first <h1>: wrappers of the article.

    Kept on the page for the next remover while that <h1> is still in the tree: removal
    inserts nothing, so no earlier one can appear, and its ancestors stay its ancestors
    (lexbor unlinks every node of a removed subtree, so a removed <h1> has no parent)."""
    if page.headline is not None:
        h1, found = page.headline
        if h1 is None or h1.parent is not None:
            return found
    h1 = page.tree.css_first("body h1")
    found = set()
    node = h1.parent if h1 is not None else None
    while node is not None:
        found.add(node.mem_id)
        node = node.parent
    page.headline = (h1, found)
    return found


def _link_density(node: LexborNode, text_len: int) -> float:
    links = sum(len(a.text(deep=True, strip=True, skip_empty=True)) for a in node.css("a"))
    return links / text_len if text_len else 0.0


def _prose_paragraphs(node: LexborNode, limit: int = 2) -> int:
    """How many paragraph-like descendants read as prose (long, punctuated)."""
    count = 0
    for p in node.css("p, div, li"):
        text = p.text(deep=False, strip=True, skip_empty=True)
        if len(text) >= PROSE_CHARS and count_punct(text) >= PROSE_MARKS:
            count += 1
            if count >= limit:
                break
    return count


def _remove_guarded(page: ParsedPage, nodes: list[LexborNode]) -> int:
    """Remove nodes unless one holds most of the page's text (then it is a wrapper)."""
    total = 0  # the page's text length, measured when first needed (see below)
    removed = 0
    for node in nodes:
        if node.parent is None:  # already gone with an ancestor
            continue
        chars = _text_len(node)
        if chars and not total:
            # Measured only once a node holds text (icons and empty panels hold none): the
            # text-less nodes removed before held none of it, so the length is the same.
            body = page.body
            total = max(_text_len(body), 1) if body is not None else 1
        if chars > PROTECT_SHARE * total:
            continue
        _drop(node)
        removed += 1
    return removed


def remove_input_forms(page: ParsedPage, rules: SiteRules) -> int:
    """Forms that take a reader's words or choices: comment boxes, polls, ratings, logins.

    A form with a text area, radio buttons, check boxes or a password field asks the reader
    for something, one with buttons asks them to act ("Are you sure?" over Delete and
    Cancel); its labels and rules ("留言限140字以內", "Strongly agree (5)") are not
    the article. Old portals wrap the whole page in one <form>: a form holding the
    headline or most of the page's text stays. Runs before ``remove_always`` drops the
    text areas this looks for.
    """
    fields = page.tree.css(_INPUT_FIELDS)
    if not fields:
        return 0
    protected = _headline_ancestors(page)
    forms: dict[int, LexborNode] = {}
    for field in fields:  # the form around each field (fields are rarer than forms)
        node = field.parent
        while node is not None and node.tag != "form":
            node = node.parent
        if node is not None and node.mem_id not in protected:
            forms.setdefault(node.mem_id, node)
    panels = [_form_panel(form, protected) for form in forms.values()]
    return _remove_guarded(page, panels)


def _form_panel(form: LexborNode, protected: set[int]) -> LexborNode:
    """The form, or the widget around it: a report or sign-up dialog wraps its form in a
    title, instructions and error lines ("Sorry! There was a problem") that say little on
    their own. A wrapper that adds more text than that holds something else (the article
    the comment box sits under) and stays."""
    text = form.text(deep=True)
    own, chars = count_tokens(text), len(text)
    panel, node = form, form.parent
    for _ in range(FORM_PANEL_LEVELS):
        if node is None or node.tag in ("body", "html") or node.mem_id in protected:
            break
        text = node.text(deep=True)
        # (A token takes at least one character: most wrappers are ruled out by length,
        # without counting the tokens of a page-sized text. The form's text is one stretch
        # of the wrapper's, and joining texts only merges tokens, so a wrapper adding at
        # most FORM_PANEL_TOKENS characters adds at most as many tokens: none counted.)
        extra = len(text) - chars
        if extra > FORM_PANEL_CHARS or (extra > FORM_PANEL_TOKENS
                                        and count_tokens(text) - own > FORM_PANEL_TOKENS):
            break
        panel, node = node, node.parent
    return panel


def remove_hidden(page: ParsedPage, rules: SiteRules) -> int:
    """Elements the page hides until the reader acts: a sign-in wall, a collapsed panel.

    Only a whole class name that is a hiding utility ("hidden", "d-none") counts; a class
    merely containing the word ("articlePluckHidden") is left to the vocabulary rules,
    and "d-none d-lg-block" is shown on wide screens. Inline ``display:none`` is not
    used: scripts toggle it on tabs and galleries that are part of the page. The
    headline's wrappers and an element holding most of the page stay.
    """
    found = page.tree.css(_hiding_selector())
    if not found:
        return 0  # (most pages: no headline lookup, a query of the whole tree)
    protected = _headline_ancestors(page)
    hiding = class_words("hiding_classes.txt")
    shown: dict[int, set[tuple[str, ...]]] = {}  # parent -> its shown children's kinds
    nodes = []
    for node in found:
        classes = (node.attributes.get("class") or "").split()
        if node.mem_id in protected or shown_on_some_screen(classes):
            continue
        if page_of_series(node, classes, hiding, shown):
            continue
        nodes.append(node)
    return _remove_guarded(page, nodes)


@cache
def _hiding_selector() -> str:
    """One CSS selector for every hiding class: matched natively, not per element here."""
    return ", ".join(f"body .{word}" for word in sorted(class_words("hiding_classes.txt")))


def remove_always(page: ParsedPage, rules: SiteRules) -> int:
    """Scripts, styles and widgets: never text, removed without a size check."""
    nodes = page.tree.css(_ALWAYS_TAGS)
    for node in nodes:
        _drop(node)
    return len(nodes)


def remove_site_rules(page: ParsedPage, rules: SiteRules) -> int:
    """The source's own `rules.remove` selectors from sources.yaml."""
    removed = 0
    for selector in rules.remove:
        for node in page.tree.css(selector):
            _drop(node)
            removed += 1
    return removed


def remove_structural(page: ParsedPage, rules: SiteRules) -> int:
    """nav/aside/footer and hidden elements, unless they wrap the whole page."""
    return _remove_guarded(page, page.tree.css(_STRUCTURAL_TAGS))


def remove_by_vocabulary(page: ParsedPage, rules: SiteRules) -> int:
    """Elements whose class/id names a panel: related, share, comment, hot, 推荐 ...

    Strong words (comment, share, nav, ad, ...) remove the element outright; weak words
    (related, hot, widget, hidden, ...) only when the element is link-heavy or holds no
    prose. Neither removes an element that contains the headline: that is the article's
    own wrapper whatever its class says.
    """
    body = page.body
    if body is None:
        return 0
    always = class_words("always_class_words.txt")
    strong, weak = class_words("strong_class_words.txt"), class_words("weak_class_words.txt")
    positive = class_words("positive_class_words.txt")
    panel_words = union(always, strong, weak)  # one object per process: see panel_tokens
    hiding = class_words("hiding_classes.txt")
    shown: dict[int, set[tuple[str, ...]]] = {}
    protected = _headline_ancestors(page)
    removed = 0
    last = 0
    for node in body.css("[class], [id]"):
        # lexbor lists an element with both a class and an id twice in a row: the second
        # time would only repeat the first verdict.
        if node.mem_id == last:
            continue
        last = node.mem_id
        if node.parent is None:
            continue  # gone with a panel removed before it
        # Most class/id names say nothing: the cached word test comes before the other
        # tests (their order decides nothing) and before any text is pulled.
        tokens = panel_tokens(node, panel_words)
        if not tokens or node.mem_id in protected or node.tag in ("body", "html"):
            continue
        text = node.text(deep=True, strip=True, skip_empty=True)  # (as _text_len reads it)
        if not text:
            continue  # no text to remove; keeps images (a lightbox link) for caption context
        if any(t in always for t in tokens):
            remove = True
        elif any(t in strong for t in tokens):
            remove = not _is_prose_wrapper(node, text, STRONG_PROSE_PARAGRAPHS,
                                           STRONG_LINK_DENSITY)
        elif any(t in weak for t in tokens):
            classes = (node.attributes.get("class") or "").split()
            if not hiding.isdisjoint(classes) and page_of_series(node, classes, hiding, shown):
                continue  # hidden by a class, as a page of a paged article (remove_hidden)
            if any(t in positive for t in tokens):
                remove = _link_density(node, len(text)) >= WEAK_LINK_DENSITY
            else:
                remove = not _is_prose_wrapper(node, text, 2, WEAK_LINK_DENSITY)
        else:
            continue
        if remove:
            _drop(node)
            removed += 1
    return removed


def _is_prose_wrapper(node: LexborNode, text: str, paragraphs: int,
                      max_link_density: float) -> bool:
    """Whether an element holds article prose: several punctuated paragraphs, few links.

    `text` is the element's text as `_text_len` reads it. The paragraphs' own texts are
    disjoint parts of it, so it holds at least their characters and punctuation marks:
    a menu or a link panel too short or too bare for that many prose paragraphs is told
    apart without a query of its descendants.
    """
    if len(text) < PROSE_CHARS * paragraphs or not _has_marks(text, PROSE_MARKS * paragraphs):
        return False
    if _prose_paragraphs(node, paragraphs) < paragraphs:
        return False
    return _link_density(node, len(text)) < max_link_density


def _has_marks(text: str, wanted: int) -> bool:
    """Whether `text` holds at least `wanted` sentence punctuation marks (counting the
    separators inside numbers too: an upper bound of `count_punct` for any part of it)."""
    if text.isascii():
        return sum(map(text.count, _ASCII_PUNCT)) >= wanted
    for seen, _ in enumerate(PUNCT_RE.finditer(text), 1):
        if seen >= wanted:
            return True
    return False


REMOVERS: tuple[Callable[[ParsedPage, SiteRules], int], ...] = (
    unwrap_templates,
    remove_input_forms,
    remove_always,
    remove_hidden_copies,
    remove_hidden,
    remove_site_rules,
    remove_structural,
    remove_by_vocabulary,
)


def remove_boilerplate(page: ParsedPage, rules: SiteRules) -> None:
    """Run every remover in order."""
    for remover in REMOVERS:
        remover(page, rules)
