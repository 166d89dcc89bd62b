"""Articles shipped inside ``<script type="text/template">``, put back into the page.

Some blog engines and single-page themes send the post as an HTML template that a script
inserts on load; the page itself is a shell of navigation and widgets. A browser shows
the post; an extractor that drops every script sees only the shell. A template is taken
as page content when it is a filled-in document rather than a pattern (no ``{{ }}``,
``<% %>`` or ``${ }`` placeholders), holds real prose, and outweighs the visible text
of the rest of the page. Runs before scripts are removed.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from ..records import SiteRules
from .parse import ParsedPage

_TEMPLATE_TYPES = ("text/template", "text/x-template", "text/html", "text/ng-template",
                   "text/x-handlebars-template")
_PLACEHOLDER_RE = re.compile(r"\{\{|<%|\$\{")
# A template needs this many characters of text to be a post, not a widget.
TEMPLATE_MIN_CHARS = 200
# ... and at least this share of the visible text outside scripts.
TEMPLATE_SHARE = 0.5


def unwrap_templates(page: ParsedPage, rules: SiteRules) -> int:
    """Replace filled-in HTML templates that outweigh the visible page by their markup."""
    body = page.body
    if body is None:
        return 0
    scripts = [s for s in body.css("script[type]")
               if (s.attributes.get("type") or "").strip().lower() in _TEMPLATE_TYPES]
    if not scripts:
        return 0
    script_chars = sum(len(s.text(deep=True)) for s in body.css("script, style"))
    visible = max(len(body.text(deep=True)) - script_chars, 0)
    unwrapped = 0
    for script in scripts:
        source = script.text(deep=True)
        if "<" not in source or _PLACEHOLDER_RE.search(source):
            continue
        fragment = LexborHTMLParser(source).body
        if fragment is None:
            continue
        chars = len(fragment.text(deep=True, strip=True))
        if chars < TEMPLATE_MIN_CHARS or chars < TEMPLATE_SHARE * visible:
            continue
        for child in list(fragment.iter(include_text=True)):
            script.insert_before(child)
        script.decompose()
        unwrapped += 1
        page.headline = None  # the template may hold the first <h1> (see boilerplate.py)
    return unwrapped
