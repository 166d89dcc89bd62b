"""Extraction speed: newsharvest vs trafilatura on the same pages, in one run.

Usage:
    python bench/extract_bench.py [DIR ...] [--repeat N]

DIR defaults to fixtures/. Any folder holding ``*.html`` pages with a sibling JSON record
(``expected.json`` beside ``page.html``, or ``<id>.json`` beside ``<id>.html``) works, e.g.
../shared/eval/dev. Pages are grouped by the language of their record (zh / en). Both
extractors get the same decoded text (decoding is shared work, timed separately), and the
printed ratio is newsharvest's pages/s over trafilatura's, measured in this run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import trafilatura

from newsharvest.evaluate.datasets import load_cases
from newsharvest.extract import extract
from newsharvest.fetch.decode import decode_html
from newsharvest.normalize import normalize


def load_pages(dirs: list[Path]) -> dict[str, list[tuple[str, str | None]]]:
    """(decoded html, url) per language group."""
    groups: dict[str, list[tuple[str, str | None]]] = {"zh": [], "en": []}
    for root in dirs:
        for case in load_cases(root):  # the same pages `newsharvest eval` scores
            lang = "zh" if (case.truth.language or "").startswith("zh") else "en"
            groups[lang].append((decode_html(case.read_html()).text, case.url))
    return groups


def time_per_page(fn, pages: list[tuple[str, str | None]], repeat: int) -> float:
    """Median over `repeat` passes of the mean seconds per page."""
    passes = []
    for _ in range(repeat):
        start = time.perf_counter()
        for html, url in pages:
            fn(html, url)
        passes.append((time.perf_counter() - start) / len(pages))
    return statistics.median(passes)


def ours(html: str, url: str | None) -> None:
    normalize(extract(html, url), url=url)


def theirs(html: str, url: str | None) -> None:
    trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=[Path("fixtures")])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    groups = load_pages(args.dirs)
    print(f"{'lang':<5}{'pages':>6}{'newsharvest p/s':>17}{'trafilatura p/s':>17}{'ratio':>8}")
    for lang, pages in groups.items():
        if not pages:
            continue
        for page in pages:  # warm up both: vocabularies, language profiles, lazy imports
            ours(*page)
            theirs(*page)
        mine = time_per_page(ours, pages, args.repeat)
        other = time_per_page(theirs, pages, args.repeat)
        print(f"{lang:<5}{len(pages):>6}{1 / mine:>17.1f}{1 / other:>17.1f}"
              f"{other / mine:>7.1f}x")


if __name__ == "__main__":
    main()
