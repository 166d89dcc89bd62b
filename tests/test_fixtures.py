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


# Fields of expected.json that are not part of the record: lines that must NOT appear.
NOT_FIELDS = frozenset({"boilerplate"})


def field_failures(expected: dict, article: object) -> list[str]:
    """One line per stored field of expected.json that the record does not match."""
    failures = []
    for name, want in expected.items():
        if name in NOT_FIELDS:
            continue
        got = getattr(article, name)
        if name in ("published", "modified"):
            # The same instant, whichever offset the page wrote it in.
            want = datetime.fromisoformat(want) if want else None
        elif name in ("authors", "credits"):
            got = list(got)
        if got != want:
            if name == "body":
                failures.append("body differs:\n" + paragraph_diff(want, got))
            else:
                failures.append(f"{name}: expected {want!r}, got {got!r}")
    return failures


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.parent.name}/{p.parent.name}"
                                             for p in CASES])
def test_fixture(path: Path) -> None:
    expected, article = run_case(path)
    failures = field_failures(expected, article)
    failures += [f"boilerplate leaked: {line!r}" for line in expected.get("boilerplate", [])
                 if line in article.body]
    if "\ufffd" in article.body:
        failures.append("body holds U+FFFD (a decoding error)")
    assert not failures, "\n".join(failures)


def test_every_stored_field_is_compared() -> None:
    """A wrong author, origin or credit fails the fixture like a wrong title does."""
    expected = {"title": "T", "authors": ["A"], "origin": "O", "credits": ["C"],
                "published": "2025-09-24T12:04:00+08:00", "boilerplate": ["x"]}

    class Record:
        title, authors, origin, credits = "T", ("B",), None, ("C",)
        published = datetime.fromisoformat("2025-09-24T04:04:00+00:00")

    assert field_failures(expected, Record()) == [
        "authors: expected ['A'], got ['B']", "origin: expected 'O', got None"]


def test_corpus_is_not_empty():
    assert len(CASES) >= 10
