"""Elements hidden only in appearance: hidden on some screens, or one page of a series.

Hiding classes ("hidden", "hide") mark a sign-in wall or a collapsed panel, which the
removers drop. Two uses of them hide article text for a moment only: a responsive class
hides an element on small screens and shows it on the others ("hidden-xs",
"hide-for-small"), and a paged article (a listicle a script steps through) shows its
first section and hides the rest, all of the same tag and classes. Both are text a
reader sees.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

# Screen sizes in responsive utility classes ("hidden-xs", "hide-for-small").
RESPONSIVE = frozenset({"xs", "sm", "md", "lg", "xl", "xxl", "small", "medium", "large",
                        "mobile", "phone", "tablet", "desktop"})
_HIDING_WORDS = frozenset({"hidden", "hide"})
# Classes that show an element on some screens ("d-lg-block", "visible-md", "show-for-large").
_SHOWN_RE = re.compile(r"^(d-\w+-(block|flex|inline|grid|table)|visible-\w+|show-for-\w+)")


def shown_on_some_screen(classes: list[str]) -> bool:
    """Whether a class shows the element on some screen size, whatever hides it on others
    ("d-none d-lg-block")."""
    return any(_SHOWN_RE.match(c) for c in classes)


def shown_somewhere(words: list[str]) -> list[str]:
    """Without hiding words that name a screen size ("hidden-xs", "hide-for-small"): such
    an element is hidden on some screens only, and shown on the others."""
    out: list[str] = []
    for i, word in enumerate(words):
        following = words[i + 1:i + 3]
        if word in _HIDING_WORDS and following and (
                following[0] in RESPONSIVE
                or (following[0] == "for" and following[1:] and following[1] in RESPONSIVE)):
            continue
        out.append(word)
    return out


def page_of_series(node: LexborNode, classes: list[str], hiding: frozenset[str],
                   shown: dict[int, set[tuple[str, ...]]]) -> bool:
    """Whether `node` is one page of a series the reader steps through (a listicle paged
    by a script: section 1 shown, sections 2..30 hidden): a sibling of the same tag and
    classes, less the hiding one, is shown. The pages together are the article."""
    parent = node.parent
    own = tuple(sorted(c for c in classes if c not in hiding))
    if parent is None or not own:
        return False
    kinds = shown.get(parent.mem_id)
    if kinds is None:  # once per parent: linear however many pages it holds
        kinds = set()
        child = parent.child
        while child is not None:
            names = (child.attributes.get("class") or "").split() if child.tag else []
            if child.tag and child.tag != "-text" and hiding.isdisjoint(names):
                kinds.add((child.tag, *sorted(names)))
            child = child.next
        shown[parent.mem_id] = kinds
    return (node.tag or "", *own) in kinds
