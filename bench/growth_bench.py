"""Growth benchmark: extraction time against the number of unique paragraphs on a page.

Usage:
    python bench/growth_bench.py [--sizes 100,200,...,6400] [--repeat N] [--clock cpu|wall]

Synthetic pages (a portal shell: menu, headline, byline, related list, footer) hold N
distinct paragraphs of English or Chinese prose made from a fixed random vocabulary (the
English with its share of function words), so no two paragraphs are near copies.
newsharvest (extract + normalize) and trafilatura (``extract``, the call most users make)
run on the same pages in the same process, in alternating order. Printed per language:
seconds per page at each size, the ratio to trafilatura, and the fitted growth exponent
(least-squares slope of log time on log N).
Absolute times depend on the machine's load; the ratios and exponents are the result.
``--clock cpu`` (the default) times each call in CPU time (``time.process_time``), which
other processes on a shared machine do not inflate; ``--clock wall`` uses wall time.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections.abc import Callable

import trafilatura
from extract_bench import CLOCKS

from newsharvest.extract import extract
from newsharvest.normalize import normalize

SIZES = (100, 200, 400, 800, 1600, 3200, 6400)
_EN_WORDS = [
    "".join(random.Random(i).choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3 + i % 7))
    for i in range(4000)
]
_EN_FUNCTION = ("the of and to in a is that for it as was with on by at from this are "
                "be or has had not but which their they were an its after said").split()
_HAN = [chr(0x4E00 + i) for i in range(3000)]


def _en_word(rnd: random.Random) -> str:
    # Real English is ~40% function words (language detection relies on them).
    return rnd.choice(_EN_FUNCTION) if rnd.random() < 0.4 else rnd.choice(_EN_WORDS)


def paragraph(rnd: random.Random, lang: str) -> str:
    """One prose paragraph: two or three punctuated sentences."""
    if lang == "en":
        sentences = [" ".join(_en_word(rnd) for _ in range(rnd.randint(8, 16)))
                     for _ in range(rnd.randint(2, 3))]
        return ". ".join(s.capitalize() for s in sentences).replace(" ", ", ", 1) + "."
    sentences = ["".join(rnd.choice(_HAN) for _ in range(rnd.randint(12, 24)))
                 for _ in range(rnd.randint(2, 3))]
    return "，".join(sentences) + "。"


def page(n: int, lang: str, seed: int = 0) -> str:
    """A portal page whose article holds `n` distinct paragraphs."""
    rnd = random.Random(seed * 100_003 + n)
    menu = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(12))
    related = "".join(f'<li><a href="/r{i}">{paragraph(rnd, lang)[:40]}</a></li>'
                      for i in range(10))
    body = "".join(f"<p>{paragraph(rnd, lang)}</p>" for _ in range(n))
    return (f"<html><head><title>Headline {n} | Site</title>"
            '<meta property="article:published_time" content="2024-05-01T08:00:00Z">'
            f"</head><body><nav><ul>{menu}</ul></nav><h1>Headline {n}</h1>"
            f'<div class="byline">By A. Writer, May 1, 2024</div>'
            f'<article class="story">{body}</article>'
            f'<div class="related"><ul>{related}</ul></div>'
            "<footer>Copyright 2024 Site. All rights reserved.</footer></body></html>")


def ours(html: str) -> None:
    normalize(extract(html, None), url=None)


def theirs(html: str) -> None:
    trafilatura.extract(html, include_comments=False)


def best_of(html: str, repeat: int,
            clock: Callable[[], float] = time.process_time) -> tuple[float, float]:
    """Shortest time (by `clock`) of `repeat` calls of each, the two taken in turn (load
    spikes on a shared machine hit one call, not the minimum)."""
    mine = other = float("inf")
    for _ in range(repeat):
        start = clock()
        ours(html)
        mine = min(mine, clock() - start)
        start = clock()
        theirs(html)
        other = min(other, clock() - start)
    return mine, other


def slope(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) on log(size): the growth exponent."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(t) for t in times]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return (sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
            / sum((x - mx) ** 2 for x in xs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--clock", choices=tuple(CLOCKS), default="cpu")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    ours(page(10, "en"))  # warm up: vocabularies, lazy imports
    theirs(page(10, "en"))
    for lang in ("en", "zh"):
        mine_t: list[float] = []
        other_t: list[float] = []
        print(f"[{lang}] {'paragraphs':>10}{'newsharvest s':>15}{'trafilatura s':>15}{'ratio':>8}")
        for n in sizes:
            html = page(n, lang)
            repeat = args.repeat if n <= 1600 else max(1, args.repeat // 2)
            mine, other = best_of(html, repeat, CLOCKS[args.clock])
            mine_t.append(mine)
            other_t.append(other)
            print(f"[{lang}] {n:>10}{mine:>15.4f}{other:>15.4f}{mine / other:>7.2f}x", flush=True)
        print(f"[{lang}] growth exponent: newsharvest {slope(sizes, mine_t):.2f}, "
              f"trafilatura {slope(sizes, other_t):.2f}; worst ratio "
              f"{max(m / o for m, o in zip(mine_t, other_t, strict=True)):.2f}x")


if __name__ == "__main__":
    main()
