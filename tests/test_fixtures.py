"""Every fixture page is a test: its extracted record must match expected.json.

Ids are "portal/case". The body is compared paragraph by paragraph, so a failure shows
exactly which paragraphs leaked in or went missing.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from pathlib import Path

import pytest
from helpers import FIXTURE_CASES, run_case

CASES = FIXTURE_CASES


def paragraph_diff(expected: str, got: str) -> str:
    return "\n".join(difflib.unified_diff(expected.split("\n\n"), got.split("\n\n"),
                                          "expected", "extracted", lineterm="", n=1))


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.parent.name}/{p.parent.name}"
                                             for p in CASES])
def test_fixture(path: Path) -> None:
    expected, article = run_case(path)
    assert article.body == expected["body"], paragraph_diff(expected["body"], article.body)
    for line in expected.get("boilerplate", []):
        assert line not in article.body, f"boilerplate leaked: {line!r}"
    assert article.title == expected["title"]
    want = expected["published"]
    # The same instant, whichever offset the page wrote it in.
    assert article.published == (datetime.fromisoformat(want) if want else None)
    assert article.language == expected["language"]
    assert article.url == expected["url"]
    assert "\ufffd" not in article.body


def test_corpus_is_not_empty():
    assert len(CASES) >= 10
