"""Text lost on pages nobody tuned the extractor for (issue 15): self-written pages, one per
failure class, each reproducing the structure that lost the text."""

from __future__ import annotations

from newsharvest.extract import extract

_LEAD = ("<p>The council published its yearly report on Monday, listing the projects it "
         "finished and the ones that slipped to next year, with the reasons for each.</p>")


def _page(body: str) -> str:
    return (f"<html><head><title>Yearly report</title></head><body><nav><a href='/'>Home</a> "
            f"<a href='/news'>News</a></nav><h1>Yearly report</h1><article>{_LEAD}{body}"
            "</article><footer>Copyright 2025 Example</footer></body></html>")


def test_a_data_table_whose_title_cells_are_links_keeps_every_row():
    """A table of text (films, years, synopses) where some rows are mostly their linked
    title: the table taken whole is text, so its rows stay."""
    rows = "".join(
        f"<tr><th><a href='/film{n}'>The Film Number {n}</a></th><td>19{60 + n}</td>"
        f"<td>A story of a day that repeats, told the {n}th way, with a twist at the end "
        "that nobody saw coming.</td></tr>" for n in range(1, 5))
    rows += ("<tr><th><a href='/film9'>Journey to the Centre of Time</a></th><td>1967</td>"
             "<td>Remake of <a href='/t'>The Time Travellers</a></td></tr>")
    paragraphs = extract(_page(f"<table>{rows}</table>")).paragraphs
    assert "Journey to the Centre of Time 1967 Remake of The Time Travellers" in paragraphs


def test_link_only_items_of_a_list_of_updates_stay():
    """A list of updates where most items are sentences and a few are only a link to a
    longer post: the list is text; a list of links from end to end is still a menu."""
    items = "".join(f"<li>The team fixed bug {n}, which made the window flicker when a "
                    "second profile was open at the same time.</li>" for n in range(4))
    updates = (f"<h3>Highlights</h3><ul><li><a href='/review'>Here is our Year in Review!</a>"
               f"</li>{items}</ul>")
    related = ("<h3>Elsewhere</h3><ul><li><a href='/a'>Budget talks stall again in the "
               "capital</a></li><li><a href='/b'>Rail strike called off after late "
               "offer</a></li></ul>")
    paragraphs = extract(_page(updates + related)).paragraphs
    assert "Here is our Year in Review!" in paragraphs
    assert not any("Budget talks" in p for p in paragraphs)


def test_a_short_link_closing_a_list_of_text_is_its_navigation():
    items = "".join(f"<li>Clinics in region {n} reported longer waits this winter, the "
                    "survey found, and asked for more staff.</li>" for n in range(4))
    paragraphs = extract(_page(f"<ul>{items}<li><a href='/more'>More coverage »</a></li>"
                               "</ul>")).paragraphs
    assert not any("More coverage" in p for p in paragraphs)


def test_a_photo_blog_line_mentioning_photography_is_not_a_credit():
    """攝影 inside a line of a photo blog is the word photography, not a credit: the line
    after each photo, set like the rest of the post, stays; a credit ("王某 攝") goes."""
    img = "<p style='text-align:center'><img src='p{}.jpg'></p>"
    line = "<p style='text-align:center'>{}</p>"
    post = "".join([
        img.format(1), line.format("每年十二月向來是攝影班外拍的好地方，楓紅期間遊客很多。"),
        line.format("我們一早就到了營地，沿著步道慢慢走，看見滿地的落葉與楓紅。"),
        img.format(2), line.format("外拍的攝影班學員一堆早已不時穿梭其間"),
        line.format("午後山嵐興起，雲氣在對岸山頭盤旋，遊客來來去去也沒有減少。"),
        img.format(3), "<p class='pic-note'>記者王小明 攝</p>",
        line.format("收拾好裝備準備離開營地，亮麗的天空下楓樹林又讓人不捨。")])
    paragraphs = extract(_page(post)).paragraphs
    assert "外拍的攝影班學員一堆早已不時穿梭其間" in paragraphs
    assert "每年十二月向來是攝影班外拍的好地方，楓紅期間遊客很多。" in paragraphs
    assert "記者王小明 攝" not in paragraphs


def test_the_line_after_a_figure_is_not_its_caption():
    """A <figure> carries its caption inside (figcaption, removed as furniture); the marked
    paragraph after it is the standfirst, not a caption. After a bare image box, a marked
    line is still the caption."""
    lead = ("The new version brings the code generator to the desktop app and adds custom "
            "fields to the vault, with many smaller fixes.")
    body = ("<figure class='lead-pic'><img src='a.jpg'><figcaption><p class='caption'>The "
            f"app scans codes.</p></figcaption></figure><p class='intro'>{lead}</p>"
            "<div class='pic'><img src='b.jpg'></div><p class='img-desc'>The settings screen "
            "of the new version.</p>")
    paragraphs = extract(_page(body)).paragraphs
    assert lead in paragraphs
    assert "The settings screen of the new version." not in paragraphs


