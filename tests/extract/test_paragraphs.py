"""Paragraph cleanup: credits, origin, fixed phrases, duplicates, chrome at the edges."""

from __future__ import annotations

import pytest

from newsharvest.extract.blocks import collect_blocks
from newsharvest.extract.paragraphs import (
    clean_paragraphs,
    credit_line,
    is_boilerplate_line,
    origin_of,
)
from newsharvest.extract.parse import parse_page


@pytest.mark.parametrize("line", [
    "责编：王晓 校对：李明", "（责任编辑：张三）", "[责任编辑：李四]", "校对：赵六",
    "責任編輯：陳小明", "Editing by Jane Doe", "Reporting by A; Editing by B",
])
def test_credit_lines(line):
    assert credit_line(line)


@pytest.mark.parametrize("line", [
    "编辑部认为，这项政策的影响将在明年显现，企业需要提前准备，投资者也应谨慎对待。",
    "The editor of the paper said the decision was final and would not be revisited.",
])
def test_prose_mentioning_editors_is_not_a_credit(line):
    assert credit_line(line) is None


def test_origin_lines():
    assert origin_of("来源：证券时报") == "证券时报"
    assert origin_of("（來源：中央社）") == "中央社"
    assert origin_of("来源于市场的消息显示，股价在周二下跌。") is None


@pytest.mark.parametrize("line", [
    "特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台“网易号”用户上传并发布",
    "Notice: The content above (including the pictures and videos if any) is uploaded and "
    "posted by a user of NetEase Hao, which is a social media platform",
    "相关推荐", "热点推荐", "Write a comment", "The translation is provided by third-party "
    "software.", "Back to AI News Briefing", "Recommended", "0 分享至", "返回搜狐，查看更多",
    "原标题：某某公司发布新品",
    "Rating failed. Try again.", "Sorry! There was a problem. Please try again.",
    "Something went wrong.", "Report inappropriate content",
])
def test_fixed_boilerplate_phrases(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "The company said it would share more details about the related project next month.",
    "他表示，相关推荐方案仍在讨论之中，预计下月公布。",
])
def test_prose_that_mentions_a_phrase_survives(line):
    assert not is_boilerplate_line(line)


def _clean(html: str, title: str | None = None) -> list[str]:
    page = parse_page(f"<html><body>{html}</body></html>")
    return clean_paragraphs(collect_blocks(page.body), title=title).paragraphs


def test_duplicate_and_truncated_repeat_collapse():
    """A copy in other markup (a lead box, then the body) and a cut-off copy go."""
    para = ("Analyst Anurag Rana wrote that the decision highlights the challenges facing "
            "cloud providers in expanding their capacity.")
    out = _clean(f"<div class='lead'><p>{para}</p></div><div class='body'><p>{para}</p>"
                 f"<p>Second paragraph, different.</p><p>{para[:60]}</p></div>")
    assert out == [para, "Second paragraph, different."]


def test_title_repeated_as_first_line_is_dropped():
    out = _clean("<p>狂砸算力基建,OpenAI大动作!</p><p>AI巨头正从模型驱动迈向基建驱动的崭新阶段。</p>",
                 title="狂砸算力基建,OpenAI大动作!")
    assert out == ["AI巨头正从模型驱动迈向基建驱动的崭新阶段。"]


def test_chrome_trimmed_at_edges_and_credits_collected():
    page = parse_page("<html><body><p>AI News Briefing Admin 79 views</p>"
                      "<p>第一段正文，内容足够长。</p><p>责编：王晓 校对：李明</p><p>0</p></body></html>")
    cleaned = clean_paragraphs(collect_blocks(page.body))
    assert cleaned.paragraphs == ["第一段正文，内容足够长。"]
    assert cleaned.credits == ["责编：王晓 校对：李明"]


def test_facebook_page_promo_is_boilerplate_but_news_about_a_page_is_not():
    assert is_boilerplate_line("香港新浪新聞現已開設Facebook專頁，讓你即時掌握本地新聞，快點到Facebook Like我們的專頁！")
    assert not is_boilerplate_line("特首昨晚在其Facebook專頁發文，表示政府會檢討有關政策，並呼籲市民保持冷靜。")


