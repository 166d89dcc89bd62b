"""Store write rates: the harvest path and `load`, against a raw ``executemany``.

Usage:
    PYTHONPATH=src python bench/store_bench.py [--rows 20000] [--harvest 3000]

The same synthetic articles (half Chinese, ~700-1,700 Han characters; half English,
~1.5-3 KB: bench/search_bench.py's generator) with their content hash, SimHash and story
sketch computed beforehand (normalize's work in the extraction workers, not the store's;
`load` reads rows without sketches and makes them itself) are written three ways:

1. raw: one ``executemany`` of the article rows into a plain table of the same columns, in
   one transaction (the ceiling: SQLite's own speed, no index, no dedupe);
2. harvest path: ``Store.save`` once per article, each its own transaction, with story
   linking and the full-text index kept current (what `harvest` does per page);
3. load: ``load_parts`` of a Parquet part holding the rows as ingest writes them (zstd),
   with each body's story sketch (dedupe, story linking, batched transactions, the search
   index built for every row: all included); and of a part without sketches (older parts,
   shard databases), for which load sketches every body. A load this large builds its
   search index in a helper process on the other core while it writes the rows
   (store/sidebuild.py), so its rate is given on the wall clock, and on the CPU clock
   counting the load and its helper together.

Beside them, the floors measured in the same run, which no store code can beat: the FTS5
insert alone (the prepared text of the same rows into an empty index of the same
definition, one transaction, optimised; also with the bigram text of search versions 1-2,
the representation it replaced), and the article rows into the store's own schema
(its eight indexes, no search index, no linking) in one transaction and with a commit per
row (plus its fetch row, as harvest does). With the index's cost added to each they bound
`load` and the harvest path before any dedupe, linking or Python.

Also times ``prepare_text`` (the search index's text preparation) alone over every title
and body, against its plain definition (a regex callback per CJK run after NFKC of the
whole text), and checks that search results are unchanged: the loaded database is
searched as `search` does it, then its index is filled with the bigram text of search
version 2 and searched with that version's phrases; every query of bench/search_bench.py
(and a few more) must return the same articles with the same bm25 scores.

Rates are CPU seconds of this process (time.process_time), so other processes on the
machine disturb them less than wall time (but for load's wall-clock line, see 3.); the
ratios to ``raw`` in the same run are the figures to compare across machines.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import tempfile
import time
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from search_bench import QUERIES, synthetic

from newsharvest.normalize.dedupe import content_hash, simhash, story_sketch
from newsharvest.records import Article, PageOutcome
from newsharvest.store import Store, sidebuild
from newsharvest.store.fts import SEARCH_TABLE
from newsharvest.store.load import load_parts
from newsharvest.store.ngrams import RUN_END, bigram_text
from newsharvest.store.schema import ARTICLE_COLUMNS
from newsharvest.store.search import (
    TITLE_WEIGHT,
    match_expression,
    parse_query,
    prepare_text,
    search,
)

_CJK_RUN_RE = re.compile("[\u3005\u3007\u3041-\u3096\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf"
                         "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# More queries for the equality check: run ends, mixed scripts, single characters.
EXTRA_QUERIES = ["力", "片", "能", "据中", "芯片AI", "AI 芯片", "中国 chip", "Nvidia*"]


def plain_prepare(text: object) -> str:
    """prepare_text without its fast path: the plain definition of its tokens."""
    if text is None or text == "":
        return ""
    def characters(match: re.Match[str]) -> str:
        return " " + " ".join(match.group()) + RUN_END + " "
    return _CJK_RUN_RE.sub(characters, unicodedata.normalize("NFKC", str(text)))


def articles(n: int, seed: int = 7) -> list[Article]:
    out = []
    fetched = datetime(2025, 10, 20, tzinfo=UTC)
    for row in synthetic(n, seed=seed):
        body = row["body"]
        body_hash = content_hash(body)
        out.append(Article(
            url=row["url"], title=row["title"], body=body, language=row["language"],
            published=datetime.fromisoformat(row["published"]), source=row["source"],
            content_hash=body_hash, simhash=simhash(body), fetched_at=fetched,
            sketch=story_sketch(body, body_hash)))
    return out


def raw_rate(rows: list[dict], path: Path) -> float:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    names = list(ARTICLE_COLUMNS)
    conn.execute(f"CREATE TABLE articles ({', '.join(names)}, PRIMARY KEY(url))")
    start = time.process_time()
    with conn:
        conn.executemany(f"INSERT INTO articles VALUES ({', '.join('?' * len(names))})",
                         [[r[c] for c in names] for r in rows])
    elapsed = time.process_time() - start
    conn.close()
    return len(rows) / elapsed


def fts_rate(items: list[Article], path: Path, prepare=prepare_text) -> float:
    """The search index's own cost: the prepared title and body of every article inserted
    into an empty FTS5 table of the index's definition (settings of a fill), in one
    transaction, then optimised; the text is prepared beforehand (not timed)."""
    from newsharvest.store.fts import BULK_CONFIG

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("CREATE VIRTUAL TABLE s USING fts5(title, body, content='', "
                 "tokenize='unicode61 remove_diacritics 2')")
    for key, value in BULK_CONFIG.items():
        conn.execute("INSERT INTO s(s, rank) VALUES (?, ?)", [key, value])
    conn.commit()
    prepared = [(i + 1, prepare(a.title), prepare(a.body))
                for i, a in enumerate(items)]
    start = time.process_time()
    with conn:
        conn.executemany("INSERT INTO s(rowid, title, body) VALUES (?, ?, ?)", prepared)
        conn.execute("INSERT INTO s(s) VALUES ('optimize')")
    elapsed = time.process_time() - start
    conn.close()
    return len(items) / elapsed


def schema_rate(rows: list[dict], path: Path, *, per_row: bool) -> float:
    """Article rows into the store's own schema (its indexes, search triggers dropped),
    with no search index and no story linking: in one transaction, or one per row (the
    harvest's commit per page) with a fetch row each."""
    from newsharvest.store.fts import TRIGGERS

    names = list(ARTICLE_COLUMNS)
    insert = f"INSERT INTO articles ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    fetch = ("INSERT INTO fetches (run_id, url, source, status, http_status, at) "
             "VALUES ('bench', ?, ?, 'new', 200, ?)")
    with Store(path) as store:
        conn = store.db.conn
        for name in TRIGGERS:
            conn.execute(f"DROP TRIGGER {name}")
        values = [[r[c] for c in names] for r in rows]
        start = time.process_time()
        if per_row:
            for row, v in zip(rows, values, strict=True):
                with conn:
                    conn.execute(insert, v)
                    conn.execute(fetch, [row["url"], row["source"], row["fetched_at"]])
        else:
            with conn:
                conn.executemany(insert, values)
        elapsed = time.process_time() - start
    return len(rows) / elapsed


