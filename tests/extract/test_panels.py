"""Panels recognised over several blocks: teaser cards (linked headline + summary)."""

from __future__ import annotations

from newsharvest.extract.blocks import collect_blocks
from newsharvest.extract.paragraphs import clean_paragraphs
from newsharvest.extract.parse import parse_page

_BODY = ("<p>The city will close the old bridge for repairs in May, the transport office said "
         "on Monday, and traffic will be sent over the ring road for six weeks.</p>"
         "<p>Engineers found cracks in two of the supports last year; the repair was planned "
         "for the autumn but was brought forward after a second inspection.</p>")


def _card(title: str, summary: str) -> str:
    return (f"<div class='item'><img src='x.jpg'><h3><a href='/s/{len(title)}'>{title}</a></h3>"
            f"<p>{summary}</p></div>")


def _clean(html: str) -> list[str]:
    page = parse_page(f"<html><body><main>{html}</main></body></html>")
    return clean_paragraphs(collect_blocks(page.body)).paragraphs


def test_a_rail_of_teaser_cards_is_dropped():
    rail = (_card("Schools reopen after the storm", "Pupils returned on Tuesday, a week after "
                  "the storm, though two buildings stay shut.")
            + _card("Market hall gets a new roof", "The council approved the repair, which "
                    "will take most of the summer to finish."))
    out = _clean(f"<article>{_BODY}</article><section>{rail}</section>")
    assert len(out) == 2 and out[0].startswith("The city will close")


def test_one_linked_subheading_over_a_paragraph_stays():
    section = _card("What the closure means for drivers", "Drivers should allow an extra "
                    "twenty minutes, the office said, and use the park-and-ride.")
    out = _clean(f"<article>{_BODY}{section}</article>")
    assert any(p.startswith("Drivers should allow") for p in out)


def test_live_blog_entries_with_linked_stamps_are_not_cards():
    titles = ["Road reopened near the bridge", "Buses back on the coast route",
              "Ferry services resume"]
    entries = "".join(
        f"<section><header><a href='#e{n}'>{n}m ago</a><h2>{title}</h2></header>"
        f"<p>Update {n}: crews say the work is done, though one lane stays shut for now.</p>"
        "</section>" for n, title in zip((5, 20, 45), titles, strict=True))
    out = _clean(entries)
    assert all(title in out for title in titles)
