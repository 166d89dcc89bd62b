"""Content location: which blocks count as prose, and what is taken along around the body."""

from __future__ import annotations

from newsharvest.extract import extract
from newsharvest.extract.blocks import collect_blocks
from newsharvest.extract.content import block_value
from newsharvest.extract.parse import parse_page

_PROSE = ("<p>The council voted on Tuesday to extend the library's opening hours, a change "
          "that residents had asked for since the spring, and the new times start next month."
          "</p><p>Staff numbers will rise by four, the council said, and the cost will be met "
          "from the existing budget without any increase in local fees for the coming year.</p>"
          "<p>Readers welcomed the decision, though some asked why weekend hours were not "
          "extended as well, a question the council promised to answer at its next meeting.</p>")


def test_separators_inside_numbers_are_not_punctuation():
    # A quote-table row has commas and points only inside numbers: chrome, not prose.
    page = parse_page("<html><body><table><tr><td>Index</td><td>11,879.90</td>"
                      "<td>+56.38</td><td>0.48%</td></tr></table>"
                      "<p>Prices rose 2.5% in May, up from 1,200 units.</p></body></html>")
    row, sentence = collect_blocks(page.body)
    assert row.punct == 0
    assert block_value(row) < 0
    assert sentence.punct == 2  # the comma and the final stop; not "2.5" or "1,200"


def test_standfirst_is_found_across_a_byline_and_time_stamp():
    html = ("<html><body><div class='head'><h1>Library hours extended</h1>"
            "<h2>The council agreed to longer opening hours after months of requests.</h2></div>"
            "<div class='meta'><p>By Jane Roe</p><p>10:48AM GMT 15 Mar 2024</p></div>"
            f"<div class='body'>{_PROSE}</div></body></html>")
    paragraphs = extract(html).paragraphs
    assert paragraphs[0] == ("The council agreed to longer opening hours after months of "
                             "requests.")
    assert "By Jane Roe" not in paragraphs
