"""Time spent in date code per page, against the whole extraction of the same page.

Usage:
    python bench/date_bench.py [DIR ...] [--repeat N]

DIR defaults to fixtures/ (any folder `newsharvest eval` reads works, e.g. the dev split).
"Date code" is every function that finds or reads dates: the head candidates (meta, JSON-LD,
microdata), the byline zones near the headline, the body candidates (<time>, bylines) and
`choose_dates` (regexes, then dateparser in the page's languages). They are wrapped with a
timer while `newsharvest.extract_html` runs on each page, so the ratio printed (date time /
whole extraction time) is measured in one run and holds under load; the absolute
milliseconds depend on the machine and on what else runs on it.

The first page pays dateparser's import and language load once, if any page reaches the
long tail at all: the worst page shows it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import newsharvest
import newsharvest.extract as extract_mod
import newsharvest.normalize as normalize_mod
from newsharvest.evaluate.datasets import load_cases
from newsharvest.fetch.decode import decode_html

DATE_FUNCTIONS = (
    (extract_mod, "head_date_candidates"),
    (extract_mod, "byline_zones"),
    (extract_mod, "body_date_candidates"),
    (normalize_mod, "choose_dates"),
)


class Timer:
    """Accumulates the seconds spent inside the wrapped functions."""

    def __init__(self) -> None:
        self.spent = 0.0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent += time.perf_counter() - start
        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=[Path("fixtures")])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the pages")
    args = parser.parse_args()
    cases = [c for root in args.dirs for c in load_cases(root)]
    pages = [(c.id, decode_html(c.read_html(), c.content_type).text, c) for c in cases]
    timer = Timer()
    for module, name in DATE_FUNCTIONS:
        setattr(module, name, timer.wrap(getattr(module, name)))
    date_runs: dict[str, list[float]] = {page_id: [] for page_id, _, _ in pages}
    whole_runs: dict[str, list[float]] = {page_id: [] for page_id, _, _ in pages}
    for _ in range(args.repeat):
        for page_id, html, case in pages:
            timer.spent = 0.0
            start = time.perf_counter()
            newsharvest.extract_html(html, case.url, source=case.source,
                                     fetched_at=case.fetched_at)
            whole = time.perf_counter() - start
            date_runs[page_id].append(timer.spent * 1000)
            whole_runs[page_id].append(whole * 1000)
    # The median of the passes per page: a page is slow when it is slow every time, not
    # when the shared machine paused once. The first pass (one-off imports) stays in.
    date_ms = {k: statistics.median(v) for k, v in date_runs.items()}
    whole_ms = {k: statistics.median(v) for k, v in whole_runs.items()}
    first_worst = max(v[0] for v in date_runs.values())
    worst = max(date_ms, key=date_ms.__getitem__)
    total_date, total_whole = sum(date_ms.values()), sum(whole_ms.values())
    print(f"pages: {len(pages)} (passes: {args.repeat})")
    print(f"date code, mean per page:   {statistics.fmean(date_ms.values()):.3f} ms")
    print(f"date code, median per page: {statistics.median(date_ms.values()):.3f} ms")
    print(f"date code, worst page:      {date_ms[worst]:.3f} ms ({worst})")
    print(f"pages over 50 ms in date code: {sum(v > 50 for v in date_ms.values())}")
    print(f"worst page in the first pass (one-off imports included): {first_worst:.3f} ms")
    print(f"whole extraction, mean per page: {statistics.fmean(whole_ms.values()):.3f} ms")
    print(f"ratio date code / whole extraction: {total_date / total_whole:.3f}")


if __name__ == "__main__":
    main()
