"""Issue 15 failure classes, second part: leaks after the article and wrong containers
(self-written pages reproducing the structures; no class/id vocabulary helps in them)."""

from __future__ import annotations

from helpers import FLOOD_PARAS as _PARAS
from helpers import flood_article as _article
from helpers import flood_page as _page

from newsharvest.extract import extract


def test_photo_gallery_slides_after_the_article_are_dropped():
    slides = "".join(
        f"<div class='slide'><img src='s{i}.jpg'><p>{i}/12 {text}</p></div>"
        for i, text in enumerate([
            "Sandbags stacked along the high street on the morning of the second flood.",
            "Volunteers from the lower town fill bags in the church hall, late at night.",
            "The old wall, built in 1952, gave way in two places during the storm.",
            "Engineers inspect the river bed where the first gate will be lowered.",
        ], start=1))
    html = _page(f"<div class='body'>{_article()}<div class='gal'>{slides}</div></div>")
    assert list(extract(html).paragraphs) == _PARAS


def test_more_from_site_teaser_cards_with_a_label_are_dropped():
    cards = "".join(
        f"<div class='card'><span class='kicker'>{label}</span>"
        f"<h3><a href='/s{i}'>{head}</a></h3><p>{summary}</p></div>"
        for i, (label, head, summary) in enumerate([
            ("Politics", "Mayor faces vote on bus lanes",
             "Councillors will decide next week whether the new lanes stay."),
            ("Weather", "Cold snap to last until the weekend",
             "Forecasters expect frost in the valleys and snow on high ground."),
            ("Sport", "United through to the cup semi-final",
             "A late goal settled a tense evening at the riverside ground."),
        ]))
    html = _page(f"<div class='body'>{_article()}<div class='more'><h2>Elsewhere at The "
                 f"Valley Post</h2>{cards}</div></div>")
    assert list(extract(html).paragraphs) == _PARAS


def test_counted_lines_that_are_no_gallery_stay():
    from newsharvest.extract.blocks import Block
    from newsharvest.extract.panels import drop_slide_captions

    def block(text: str) -> Block:
        return Block(text=text, tokens=5, link_tokens=0, punct=0, tag="li", ancestors=(),
                     ancestor_tags=(), node=None)  # type: ignore[arg-type]

    recipe = [block("1/2 cup butter"), block("2/3 cup sugar"), block("3 eggs")]
    drop_slide_captions(recipe)
    assert len(recipe) == 3
    gallery = [block("Intro."), block("1/610月13日 白鹤觅食"), block("2/6 小天鹅"), block("3/6 白琵鹭")]
    drop_slide_captions(gallery)
    assert [b.text for b in gallery] == ["Intro."]


_COMMENT = ("I grew up in the lower town and I remember the floods of 1998 very well, when the "
            "water reached the second step of the church, and my father spent three nights "
            "moving furniture upstairs while my mother made soup for the neighbours, who had "
            "lost everything; nobody then talked about barriers, only about luck, and I am glad "
            "the council finally listens, even if the upper villages grumble about the cost, "
            "because a town that floods every winter cannot keep its shops, its school or its "
            "young people, and we have already lost too many of all three over the years.")


def test_a_long_sidebar_description_does_not_replace_a_short_post():
    post = "".join(f"<p>{p}</p>" for p in _PARAS[:2])
    about = f"<div class='about-me'><h4>About this blog</h4><p>{_COMMENT}</p></div>"
    html = _page(f"<div class='main-col'><div class='entry'>{post}</div></div>"
                 f"<div class='side-col'>{about}</div>")
    paragraphs = extract(html).paragraphs
    assert list(paragraphs) == _PARAS[:2]