def harvest_rate(items: list[Article], path: Path) -> float:
    now = datetime.now(UTC)
    with Store(path) as store:
        start = time.process_time()
        for a in items:
            store.save(a, PageOutcome(url=a.url, source=a.source or "", status="new", at=now,
                                      http_status=200), "bench")
        elapsed = time.process_time() - start
    return len(items) / elapsed


def load_rate(rows: list[dict], workdir: Path, *, name: str = "loaded",
              sketches: bool = True) -> tuple[float, float, float]:
    """`load` of one part of the rows: as ingest writes it (zstd, with each body's story
    sketch, made by normalize in the extraction workers), or without sketches (a part of
    an older version, a shard database: load sketches every body itself).

    Rates on three clocks: wall time; CPU of this process; CPU of this process and its
    children, i.e. with the helper that builds the search index on the other core
    (store/sidebuild.py)."""
    import resource

    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsharvest.ingest.schema import ARROW_SCHEMA
    from newsharvest.store.schema import arrow_schema

    part = workdir / f"{name}.parquet"
    schema = ARROW_SCHEMA if sketches else arrow_schema()
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), part, compression="zstd")

    def children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    wall, start, helper = time.perf_counter(), time.process_time(), children()
    counts = load_parts([part], workdir / f"{name}.db")
    cpu = time.process_time() - start
    wall, helper = time.perf_counter() - wall, children() - helper
    assert counts["new"] == len(rows), counts
    return len(rows) / wall, len(rows) / cpu, len(rows) / (cpu + helper)


def prepare_rate(items: list[Article], prepare=prepare_text) -> float:
    for a in items[:10]:  # untimed: the fast path's lookup tables are built once per process
        prepare(a.title)
        prepare(a.body)
    start = time.process_time()
    for a in items:
        prepare(a.title)
        prepare(a.body)
    return len(items) / (time.process_time() - start)


def results(db_path: Path) -> list[list[tuple[str, float]]]:
    """Every query's hits as `search` finds them (url, bm25), in a stable order."""
    return [sorted((h.url, round(h.score, 9)) for h in search(db_path, q, limit=None))
            for q in QUERIES + EXTRA_QUERIES]