def test_a_list_item_that_opens_with_a_sentence_is_not_a_box():
    """An item of the post that opens with a sentence and goes on with a nested list of
    links scores like a promo box; what opens with prose is the text."""
    sentence = ("We have the green light for another round of students working on the "
                "player next term, and two of us will be mentoring them.")
    bugs = "".join(f"<li><a href='/b{n}'>Bug {n} in the player window</a></li>"
                   for n in range(5))
    items = "".join(f"<li>The team fixed bug {n}, which made the window flicker when a "
                    "second profile was open at the same time.</li>" for n in range(3))
    post = f"<h3>Player</h3><ul>{items}<li>{sentence}<ul>{bugs}</ul></li></ul>"
    assert sentence in extract(_page(post)).paragraphs


def test_a_list_of_sources_written_around_their_links_is_kept():
    """Entries of a post's list of sources are prose around a linked title (author, title,
    publisher, date); a list of bare linked headlines is still a link list."""
    sources = "".join(
        f"<li>^ Jones, Mary (3 May 20{10 + n}). <a href='/s{n}'>\"How the tide barrier "
        f"was planned over two decades of debate\"</a>. The Coast Review. p. {n + 4}.</li>"
        for n in range(3))
    related = "".join(f"<li><a href='/r{n}'>Council approves the budget for the harbour "
                      f"works in district number {n}</a></li>" for n in range(3))
    paragraphs = extract(_page(f"<h2>Sources</h2><ol>{sources}</ol><ul>{related}</ul>"
                               )).paragraphs
    assert sum(p.startswith("^ Jones, Mary") for p in paragraphs) == 3
    assert not any("harbour works" in p for p in paragraphs)


def test_links_in_a_layout_table_cell_are_not_rows_of_data():
    """An old page set in a layout table: the article's cell is mostly text, but a line of
    links inside it is still a link line (only rows of data are judged with their table)."""
    prose = "".join(f"<p>Paragraph {n} of the report says the harbour works went on all "
                    "winter, and the crews finished the sea wall in the spring.</p>"
                    for n in range(4))
    links = ("<p><a href='/a'>Read all our harbour news</a> <a href='/b'>and the council "
             "reports</a> <a href='/c'>in the harbour news index</a></p>")
    html = (f"<html><body><table><tr><td><h1>Harbour report</h1>{prose}{links}{prose}"
            "</td></tr></table></body></html>")
    paragraphs = extract(html).paragraphs
    assert sum(p.startswith("Paragraph ") for p in paragraphs) == 8
    assert not any("harbour news index" in p for p in paragraphs)


def test_a_line_cut_in_two_by_an_inline_widget_is_not_a_teaser_card():
    """An entry split by an element in the middle of its sentence (a browser add-on's
    badge after a linked title) looks like a card: a linked headline over a short text.
    A 'summary' that opens with a full stop or comma goes on with the line before it."""
    entries = "".join(
        f"<li>^ <a href='/s{n}'>\"The harbour wall, part {n}\"</a><div class='badge'>"
        f"<div></div></div>. The Coast Review. Retrieved 3 May 20{10 + n}.</li>"
        for n in range(4))
    prose = "".join(f"<p>Part {n} of the report lists the works on the harbour wall, the "
                    "money each one cost, and what the crews will do next year.</p>"
                    for n in range(5))
    paragraphs = extract(_page(f"{prose}<h2>Sources</h2><ol>{entries}</ol>")).paragraphs
    assert sum(". The Coast Review. Retrieved" in p for p in paragraphs) == 4


def test_an_embedded_post_keeps_its_signature_line():
    """An embedded post quoted in the article signs off with its author and date; inside
    the quotation that line is the quote's, not the page's dateline (which still goes)."""
    quote = ("<blockquote class='embed'><p>The harbour wall is finished, and it held in "
             "the first storm of the winter!</p>— Harbour Office (@harbour) November 1, 2019"
             "</blockquote>")
    prose = "".join(f"<p>Paragraph {n} of the report says the crews finished the sea wall "
                    "in the spring, after a winter of work.</p>" for n in range(3))
    paragraphs = extract(_page(f"<p>Example News, 2 November 2019 10:15 GMT</p>{prose}{quote}"
                               )).paragraphs
    assert "— Harbour Office (@harbour) November 1, 2019" in paragraphs
    assert not any(p.startswith("Example News, 2 November") for p in paragraphs)


