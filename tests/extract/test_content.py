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


def _islands_all_pairs(inside, chosen, scores, tokens) -> list[bool]:
    """The plain definition: per block, the first island below the chosen element."""
    from newsharvest.extract.content import ISLAND_BLOCKS, ISLAND_SCORE

    counts: dict[int, int] = {}
    for block in inside:
        for ancestor in block.ancestors:
            counts[ancestor] = counts.get(ancestor, 0) + 1
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
            if tag in ("ul", "ol", "table", "tbody", "dl") and not linky:
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
        tags = {n: rnd.choice(["div", "ul", "table", "section", "p"]) for n in parent}
        inside = []
        for _ in range(rnd.randint(1, 80)):
            node, chain = rnd.choice(list(parent)), []
            while node:
                chain.insert(0, node)
                node = parent[node]
            chain.insert(0, 0)
            inside.append(Block(text="x", tokens=1, link_tokens=0, punct=0, tag="p",
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
