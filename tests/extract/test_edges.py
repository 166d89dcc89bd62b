"""Chrome at the ends of the content: a lone list item is a widget, a list is text."""

from __future__ import annotations

from newsharvest.extract import extract
from newsharvest.extract.blocks import collect_blocks
from newsharvest.extract.paragraphs import clean_paragraphs
from newsharvest.extract.parse import parse_page

_BODY = ("<p>The bridge reopens on Monday after six weeks of repairs, the city said.</p>"
         "<p>Drivers were told to expect delays on the first day, as crews finish painting.</p>")


def _clean(html: str) -> list[str]:
    page = parse_page(f"<html><body>{html}</body></html>")
    return clean_paragraphs(collect_blocks(page.body)).paragraphs


def test_a_lone_list_item_at_the_end_is_a_widget():
    out = _clean(_BODY + "<ul><li><span>Fresh local news every morning</span></li></ul>")
    assert out[-1].startswith("Drivers")


def test_a_list_at_the_end_stays():
    out = _clean(_BODY + "<ul><li>Holds 5kg of towels</li><li>Folds flat for storage</li></ul>")
    assert out[-2:] == ["Holds 5kg of towels", "Folds flat for storage"]


def test_a_numbered_item_at_the_end_stays():
    out = _clean(_BODY + "<p>1、 东城区 西城区</p>")
    assert out[-1] == "1、 东城区 西城区"


def test_a_page_of_a_few_short_lines_is_its_own_text():
    """Chrome trimming assumes an article between the ends; a page that holds nothing but
    a few short lines (headings of a test page, a one-word notice) keeps them."""
    html = ("<html><head><title>Two cases</title></head><body><article><h2>Test Case 1</h2>"
            "<img src='a.jpg'><h2>Test Case 2</h2><img src='b.jpg'></article></body></html>")
    assert extract(html).paragraphs == ("Test Case 1", "Test Case 2")
    assert extract("<html><body>\n  Closed today\n</body></html>").paragraphs == (
        "Closed today",)


def test_a_page_of_chrome_around_links_still_has_no_text():
    html = ("<html><body><div>Share</div><div><a href='/v'>Watch the video</a></div>"
            "<div>0 comments</div></body></html>")
    assert extract(html).paragraphs == ()


def test_an_app_shell_has_no_text():
    """Only a page that holds nothing else keeps its short lines: an app shell's
    'Loading' sits next to the scripts that build the page (removed, but there)."""
    script = "window.config = {" + ", ".join(f"'key{n}': 'value number {n}'" for n in range(30))
    html = (f"<html><body><div id='app'><div class='spinner'>Loading</div></div>"
            f"<script>{script}}};</script></body></html>")
    assert extract(html).paragraphs == ()
