"""What the per-page budget costs: the fixture pages extracted in-process, through one
worker process (WARC ingest's PageRunner), and through the harvest's pool (one worker per
CPU), measured in the same run. Prints pages/s and ratios to the in-process figure.

    python bench/pool_bench.py [ROUNDS]

The pipe round trip (pickling the page out and the Article back) is the price of the
budget; the pool's gain is parallelism, bounded by the CPUs really free (absolute numbers
move with the machine's load; the ratios are what to compare).
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from newsharvest.cpus import available_cpus
from newsharvest.fixtures import load_manifests
from newsharvest.workers import ExtractionPool, PageJob, PageRunner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def jobs() -> list[PageJob]:
    found = []
    for url, entry in sorted(load_manifests(FIXTURES).items()):
        if entry.path.name == "page.html":
            found.append(PageJob(entry.path.read_bytes(), url, None, entry.headers))
    return found


def timed(run: object) -> float:
    started = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    pages = jobs() * rounds
    for job in pages[:5]:
        job.run()  # warm this process as the workers are warm
    inline = timed(lambda: [job.run() for job in pages])
    with PageRunner(budget=30.0) as runner:
        runner.run(pages[0])  # start the worker outside the timing
        one = timed(lambda: [runner.run(job) for job in pages])

    async def pooled() -> float:
        async with ExtractionPool(budget=30.0) as pool:
            # start every worker outside the timing
            await asyncio.gather(*(pool.extract(job) for job in pages[:pool.size]))
            started = time.perf_counter()
            await asyncio.gather(*(pool.extract(job) for job in pages))
            return time.perf_counter() - started

    pool = asyncio.run(pooled())
    n = len(pages)
    print(f"{n} pages ({n // rounds} fixture pages x {rounds}), {available_cpus()} CPUs")
    print(f"in-process       {n / inline:7.1f} pages/s  1.00x")
    print(f"one worker       {n / one:7.1f} pages/s  {inline / one:.2f}x")
    print(f"pool ({available_cpus()} workers) {n / pool:7.1f} pages/s  {inline / pool:.2f}x")


if __name__ == "__main__":
    main()