@pytest.mark.parametrize("line", [
    "If you buy something through our links, we may earn a commission.",
    "This post contains affiliate links; see our policy page.",
    "Sign up for our free morning briefing and get the headlines before breakfast.",
    "Get the magazine delivered to your door every month for half price.",
    "Comments are moderated and may take a day to appear.",
    "Reader comments on this story are shown below.",
    "To join the discussion, please log in first.",
    "Have your say.",
    "Tell us what you think!",
    "Would you book a trip like this? Let us know below...",
    "I agree to the terms of use.",
    "（本文由某某报提供。未經授權，不得轉載。）",
    "本文版权归某某网所有，转载请注明出处。",
    "m.example.cn 随时随地看新闻",
    "按讚加入某某粉絲團，陪你看新聞！",
    "圖說：市民在街头排队购票。",
    "（点击看清晰大图）",
    "（原题为《某地出台新规》）", "② 本网欢迎各类机构与本网开展内容合作。", "此类稿件不代表本网观点，仅供参考。",
    "(综合整理自某某日报、某某网等)", "Short link: https://example.com/?p=123", "完整影音 http://v.example.tw/1",
    "(This story was auto-generated from a syndicated feed and not edited by our staff.)",
    "(For the latest news, follow ExampleNews on Facebook and Twitter)",
    "(Updates with reaction from the mayor in third, fifth paragraphs.)",
    "You have full access to this article via your library.",
])
def test_notices_promos_and_policies_are_boilerplate(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "The retailer will earn a commission on every sale, the filing shows.",
    "Readers who signed up early said the service worked well, according to the survey.",
    "他说，未经授权的拍摄行为将受到处罚，但具体细则仍在制定。",
    "市民可登陆市政府网站（网址：http://www.example.gov.cn），在首页提交意见。",
])
def test_prose_about_commissions_signups_and_permission_survives(line):
    assert not is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "To contact the reporter on this story: Jane Roe in Oslo at jroe@example.com",
    "本报记者 李明 王芳", "本報實習生 陳一", "記者林小明／高雄報導", "（某某晚報記者 張三 文/攝）",
    "采写：某报记者 赵四", "某某网编辑：钱五", "供稿 摄影/孙六",
    "Jane Roe, senior health correspondent", "John Smith, AP Business Writer",
    "【某某晚報／王小明】",
])
def test_reporter_lines_are_credits(line):
    assert credit_line(line)


def test_dateline_with_slashed_date_is_dropped():
    out = _clean("<p>【2024/03/05 某某日報】@ http://news.example.com/</p>"
                 "<p>第一段正文，内容足够长，说明发生了什么。</p>")
    assert out == ["第一段正文，内容足够长，说明发生了什么。"]


def test_headline_that_opens_the_title_tag_is_dropped_without_clearing_the_lead():
    page = parse_page("<html><body><p>导语：本市今年将新建十所学校，缓解学位紧张。</p>"
                      "<p>本市新建十所学校 缓解学位紧张</p><p>市教育局昨天公布了今年的建设计划，"
                      "十所学校将在九月前投入使用。</p></body></html>")
    out = clean_paragraphs(collect_blocks(page.body),
                           page_title="本市新建十所学校 缓解学位紧张_教育频道_某某网").paragraphs
    assert out == ["导语：本市今年将新建十所学校，缓解学位紧张。",
                   "市教育局昨天公布了今年的建设计划，十所学校将在九月前投入使用。"]


def test_a_panel_heading_over_teaser_cards_ends_the_article():
    """Card summaries read like prose, but they do not make the article go on after a
    "Recommended" heading: what follows the cards (a show's name under each, a rating
    widget's messages) is cut with them."""
    summary = ("The actor best known for a long-running family sitcom died on Tuesday, his "
               "agent said, adding that the family asked for privacy at this difficult time.")
    cards = "".join(f"<div class='c'><h3><a href='/s{n}'>Story number {n} in the rail</a></h3>"
                    f"<p>{summary}</p></div>" for n in range(4))
    out = _clean("<p>The bridge reopens on Monday after six weeks of repairs, the city said, "
                 "and buses return to their usual routes.</p><h2>Recommended for You</h2>"
                 f"{cards}<div>Morning Show</div><div>Thanks, your vote was counted.</div>")
    assert out == ["The bridge reopens on Monday after six weeks of repairs, the city said, "
                   "and buses return to their usual routes."]


def test_copyright_notice_heading_ends_the_article():
    out = _clean("<p>第一段正文，内容足够长，说明发生了什么。</p><p>某某网版权相关声明：</p>"
                 "<p>1、本网转载其他媒体稿件是为传播更多信息，不代表本网观点。</p>")
    assert out == ["第一段正文，内容足够长，说明发生了什么。"]


def test_a_dated_copyright_notice_opens_the_footer():
    out = _clean("<p>The bridge reopens on Monday after six weeks of repairs, the city said.</p>"
                 "<p>© 2024 Example Media Group. All rights reserved.</p>"
                 "<p>EXAMPLE NEWS and EXAMPLE DAILY are registered trademarks of Example Media.</p>")
    assert out == ["The bridge reopens on Monday after six weeks of repairs, the city said."]


def test_an_undated_copyright_owner_line_opens_the_footer():
    out = _clean("<p>The bridge reopens on Monday after six weeks of repairs, the city said.</p>"
                 "<p>Copyright: Example Health News</p>"
                 "<p>Not to be reproduced without permission of Example Health News</p>"
                 "<p>Please use one of the following formats to cite this article in your "
                 "essay, paper or report, and say where you read it first.</p>")
    assert out == ["The bridge reopens on Monday after six weeks of repairs, the city said."]


