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


def _islands_all_pairs(inside, chosen, scores, tokens) -> list[bool]:
    """The plain definition: per block, the first island below the chosen element (a data
    box stops the search; a box opening with a sentence of prose is no island)."""
    from newsharvest.extract.content import (
        _ITEM_TAGS,
        HEADING_TAGS,
        ISLAND_BLOCKS,
        ISLAND_PROSE_TOKENS,
        ISLAND_SCORE,
        STRUCTURED_LINK_SHARE,
        STRUCTURED_MIN_ITEMS,
    )

    counts: dict[int, int] = {}
    items: dict[int, int] = {}
    headed: set[int] = set()
    opened: dict[int, object] = {}
    for block in inside:
        for ancestor in block.ancestors:
            counts[ancestor] = counts.get(ancestor, 0) + 1
            opened.setdefault(ancestor, block)
            if block.tag in _ITEM_TAGS or "li" in block.ancestor_tags[-3:]:
                items[ancestor] = items.get(ancestor, 0) + 1
            elif block.tag in HEADING_TAGS:
                headed.add(ancestor)
    structured = {a for a, n in items.items()
                  if a in headed and n >= STRUCTURED_MIN_ITEMS and 2 * n >= counts[a]
                  and tokens[a][1] <= STRUCTURED_LINK_SHARE * tokens[a][0]}
    bad = set()
    for block in inside:
        seen = False
        for ancestor, tag in zip(block.ancestors, block.ancestor_tags, strict=True):
            if ancestor in chosen:
                seen = True
                continue
            if not seen or counts.get(ancestor, 0) < ISLAND_BLOCKS:
                continue
            if scores.get(ancestor, 0.0) > ISLAND_SCORE:
                continue
            linky = tokens[ancestor][1] > 0.5 * tokens[ancestor][0]
            if tag in ("ul", "ol", "table", "tbody", "tr", "dl") and not linky:
                continue
            if ancestor in structured:
                break
            first = opened[ancestor]
            if (first.tokens >= ISLAND_PROSE_TOKENS and first.punct >= 2
                    and first.link_density < 0.3):
                continue
            bad.add(ancestor)
            break
    return [not bad.isdisjoint(b.ancestors) for b in inside]


def test_negative_islands_match_the_plain_definition() -> None:
    import random

    from newsharvest.extract.blocks import Block
    from newsharvest.extract.content import _mark_negative_islands

    rnd = random.Random(6)
    islands = 0
    for _ in range(200):
        # A random tree below element 1 (the chosen one), blocks at random nodes.
        parent = {1: 0}
        for node in range(2, rnd.randint(3, 60)):
            parent[node] = rnd.randrange(1, node)
        tags = {n: rnd.choice(["div", "ul", "table", "tr", "section", "p", "li"])
                for n in parent}
        inside = []
        for _ in range(rnd.randint(1, 80)):
            node, chain = rnd.choice(list(parent)), []
            while node:
                chain.insert(0, node)
                node = parent[node]
            chain.insert(0, 0)
            size = rnd.choice([1, 3, 25])
            inside.append(Block(text="x", tokens=size, link_tokens=rnd.choice([0, 0, size]),
                                punct=rnd.randint(0, 3), tag=rnd.choice(["p", "li", "h2"]),
                                ancestors=tuple(chain),
                                ancestor_tags=tuple(tags.get(a, "body") for a in chain),
                                node=None))
        scores = {n: float(rnd.randint(-20, 5)) for n in parent}
        tokens = {n: [rnd.randint(1, 20), rnd.randint(0, 20)] for n in [0, *parent]}
        expected = _islands_all_pairs(inside, {1}, scores, tokens)
        _mark_negative_islands(inside, {1}, scores, tokens)
        assert [b.island for b in inside] == expected
        islands += sum(expected)
    assert islands  # the trees do have islands
