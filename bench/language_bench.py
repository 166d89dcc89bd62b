"""Speed (and agreement) of detect_language against plain langdetect on synthetic articles.

Run: PYTHONPATH=src python bench/language_bench.py [N]

Articles are built from paragraphs written for this benchmark, 8-24 paragraphs each
(about 0.6-4 KB), in Simplified and Traditional Chinese, English, Chinese with tickers,
Japanese, French and German. Both detectors see the full body; warm-up calls (profile and
table loading) are excluded. Prints mean milliseconds per article and the ratio.
"""

from __future__ import annotations

import random
import sys
import time

import langdetect

from newsharvest.normalize.language import detect_language

PARAGRAPHS: dict[str, list[str]] = {
    "zh-Hans": [
        "市场监管部门近日发布通知，要求各地加强对预付式消费的管理，防止商家卷款跑路。",
        "这家公司在年报中表示，过去一年研发投入同比增长三成，新产品的销售额占比明显提高。",
        "当地气象台预计，未来三天将有一次明显的降雨过程，部分地区可能出现暴雨。",
        "专家建议，家长应当关注孩子的用眼习惯，每天保证足够的户外活动时间。",
    ],
    "zh-Hant": [
        "衛福部今天宣布，明年起將擴大補助長照服務，預計受惠的家庭超過十萬戶。",
        "這家科技公司表示，新廠房已經完成驗收，將在下個月開始量產，產能會比舊廠高出一倍。",
        "颱風外圍環流帶來豐沛雨量，氣象署發布豪雨特報，提醒山區民眾注意坍方。",
        "許多年輕人選擇返鄉創業，利用網路販售家鄉的農產品，讓更多消費者認識在地特色。",
    ],
    "zh-Hans-tickers": [
        "英伟达(NVDA.US)盘后大涨，AMD(AMD.US)与博通(AVGO.US)跟涨，费城半导体指数SOX创新高。",
        "特斯拉(TSLA.US)宣布Model Y改款车型在上海交付，FSD功能将通过OTA推送给部分用户。",
        "腾讯控股(00700.HK)发布Q3财报，微信及WeChat合并月活跃账户数达到13.8亿。",
    ],
    "en": [
        "The city council voted on Tuesday to expand the bus network, adding four new routes "
        "that will connect the northern suburbs with the main railway station.",
        "Researchers said the new vaccine was well tolerated in early trials and that larger "
        "studies would begin next year if regulators approve the plan.",
        "The company reported a quarterly loss that was wider than expected, and its shares "
        "fell more than eight percent in after-hours trading.",
        "Local residents have complained for months about the noise from the construction "
        "site, which operates late into the night on most weekdays.",
    ],
    "ja": [
        "政府は来年度の予算案で、子育て支援に関する費用を大幅に増やす方針を固めました。",
        "大雨の影響で、東海道新幹線は一部の区間で運転を見合わせています。",
        "この会社は新しい工場を建設し、電気自動車向けの電池を生産する計画です。",
    ],
    "fr": [
        "Le conseil municipal a voté mardi l'extension du réseau de bus, avec quatre nouvelles "
        "lignes reliant la banlieue nord à la gare principale.",
        "Les chercheurs ont indiqué que le vaccin était bien toléré lors des premiers essais.",
    ],
    "de": [
        "Der Stadtrat hat am Dienstag beschlossen, das Busnetz um vier neue Linien zu "
        "erweitern, die die nördlichen Vororte mit dem Hauptbahnhof verbinden.",
        "Die Forscher erklärten, der neue Impfstoff sei in frühen Studien gut verträglich.",
    ],
}
EXPECTED = {"zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant", "zh-Hans-tickers": "zh-Hans",
            "en": "en", "ja": "ja", "fr": "fr", "de": "de"}
LANGDETECT_TAGS = {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}


def articles(n: int, seed: int = 7) -> list[tuple[str, str]]:
    rnd = random.Random(seed)
    kinds = list(PARAGRAPHS)
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        paras = [rnd.choice(PARAGRAPHS[kind]) for _ in range(rnd.randint(8, 24))]
        out.append((EXPECTED[kind], "\n\n".join(paras)))
    return out


def timed(fn, corpus: list[tuple[str, str]]) -> tuple[float, int]:
    right = 0
    start = time.perf_counter()
    for expected, body in corpus:
        right += fn(body) == expected
    return (time.perf_counter() - start) * 1000 / len(corpus), right


def plain_langdetect(body: str) -> str:
    code = langdetect.detect(body)
    return LANGDETECT_TAGS.get(code, code)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    corpus = articles(n)
    langdetect.DetectorFactory.seed = 0  # the benchmark's own process: fine to set globally
    detect_language(corpus[0][1])
    detect_language(corpus[4][1])  # warm: langdetect profiles and OpenCC tables
    plain_langdetect(corpus[0][1])
    mean_chars = sum(len(b) for _, b in corpus) / n
    ours, ours_right = timed(detect_language, corpus)
    theirs, theirs_right = timed(plain_langdetect, corpus)
    print(f"articles: {n}, mean length {mean_chars:.0f} characters")
    print(f"detect_language : {ours:.3f} ms/article, {ours_right}/{n} as expected")
    print(f"plain langdetect: {theirs:.3f} ms/article, {theirs_right}/{n} as expected")
    print(f"ratio (langdetect / detect_language): {theirs / ours:.1f}x")
    print("per kind, ms/article (detect_language vs langdetect):")
    for label in sorted({e for e, _ in corpus}):
        part = [(e, b) for e, b in corpus if e == label]
        a, _ = timed(detect_language, part)
        b, _ = timed(plain_langdetect, part)
        print(f"  {label:8s} {a:7.3f} vs {b:7.3f}  ({b / a:.1f}x)")
    zh_en = [(e, b) for e, b in corpus if e in ("zh-Hans", "zh-Hant", "en")]
    a, _ = timed(detect_language, zh_en)
    b, _ = timed(plain_langdetect, zh_en)
    print(f"zh/en articles only: {a:.3f} vs {b:.3f} ms/article ({b / a:.1f}x)")


if __name__ == "__main__":
    main()
