"""Property-based fuzzing of `extract_html`: hostile pages never crash it.

Seeded with the shapes that crashed it before: lone surrogates in JSON-LD, JSON-LD nested
far deeper than the interpreter's stack, a second <html> inside the body (lexbor refuses
to remove it), tags with thousands of attributes, random nesting of block and inline
elements, scripts and templates. The property: `extract_html` returns a record whose text
fields encode as UTF-8, or raises ExtractionError (no article text); nothing else.

NEWSHARVEST_FUZZ_EXAMPLES sets the number of examples (CI: the default, a few hundred).
"""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from newsharvest import ExtractionError, extract_html
from newsharvest.records import Article

EXAMPLES = int(os.environ.get("NEWSHARVEST_FUZZ_EXAMPLES", "200"))
_TAGS = ("p", "div", "span", "a", "li", "ul", "table", "tr", "td", "h1", "h2", "article",
         "section", "aside", "nav", "br", "img", "html", "body", "head", "title", "script",
         "template", "noscript", "ruby", "rt", "pre", "form", "textarea", "math", "svg")
_ATTRS = ("class", "id", "hidden", "style", "href", "lang", "aria-hidden", "role", "type",
          "data-pub-time", "itemprop", "content")
_WORDS = ("share", "related", "comment", "hidden", "article", "content", "nav", "ad",
          "d-none", "main", "body", "display:none", "application/ld+json", "2024-05-01")

# Any code point, surrogates included: str can hold them even though UTF-8 cannot.
_text = st.text(st.characters(codec=None), max_size=40)
_prose = st.sampled_from((
    "The council voted on Tuesday to approve the new budget, after a long debate.",
    "市议会周二投票通过了新的预算，此前经过了长时间的辩论。",
    "Day 1: Breakfast: oatmeal", "Step 2 of 3", "\ud800 lone", "Share", "© 2024 News",
))


def _attribute() -> st.SearchStrategy[str]:
    value = st.one_of(st.sampled_from(_WORDS), _text.map(lambda t: t.replace('"', "")))
    return st.builds(lambda k, v: f' {k}="{v}"', st.sampled_from(_ATTRS), value)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attrs, inner, close: f"<{tag}{''.join(attrs)}>{''.join(inner)}"
        + (f"</{tag}>" if close else ""),
        st.sampled_from(_TAGS), st.lists(_attribute(), max_size=4),
        st.lists(children, max_size=5), st.booleans())


_fragment = st.recursive(st.one_of(_text, _prose), _element, max_leaves=40)


def _jsonld(depth: int, headline: str) -> str:
    nested = "[" * depth + "0" + "]" * depth
    return ('<script type="application/ld+json">'
            + json.dumps({"@type": "NewsArticle", "headline": headline,
                          "datePublished": "2024-05-01T08:00:00Z"})[:-1]
            + f', "deep": {nested}}}</script>')


_seeded = st.one_of(
    st.builds(_jsonld, st.sampled_from((0, 10, 40, 2_000, 100_000)),
              st.sampled_from(("\ud800", "\udfff title", "ok", "\ud83d\ude00"))),
    st.just('<html><body><html hidden=""></html>'),
    st.just("<html><body><html hidden=''><p>" + "Words of text here, " * 10 + "</p></html>"),
    st.integers(1, 3_000).map(
        lambda n: "<div " + " ".join(f"a{i}=x" for i in range(n)) + "><p>Text, here.</p></div>"),
    st.integers(1, 1_000).map(lambda n: "<div>" * n + "Deep text, here." + "</div>" * n),
    st.just("<script>var a = '<p>" + "not text " * 20 + "</p>';</script>"),
)


def _page(parts: list[str]) -> str:
    return "<html><head><title>t</title></head><body>" + "".join(parts) + "</body></html>"


def _check(html: str | bytes) -> None:
    try:
        article = extract_html(html, "https://example.org/a")
    except ExtractionError:
        return
    assert isinstance(article, Article)
    for name, value in article.to_row().items():
        if isinstance(value, str):
            value.encode("utf-8")  # storable: raises on a lone surrogate
        assert not isinstance(value, bytes), name
    json.dumps(article.to_row(), ensure_ascii=False).encode("utf-8")


@seed(20261207)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.one_of(_fragment, _seeded, _prose.map(lambda t: f"<p>{t}</p>")),
                max_size=8), st.booleans())
def test_extract_html_never_crashes(parts: list[str], as_bytes: bool) -> None:
    html = _page(parts)
    _check(html.encode("utf-8", "surrogatepass") if as_bytes else html)


def test_known_crashers() -> None:
    """The exact pages of issue #11 item 4, once each."""
    body = "<p>" + "This sentence belongs to the article body, as the test needs. " * 5
    for html in (
        f"<html><head>{_jsonld(100_000, 'x')}</head><body>{body}</p></body></html>",
        '<html><body><html hidden=""></html>',
    ):
        _check(html)
    headline = "Budget \ud800vote passes"
    article = extract_html(f"<html><head>{_jsonld(0, headline)}</head><body>{body}</p>"
                           "</body></html>")
    assert article.title == "Budget \ufffdvote passes"
