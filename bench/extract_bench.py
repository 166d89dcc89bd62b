"""Extraction speed: newsharvest vs trafilatura (bare and with metadata) on the same pages.

Usage:
    python bench/extract_bench.py [DIR ...] [--repeat N] [--sets daniel,cwced,...]
                                  [--clock cpu|wall] [--stages]

DIR defaults to fixtures/. Each DIR is a folder of evaluation sets (like ../shared/eval/dev)
or one set; every sub-folder holding ``*.html`` pages is reported on its own (daniel,
cwced, scrapinghub, fundus, modern_zh, mozilla, trafsnip, or a fixture portal), split by
language (the record's ``language`` when it has one, else the share of Han characters in
the page's text). Per set and language: pages, newsharvest's pages/s, median and p95
milliseconds per page (p95/median beside trafilatura's on the same pages) and the worst
page, and the ratio of newsharvest's pages/s to
trafilatura's, bare (``extract``) and with metadata (``bare_extraction(with_metadata=True)``,
the fair comparison: newsharvest also finds title, date and authors). All three run on
the same decoded text, page by page in turn, in this one run: the ratios hold under load,
the absolute figures do not. Each call is timed in CPU time (``--clock cpu``, the default:
``time.process_time``, which other processes on a shared machine do not inflate) or in
wall time (``--clock wall``), best of ``--repeat`` calls.

``--stages`` prints instead where newsharvest's time goes, per language: CPU time per page
of each stage of ``extract`` and ``normalize`` (each boilerplate remover on its own), a
stage's time excluding the stages it calls, so the column adds up to the total. CPU time
(``time.process_time``) is not inflated by other processes' load, unlike wall time.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from newsharvest.extract import extract
from newsharvest.fetch.decode import decode_html
from newsharvest.normalize import normalize
from newsharvest.text.scripts import HAN_RE as _HAN_RE

_LETTER_RE = re.compile(r"[^\W\d_]")
_TAG_RE = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]*>", re.S | re.I)

Page = tuple[str, str | None, str]  # decoded html, url, file name


def ours(html: str, url: str | None) -> None:
    normalize(extract(html, url), url=url)


def bare(html: str, url: str | None) -> None:
    trafilatura.extract(html, url=url, include_comments=False)


def with_metadata(html: str, url: str | None) -> None:
    trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)


EXTRACTORS: dict[str, Callable[[str, str | None], None]] = {
    "newsharvest": ours, "trafilatura": bare, "traf+meta": with_metadata}


def language(html_path: Path, text: str) -> str:
    """zh or en: the record's language when stated, else the page's share of Han."""
    lang = _record_field(html_path, "expected.json", "language")
    if lang:
        return "zh" if lang.startswith("zh") else "en"
    visible = _TAG_RE.sub(" ", text[:200_000])
    letters = len(_LETTER_RE.findall(visible)) or 1
    return "zh" if len(_HAN_RE.findall(visible)) / letters > 0.2 else "en"


def load_sets(dirs: list[Path], wanted: set[str] | None) -> dict[tuple[str, str], list[Page]]:
    """(set name, language) -> pages, for every folder holding *.html under `dirs`."""
    groups: dict[tuple[str, str], list[Page]] = {}
    for root in dirs:
        for html_path in sorted(root.rglob("*.html")):
            rel = html_path.relative_to(root).parts
            name = rel[0] if len(rel) > 1 else root.name
            if wanted and name not in wanted:
                continue
            text = decode_html(html_path.read_bytes()).text
            url = _url_of(html_path)
            groups.setdefault((name, language(html_path, text)), []).append(
                (text, url, html_path.name if len(rel) < 3 else "/".join(rel[1:])))
    return groups


def _url_of(html_path: Path) -> str | None:
    return _record_field(html_path, "meta.json", "url")


def _record_field(html_path: Path, sibling: str, key: str) -> str | None:
    """A string field of the page's record: `<id>.json` beside it, else `sibling` in its
    folder (a fixture's expected.json or meta.json); None when absent or unreadable."""
    for record in (html_path.with_suffix(".json"), html_path.parent / sibling):
        if record.is_file():
            try:
                value = json.loads(record.read_text(encoding="utf-8")).get(key)
            except (ValueError, AttributeError):
                value = None
            if isinstance(value, str) and value:
                return value
    return None


# Stages timed by --stages: module -> names of the functions it calls them by.
STAGES: dict[str, tuple[str, ...]] = {
    "newsharvest.extract": (
        "bound_markup", "parse_page", "head_title_candidates", "head_date_candidates",
        "element_credits", "locate", "standfirst", "headings", "line_above_dateline",
        "byline_zones", "people_zone", "body_date_candidates", "site_names",
        "clean_paragraphs", "element_origin", "second_opinion", "authors"),
    "newsharvest.extract.content": ("collect_blocks",),
    "newsharvest.extract.candidates": ("assess", "trafilatura_blocks", "page_has_more_text"),
    "newsharvest.normalize": (
        "join_paragraphs", "detect_language", "canonical_url", "choose_dates", "choose_title",
        "content_hash", "fingerprints"),
}


class StageClock:
    """CPU time per stage, each stage's own (the time of timed stages it calls is not
    counted twice), collected by wrapping the functions named in STAGES."""

    def __init__(self) -> None:
        self.own: dict[str, float] = {}
        self._nested: list[float] = []  # per open stage: time spent in stages it called

    def wrap(self, name: str, fn: Callable[..., object]) -> Callable[..., object]:
        def timed(*args: object, **kwargs: object) -> object:
            self._nested.append(0.0)
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.process_time() - start
                inner = self._nested.pop()
                self.own[name] = self.own.get(name, 0.0) + spent - inner
                if self._nested:
                    self._nested[-1] += spent
        return timed

    def install(self) -> None:
        for module_name, names in STAGES.items():
            module = importlib.import_module(module_name)
            for name in names:
                setattr(module, name, self.wrap(name, getattr(module, name)))
        boilerplate = importlib.import_module("newsharvest.extract.boilerplate")
        boilerplate.REMOVERS = tuple(self.wrap(f"remove:{fn.__name__}", fn)
                                     for fn in boilerplate.REMOVERS)


def print_stages(groups: dict[tuple[str, str], list[Page]], repeat: int) -> None:
    """CPU ms per page of each stage, per language (best total of `repeat` passes)."""
    by_lang: dict[str, list[Page]] = {}
    for (_, lang), pages in sorted(groups.items()):
        by_lang.setdefault(lang, []).extend(pages)
    clock = StageClock()
    clock.install()
    for lang, pages in sorted(by_lang.items()):
        best: dict[str, float] | None = None
        best_total = float("inf")
        for _ in range(repeat):
            clock.own = {}
            start = time.process_time()
            for html, url, _ in pages:
                ours(html, url)
            total = time.process_time() - start
            if total < best_total:
                best_total, best = total, dict(clock.own)
        assert best is not None
        best["(rest)"] = best_total - sum(best.values())
        print(f"[{lang}] {len(pages)} pages, {best_total / len(pages) * 1000:.2f} ms CPU/page")
        for name, spent in sorted(best.items(), key=lambda item: -item[1]):
            print(f"[{lang}]   {name:<34}{spent / len(pages) * 1000:>8.3f} ms"
                  f"{spent / best_total * 100:>7.1f}%")


# --clock: CPU time is not inflated by other processes' load; wall time is what a user waits.
CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


def time_pages(pages: list[Page], repeat: int,
               clock: Callable[[], float] = time.process_time) -> dict[str, list[float]]:
    """Seconds per page for each extractor (best of `repeat` calls timed by `clock`), pages
    taken in turn."""
    out: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    for html, url, _ in pages:
        for name, fn in EXTRACTORS.items():
            best = float("inf")
            for _ in range(repeat):
                start = clock()
                fn(html, url)
                best = min(best, clock() - start)
            out[name].append(best)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=[Path("fixtures")])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sets", default="", help="comma-separated set names (default: all)")
    parser.add_argument("--clock", choices=tuple(CLOCKS), default="cpu")
    parser.add_argument("--stages", action="store_true",
                        help="CPU time per stage of newsharvest instead of the comparison")
    args = parser.parse_args()
    wanted = {s for s in args.sets.split(",") if s} or None
    groups = load_sets(args.dirs, wanted)
    if args.stages:
        for pages in groups.values():
            ours(pages[0][0], pages[0][1])
        print_stages(groups, args.repeat)
        return
    for pages in groups.values():  # warm up: vocabularies, language profiles, lazy imports
        for fn in EXTRACTORS.values():
            fn(pages[0][0], pages[0][1])
    print(f"{'set':<13}{'lang':<5}{'pages':>6}{'p/s':>8}{'median ms':>10}{'p95 ms':>8}"
          f"{'p95/med':>8}{'(traf)':>7}{'vs traf':>8}{'vs t+meta':>10}  worst page (ms)")
    totals: dict[str, dict[str, list[float]]] = {}
    for (name, lang), pages in sorted(groups.items()):
        times = time_pages(pages, args.repeat, CLOCKS[args.clock])
        for key, values in times.items():
            totals.setdefault(lang, {}).setdefault(key, []).extend(values)
        _row(name, lang, pages, times)
    for lang, times in sorted(totals.items()):
        _row("ALL", lang, [("", None, "-")] * len(times["newsharvest"]), times)


def _row(name: str, lang: str, pages: list[Page], times: dict[str, list[float]]) -> None:
    mine = times["newsharvest"]
    median, high = statistics.median(mine), p95(mine)
    worst = max(range(len(mine)), key=mine.__getitem__)
    rate = len(mine) / sum(mine)
    vs_bare = sum(times["trafilatura"]) / sum(mine)
    vs_meta = sum(times["traf+meta"]) / sum(mine)
    theirs = times["trafilatura"]
    spread = p95(theirs) / statistics.median(theirs)  # the same pages' spread, for scale
    print(f"{name:<13}{lang:<5}{len(mine):>6}{rate:>8.1f}{median * 1000:>10.2f}"
          f"{high * 1000:>8.2f}{high / median:>8.2f}{spread:>7.2f}{vs_bare:>7.2f}x"
          f"{vs_meta:>9.2f}x  "
          f"{pages[worst][2][:40]} ({mine[worst] * 1000:.1f})")


if __name__ == "__main__":
    main()
