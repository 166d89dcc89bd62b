"""Pages built to hurt: huge attribute lists, deep JSON-LD, pages of tiny paragraphs.

What is checked here is the mechanism (a tag cut to MAX_ATTRIBUTES, the fallback not
asked, depth cut); how fast it runs is measured by bench/growth_bench.py, not by a test.
"""

from __future__ import annotations

import json

import pytest

import newsharvest.extract as extract_module
from newsharvest import ExtractionError, extract_html
from newsharvest.extract import FALLBACK_MAX_BLOCKS, candidates, extract
from newsharvest.extract.parse import MAX_ATTRIBUTES, MAX_JSONLD_DEPTH, bound_markup, parse_page

PROSE = "<p>" + "The council approved the budget after a long debate, officials said. " * 4


def test_a_tag_with_thousands_of_attributes_is_cut() -> None:
    tag = "<div " + " ".join(f"a{i}=x" for i in range(20_000)) + ">"
    html = f"<html><body>{tag}{PROSE}</p></div></body></html>"
    bounded = bound_markup(html)
    assert len(bounded) < len(html) // 10
    node = parse_page(bounded).tree.css_first("div")
    assert node is not None and len(node.attributes) == MAX_ATTRIBUTES
    assert "The council approved" in extract(html).paragraphs[0]


def test_ordinary_markup_and_scripts_are_left_alone() -> None:
    script = "<script>var s = '<div " + " ".join(f"a{i}=x" for i in range(5_000)) + ">';</script>"
    long_value = '<div data-props="' + "x" * 50_000 + '">text</div>'
    for html in (f"<html><body>{script}{PROSE}</p></body></html>",
                 f"<html><body>{long_value}</body></html>",
                 f"<html><body>{PROSE * 50}</body></html>"):
        assert bound_markup(html) is html


def test_json_ld_deeper_than_the_limit_is_cut_not_fatal() -> None:
    deep = "[" * 50_000 + "]" * 50_000
    obj = '{"@type": "NewsArticle", "headline": "Budget approved", "x": ' + deep + "}"
    page = parse_page(f'<html><head><script type="application/ld+json">{obj}</script>'
                      "</head><body></body></html>")
    assert page.jsonld == []  # deeper than the interpreter allows: the block is skipped
    nested = {"@type": "NewsArticle", "headline": "Budget approved"}
    inner: dict = nested
    for _ in range(MAX_JSONLD_DEPTH + 10):
        inner["x"] = {}
        inner = inner["x"]
    page = parse_page('<html><head><script type="application/ld+json">'
                      f"{json.dumps(nested)}</script></head><body></body></html>")
    assert page.jsonld[0]["headline"] == "Budget approved"
    depth, node = 0, page.jsonld[0]
    while isinstance(node, dict):
        node, depth = node.get("x"), depth + 1
    assert depth <= MAX_JSONLD_DEPTH + 1


def test_fallback_is_not_asked_on_pages_of_many_tiny_blocks(monkeypatch) -> None:
    calls = []
    for module in (extract_module, candidates):  # the fallback and the second opinion
        monkeypatch.setattr(module, "trafilatura_blocks",
                            lambda html, url: calls.append(url) or [])
    extract("<html><body>" + "<p>ab</p>" * (FALLBACK_MAX_BLOCKS + 1) + "</body></html>")
    assert calls == []
    extract("<html><body><img src='a.jpg'><p> </p></body></html>")  # no text to find
    assert calls == []
    extract("<html><body><div>" + "word " * 60 + "</div><nav>" + "menu " * 60
            + "</nav></body></html>")
    assert len(calls) <= 1


def test_extract_html_raises_on_a_page_without_text() -> None:
    with pytest.raises(ExtractionError):
        extract_html("<html><body><nav><a href='/'>Home</a></nav></body></html>",
                     "https://example.org/x")
    assert extract_html(f"<html><body>{PROSE}</p></body></html>").body
