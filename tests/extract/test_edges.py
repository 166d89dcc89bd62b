"""Chrome at the ends of the content: a lone list item is a widget, a list is text."""

from __future__ import annotations

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
