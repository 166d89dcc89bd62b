"""Language detection on bodies written for these tests (no copied articles).

Every sample below was written for this file; the long bodies are built by joining several
paragraphs so that the sampling windows (start, middle, end) are exercised.
"""

from __future__ import annotations

import random

import langdetect
import pytest

from newsharvest.normalize.language import detect_language, script_variant

HANS_PARAS = [
    "国家统计局周一公布的数据显示，十月份规模以上工业增加值同比增长百分之五点二，"
    "比上个月加快零点三个百分点，其中高技术制造业增长明显。",
    "分析人士认为，随着一系列稳增长政策陆续落地，国内需求正在逐步恢复，"
    "但外部环境依然复杂，企业对未来几个月的订单仍持谨慎态度。",
    "记者在长三角多个城市走访时发现，不少工厂已经开始为年底的出口旺季备货，"
    "一些企业负责人表示，今年的运费比去年同期下降了不少。",
    "与此同时，央行表示将继续保持流动性合理充裕，引导贷款利率稳中有降，"
    "为实体经济发展营造良好的货币金融环境。",
]
HANT_TW_PARAS = [
    "行政院今天召開記者會，說明明年度總預算的編列方向，"
    "主計總處表示，社會福利與國防支出都將比今年增加。",
    "根據經濟部統計，上個月外銷訂單金額再創同期新高，"
    "其中資訊通信產品的訂單成長幅度最大，業者對後市相當樂觀。",
    "臺北市政府也宣布，捷運環狀線南環段預計在後年完工通車，"
    "屆時民眾往返新北與臺北之間將會更加便利。",
    "氣象署提醒，這週末將有一波東北季風南下，北部及東北部地區氣溫明顯下降，"
    "請民眾外出時注意保暖。",
]
HANT_HK_PARAS = [
    "特區政府今日公布最新的施政報告，當中提出多項房屋及交通措施，"
    "有議員認為政策方向正確，但落實時間表仍然不夠清晰。",
    "港鐵表示，新路綫的工程進度大致符合預期，"
    "乘客將來由新界東前往九龍的車程可以縮短大約十五分鐘。",
    "天文台預料，受強烈季候風影響，本港明日天氣較涼，"
    "市民如要出外，應留意最新的天氣消息。",
]
EN_PARAS = [
    "The central bank kept its benchmark rate unchanged on Thursday, saying that inflation "
    "had eased over the summer but that it wanted to see more evidence before cutting.",
    "Analysts had expected the decision, although several of them noted that the statement "
    "was softer than the one issued after the previous meeting in September.",
    "Shares of technology companies rose after the announcement, while the yield on the "
    "ten-year government bond fell to its lowest level since the start of the year.",
    "The next policy meeting is scheduled for December, when the bank will also publish "
    "updated forecasts for growth and unemployment.",
]


def long_body(paras: list[str], times: int = 4) -> str:
    return "\n\n".join(paras * times)


# --- Simplified Chinese -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    long_body(HANS_PARAS),
    "\n\n".join(HANS_PARAS),
    HANS_PARAS[1],
    "今天上午，这座城市举行了马拉松比赛，约三万名选手参加。",
    "我们会继续关注这件事的进展。",
    "记者：这个问题你怎么看？",
])
def test_simplified_chinese(text: str) -> None:
    assert detect_language(text) == "zh-Hans"


# --- Traditional Chinese (Taiwan and Hong Kong phrasing) ----------------------------------

@pytest.mark.parametrize("text", [
    long_body(HANT_TW_PARAS),
    "\n\n".join(HANT_TW_PARAS),
    HANT_TW_PARAS[3],
    "這間餐廳的牛肉麵真的很好吃，我們下週還會再來。",
    long_body(HANT_HK_PARAS),
    HANT_HK_PARAS[0],
    "佢哋話今晚會遲啲返嚟，叫我哋唔使等。",  # Cantonese written in Traditional characters
])
def test_traditional_chinese(text: str) -> None:
    assert detect_language(text) == "zh-Hant"


def test_hong_kong_variant_characters_do_not_count_as_simplified() -> None:
    # HK writes 温 / 说-like variants in places; OpenCC's HK variants must not vote Hans.
    text = "天文台表示，今日氣温較低，市民外出時要注意保暖，長者尤其要小心。"
    assert detect_language(text) == "zh-Hant"


# --- Chinese with many Latin product names and tickers ------------------------------------

@pytest.mark.parametrize("text", [
    "英伟达(NVDA.US)发布H200 GPU，性能较上一代提升近一倍，苹果(AAPL.US)与微软(MSFT.US)"
    "股价随之上涨，AMD、Intel、TSMC等芯片股也集体走强。",
    "小米SU7 Ultra在上海车展亮相，搭载HyperOS 2.0系统，支持CarPlay和OTA升级，"
    "起售价为52.99万元。",
    "据Bloomberg报道，OpenAI正在与Microsoft、Oracle和SoftBank洽谈新的数据中心项目，"
    "规模可能超过500亿美元，ChatGPT的周活跃用户已突破8亿。",
])
def test_chinese_with_latin_product_names_stays_chinese(text: str) -> None:
    assert detect_language(text) == "zh-Hans"