@pytest.mark.parametrize("heading", ["Related Article(s):", "Why register?",
                                     "Already registered? Sign In", "还没有账号？立即注册"])
def test_related_and_registration_promo_headings_end_the_article(heading):
    promo = ("<ol><li>Personalize the site to focus on the topics you care about most, "
             "and get alerts when stories break.</li><li>It's free</li></ol>")
    out = _clean("<p>The bridge reopens on Monday after six weeks of repairs, the city said.</p>"
                 f"<p>{heading}</p>{promo}")
    assert out == ["The bridge reopens on Monday after six weeks of repairs, the city said."]


def test_a_photo_credit_with_a_copyright_sign_does_not_end_the_article():
    out = _clean("<p>The bridge reopens on Monday after six weeks of repairs, the city said.</p>"
                 "<p>© Jane Roe</p><p>Drivers were told to expect delays on the first day, "
                 "as crews finish painting the new lane markings.</p>")
    assert len(out) == 2


def test_dated_teasers_after_a_panel_heading_do_not_count_as_more_article():
    trail = ("<p>{d} Mar 2024</p><p>Residents packed the hall to hear the plans for the harbour "
             "front, and many left unconvinced by the promises the council made about traffic, "
             "parking and noise.</p>")
    out = _clean("<p>The bridge reopens on Monday after six weeks of repairs, the city said.</p>"
                 "<h3>Related information</h3>" + trail.format(d=4) + trail.format(d=9)
                 .replace("Residents", "Traders"))
    assert out == ["The bridge reopens on Monday after six weeks of repairs, the city said."]


@pytest.mark.parametrize("line", [
    'Roe J, et al "Night shifts and sleep quality in nurses" J Sleep Res 2021; 30: 112-119.',
    'Doe A. "Why we sleep less" Lancet 2020; DOI: 10.1016/S0140-6736(20)30001-1.',
    'Jane Roe. (2021, March 4). "Nurses Sleep Less." Example Health News. Retrieved from',
    "张三, 李四. 夜班护士的睡眠质量研究[J]. 护理学杂志, 2021, 36(4): 12-15.",
    "Please use one of the following formats to cite this article in your essay or report:",
])
def test_reference_list_entries_are_not_article_text(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "Roe and colleagues (2021) found that nurses on night shifts slept an hour less.",
    'The team, led by Jane Roe et al, said the "results were clear" and called for change.',
    "Scores rose from 12 to 15; 30: 1 was the ratio of applicants to places this year.",
])
def test_prose_citing_a_study_is_text(line):
    assert not is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    '<A HREF="http://ads.example.com/click?id=42" target="_blank"><IMG SRC="http://ads.example'
    '.com/banner?id=42" BORDER=0></A>',
    "人参与 条评论 打印 转发",
    "一键转发",
    "Keep up to date with the latest changes to the rules. Sign up below or find out more.",
    "You can find this story in My Bookmarks. Or by navigating to the user icon.",
])
def test_markup_text_counters_share_labels_and_prompts_are_boilerplate(line):
    assert is_boilerplate_line(line)


def test_you_may_be_interested_heading_ends_the_article():
    out = _clean("<p>第一段正文，内容足够长，说明发生了什么。</p><p>您可能感兴趣的文章</p>"
                 "<p>另一篇文章的摘要，内容也足够长，看起来像正文一样。</p>")
    assert out == ["第一段正文，内容足够长，说明发生了什么。"]


def test_a_linked_panel_heading_still_ends_the_article():
    out = _clean("<p>The bridge reopens on Monday after six weeks of repairs, the city said.</p>"
                 "<h3><a href='/c'>Reader's Comments(2)</a> | <a href='/p'>Post a comment</a></h3>"
                 "<div>What a waste of money this whole thing was</div>"
                 "<div>Finally, it took them long enough to fix it.</div>")
    assert out == ["The bridge reopens on Monday after six weeks of repairs, the city said."]


def test_paragraph_key_is_the_text_without_non_word_characters() -> None:
    """The paragraph key's (text.scripts.word_key) shortcuts (ASCII, punctuation-only
    non-ASCII) agree with the plain rule."""
    import random
    import re

    from newsharvest.text.scripts import word_key as _key

    rnd = random.Random(3)
    pools = [(0x0, 0x7E), (0xA0, 0x24F), (0x2000, 0x206F), (0x3000, 0x303F), (0x4E00, 0x4E80),
             (0xFF00, 0xFF5E), (0x1D400, 0x1D4FF), (0xD800, 0xDFFF)]
    samples = ["“Quoted” — text_with 12 words…", "Café naïve", "中文，标点。", ""]
    samples += ["".join(chr(rnd.randint(*rnd.choice(pools))) for _ in range(rnd.randint(0, 30)))
                for _ in range(3000)]
    for text in samples:
        assert _key(text) == re.sub(r"\W+", "", "".join(text.split())).lower(), text
