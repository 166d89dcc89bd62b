"""Issue 15, lost text: lines set next to pictures that are the article, not captions, and
a recipe card at the end of a post that is no author card (self-written pages)."""

from __future__ import annotations

from helpers import FLOOD_PARAS as _PARAS
from helpers import flood_article as _article
from helpers import flood_page as _page

from newsharvest.extract import extract


def test_a_standfirst_heading_under_the_lead_photo_is_not_a_caption():
    deck = ("Whether you live in the lower town or the upper villages, the barrier will change "
            "how the valley pays for its river, and the vote is closer than it looks.")
    html = _page(f"<div class='post'><div class='lead'><img src='a.jpg'></div>"
                 f"<h2 class='deck'>{deck}</h2>{_article()}</div>")
    assert extract(html).paragraphs[0] == deck


_STEPS = ["Dice the tofu and pat it dry with paper towels.",
          "With two spoons of oil left in the wok, fry the garlic until fragrant.",
          "Add the noodles, then the sauce, and stir to mix well."]


def test_steps_of_a_list_each_with_its_photo_are_kept():
    steps = "".join(f"<li class='step'>{s}<img src='s{i}.jpg'></li>"
                    for i, s in enumerate(_STEPS))
    html = _page(f"<div class='post'>{_article()}<h3>Directions</h3><ul>{steps}</ul></div>")
    paragraphs = extract(html).paragraphs
    assert all(step in paragraphs for step in _STEPS)


def test_a_row_of_an_item_table_with_a_picture_is_kept():
    rows = "".join(
        f"<tr><td><img src='i{i}.png'>{name}</td><td>{what}</td><td>{where}</td></tr>"
        for i, (name, what, where) in enumerate([
            ("Mead", "A fermented drink made from honey.", "Keg"),
            ("Cider", "Pressed from the valley's late apples.", "Press"),
            ("Perry", "Like cider, but made from pears.", "Press"),
        ]))
    html = _page(f"<div class='post'>{_article()}<table><tbody>{rows}</tbody></table></div>")
    text = "\n".join(extract(html).paragraphs)
    assert "A fermented drink made from honey." in text and "Perry" in text


def test_a_recipe_card_ending_the_post_is_not_an_author_card():
    ingredients = "".join(f"<li>{i}</li>" for i in ("2 cups of flour", "1 cup of milk",
                                                      "3 eggs", "A pinch of salt"))
    steps = "".join(f"<li>{s}</li>" for s in _STEPS)
    card = (f"<div class='recipe-card'><h2>River pancakes</h2><h3>Ingredients</h3>"
            f"<ul>{ingredients}</ul><h3>Directions</h3><ol>{steps}</ol></div>")
    html = _page(f"<div class='post'>{_article()}{card}</div>")
    paragraphs = extract(html).paragraphs
    assert all(step in paragraphs for step in _STEPS)


def test_a_box_of_list_data_under_its_own_heading_is_kept():
    # Short unpunctuated lines score like chrome; under a heading, with no links, and
    # mostly list items, they are the post's data (an ingredient list with its details).
    items = ["Two cups of flour", "One cup of milk", "Three eggs", "A pinch of salt",
             "Butter for the pan", "Lemon and sugar"]
    box = ("<div class='box'><div class='meta'><span>Serves</span><span>4</span></div>"
           "<h3>Ingredients</h3><div class='list'><ul>"
           + "".join(f"<li><p>{i}</p></li>" for i in items) + "</ul></div></div>")
    html = _page(f"<div class='post'>{_article()}{box}<p>{_PARAS[0][:60]} again.</p></div>")
    paragraphs = extract(html).paragraphs
    assert all(item in paragraphs for item in items)


def test_a_bar_of_buttons_is_no_data_box():
    buttons = "".join(f"<li onclick='go({i})'>{b}</li>" for i, b in enumerate(
        ["Save to blog", "Start a topic", "Ask the author", "Print", "News home"]))
    html = _page(f"<div class='post'>{_article()}<div class='tools'><ul>{buttons}</ul></div>"
                 "</div>")
    assert list(extract(html).paragraphs) == _PARAS
