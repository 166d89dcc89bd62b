"""The snippet truth format (trafilatura's evaluation) and the readability comparator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsharvest.cli.evalcmd import eval_command
from newsharvest.evaluate import Prediction, evaluate_cases, load_cases
from newsharvest.evaluate.snippets import SnippetCounts, count_snippets, snippet_language

_ARTICLE = ("The river council voted on Tuesday to fund the first stage of the flood barrier. "
            "Residents spoke for an hour, most of them in favour of the plan.")


def test_snippets_are_substring_tests_after_whitespace_folding():
    body = "The river   council voted\non Tuesday.\n\nShare this"
    counts = count_snippets(body, ["river council voted on", "budget"], ["Share this", "Login"])
    assert counts == SnippetCounts(tp=1, fn=1, fp=1, tn=1)
    assert (counts.precision, counts.recall, counts.f1, counts.accuracy) == (0.5, 0.5, 0.5, 0.5)
    assert count_snippets("", ["x"], ["y"]) == SnippetCounts(tp=0, fn=1, fp=0, tn=1)


def test_snippet_language_follows_the_script_of_the_with_snippets():
    assert snippet_language(["就放心去吧", "祝你幸福"]) == "zh"
    assert snippet_language(["Repeat Chorus", "the river"]) == "en"


def _snippet_set(root: Path) -> Path:
    folder = root / "snip"
    folder.mkdir(parents=True)
    for name, with_, without in [
        ("p1", ["fund the first stage", "most of them in favour"], ["Subscribe now"]),
        ("p2", ["flood barrier", "not in the page"], ["Residents spoke"]),
    ]:
        (folder / f"{name}.html").write_text(f"<html><body><p>{_ARTICLE}</p></body></html>",
                                             encoding="utf-8")
        (folder / f"{name}.json").write_text(json.dumps(
            {"url": f"https://example.org/{name}", "with": with_, "without": without}))
    return folder


def test_snippet_pages_are_pooled_per_language(tmp_path: Path):
    cases = load_cases(_snippet_set(tmp_path))
    assert [c.truth.is_snippets for c in cases] == [True, True]

    def echo(case, html):
        return Prediction(body=_ARTICLE, provides_language=False)

    result = evaluate_cases(cases, extractor=echo)
    total = result.totals["en-snippets"]
    # p1: 2 TP, 1 TN; p2: 1 TP, 1 FN, 1 FP -> pooled TP 3, FN 1, FP 1, TN 1
    assert total.snippets == SnippetCounts(tp=3, fn=1, fp=1, tn=1)
    assert total.f1 == pytest.approx(6 / 8) and total.accuracy == pytest.approx(4 / 6)
    assert result.pages[1].f1 == pytest.approx(0.5)
    assert all(p.language_ok is None for p in result.pages)


def test_cli_compares_several_extractors_on_snippets(tmp_path: Path):
    folder = _snippet_set(tmp_path)
    result = CliRunner().invoke(eval_command, [str(folder), "--json", "--compare",
                                               "trafilatura", "--compare", "readability"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["extractors"] == ["newsharvest", "trafilatura", "readability"]
    for name in data["extractors"]:
        total = data["totals"][name]["en-snippets"]
        assert total["snippets"]["tp"] == 3 and total["accuracy"] is not None
    assert data["errors"] == {"newsharvest": [], "trafilatura": [], "readability": []}


def test_readability_comparator_returns_paragraphs(tmp_path: Path):
    from newsharvest.evaluate.peers import extract_readability

    folder = tmp_path / "set"
    folder.mkdir()
    paras = [f"Paragraph {i}: the council weighed the new flood barrier plan, heard residents "
             "at length and voted to fund the first stage." for i in range(5)]
    (folder / "a.html").write_text("<html><body><nav><a href='/'>Home</a></nav><article>" +
                                   "".join(f"<p>{p}</p>" for p in paras) +
                                   "</article></body></html>", encoding="utf-8")
    (folder / "a.json").write_text(json.dumps({"url": "", "body": "\n".join(paras)}))
    (case,) = load_cases(folder)
    prediction = extract_readability(case, case.read_html())
    assert prediction.body.split("\n\n") == paras


def test_readability_dates_are_not_counted(tmp_path: Path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "a.html").write_text("<html><body><article><p>" + _ARTICLE +
                                   "</p></article></body></html>", encoding="utf-8")
    (folder / "a.json").write_text(json.dumps({"url": "", "body": _ARTICLE,
                                               "published": "2025-03-12"}))
    (page,) = evaluate_cases(load_cases(folder), extractor="readability").pages
    assert page.date_ok is None and page.language_ok is None
