"""Headline choice and site-suffix stripping learned from the page."""

from __future__ import annotations

import pytest

from newsharvest.normalize.title import choose_title, strip_site_suffix


@pytest.mark.parametrize(("title", "sites", "expected"), [
    ("狂砸算力基建,OpenAI大动作!_网易订阅", ["网易"], "狂砸算力基建,OpenAI大动作!"),
    ("央行宣布降准0.5个百分点 - 新浪财经", ["新浪财经"], "央行宣布降准0.5个百分点"),
    ("Oracle shares fall after xAI ends talks | Reuters", ["Reuters"],
     "Oracle shares fall after xAI ends talks"),
    ("台积电公布第三季度财报_凤凰网", ["凤凰网"], "台积电公布第三季度财报"),
    ("台积电公布第三季度财报_财经频道_凤凰网", ["凤凰网"], "台积电公布第三季度财报"),
    ("Markets wobble as rates rise - BBC News", ["BBC News"], "Markets wobble as rates rise"),
    ("No separator here", ["Site"], "No separator here"),
])
def test_strip_site_suffix(title, sites, expected):
    assert strip_site_suffix(title, sites) == expected


def test_h1_agreeing_with_title_tag_wins():
    candidates = [("og", "狂砸算力基建,OpenAI大动作!_网易订阅"), ("h1", "狂砸算力基建,OpenAI大动作!"),
                  ("title", "狂砸算力基建,OpenAI大动作!_网易订阅")]
    assert choose_title(candidates, []) == "狂砸算力基建,OpenAI大动作!"


def test_site_name_learned_from_title_segments_not_in_og():
    candidates = [("og", "Markets wobble as rates rise"),
                  ("title", "Markets wobble as rates rise | Business | The Daily Example")]
    assert choose_title(candidates, []) == "Markets wobble as rates rise"


def test_logo_h1_does_not_win_over_og_title():
    candidates = [("h1", "Example News"), ("og", "Flood warnings issued for the north"),
                  ("title", "Flood warnings issued for the north - Example News")]
    assert choose_title(candidates, ["Example News"]) == "Flood warnings issued for the north"


def test_no_candidates():
    assert choose_title([], []) is None


@pytest.mark.parametrize(("title_tag", "expected"), [
    ("京港澳高速堵车持续 乘客下载7部电影全部看完-高速-国内国际", "京港澳高速堵车持续 乘客下载7部电影全部看完"),
    ("法国全国大罢工再次严重影响交通-新华网", "法国全国大罢工再次严重影响交通"),
    ("阿里发布最强AI芯片：性能“吊打”同行，一块顶十块GPU-EDN 电子技术设计", "阿里发布最强AI芯片：性能“吊打”同行，一块顶十块GPU"),
    # A numeric range is part of the headline, not a label.
    ("[公司]绿景控股料2011年扭亏 净利1900万-2900万-财经频道-千华网", "[公司]绿景控股料2011年扭亏 净利1900万-2900万"),
    ("新概念作文主办方否认韩寒“拼爹”说法 中国快讯 南方网", "新概念作文主办方否认韩寒“拼爹”说法"),
    ("Bird flu: Odisha begins culling of poultry birds, IBN Live News", "Bird flu: Odisha begins culling of poultry birds"),
    # English words are not stripped by space, and a hyphenated English word stays whole.
    ("Markets rally on unexpectedly good jobs news", "Markets rally on unexpectedly good jobs news"),
    ("Wi-Fi 7 routers arrive in shops before the standard is final", "Wi-Fi 7 routers arrive in shops before the standard is final"),
])
def test_labels_stripped_from_a_title_tag_alone(title_tag, expected):
    assert choose_title([("title", title_tag)], []) == expected


def test_kicker_in_h1_is_dropped_when_the_title_tag_has_none():
    candidates = [("h1", "【记者即时播报】满记甜品“芒果布丁”被查细菌超标"),
                  ("title", "满记甜品“芒果布丁”被查细菌超标 上海_新闻中心_解放牛网")]
    assert choose_title(candidates, []) == "满记甜品“芒果布丁”被查细菌超标"