def test_traditional_chinese_with_tickers() -> None:
    text = ("台積電(2330.TW)今天股價上漲3%，外資持續買超，輝達(NVDA)執行長黃仁勳也在"
            "GTC大會上表示，AI伺服器的需求將延續到明年。")
    assert detect_language(text) == "zh-Hant"


# --- English ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    long_body(EN_PARAS),
    EN_PARAS[0],
    "Officials said the bridge would reopen to traffic by the end of the month.",
    "Rescue teams are still searching for two climbers who went missing on Sunday.",
])
def test_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_short_english_headline_like_text() -> None:
    assert detect_language("Oil prices climb as supply worries grow") == "en"


@pytest.mark.parametrize("text", [
    "Xi Jinping met Li Qiang and Wang Yi in Beijing on Monday to discuss the trade talks "
    "with the United States, according to a statement from the foreign ministry.",
    "Alibaba founder Jack Ma, whose Chinese name is 马云, returned to Hangzhou this week "
    "and spoke to employees about the future of the company and its cloud business.",
])
def test_english_with_chinese_names(text: str) -> None:
    assert detect_language(text) == "en"


def test_mostly_english_body_with_one_chinese_line_is_english() -> None:
    body = long_body(EN_PARAS, 2) + "\n\n原文标题：央行维持利率不变\n\n" + long_body(EN_PARAS, 1)
    assert detect_language(body) == "en"


# --- Japanese, Korean, other European languages -------------------------------------------

@pytest.mark.parametrize("text", [
    "東京都は来月から新しい子育て支援制度を始めると発表しました。対象となる家庭には"
    "毎月一万円が支給される予定です。",
    "日本銀行は金融政策決定会合で、政策金利を据え置くことを決めた。",
    "新幹線の運転再開は午後三時ごろになる見込みです。",
])
def test_japanese_is_not_chinese(text: str) -> None:
    assert detect_language(text) == "ja"


@pytest.mark.parametrize("text", [
    "서울시는 다음 달부터 대중교통 요금을 인상한다고 밝혔다. 시민들의 부담이 커질 것으로 보인다.",
    "한국은행은 기준금리를 동결했다.",
])
def test_korean(text: str) -> None:
    assert detect_language(text) == "ko"


@pytest.mark.parametrize(("text", "lang"), [
    ("Le gouvernement a présenté mercredi un projet de loi visant à réduire les délais "
     "d'attente dans les hôpitaux publics, une mesure attendue depuis longtemps.", "fr"),
    ("Les habitants du quartier se plaignent depuis des mois du bruit des travaux.", "fr"),
    ("Die Bundesregierung hat am Mittwoch ein neues Gesetz beschlossen, das die Wartezeiten "
     "in öffentlichen Krankenhäusern deutlich verkürzen soll.", "de"),
    ("Die Bewohner des Viertels beschweren sich seit Monaten über den Baulärm.", "de"),
    ("El gobierno presentó el miércoles un proyecto de ley para reducir los tiempos de "
     "espera en los hospitales públicos.", "es"),
])
def test_other_latin_languages_go_to_langdetect(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_name_dense_business_english_is_english_without_langdetect(monkeypatch) -> None:
    from newsharvest.normalize import language

    text = (
        "Shares of Wells Fargo rose 6% after the bank posted third-quarter results that "
        "topped Wall Street estimates. JPMorgan Chase gained 2%, Citigroup added 3% and "
        "Goldman Sachs climbed 4% as trading revenue beat forecasts. BlackRock, Domino's "
        "Pizza, Johnson & Johnson and Progressive also moved: J&J raised its full-year "
        "guidance, Domino's reported U.S. same-store sales growth of 5.2%, BlackRock "
        "assets hit a record $13.5 trillion, and Progressive fell 5% on weaker premiums. "
        "Nvidia, Oracle, AMD and Broadcom traded flat ahead of the Fed minutes, which are "
        "due on Wednesday, as investors said they would wait for the data.")
    monkeypatch.setattr(language._LANGDETECT, "best", lambda *a, **k: pytest.fail("called"))
    assert detect_language(text) == "en"


@pytest.mark.parametrize(("text", "lang"), [
    # Danish and Norwegian use "at", "for", "over", "her", "by" as everyday words.
    ("Regeringen har fremlagt et forslag om at give kommunerne flere penge for at "
     "forbedre ventetiderne på sygehusene, og det skal ske over de kommende fire år. "
     "Borgmesteren i byen siger, at det er et skridt i den rigtige retning, men at der "
     "stadig mangler personale. Her i byen har man ventet længe på en løsning, og mange "
     "borgere er trætte af at vente. Forslaget skal nu behandles i Folketinget, hvor "
     "der er bred opbakning til at bruge flere penge på sundhed for de ældre borgere.",
     "da"),
])
def test_latin_languages_sharing_some_function_words_are_not_english(text, lang) -> None:
    assert detect_language(text) == lang


# --- No answer ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n\t ", "2025 10 14 123456", "—— … ！？", "中", "OK"])
def test_too_little_text_is_none(text: str) -> None:
    assert detect_language(text) is None


# --- Hint: ties only ----------------------------------------------------------------------

def test_hint_decides_script_of_chinese_without_distinguishing_characters() -> None:
    text = "中东和平进程"  # 东 is Simplified-only: decided without a hint
    assert detect_language(text, hint="zh-Hant") == "zh-Hans"
    shared = "日本大阪市長"  # 長 is Traditional-only
    assert detect_language(shared, hint="zh-Hans") == "zh-Hant"
    neutral = "日本人口"  # no character that exists in only one form
    assert detect_language(neutral) == "zh"
    assert detect_language(neutral, hint="zh-TW") == "zh-Hant"
    assert detect_language(neutral, hint="zh-CN") == "zh-Hans"


def test_hint_does_not_override_clear_text() -> None:
    assert detect_language(long_body(EN_PARAS), hint="zh-Hans") == "en"
    assert detect_language(long_body(HANS_PARAS), hint="en") == "zh-Hans"
    assert detect_language(long_body(HANT_TW_PARAS), hint="zh-Hans") == "zh-Hant"


def test_hint_breaks_a_near_tie_between_scripts_on_short_text() -> None:
    # 10 Latin letters against 5 Han (weight 15): close enough that the hint decides
    assert detect_language("华为 Mate X6 发布会", hint="zh-Hans") == "zh-Hans"
    assert detect_language("Mate X6 发布会 Huawei", hint="en") == "en"


def test_hint_on_short_ambiguous_latin_text() -> None:
    assert detect_language("Tesla Model Y Juniper", hint="en") == "en"


# --- Determinism and isolation ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Die Bewohner des Viertels beschweren sich seit Monaten.",
    "Il presidente ha incontrato i sindacati ieri sera.",
    HANT_HK_PARAS[2],
])
def test_same_answer_twenty_times(text: str) -> None:
    answers = {detect_language(text) for _ in range(20)}
    assert len(answers) == 1 and None not in answers


