"""The accuracy gate: extraction on the fixture corpus may not fall below the floors."""

from __future__ import annotations

import json

import pytest
from helpers import ROOT

from newsharvest.evaluate import evaluate_dir

FLOORS = json.loads((ROOT / "tests" / "eval_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result():
    return evaluate_dir(ROOT / "fixtures")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fixture_corpus_meets_the_floors(result, lang):
    totals = result.totals[lang]
    assert totals.pages >= 15  # the corpus holds at least 15 pages a language
    assert totals.errors == 0
    floors = FLOORS[lang]
    for metric, floor in floors.items():
        value = getattr(totals, metric)
        if metric == "leaked_per_page":
            assert value <= floor, f"{lang} {metric} {value:.3f} > {floor}"
        else:
            assert value >= floor, f"{lang} {metric} {value:.3f} < {floor}"
    assert totals.boilerplate_leaked == 0
