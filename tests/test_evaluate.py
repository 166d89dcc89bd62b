"""The evaluation module: scoring rules on literals, both corpus layouts on tiny synthetic
trees, the runner with a fake extractor (so these tests do not depend on the real one),
and the `eval` command's JSON and table output."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import newsharvest
from newsharvest.cli.evalcmd import eval_command
from newsharvest.evaluate import (
    DATASET,
    FIXTURE,
    Prediction,
    body_score,
    boilerplate_leaked,
    date_match,
    decode_page,
    evaluate_cases,
    evaluate_dir,
    language_group,
    language_match,
    leaked_lines,
    load_cases,
    percentile,
    select_cases,
    title_match,
    tokenize,
)
from newsharvest.evaluate import runner as runner_module
from newsharvest.records import Article

CST = timezone(timedelta(hours=8))

# --- tokenizer -------------------------------------------------------------------------


def test_tokenize_splits_han_per_character_and_words_on_letters_and_digits():
    assert tokenize("Hello, 世界! It's 2024年9月") == [
        "hello", "世", "界", "it", "s", "2024", "年", "9", "月",
    ]


def test_tokenize_folds_full_width_and_drops_punctuation():
    # Full-width letters/digits become ASCII (NFKC), upper case is folded, and
    # Chinese punctuation (，。「」) and symbols are not tokens.
    assert tokenize("ＡＢＣ１２３，「新聞」。e-mail_x ——") == ["abc123", "新", "聞", "e", "mail", "x"]
    assert tokenize("") == []
    assert tokenize("，。！？…") == []


def test_tokenize_keeps_accented_letters_in_one_word():
    assert tokenize("Café Zürich〇々") == ["café", "zürich", "〇", "々"]


# --- body P/R/F1 ------------------------------------------------------------------------


def test_body_score_by_hand():
    score = body_score("a b c d", "a b e")  # overlap 2: P 2/4, R 2/3
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_body_score_counts_repeated_tokens_as_a_bag():
    score = body_score("a a a", "a")  # only one "a" is in the truth
    assert (score.precision, score.recall) == pytest.approx((1 / 3, 1.0))
    assert score.f1 == pytest.approx(0.5)


def test_body_score_on_chinese_characters():
    score = body_score("中国人", "中国")
    assert (score.precision, score.recall, score.f1) == pytest.approx((2 / 3, 1.0, 0.8))


def test_body_score_edge_cases():
    assert body_score("", "").f1 == 1.0
    assert body_score("，。", "!!").f1 == 1.0  # no tokens on either side
    assert body_score("", "text").f1 == 0.0
    none = body_score("text", "")
    assert (none.precision, none.recall, none.f1) == (0.0, 0.0, 0.0)
    assert body_score("x y", "a b").f1 == 0.0


# --- leaks, title, date, language, boilerplate -----------------------------------------

TRUTH = "the quick brown fox jumps over the lazy dog\nit was a bright cold day in april"


def test_leaked_lines_flags_foreign_lines_of_five_tokens_or_more():
    output = "\n".join([
        "the quick brown fox jumps over the lazy dog",  # article text
        "",  # blank: ignored
        "share this story",  # < 5 tokens: never a leak
        "click here to subscribe to our newsletter",  # boilerplate
    ])
    assert leaked_lines(output, TRUTH) == ["click here to subscribe to our newsletter"]


def test_leaked_lines_threshold_is_fewer_than_half_of_the_bigrams():
    # 5 tokens = 4 bigrams. Two known bigrams (quick brown, brown fox): not a leak.
    assert leaked_lines("quick brown fox zebra yak", TRUTH) == []
    # One known bigram (quick brown): a leak.
    assert leaked_lines("quick brown zebra yak gnu", TRUTH) == ["quick brown zebra yak gnu"]


def test_leaked_lines_uses_truth_bigrams_across_its_line_breaks():
    # "dog it" spans two truth lines; a different paragraph split is not a leak.
    assert leaked_lines("lazy dog it was a bright", TRUTH) == []


def test_leaked_lines_on_chinese_panels():
    truth = "国务院今天召开常务会议，研究部署稳就业工作。"
    output = "国务院今天召开常务会议\n48小时点击排行\n免责声明：本文仅代表作者观点"
    assert leaked_lines(output, truth) == ["48小时点击排行", "免责声明：本文仅代表作者观点"]


def test_title_match_normalises_width_and_whitespace_only():
    assert title_match("Ｔｈｅ  Title\u3000Here ", "The Title Here") is True
    assert title_match("the title here", "The Title Here") is False
    assert title_match(None, "The Title") is False
    assert title_match("Anything", None) is None


def test_date_match_takes_the_day_in_the_truths_offset():
    truth = "2025-09-24T00:30:00+08:00"  # 2025-09-23 16:30 UTC
    assert date_match(datetime(2025, 9, 23, 16, 30, tzinfo=UTC), truth) is True
    assert date_match(datetime(2025, 9, 24, 10, 0, tzinfo=UTC), truth) is True  # 18:00 +08
    assert date_match(datetime(2025, 9, 24, 17, 0, tzinfo=UTC), truth) is False  # 25th +08
    assert date_match(datetime(2025, 9, 24, 23, 0, tzinfo=CST), truth) is True
    assert date_match(None, truth) is False


def test_date_match_with_day_only_or_naive_truths():
    # A date-only (or offset-less) truth is compared with the prediction's own local day.
    late = datetime(2025, 9, 24, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert date_match(late, "2025-09-24") is True
    assert date_match(late, "2025-09-24 13:48") is True
    assert date_match(late, "2025-09-25") is False
    assert date_match("2025-09-24", "2025-09-24T20:00:00+08:00") is True  # trafilatura: a str
    assert date_match(date(2003, 7, 24), "2003-7-24") is True  # hand-copied loose truth


def test_date_match_null_truth_depends_on_the_corpus():
    predicted = datetime(2025, 9, 24, tzinfo=UTC)
    # Evaluation datasets: null = unknown, not counted.
    assert date_match(predicted, None) is None
    assert date_match(None, None) is None
    # Fixtures: null = the page states no date; inventing one is a miss.
    assert date_match(predicted, None, null_is_expected=True) is False
    assert date_match(None, None, null_is_expected=True) is True
    # A truth that is no date at all cannot be counted.
    assert date_match(predicted, "sometime", null_is_expected=True) is None


def test_language_match_and_groups():
    assert language_match("zh-Hans", "zh-Hans") is True
    assert language_match("zh-Hant", "zh-Hans") is False
    assert language_match("zh-CN", "zh-Hans") is True
    assert language_match("zh-Hant", "zh") is True  # truth without script accepts both
    assert language_match("en", "zh") is False
    assert language_match(None, "en") is False
    assert language_match("en", None) is None
    assert [language_group(t) for t in ("zh-Hans", "zh-Hant", "zh", "en", "en-GB", None)] == [
        "zh", "zh", "zh", "en", "en", "und",
    ]


def test_boilerplate_leaked_counts_exact_substrings():
    body = "正文第一段。\n\n相关推荐\n\n责编：王某"
    assert boilerplate_leaked(body, ["相关推荐", "责编：王某 校对：李某", "责编：王某"]) == 2
    assert boilerplate_leaked(body, []) == 0


def test_percentile_interpolates_like_numpy():
    assert percentile([0.0, 1.0], 10) == pytest.approx(0.1)
    assert percentile([0.5, 0.1, 0.9, 0.3, 0.7], 10) == pytest.approx(0.18)
    assert percentile([0.4], 10) == 0.4
    assert percentile([], 10) == 0.0


# --- corpus layouts ---------------------------------------------------------------------


def _page(body: str, title: str = "Title") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p)
    return (f"<html><head><title>{title}</title></head><body><nav>Home | About</nav>"
            f"<article>{paragraphs}</article></body></html>")


def _dataset_page(folder: Path, page_id: str, body: str, **truth: object) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{page_id}.html").write_text(_page(body), encoding="utf-8")
    data = {"url": "", "title": None, "published": None, "language": "en", "body": body}
    (folder / f"{page_id}.json").write_text(json.dumps({**data, **truth}), encoding="utf-8")


@pytest.fixture
def dev(tmp_path: Path) -> Path:
    root = tmp_path / "dev"
    _dataset_page(root / "alpha", "a1", "The council approved the budget on Monday.",
                  title="Budget approved", published="2025-09-22")
    _dataset_page(root / "alpha", "a2", "BOOM crash page with text", language="en")
    _dataset_page(root / "beta", "b1", "国务院今天召开常务会议。\n研究部署稳就业工作。",
                  language="zh-Hans", title="国务院召开常务会议")
    (root / "beta" / "notes.json").write_text("{}", encoding="utf-8")  # no .html: ignored
    return root


def test_dataset_layout_loads_from_root_or_one_dataset(dev: Path):
    cases = load_cases(dev)
    assert [c.id for c in cases] == ["alpha/a1", "alpha/a2", "beta/b1"]
    assert {c.kind for c in cases} == {DATASET}
    first = cases[0]
    assert first.url is None  # "" in the file means unknown
    assert (first.truth.title, first.truth.published) == ("Budget approved", "2025-09-22")
    assert [c.id for c in load_cases(dev / "beta")] == ["beta/b1"]
    assert [c.id for c in select_cases(cases, lang="zh")] == ["beta/b1"]
    assert [c.id for c in select_cases(cases, lang="en", limit=1)] == ["alpha/a1"]


def test_load_cases_fails_clearly_on_an_empty_folder(tmp_path: Path):
    with pytest.raises(newsharvest.NewsharvestError, match="no cases found"):
        load_cases(tmp_path)


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    root = tmp_path / "fixtures"
    case = root / "portal-zh" / "story-1"
    case.mkdir(parents=True)
    (root / "sources.yaml").write_text(
        "sources:\n  - name: test-zh\n    feed: https://news.test.invalid/feed.xml\n"
        "    timezone: Asia/Shanghai\n    language: zh-Hans\n", encoding="utf-8")
    (case / "page.html").write_bytes(_page("第一段正文。\n第二段正文。").encode("gb18030"))
    (root / "portal-zh" / "manifest.json").write_text(json.dumps({
        "https://news.test.invalid/a/1.html": {
            "file": "story-1/page.html", "status": 200,
            "headers": {"Content-Type": "text/html; charset=gbk",
                        "Date": "Wed, 24 Sep 2025 06:00:00 GMT"},
        }}), encoding="utf-8")
    (case / "expected.json").write_text(json.dumps({
        "url": "https://news.test.invalid/a/1.html", "source": "test-zh", "title": "标题",
        "published": None, "language": "zh-Hans", "body": "第一段正文。\n\n第二段正文。",
        "boilerplate": ["相关推荐"],
    }, ensure_ascii=False), encoding="utf-8")
    return root


def test_fixture_layout_reads_manifest_headers_and_source(fixtures: Path):
    for where in (fixtures, fixtures / "portal-zh", fixtures / "portal-zh" / "story-1"):
        (case,) = load_cases(where)
        assert case.id == "portal-zh/story-1"
    assert case.kind == FIXTURE
    assert case.content_type == "text/html; charset=gbk"
    assert case.fetched_at == datetime(2025, 9, 24, 6, 0, tzinfo=UTC)
    assert case.source is not None and case.source.name == "test-zh"
    assert case.source.timezone == "Asia/Shanghai"
    assert case.truth.boilerplate == ("相关推荐",)
    assert case.truth.published is None


def test_decode_page_honours_the_declared_legacy_charset():
    html = "<html><head><meta charset='gbk'></head><body><p>新闻正文内容</p></body></html>"
    assert "新闻正文内容" in decode_page(html.encode("gb18030"), None)


# --- runner -----------------------------------------------------------------------------


def _fake_extract_html(html, url=None, *, source=None, fetched_at=None, content_type=None,
                       now=None):
    """Stands in for newsharvest.extract_html: the <p> texts, or a crash on "BOOM"."""
    text = decode_page(html, content_type) if isinstance(html, bytes) else html
    if "BOOM" in text:
        raise RuntimeError("parser exploded")
    paragraphs = "\n\n".join(re.findall(r"<p>(.*?)</p>", text))
    han = re.search(r"[\u4e00-\u9fff]", paragraphs) is not None
    body = paragraphs + "\n\n相关推荐 Home | About"
    return Article(
        url=url or "", title=re.search(r"<title>(.*?)</title>", text).group(1),
        published=datetime(2025, 9, 22, 9, 0, tzinfo=UTC), body=body,
        language="zh-Hans" if han else "en", content_hash=hashlib.sha1(body.encode()).hexdigest(),
    )


@pytest.fixture
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsharvest.page

    # The runner reaches extract_html through the one page step (newsharvest.page).
    monkeypatch.setattr(newsharvest.page, "extract_html", _fake_extract_html)


def test_an_extraction_error_costs_one_page_not_the_run(dev: Path, fake_extractor: None):
    result = evaluate_dir(dev)
    by_id = {p.id: p for p in result.pages}
    assert len(result.pages) == 3
    crashed = by_id["alpha/a2"]
    assert crashed.f1 == 0.0 and crashed.error == "RuntimeError: parser exploded"
    assert crashed.language_ok is False
    assert result.errors == [("alpha/a2", "RuntimeError: parser exploded")]
    good = by_id["alpha/a1"]
    # 7 truth tokens, plus 6 from the "相关推荐 Home | About" line (also one leaked line)
    assert (good.precision, good.recall) == pytest.approx((7 / 13, 1.0))
    assert good.leaked_lines == 1
    assert good.title_ok is False and good.date_ok is True and good.language_ok is True
    assert good.boilerplate_leaked is None  # datasets have no boilerplate list
    en, zh = result.totals["en"], result.totals["zh"]
    assert (en.pages, en.errors, zh.pages) == (2, 1, 1)
    assert en.f1 == pytest.approx(good.f1 / 2)
    assert en.date_counted == 1 and en.title_counted == 1  # a2 has neither: not counted
    assert zh.title_rate == 0.0 and zh.date_rate is None and zh.language_rate == 1.0


def test_fixture_null_date_is_an_expectation(fixtures: Path, fake_extractor: None):
    (page,) = evaluate_dir(fixtures).pages
    assert page.date_ok is False  # the fake invents a date; the fixture says there is none
    assert page.boilerplate_leaked == 1
    assert page.leaked_lines == 1  # "相关推荐 Home | About": 6 tokens, no truth bigram
    assert page.recall == 1.0


def test_evaluate_cases_takes_a_callable_and_trafilatura_without_language(dev: Path):
    cases = load_cases(dev)

    def perfect(case, html):
        return Prediction(body=case.truth.body, title=case.truth.title, language="en",
                          provides_language=False)

    result = evaluate_cases(cases, extractor=perfect)
    assert result.extractor == "perfect"
    assert all(p.f1 == 1.0 and p.leaked_lines == 0 for p in result.pages)
    assert all(p.language_ok is None for p in result.pages)
    assert result.totals["en"].language_rate is None


def test_trafilatura_comparator_runs_on_a_synthetic_page(tmp_path: Path):
    body = "\n".join(
        f"Paragraph {i} tells how the river council weighed the new flood barrier plan, "
        "heard residents at length and finally voted to fund the first stage." for i in range(6)
    )
    _dataset_page(tmp_path / "set", "p1", body, title="Title")
    (page,) = evaluate_dir(tmp_path / "set", extractor="trafilatura").pages
    assert page.error is None
    assert page.f1 > 0.9
    assert page.language_ok is None


# --- CLI --------------------------------------------------------------------------------


def test_cli_json_is_one_object_with_pages_and_totals(dev: Path, fake_extractor: None,
                                                       monkeypatch: pytest.MonkeyPatch):
    def fake_trafilatura(case, html):
        return Prediction(body=case.truth.body, provides_language=False)

    monkeypatch.setattr(runner_module, "extract_trafilatura", fake_trafilatura)
    result = CliRunner().invoke(eval_command, [str(dev), "--json", "--compare", "trafilatura"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["extractors"] == ["newsharvest", "trafilatura"]
    assert [p["id"] for p in data["pages"]] == ["alpha/a1", "alpha/a2", "beta/b1"]
    assert data["pages"][1]["newsharvest"]["f1"] == 0.0
    assert data["pages"][1]["trafilatura"]["f1"] == 1.0
    assert set(data["totals"]["newsharvest"]) == {"en", "zh"}
    assert data["totals"]["trafilatura"]["en"]["f1"] == 1.0
    assert data["errors"]["newsharvest"] == [
        {"id": "alpha/a2", "error": "RuntimeError: parser exploded"}]


def test_cli_worst_and_lang_filter(dev: Path, fake_extractor: None):
    result = CliRunner().invoke(eval_command, [str(dev), "--json", "--worst", "1"])
    data = json.loads(result.stdout)
    assert [p["id"] for p in data["pages"]] == ["alpha/a2"]
    assert data["pages_total"] == 3  # totals still cover every page
    result = CliRunner().invoke(eval_command, [str(dev), "--json", "--lang", "zh"])
    assert [p["id"] for p in json.loads(result.stdout)["pages"]] == ["beta/b1"]


def test_cli_plain_tables(dev: Path, fake_extractor: None):
    result = CliRunner().invoke(eval_command, [str(dev)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["page", "lang", "P", "R", "F1", "leaks", "title", "date"]
    assert any(line.startswith("alpha/a2") and "0.000!" in line for line in lines)
    assert any(line.split()[:3] == ["metric", "en", "newsharvest"] for line in lines)
    assert "[newsharvest] alpha/a2: RuntimeError: parser exploded" in result.stdout


def test_cli_rejects_comparing_an_extractor_with_itself(dev: Path):
    result = CliRunner().invoke(
        eval_command, [str(dev), "--extractor", "trafilatura", "--compare", "trafilatura"])
    assert result.exit_code == 2
    assert "--compare" in result.output