def test_langdetect_global_seed_is_left_alone() -> None:
    before = langdetect.DetectorFactory.seed
    detect_language("Il presidente ha incontrato i sindacati ieri sera a Roma.")
    assert langdetect.DetectorFactory.seed == before


# --- script_variant -----------------------------------------------------------------------

@pytest.mark.parametrize(("hans", "hant"), [
    ("我们明天去图书馆看书", "我們明天去圖書館看書"),
    ("这里的天气很好", "這裡的天氣很好"),
    ("他说会议已经结束了", "他說會議已經結束了"),
    ("政府发表声明", "政府發表聲明"),
])
def test_script_variant_on_texts_sharing_most_characters(hans: str, hant: str) -> None:
    assert script_variant(hans) == "zh-Hans"
    assert script_variant(hant) == "zh-Hant"
    assert detect_language(hans) == "zh-Hans"
    assert detect_language(hant) == "zh-Hant"


def test_script_variant_shared_characters_and_non_han() -> None:
    assert script_variant("皇后出生在这里") == "zh-Hans"  # 这 is Simplified-only, 后 shared
    assert script_variant("皇后出生在這裡") == "zh-Hant"
    assert script_variant("大中小人口山水") is None
    assert script_variant("hello world") is None
    assert script_variant("") is None


def test_script_variant_tolerates_a_few_other_form_characters() -> None:
    # A Simplified body quoting one Traditional name: the majority decides.
    text = "据报道，来自台湾的歌手在演唱会上演唱了《愛的故事》，现场观众反应热烈。"
    assert script_variant(text) == "zh-Hans"


@pytest.mark.parametrize("hint", ["fr-FR", "fr_FR", "FR"])
def test_a_latin_hint_is_its_language_subtag_however_written(hint) -> None:
    assert detect_language("Jean Dupont Paris", hint=hint) == "fr"


def test_ascii_letter_shortcut_counts_what_the_regexes_count() -> None:
    """Samples whose letters are all ASCII skip five regex passes: same counts."""
    from newsharvest.normalize.language import _regex_counts, _script_counts

    rnd = random.Random(9)
    pools = [(0x20, 0x7E), (0x20, 0x7E), (0x2010, 0x2027), (0xA0, 0xBF), (0xC0, 0x24F),
             (0x3000, 0x303F), (0x3040, 0x30FF), (0x3130, 0x3190), (0x4E00, 0x4E20),
             (0xFF60, 0xFFA0), (0xD800, 0xDFFF)]
    samples = ["Plain English, “curly” — and 12½ ² marks.", "café", "々", "ｱ", "\u3130", ""]
    samples += ["".join(chr(rnd.randint(*rnd.choice(pools))) for _ in range(rnd.randint(0, 30)))
                for _ in range(3000)]
    for sample in samples:
        assert _script_counts(sample) == _regex_counts(sample), sample