def test_a_long_reader_comment_does_not_replace_a_short_post():
    # Post and comments sit in different columns; the one long comment outweighs the post.
    post = "".join(f"<p>{p}</p>" for p in _PARAS[:2])
    comments = (f"<div class='responses'><div class='r'><b>Ann</b> <span>12 March</span>"
                f"<p>{_COMMENT}</p><p>{_COMMENT.replace('lower town', 'old mill')}</p></div>"
                "<div class='r'><b>Bob</b><p>Great post, thanks!</p></div></div>")
    links = "<div class='row'>" + " ".join(
        f"<a href='/t{i}'>Local weather traffic and events update number {i}</a>"
        for i in range(12)) + "</div>"
    html = ("<html><head><title>Flood barrier vote</title></head><body>"
            f"<div class='wrap'><h1>Flood barrier vote</h1><div class='entry'>{post}</div>"
            f"{links}</div><div class='lower'>{comments}</div></body></html>")
    paragraphs = extract(html).paragraphs
    assert list(paragraphs) == _PARAS[:2]


def _linked_items(prefix: str, n: int) -> str:
    return "".join(f"<li><a href='/{prefix}{i}'>{prefix.title()} story number {i} about the "
                   f"valley</a></li>" for i in range(n))


def test_a_related_panel_inside_the_article_does_not_end_it():
    # A "Related" box of linked headlines between two parts of the text: the box goes,
    # the text after it stays; the panels and the author note after the article do not.
    bio = ("Jane Miller has covered the river valley for the paper since 2004 and writes about "
           "local politics, transport and the environment for the weekend edition.")
    body = (f"<p>{_PARAS[0]}</p><p>{_PARAS[1]}</p><p>{_PARAS[2]}</p>"
            f"<div class='box'><h3>Related</h3><ul>{_linked_items('flood', 3)}</ul></div>"
            f"<p>{_PARAS[3]}</p>")
    after = (f"<h3>Further Reading</h3><div class='box'><ul>{_linked_items('more', 4)}</ul>"
             f"</div><h3>About the author</h3><div class='box'><div>{bio}</div></div>")
    html = _page(f"<div class='col'><article>{body}</article>{after}</div>")
    assert list(extract(html).paragraphs) == _PARAS


_EXCERPTS = [
    ("Town hall", "Why the bus depot is moving",
     "The depot has been in the old brewery since 1961. The council wants the land for "
     "housing, and the drivers want a canteen; both may get what they asked for."),
    ("Weather", "What a wet winter does to the orchards",
     "Growers say the fruit will be late but sweet. The cold nights in March matter more "
     "than the rain, and those are still to come, one of them told us."),
    ("Sport", "The rowing club's hundred years",
     "The club was founded by six mill workers in 1925. It now has three hundred members, "
     "a new boat house and, for the first time, a women's eight."),
]


def test_dressed_teaser_cards_after_the_article_are_dropped():
    # "More from the site" cards: label, linked headline, an excerpt of a few sentences,
    # the author and a "Read more" link, each card in its own container.
    cards = "".join(
        f"<div class='c'><a href='/s/{i}'>{label}</a><h4><a href='/p/{i}'>{head}</a></h4>"
        f"<p>{summary}</p><p><a href='/a/{i}'>Jo Reed</a></p><p>March {i + 2}, 2020</p>"
        f"<a href='/p/{i}'>Read more</a></div>"
        for i, (label, head, summary) in enumerate(_EXCERPTS))
    html = _page(f"<div class='post'>{_article()}<div class='more'>{cards}</div></div>")
    assert list(extract(html).paragraphs) == _PARAS


def test_a_list_of_dressed_items_that_is_the_article_stays():
    # The same structure making up the post itself (a listicle): nothing before it
    # outweighs it, so it is the article, not a rail of teasers.
    items = "".join(
        f"<div class='c'><h4><a href='/p/{i}'>{head}</a></h4><p>{summary}</p>"
        f"<a href='/p/{i}'>Read more</a></div>"
        for i, (_, head, summary) in enumerate(_EXCERPTS))
    html = _page(f"<div class='post'><p>Three stories from the valley this week.</p>"
                 f"{items}</div>")
    paragraphs = extract(html).paragraphs
    assert all(summary in paragraphs for _, _, summary in _EXCERPTS)


def test_an_author_card_above_the_article_is_dropped():
    card = ("<div class='author-info'><img src='a.jpg'> Jane Miller is a professor of public "
            "law at the river university.<br><a href='/a/jm'>All posts by Jane Miller</a></div>")
    html = _page(f"<div class='post'>{card}{_article()}</div>")
    assert list(extract(html).paragraphs) == _PARAS