def same_search_results(db_path: Path) -> tuple[bool, int]:
    """Search results of the index as made, then of the bigram index of search version 2
    with that version's phrases (the SQL of `search`, on a plain connection)."""
    current = results(db_path)
    conn = sqlite3.connect(db_path)
    conn.create_function("bigram_text", 1, bigram_text, deterministic=True)
    with conn:
        conn.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('delete-all')")
        conn.execute(f"INSERT INTO {SEARCH_TABLE}(rowid, title, body) SELECT rowid, "
                     "bigram_text(title), bigram_text(body) FROM articles")
    sql = (f"SELECT a.url, bm25({SEARCH_TABLE}, {TITLE_WEIGHT}, 1.0) FROM {SEARCH_TABLE} "
           f"JOIN articles a ON a.rowid = {SEARCH_TABLE}.rowid WHERE {SEARCH_TABLE} MATCH ?")
    bigrams = [sorted((url, round(score, 9)) for url, score in conn.execute(
        sql, [match_expression(parse_query(q), version="2")]))
        for q in QUERIES + EXTRA_QUERIES]
    conn.close()
    return current == bigrams, sum(map(len, current))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows for raw and load")
    parser.add_argument("--harvest", type=int, default=3_000, help="rows saved one by one")
    args = parser.parse_args()
    print(f"generating {args.rows} articles ...", file=sys.stderr)
    items = articles(args.rows)
    rows = [a.to_row() for a in items]
    part_rows = [{**row, "story_sketch": a.sketch} for row, a in zip(rows, items, strict=True)]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        raw = raw_rate(rows, workdir / "raw.db")
        print(f"raw executemany      {raw:8.0f} rows/s   ({args.rows} rows, one transaction)")
        prep = prepare_rate(items)
        plain = prepare_rate(items, plain_prepare)
        print(f"prepare_text         {prep:8.0f} rows/s   (title + body; the plain definition "
              f"{plain:.0f} rows/s: {prep / plain:.1f}x)")
        fts = fts_rate(items, workdir / "fts.db")
        print(f"FTS5 insert alone    {fts:8.0f} rows/s   (prepared text of the {args.rows} "
              f"rows, one transaction + optimize: the index's own floor)")
        old = fts_rate(items, workdir / "fts2.db", bigram_text)
        print(f"  ... bigram text    {old:8.0f} rows/s   (the same, text as search versions 1-2 "
              f"indexed it: {fts / old:.1f}x slower)")
        bulk = schema_rate(rows, workdir / "schema.db", per_row=False)
        print(f"rows, store schema   {bulk:8.0f} rows/s   ({args.rows} rows, its indexes, one "
              "transaction; no search index, no linking)")
        single = schema_rate(rows[:args.harvest], workdir / "single.db", per_row=True)
        print(f"rows, one commit each{single:8.0f} rows/s   ({args.harvest} rows + fetch rows, "
              "store schema; no search index, no linking)")
        print(f"  floors: load <= {1 / (1 / fts + 1 / bulk):.0f} rows/s, harvest path <= "
              f"{1 / (1 / fts + 1 / single):.0f} rows/s before any linking or Python")
        harvest = harvest_rate(items[:args.harvest], workdir / "harvest.db")
        print(f"harvest path (save)  {harvest:8.0f} rows/s   ({args.harvest} rows, one "
              f"transaction each)  = {harvest / raw:.2f}x raw")
        bare = [replace(a, sketch=None) for a in items[:args.harvest]]
        unsketched = harvest_rate(bare, workdir / "harvest-bare.db")
        print(f"  ... no sketch      {unsketched:8.0f} rows/s   (the same articles without "
              "normalize's story sketch: the store makes it, as load does)")
        load, alone, both = load_rate(part_rows, workdir)
        print(f"load (parquet part)  {load:8.0f} rows/s   ({args.rows} rows, wall clock, index "
              f"built meanwhile on the other core) = {load / raw:.2f}x raw")
        print(f"  ... CPU clock      {both:8.0f} rows/s   (the load and its index helper; the "
              f"load's process alone {alone:.0f} rows/s) = {both / raw:.2f}x raw")
        with_helper = sidebuild.MIN_ROWS
        sidebuild.MIN_ROWS = sys.maxsize
        try:
            serial, serial_cpu, _ = load_rate(part_rows, workdir, name="serial")
        finally:
            sidebuild.MIN_ROWS = with_helper
        print(f"  ... no helper      {serial:8.0f} rows/s   (the same load on one core, the index "
              f"rebuilt after the rows: wall clock; CPU clock {serial_cpu:.0f} rows/s): the "
              f"helper makes it {load / serial:.2f}x faster")
        bare_load, _, bare_both = load_rate(rows, workdir, name="bare", sketches=False)
        print(f"  ... no sketches    {bare_load:8.0f} rows/s   (a part without ingest's story "
              f"sketches: load sketches every body; CPU clock {bare_both:.0f} rows/s)")
        same, hits = same_search_results(workdir / "loaded.db")
        print(f"search results, index of characters vs the bigram index of version 2: "
              f"{'identical' if same else 'DIFFERENT'} ({len(QUERIES + EXTRA_QUERIES)} queries, "
              f"{hits} hits, bm25 to 9 decimals)")


if __name__ == "__main__":
    main()
