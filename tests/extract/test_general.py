"""Failure classes seen on pages nobody tuned the extractor for (issue 15), one self-written
page per class, each reproducing the structure that failed: hidden second copies, posts
inside templates, ruby readings, <br>-split verse, lines after photos, the trafilatura
fallback's precision mode, and a container chosen wrongly."""

from __future__ import annotations

import pytest
from helpers import FLOOD_PARAS as _PARAS

from newsharvest.extract import candidates, extract
from newsharvest.extract.blocks import collect_blocks
from newsharvest.extract.parse import parse_page


def _article(paras: list[str] = _PARAS) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


def _page(body: str, head: str = "") -> str:
    nav = "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
    return (f"<html><head><title>Flood barrier vote</title>{head}</head><body>{nav}"
            f"<h1>Flood barrier vote</h1>{body}<footer>Copyright 2025 Example</footer>"
            "</body></html>")


@pytest.mark.parametrize("hider", [
    "<div style='display:none' class='print-copy'>{}</div>",
    "<div hidden class='share-copy'>{}</div>",
    "<div itemscope itemtype='https://schema.org/NewsArticle'>"
    "<div itemprop='articleBody'>{}</div></div>",
    # Hidden two ways: lexbor lists the element once per selector it matches (crashed).
    "<div hidden style='display:none' aria-hidden='true' class='copy'>{}</div>",
])
def test_a_hidden_second_copy_does_not_double_the_body(hider: str):
    # Both copies sit in one wrapper, the copy plain text, the article in <p>s.
    copy = hider.format(" ".join(_PARAS))
    html = _page(f"<div class='story'><div class='text'>{_article()}</div>{copy}</div>")
    paragraphs = extract(html).paragraphs
    assert list(paragraphs) == _PARAS


def test_a_hidden_tab_that_is_no_copy_stays():
    tab = "<div style='display:none' class='tab'><p>" + _PARAS[3] + "</p></div>"
    html = _page(f"<div class='story'>{_article(_PARAS[:3])}{tab}</div>")
    assert _PARAS[3] in extract(html).paragraphs


def test_a_post_inside_a_filled_in_template_is_extracted():
    template = ("<script type='text/template' id='post'><article>" + _article() +
                "</article></script>")
    widget = "<script type='text/template' id='row'><li>{{ title }}</li></script>"
    html = _page(f"<div id='app'>Loading…</div>{template}{widget}")
    assert list(extract(html).paragraphs) == _PARAS


def test_ruby_readings_are_not_glued_into_the_text():
    html = _page("<div class='story'><p><ruby>法律<rp>(</rp><rt>ほうりつ</rt><rp>)</rp></ruby>"
                 "では<ruby>虐待<rt>ぎゃくたい</rt></ruby>をした親に専門家が子どもの育て方を"
                 "教えることも決まりました。</p>" + _article() + "</div>")
    first = extract(html).paragraphs[0]
    assert first.startswith("法律では虐待をした親に")
    assert "ほうりつ" not in first and "(" not in first


def test_verse_split_by_br_is_not_trimmed_as_chrome():
    lines = [f"Line {i} of the song about the river and the rain" for i in range(1, 13)]
    verse = "<br>".join(lines)
    html = _page(f"<div class='post'><p>{_PARAS[0]}</p><p>{verse}</p></div>")
    paragraphs = extract(html).paragraphs
    assert paragraphs[0] == _PARAS[0]
    assert list(paragraphs[1:]) == lines


def test_lines_after_photos_set_like_the_post_are_text():
    # A blog that centres every line and puts a photo between lines of the post.
    photo = "<div style='text-align:center'><img src='p{}.jpg'></div>"
    lines = ["Here the first gate is lowered into the river bed, a job that took the crews "
             "most of the week.", "The old wall, which the barrier replaces, was built in "
             "1952 and last repaired after the floods of 1998.", "Volunteers from the lower "
             "town filled sandbags in the church hall for three nights running.", "Come spring, "
             "the meadows upstream will hold the water that used to reach the high street."]
    parts = [f"<div style='text-align:center'>{para}</div>" for para in _PARAS]
    for i, line in enumerate(lines):
        parts.append(photo.format(i))
        parts.append(f"<div style='text-align:center'>{line}</div>")
    html = _page("<div class='post-body'>" + "".join(parts) + "</div>")
    assert list(extract(html).paragraphs) == _PARAS + lines


def test_a_real_caption_is_still_dropped():
    body = (f"<div class='story'><p>{_PARAS[0]}</p><div><img src='a.jpg'></div>"
            "<p class='img-desc'>The lower town under water in January.</p>"
            + _article(_PARAS[1:]) + "</div>")
    paragraphs = extract(_page(body)).paragraphs
    assert "The lower town under water in January." not in paragraphs
    assert list(paragraphs) == _PARAS


def test_the_fallback_asks_trafilatura_without_precision_mode(monkeypatch: pytest.MonkeyPatch):
    import trafilatura

    seen: dict[str, object] = {}

    def fake_extract(html: str, **kwargs: object) -> str:
        seen.update(kwargs)
        return "\n".join(_PARAS)

    monkeypatch.setattr(trafilatura, "extract", fake_extract)
    blocks = candidates.trafilatura_blocks("<html><body><p>x</p></body></html>", None)
    assert [b.text for b in blocks] == _PARAS
    assert not seen.get("favor_precision")


