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


_CITED = ("The working group reviewed the <a href='/r1'>first draft</a> and the <a href='/r2'>"
          "second draft</a> of the protocol, as described in <a href='/r3'>section four</a>, "
          "and agreed that servers should answer every request within a fixed time.")


def test_an_article_part_that_cites_its_sources_is_taken_along():
    """A sibling part of the article whose sentences carry links (citations) joins: only
    link blocks (teaser headlines, menus) keep a sibling out, not links inside prose."""
    html = ("<html><body><div class='part'>" + _PROSE + "</div>"
            "<div class='part'><p>" + _CITED + "</p><p>" + _CITED.replace("first", "third")
            + "</p></div><div class='more'><h3><a href='/a'>Council plans new park</a></h3>"
            "<p>A short summary of another story about parks.</p><h3><a href='/b'>Roads to be "
            "resurfaced soon</a></h3><p>Another summary about the roads.</p></div>"
            "</body></html>")
    paragraphs = extract(html).paragraphs
    assert any(p.startswith("The working group reviewed the third draft") for p in paragraphs)
    assert "Council plans new park" not in paragraphs


def test_paragraphs_set_loose_next_to_the_article_box_join_it():
    """Old hand-written pages: a boxed lead (a table) and then the article's paragraphs
    loose in <body>. Each finished, nearly link-free sibling paragraph joins."""
    loose = "".join(f"<p>Paragraph {n} of the essay goes on about the players that would not "
                    f"install, and the author tried again the next day with no luck.</p>"
                    for n in range(1, 6))
    html = ("<html><body><p>My essay</p><div><table><tr><td>" + _PROSE * 3 + "</td></tr></table>"
            "</div>" + loose + "<p><a href='/'>Home</a> <a href='/more'>More essays</a></p>"
            "</body></html>")
    paragraphs = extract(html).paragraphs
    assert sum(p.startswith("Paragraph ") for p in paragraphs) == 5
    assert not any("More essays" in p for p in paragraphs)


def test_sub_headings_between_loose_article_parts_come_along():
    part = ("<p>The survey team walked the whole coast this spring, counting the nesting "
            "birds on every cliff, and found far more pairs than in any year before.</p>")
    html = ("<html><body><h1>Coast survey</h1>" + part + "<h2>The northern cliffs</h2>"
            + part.replace("spring", "summer") + "<h2>The southern bays</h2>"
            + part.replace("spring", "autumn") + "</body></html>")
    paragraphs = extract(html).paragraphs
    assert "The northern cliffs" in paragraphs
    assert "The southern bays" in paragraphs
