"""Start-up time of the command line: `newsharvest --help` and `newsharvest search`.

Usage:
    PYTHONPATH=src python bench/startup_bench.py [--runs 15] [--db PATH]

Each command runs in a fresh interpreter --runs times; the median wall time is printed
beside that of a bare `python -c pass` measured in the same run (the interpreter's own
start-up, which no command can go below), and the heavy packages each command imported.
Without --db a small newsharvest file is harvested from fixtures/ first. The target
(issue 13) is <= 0.3 s for `--help` and `search`; absolute times move with the machine's
load, the difference to bare Python much less. Prints numbers only; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ["ray", "pyarrow", "numpy", "pandas", "trafilatura", "httpx", "selectolax"]
PROBE = ("import sys, json\nfrom newsharvest.cli import main\ntry:\n    main(sys.argv[1:])\n"
         "except SystemExit:\n    pass\nprint(json.dumps(sorted({m.split('.')[0] for m in "
         f"sys.modules}} & set({HEAVY!r}))), file=sys.stderr)")


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def heavy_imports(args: list[str]) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, check=False)
    return json.loads(done.stderr.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", type=Path)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = options.db
        if db is None:
            from newsharvest import harvest, load_sources
            from newsharvest.fetch.replay import ReplayTransport

            db = Path(folder) / "bench.db"
            fixtures = ROOT / "fixtures"
            harvest(load_sources(fixtures / "sources.yaml"), db,
                    transport=ReplayTransport(fixtures), replay=True)
        bare = median_seconds([sys.executable, "-c", "pass"], options.runs)
        print(f"python -c pass            {bare:6.3f} s (reference, same run)")
        for args in (["--help"], ["search", "芯片", "--db", str(db)],
                     ["query", "select count(*) from articles", "--db", str(db)],
                     ["harvest", "--help"]):
            seconds = median_seconds([sys.executable, "-m", "newsharvest", *args],
                                     options.runs)
            label = " ".join(args[:2])
            print(f"newsharvest {label:14s}{seconds:6.3f} s  (+{seconds - bare:.3f} s over "
                  f"bare python)  heavy imports: {', '.join(heavy_imports(args)) or 'none'}")


if __name__ == "__main__":
    main()