def test_kicker_kept_when_the_title_tag_has_it_too():
    candidates = [("h1", "【不忘初心 牢记使命】党支部举办专业技能大赛"),
                  ("title", "【不忘初心 牢记使命】党支部举办专业技能大赛_某某医院")]
    assert choose_title(candidates, []) == "【不忘初心 牢记使命】党支部举办专业技能大赛"


@pytest.mark.parametrize(("title", "sites", "expected"), [
    # Site and channel names before the headline, learned from their shape or the page.
    ("中國評論新聞：台灣經濟成長率上修至百分之四", [], "台灣經濟成長率上修至百分之四"),
    ("千龙网--千龙财富--北京楼市成交量连续三月回升", [], "北京楼市成交量连续三月回升"),
    ("中新视频-黄河小浪底水库开始调水调沙", [], "黄河小浪底水库开始调水调沙"),
    ("示例之声：台风逼近东部沿海地区", ["示例之声"], "台风逼近东部沿海地区"),
    # ... and after it.
    ("Council backs new harbour plan (From Basingstoke Gazette)", [],
     "Council backs new harbour plan"),
    ("Port strike ends | Bay of Plenty News | NZ Herald", ["NZ Herald"], "Port strike ends"),
    ("Typhoon nears the east coast Taiwan News Online", ["Taiwan News"],
     "Typhoon nears the east coast"),
    # A speaker before a colon is part of the headline; so is "_" inside it.
    ("天文台：東北季風下周初抵華南沿岸", ["RTHK"], "天文台：東北季風下周初抵華南沿岸"),
    ("新能源车_电池 价格战持续升温_网易科技", ["网易"], "新能源车_电池 价格战持续升温"),
])
def test_site_names_on_either_side(title, sites, expected):
    assert strip_site_suffix(title, sites) == expected


@pytest.mark.parametrize("h1", ["<h1>女得乾眼症<br>「烤」乾眼睛</h1>", "<h1>女得乾眼症\n「烤」乾眼睛</h1>"])
def test_a_headline_over_two_lines_keeps_the_space(h1):
    from newsharvest import extract_html

    body = ("<p>這是一段正文內容，介紹了醫師的建議，以及乾眼症的成因。醫師指出，長時間使用電腦，"
            "會讓眼睛更加乾澀。</p><p>第二段正文，說明預防方法，包括多眨眼與適度休息。</p>")
    html = (f"<html><head><title>女得乾眼症 「烤」乾眼睛 - 示例健康網</title></head>"
            f"<body>{h1}{body}</body></html>")
    assert extract_html(html, "https://news.example.com/a/1").title == "女得乾眼症 「烤」乾眼睛"


def test_a_title_tag_naming_only_the_site_gives_way_to_the_line_above_the_dateline():
    candidates = [("title", "经济参考网"), ("heading", "中国商标纠纷案一审审结 原告败诉")]
    assert choose_title(candidates, []) == "中国商标纠纷案一审审结 原告败诉"
    # A real headline in <title> is kept.
    candidates = [("title", "中国商标纠纷案一审审结"), ("heading", "中国商标纠纷案一审审结 原告败诉")]
    assert choose_title(candidates, []) == "中国商标纠纷案一审审结"


def test_whole_page_site_name_from_the_copyright_line_and_headline_in_a_table():
    from newsharvest import extract_html

    body = ("<table><tr><td>中国商标纠纷案一审审结 原告败诉</td></tr>"
            "<tr><td>2011-12-08 作者：记者 张三 来源：示例参考网</td></tr></table>"
            "<div>深圳市中级人民法院向媒体透露，两家公司关于商标权属纠纷一案已经作出一审判决，"
            "法院驳回了原告的全部诉讼请求。</div><div>据介绍，该商标最早于二〇〇〇年在多个国家"
            "与地区分别注册，其后几经转让，双方对转让范围各执一词。</div>")
    html = f"<html><head><title>示例参考网</title></head><body>{body}</body></html>"
    assert extract_html(html, "https://news.example.com/a/1").title == "中国商标纠纷案一审审结 原告败诉"
    footer = "<p>版权所有 示例省中医药研究院附属医院　Copyright © 2018</p>"
    html = ("<html><head><title>党支部举办专业技能大赛 示例省中医药研究院附属医院</title></head>"
            f"<body><div>{body}</div>{footer}</body></html>")
    assert extract_html(html, "https://news.example.com/a/1").title == "党支部举办专业技能大赛"