def test_a_line_split_by_an_injected_textless_block_stays_one_line():
    """A browser extension or widget drops an empty <div> (a rating badge) into the middle
    of a reference line, inside its <cite>: no text of its own, so no line break. Split
    there, the linked half of each reference reads as a link and is dropped from a list
    that is mostly links (references that are a bare link)."""
    badge = ("<div class='shield' style='display:inline-block'><div class='icon'></div>"
             "</div>")
    refs = "".join(
        f"<li><b><a href='#ref{n}'>^</a></b> <span><cite>Writer, Anne ({n} May 2015). "
        f"<a href='https://x.example/{n}'>\"A careful review of film {n}\"</a>"
        f"{badge}. <i>Daily Paper</i>. Retrieved 1 June 2015.</cite></span></li>"
        for n in range(1, 7))
    refs += "".join(f"<li><a href='https://y.example/{n}'>\"Archive of the festival "
                    f"programme for the year {n}\"</a></li>" for n in range(1, 7))
    prose = "".join(f"<p>Film {n} repeats one day until its hero learns to live it well, "
                    "and the critics cited below liked it more than its audience did.</p>"
                    for n in range(1, 7))
    paragraphs = extract(_page(f"{prose}<h2>References</h2><ol>{refs}</ol>")).paragraphs
    assert ("^ Writer, Anne (3 May 2015). \"A careful review of film 3\". "
            "Daily Paper. Retrieved 1 June 2015.") in paragraphs


def test_a_short_label_item_over_its_own_list_of_links_stays():
    """A changelog item "In progress:" holding a nested list of bug links, inside a list
    of update sentences the post is made of: the label is the item's text (too short to
    'announce' anything on its own) and its links are the item's content."""
    bugs = "".join(f"<li><a href='/bug/{n}'>Bug {n} - the window flickers when a second "
                   "profile opens</a></li>" for n in range(101, 106))
    updates = ("<h3>Picture in picture</h3><ul><li>We got the green light for another round "
               "of student projects next term, and two of us will mentor them.</li>"
               f"<li>In progress:<ul>{bugs}</ul></li></ul>")
    notes = "".join(f"<p>Release {n} shipped on time this month, with fewer crashes than "
                    "the one before it and a faster start on older machines.</p>"
                    for n in range(1, 6))
    paragraphs = extract(_page(notes + updates)).paragraphs
    assert "In progress:" in paragraphs
    assert "Bug 103 - the window flickers when a second profile opens" in paragraphs


def test_a_menu_entry_ending_with_a_colon_does_not_keep_its_sub_menu():
    """A label item over a sub-list counts only inside a list whose previous item was
    kept as text: a menu of links whose entry "Sections:" opens a sub-menu stays out."""
    menu = ("<ul><li><a href='/'>Home</a></li><li>Sections:<ul><li><a href='/w'>World news "
            "and analysis</a></li><li><a href='/b'>Business news and markets</a></li>"
            "</ul></li></ul>")
    paragraphs = extract(_page(menu)).paragraphs
    assert not any("Business news" in p for p in paragraphs)


def test_the_short_last_page_of_a_document_printed_in_pages_stays():
    """A document set as one <pre class="page"> per printed page: the chosen element is
    its longest page, and the last page, a few references, is far shorter than it, too
    short to join as a strong sibling. Marked up the same way, it is the same document."""
    pages = ["".join(f"Rule {n}.{k}: the server answers each request with the stored "
                     "document and its version tag, so a client can tell when its copy is "
                     "stale. " for k in range(count)) for n, count in ((1, 12), (2, 3))]
    last = ("[CORS] van Kesteren, A., Cross-Origin Resource Sharing, January 2013. [OAUTH] "
            "Jones, M. and D. Hardt, The OAuth 2.0 Authorization Framework: Bearer Token "
            "Usage, October 2012.")
    html = ("<html><head><title>Remote storage</title></head><body>"
            + "".join(f"<pre class='page'>{p}</pre>" for p in pages)
            + f"<pre class='page'>{last}</pre></body></html>")
    paragraphs = extract(html).paragraphs
    assert any("October 2012" in p for p in paragraphs)


def test_a_data_row_of_short_cells_set_in_paragraphs_stays():
    """A table of states in a technical post, each cell's value in its own <p>: a row of
    three short unpunctuated lines scores like chrome, but a row of a table is data, like
    an item of a list, unless it is mostly links."""
    rows = "".join(f"<tr><td><p>{a}</p></td><td><p>{b}</p></td><td><p>{c}</p></td></tr>"
                   for a, b, c in (("Entity status", "Retry count", "Next step"),
                                   ("fatal_failure", "N/A", "none"),
                                   ("retry_pending", "3", "schedule again")))
    notes = "".join(f"<p>Step {n} of the task framework runs each job at least once and "
                    "records its outcome, so that a failed job can be retried later.</p>"
                    for n in range(1, 5))
    after = ("<p>A job whose status is fatal is never retried: the framework reports it "
             "and moves on to the next one in the queue.</p>")
    html = _page(f"{notes}<table><tbody>{rows}</tbody></table>{after}")
    paragraphs = extract(html).paragraphs
    assert "fatal_failure" in paragraphs and "Entity status" in paragraphs