def test_readability_scoring_finds_the_paragraph_container():
    page = parse_page(_page("<div class='side'><p>Subscribe to our newsletter today.</p></div>"
                            f"<div class='story'>{_article()}</div>"))
    chosen = candidates.readability_blocks(collect_blocks(page.body))
    assert [b.text for b in chosen] == _PARAS


def test_agreement_picks_the_pair_that_agrees():
    ours = ["Sign up for our newsletter and get the best stories every morning."]
    other = list(_PARAS)
    assert candidates.pick_by_agreement([ours, other, other[:3] + ["Share this"]]) == 1
    # ours confirmed by one method stays, whatever the other says
    assert candidates.pick_by_agreement([other, other, ours]) == 0
    # with one other method: taken only when it holds ours and much more
    assert candidates.pick_by_agreement([other[:1], other]) == 1
    assert candidates.pick_by_agreement([other[:3], other]) == 0


def test_wrong_container_standfirst_only_is_outvoted():
    # The body paragraphs sit one per card between long rows of links, so no element
    # holding them beats the standfirst box by the prose-minus-links score.
    links = "<div class='row'>" + " ".join(
        f"<a href='/t{i}'>Local weather traffic and events update number {i}</a>"
        for i in range(6)) + "</div>"
    body = "".join(f"<div class='c'><div class='t'><p>{p}</p></div></div>{links}"
                   for p in _PARAS)
    standfirst = ("<div class='intro'><p>Councillors weighed on Tuesday how to pay for the "
                  "new flood barrier, after three floods in one winter; residents spoke at "
                  "length, and the treasurer said the first stage would cost less than "
                  "feared, because the steel was bought early.</p>"
                  "<p>By Jane Roe, 12 March 2025</p></div>")
    html = _page(f"{standfirst}<div class='main'>{body}</div>")
    paragraphs = extract(html).paragraphs
    assert all(p in paragraphs for p in _PARAS)


def test_a_list_of_links_the_text_announces_is_kept():
    picks = ["Stanley flask, which kept tea hot all night", "Hunter wellies for the wet shifts",
             "a Petzl head torch to see the bags by"]
    listing = "<ol>" + "".join(f"<li><a href='/p{i}'>{p}</a></li>" for i, p in enumerate(picks)) \
        + "</ol>"
    popular = "<h3>Most read</h3><ol>" + "".join(
        f"<li><a href='/m{i}'>Story number {i} that everyone is reading today</a></li>"
        for i in range(4)) + "</ol>"
    html = _page(f"<div class='story'>{_article()}<p>What the volunteers swore by:</p>"
                 f"{listing}<p>{_PARAS[0]} Prices were checked on Monday.</p>{popular}</div>")
    paragraphs = extract(html).paragraphs
    assert list(paragraphs[5:8]) == picks
    assert not any("everyone is reading" in p for p in paragraphs)


def test_mathml_formulas_stay_in_the_text():
    formula = ("<math><semantics><mrow><mi>Q</mi><mo>=</mo><mi>v</mi><mi>A</mi></mrow>"
               "<annotation encoding='application/x-tex'>Q = vA</annotation></semantics></math>")
    html = _page(f"<div class='story'>{_article()}<p>The engineers put the flow at {formula} "
                 "at the weir, where v is the speed of the water.</p></div>")
    assert extract(html).paragraphs[-1] == ("The engineers put the flow at Q=vA at the weir, "
                                            "where v is the speed of the water.")


def test_a_post_made_mostly_of_links_is_kept():
    paras = [
        "This week <a href='/a'>the river council voted to fund the flood barrier</a>, "
        "<a href='/b'>the engineers published their survey of the gates</a>, and "
        "<a href='/c'>the fishing club asked for a study of the grounds downstream</a>.",
        "Elsewhere, <a href='/d'>the lower town's shops reopened after the second flood</a>; "
        "<a href='/e'>volunteers counted the sandbags they filled over three nights</a>, and "
        "<a href='/f'>the school moved its exams to the church hall upstairs</a>.",
        "Finally, <a href='/g'>the mayor answered readers' questions about the cost</a>, "
        "<a href='/h'>a historian recalled the floods of 1952 and 1998</a>, and "
        "<a href='/i'>the weather service promised better warnings next winter</a>.",
    ]
    archive = "<div class='col'><ul>" + "".join(
        f"<li><a href='/x{i}'>Archive month {i}</a></li>" for i in range(12)) + "</ul>" \
        "<p>Written by a river fan who has lived in the lower town for thirty years, and " \
        "who writes here, most weeks, about floods, weather, the council and local news " \
        "for neighbours, with photographs of the river in every season of the year and " \
        "notes from the council's meetings.</p></div>"
    html = _page(f"<div class='post'>{''.join(f'<p>{p}</p>' for p in paras)}</div>{archive}")
    paragraphs = extract(html).paragraphs
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("This week the river council voted")
    assert not any("Archive month" in p or "river fan" in p for p in paragraphs)
