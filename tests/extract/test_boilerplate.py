"""Removal before content location: forms asking the reader for input, hidden panels."""

from __future__ import annotations

from newsharvest.extract import extract
from newsharvest.extract.boilerplate import remove_input_forms
from newsharvest.extract.parse import parse_page
from newsharvest.records import SiteRules

_ARTICLE = ("<h1>Ferry timetable changes</h1>"
            "<p>The ferry operator will add two evening crossings from next week, a change it "
            "said would ease queues at the harbour during the busy summer months ahead.</p>"
            "<p>Passengers have complained for years about the gap between the last two "
            "sailings, and the local council had asked the operator to act before July.</p>"
            "<p>The operator said the new crossings would run until the end of September and "
            "that it would review demand then, before publishing the winter timetable.</p>")
_RULES = ("<form action='/post'><p>Comments are limited to 300 characters and are removed "
          "after three days, so please keep them short and polite.</p>"
          "<p>Posts that attack other readers, advertise, or repeat earlier posts will be "
          "deleted by the moderators without notice.</p><textarea name='c'></textarea></form>")


def test_comment_form_and_its_rules_are_removed():
    out = extract(f"<html><body><div class='story'>{_ARTICLE}{_RULES}</div></body></html>")
    assert not any("moderators" in p or "300 characters" in p for p in out.paragraphs)
    assert any("evening crossings" in p for p in out.paragraphs)


def test_a_form_wrapping_the_whole_page_stays():
    # Old portals put the entire page in one <form> with a search box and a comment field.
    page = parse_page(f"<html><body><form id='page'><input type='text' name='q'>{_ARTICLE}"
                      "<textarea name='c'></textarea></form></body></html>")
    assert remove_input_forms(page, SiteRules()) == 0
    assert page.tree.css_first("form") is not None


def test_search_form_is_not_an_input_form():
    page = parse_page(f"<html><body><form><input type='text' name='q'><p>Search the archive "
                      f"of stories</p></form>{_ARTICLE}</body></html>")
    assert remove_input_forms(page, SiteRules()) == 0


def test_panel_hidden_by_a_utility_class_is_removed_but_responsive_one_stays():
    wall = ("<div class='article-extra hidden'><p>Create an account or sign in to keep reading, "
            "and enjoy unlimited access to every story, puzzle and newsletter we publish.</p>"
            "</div>")
    wide = ("<div class='d-none d-lg-block'><p>The crossings will be timed to meet the last "
            "trains from the city, the operator said, so that commuters can get home.</p></div>")
    out = extract(f"<html><body><div class='story'>{_ARTICLE}{wall}{wide}</div></body></html>")
    assert not any("Create an account" in p for p in out.paragraphs)
    assert any("last trains" in p for p in out.paragraphs)


def test_a_list_hidden_only_on_small_screens_is_shown_text():
    # "hidden-xs": hidden on phones, shown everywhere else; the feature list is the page.
    features = ("<ul class='hidden-xs'><li>Quickly move files and photos between the two "
                "systems</li><li>Run the office suite side by side with the mail client</li>"
                "<li>Share the clipboard and the printer</li></ul>")
    out = extract(f"<html><body><div class='story'>{_ARTICLE}{features}</div></body></html>")
    assert "Share the clipboard and the printer" in out.paragraphs
    hidden = extract(f"<html><body><div class='story'>{_ARTICLE}"
                     f"{features.replace('hidden-xs', 'hidden-panel')}</div></body></html>")
    assert "Share the clipboard and the printer" not in hidden.paragraphs


def test_a_call_to_action_box_after_the_article_is_removed():
    cta = ("<div class='cta'><h3>Packaging is hard, and you cannot afford mistakes</h3>"
           "<p>From fast builds that save you time, to checks that keep you safe, how can you "
           "quickly learn what you need to ship your application?</p>"
           "<p>Take the fast path: use the <a href='/c'>production checklist</a>.</p>"
           "<p>Join over 1800 developers learning practical tools, from packaging to testing, "
           "with a free new article in your inbox every week.</p></div>")
    out = extract(f"<html><body><div class='story'>{_ARTICLE}{cta}</div></body></html>")
    assert len(out.paragraphs) == 3 and "evening crossings" in out.paragraphs[0]


def test_a_plea_for_support_is_a_notice_but_prose_about_support_is_not():
    from newsharvest.extract.paragraphs import is_boilerplate_line

    assert is_boilerplate_line("If you enjoyed reading this post – would you consider "
                               "supporting our work? Just click here. Thanks!")
    assert is_boilerplate_line("Please consider supporting us with a small monthly donation.")
    assert not is_boilerplate_line("The charity asked residents to consider supporting the "
                                   "food bank over the winter.")


def test_pages_of_a_paged_article_hidden_by_a_class_stay():
    # A listicle paged by a script: the first section shown, the others class "hidden";
    # their text is the article. A hidden panel that is no page of a series still goes.
    sections = "".join(
        f"<div class='page-section{' hidden' if i else ''}'><h2>{i + 1}. {name}</h2>"
        f"<p><span>{text}</span></p></div>"
        for i, (name, text) in enumerate([
            ("A honest laundry bag", "This clever design is for those who are honest about "
             "their laundry, and it turns any laundry day into a small joy. The bag is sewn "
             "from heavy cotton, holds two full loads, and folds into a pocket of its own, "
             "so it can travel to the launderette and back without taking up any room."),
            ("A pin for trying", "This little pick-me-up reminds you that trying is half the "
             "battle, and you can give a few away to friends. Kids, adults and anyone in "
             "between know the joy of being noticed for the effort they made, even when the "
             "result was not the one they wanted."),
            ("A mug that waits", "It keeps the tea warm for an hour, which is about as long as "
             "any meeting should last, and it is dishwasher safe. The lid seals well enough "
             "for a bag, the handle fits a large hand, and the enamel does not chip when it "
             "falls on the kitchen floor."),
        ]))
    panel = "<div class='login hidden'><p>Sign in to save your favourite items.</p></div>"
    out = extract(f"<html><body><h1>Gifts</h1><div class='story'>{sections}</div>{panel}"
                  "</body></html>")
    text = "\n".join(out.paragraphs)
    assert "dishwasher safe" in text and "trying is half the battle" in text
    assert "Sign in" not in text