def test_a_video_player_overlay_title_is_no_text():
    player = ("<div class='player-overlay'><span class='player-overlay__title'>Residents on the "
              "barrier vote, in their own words</span><button>Close</button></div>")
    html = _page(f"<div class='post'>{player}{_article()}</div>")
    assert list(extract(html).paragraphs) == _PARAS


def test_a_standfirst_in_a_card_box_above_the_article_stays():
    lead = "The valley votes next month on how to pay for its new flood barrier."
    html = _page(f"<div class='post'><div class='lead-card'><p>{lead}</p></div>"
                 f"<div class='body'>{_article()}</div></div>")
    assert extract(html).paragraphs[0] == lead


def test_a_report_dialog_around_a_form_goes_with_the_form():
    """A report-abuse dialog after the article: title, an error line, one instruction
    sentence and the form. The form asks for the reader's words, so it goes; the lines
    around it are the same widget (they add next to no text of their own) and go too."""
    dialog = ("<div class='m-fly'><div class='mh'><h2>Report this content</h2></div>"
              "<div class='ft'>Sorry!</div><div class='fb'>Something went wrong. Try again."
              "</div><div class='mc'><div class='c'><p>Help us keep the discussion civil by "
              "reporting any posts that break the house rules of this community.</p>"
              "<form><label>Pick a reason</label><select><option>Spam</option></select>"
              "<label>Paste the post here</label><textarea></textarea></form></div></div>"
              "</div>")
    html = _page(f"<div class='body'>{_article()}{dialog}</div>")
    paragraphs = extract(html).paragraphs
    assert paragraphs[-1] == _PARAS[-1]
    assert not any("house rules" in p or p == "Sorry!" for p in paragraphs)


def test_thumbnail_summaries_after_a_panel_heading_do_not_keep_the_panel_open():
    """A "Most Popular" rail whose headlines, labels and bylines were removed as links
    leaves each card's picture and summary. The summaries read like prose, but a text
    that shares its box with a picture is a card or a caption, not the article going on
    after the panel heading: the heading ends the article."""
    summaries = [
        "A small town decided to pay for shared taxi rides instead of running buses, and "
        "it worked so well that fares must now go up.",
        "A private company plans to start building a fast train between two big cities "
        "next year, but the farmers along the line have a new argument.",
    ]
    rail = "".join(f"<li><a href='/s{i}'><img src='t{i}.jpg'></a><div><p>{text}</p></div>"
                   "</li>" for i, text in enumerate(summaries))
    html = _page(f"<div class='body'>{_article()}<h2>Most Popular</h2><ol>{rail}</ol>"
                 "</div>")
    paragraphs = extract(html).paragraphs
    assert paragraphs[-1] == _PARAS[-1]


def test_a_confirmation_form_of_buttons_goes():
    """A comment widget's delete confirmation: a form holding one question and two
    buttons, no field. Buttons ask the reader to act: the form is a widget."""
    confirm = ("<form class='del'><div class='intro'>Are you sure about this?</div><div>"
               "<button type='button'>Delete</button><button type='button'>Cancel</button>"
               "</div></form>")
    html = _page(f"<div class='body'>{_article()}{confirm}</div>")
    paragraphs = extract(html).paragraphs
    assert paragraphs[-1] == _PARAS[-1]


def test_an_authors_note_followed_by_a_support_link_goes():
    """A serial's chapter ends with the author's note (a box named for the author), then
    a short "Support the author" heading and a "Patreon" line. Those lines are chrome and
    go at the end; the note before them is at the end of the text too, and goes."""
    note = ("<div class='author-note'><p>Notes: do you know how different the etiquette in "
            "a sauna can be from one country to the next? I never think about it until the "
            "story needs it.</p><p>Other Alden is a small red dragon who never gets a scene "
            "of her own, though she has her own splashing pool.</p></div>")
    support = "<h5>Support the author</h5><div><a href='/p'>Patreon</a></div>"
    html = _page(f"<div class='body'>{_article()}{note}{support}</div>")
    paragraphs = extract(html).paragraphs
    assert paragraphs[-1] == _PARAS[-1]
