"""Text joining: block elements separate, inline elements join, Han text gets no spaces."""

from __future__ import annotations

from newsharvest.extract.blocks import collect_blocks
from newsharvest.extract.parse import parse_page
from newsharvest.text.scripts import count_tokens


def texts(html: str) -> list[str]:
    page = parse_page(f"<html><body>{html}</body></html>")
    return [b.text for b in collect_blocks(page.body)]


def test_block_boundaries_separate_words_seed_004():
    # The naive join in seed 004 produced "oathInaugurated" and "agreementOriginally".
    out = texts("<h2>Cooperate with Trump's oath</h2><p>Inaugurated as the 47th President</p>"
                "<div>cooperation <a href='/x'>agreement</a></div><div>Originally, OpenAI</div>")
    assert out == ["Cooperate with Trump's oath", "Inaugurated as the 47th President",
                   "cooperation agreement", "Originally, OpenAI"]


def test_inline_elements_keep_source_spacing():
    assert texts("<p>The <a href='#'>Stargate</a> project, by <b>Open</b>AI.</p>") == [
        "The Stargate project, by OpenAI."]


def test_no_space_invented_between_han_characters():
    # A line break in the source between Han characters is not a space (CSS Text 3).
    assert texts("<p>配合川普\n<a href='#'>宣誓</a>就职，\n举行典礼。</p>") == ["配合川普宣誓就职，举行典礼。"]


def test_author_typed_space_in_chinese_is_kept():
    assert texts("<p>北京 上海</p>") == ["北京 上海"]


def test_br_splits_paragraphs_and_table_rows_are_paragraphs():
    out = texts("<div>第一段。<br><br>第二段。</div>"
                "<table><tr><th>Year</th><th>GW</th></tr><tr><td>2025</td><td>10</td></tr></table>")
    assert out == ["第一段。", "第二段。", "Year GW", "2025 10"]


def test_scripts_styles_and_comments_are_not_text():
    out = texts("<p>Body<script>var a='忽略';</script><style>p{}</style><!-- x --> text</p>")
    assert out == ["Body text"]


def test_link_density_and_tokens():
    page = parse_page("<ul><li><a href='/1'>相关新闻一则</a></li></ul><p>正文 text here</p>")
    link, prose = collect_blocks(page.body)
    assert link.link_density == 1.0
    assert prose.link_density == 0.0
    assert count_tokens("正文 text here, 2025") == 5


def test_heading_inside_a_card_link_is_a_link_but_prose_in_an_open_anchor_is_not():
    page = parse_page("<a href='/story/2'><div><h3>Council approves a new plan for the "
                      "harbour front and its old warehouses</h3></div></a>"
                      "<a href='/x'><p>A long paragraph of prose that an unclosed anchor "
                      "happens to wrap, as old pages often do, keeps counting as text.</p></a>")
    card, prose = collect_blocks(page.body)
    assert card.link_density == 1.0
    assert prose.link_density == 0.0
