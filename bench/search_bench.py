"""Search latency and insert rate of the full-text index, on synthetic articles.

Usage:
    PYTHONPATH=src python bench/search_bench.py [--articles 100000] [--insert 5000]
                                                [--db PATH] [--trigram]

1. Insert rate: the same --insert articles (half Chinese) go through sqlite-utils
   ``insert_all`` into a fresh newsharvest file with the index's triggers on, and again
   with them off (``paused_search_index``), whose one rebuild at the end is timed apart.
2. A database of --articles articles (half Chinese, ~700-1,700 Han characters; half
   English, ~1.5-3 KB; topic words such as 算力 in 2% of the Chinese ones) is bulk-loaded
   with the index paused, then rebuilt. Index and text sizes are read from ``dbstat``.
3. Latency: each query is run through ``newsharvest.store.search.search`` (top 20, with
   snippets) five times; the median is printed with the number of matching articles. For
   short Chinese queries the alternative design, an ``instr()`` scan of the bodies, is timed
   too: its first 20 rows (unranked) and the full scan (what ranking would need).
4. With --trigram, a trigram FTS5 table over the same text is built for size and
   3-character-query comparison (it cannot answer the 2-character ones).

Prints numbers only; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from newsharvest.store import Store
from newsharvest.store.read import Filters
from newsharvest.store.search import paused_search_index, search

# Topic words go into a share of the articles (so matches are a realistic minority); the
# rest of the text is drawn, Zipf-distributed, from synthetic vocabularies of 20,000 words.
ZH_TOPICS = {"算力": 0.02, "芯片": 0.05, "人工智能": 0.03, "数据中心": 0.02, "中国": 0.3,
             "OpenAI": 0.01}
EN_TOPICS = {"chip": 0.04, "semiconductor": 0.02, "AI": 0.05, "data center": 0.02,
             "Nvidia": 0.02, "chips": 0.03, "inflation": 0.05}
EN_FUNCTION = ("the of and to in a that for on with as was is said by at from it his an be "
               "have are has but not were they which this who had been would their").split()
SYLLABLES = ("ba be bi bo bu ka ke ki ko ku ta te ti to tu ra re ri ro ru la le li lo lu ma me "
             "mi mo mu na ne ni no nu sa se si so su pa pe pi po pu da de di do du ga ge go "
             "str pl tr an en in on un er or ar ent ion ing ed ly").split()

QUERIES = ["算力", "芯片", "中国", "算", "人工智能", "数据中心", "OpenAI 算力", "chip",
           "semiconductor", "AI", '"data center"', "inflation OR", "Nvidia chips"]


class Vocabulary:
    """Synthetic Chinese and English vocabularies with Zipf weights (seeded)."""

    def __init__(self, seed: int = 42, size: int = 20_000) -> None:
        rng = random.Random(seed)
        chars = [chr(c) for c in rng.sample(range(0x4E00, 0x9FA6), 3500)]
        char_weights = [1 / (i + 1) for i in range(len(chars))]
        self.zh = ["".join(rng.choices(chars, char_weights, k=rng.choice((2, 2, 2, 3, 4))))
                   for _ in range(size)]
        self.en = EN_FUNCTION + ["".join(rng.choices(SYLLABLES, k=rng.randint(1, 4)))
                                 for _ in range(size)]
        self.zh_cum = _cumulative(len(self.zh))
        self.en_cum = _cumulative(len(self.en))


def _cumulative(n: int) -> list[float]:
    total, out = 0.0, []
    for i in range(n):
        total += 1 / (i + 1)
        out.append(total)
    return out


def chinese_body(rng: random.Random, vocab: Vocabulary, topics: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(25, 50)):
        words = rng.choices(vocab.zh, cum_weights=vocab.zh_cum, k=rng.randint(4, 8))
        if topics and rng.random() < 0.3:
            words.insert(rng.randrange(len(words) + 1), rng.choice(topics))
        sentences.append("".join(words) + rng.choice("。。。，；！"))
    return "\n\n".join("".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5))


def english_body(rng: random.Random, vocab: Vocabulary, topics: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(20, 40)):
        words = rng.choices(vocab.en, cum_weights=vocab.en_cum, k=rng.randint(10, 16))
        if topics and rng.random() < 0.3:
            words.insert(rng.randrange(len(words) + 1), rng.choice(topics))
        sentences.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def synthetic(n: int, seed: int = 0, start: int = 0) -> list[dict]:
    rng = random.Random(seed)
    vocab = _vocab()
    rows = []
    for i in range(start, start + n):
        zh = i % 2 == 0
        table = ZH_TOPICS if zh else EN_TOPICS
        topics = [t for t, share in table.items() if rng.random() < share]
        if zh:
            body = chinese_body(rng, vocab, topics)
            title = "".join(rng.choices(vocab.zh, cum_weights=vocab.zh_cum, k=5) + topics[:1])
        else:
            body = english_body(rng, vocab, topics)
            title = " ".join(rng.choices(vocab.en, cum_weights=vocab.en_cum, k=8)).title()
        rows.append({
            "url": f"https://example.com/{i}",
            "source": f"zh-{'abc'[i // 2 % 3]}" if zh else f"en-{'ab'[i // 2 % 2]}",
            "title": title, "body": body, "language": "zh-Hans" if zh else "en",
            "published": f"2025-10-{1 + i % 28:02d}T{i % 24:02d}:00:00+08:00",
            "content_hash": f"{i:032x}",
        })
    return rows


_VOCAB: list[Vocabulary] = []


def _vocab() -> Vocabulary:
    if not _VOCAB:
        _VOCAB.append(Vocabulary())
    return _VOCAB[0]


def insert_rate(rows: list[dict], workdir: Path) -> None:
    for label, paused in (("index on (triggers)", False), ("index off", True)):
        path = workdir / f"insert-{'off' if paused else 'on'}.db"
        with Store(path) as store:
            start = time.perf_counter()
            if paused:
                with paused_search_index(store.db):
                    store.db.table("articles").insert_all(rows, batch_size=500)
                    loaded = time.perf_counter()
                rebuild = time.perf_counter() - loaded
            else:
                store.db.table("articles").insert_all(rows, batch_size=500)
                loaded = time.perf_counter()
            elapsed = loaded - start
            line = f"  {label:20s} {len(rows) / elapsed:8.0f} rows/s ({elapsed:.1f} s)"
            if paused:
                line += f"; rebuild afterwards {rebuild:.1f} s ({len(rows) / rebuild:.0f} rows/s)"
            print(line)


def median_ms(func, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sizes(store: Store) -> None:
    text = store.db.execute("SELECT sum(length(CAST(title AS BLOB)) + length(CAST(body AS BLOB)))"
                            " FROM articles").fetchone()[0]
    for prefix in ("articles_search", "articles_trigram"):
        size = store.db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?",
                                [prefix + "%"]).fetchone()[0]
        if size:
            print(f"  {prefix:18s} {size / 2**20:8.1f} MiB = {size / text:.2f}x the text "
                  f"({text / 2**20:.1f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--insert", type=int, default=5_000)
    parser.add_argument("--db", type=Path, help="Keep the big database here.")
    parser.add_argument("--trigram", action="store_true", help="Compare a trigram table.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print(f"insert rate, {args.insert} articles (half Chinese), sqlite-utils insert_all:")
        insert_rate(synthetic(args.insert, seed=1), workdir)
        path = args.db or workdir / "big.db"
        path.unlink(missing_ok=True)
        print(f"\nbuilding {args.articles} articles ...")
        with Store(path) as store:
            start = time.perf_counter()
            with paused_search_index(store.db):
                for first in range(0, args.articles, 10_000):
                    chunk = synthetic(min(10_000, args.articles - first), seed=first, start=first)
                    store.db.table("articles").insert_all(chunk, batch_size=1000)
                loaded = time.perf_counter()
            print(f"  load {loaded - start:.1f} s, index rebuild "
                  f"{time.perf_counter() - loaded:.1f} s")
            if args.trigram:
                start = time.perf_counter()
                with store.db.conn:
                    store.db.execute("CREATE VIRTUAL TABLE articles_trigram USING fts5(title, "
                                     "body, content='articles', tokenize='trigram')")
                    store.db.execute("INSERT INTO articles_trigram(articles_trigram) "
                                     "VALUES ('rebuild')")
                print(f"  trigram table build {time.perf_counter() - start:.1f} s")
            sizes(store)
            latency(store, args.trigram)


def latency(store: Store, trigram: bool) -> None:
    db = store.db
    print("\nlatency, median of 5 (top 20 with snippets):")
    print(f"  {'query':24s} {'matches':>8s} {'index ms':>9s} {'filtered ms':>12s}")
    recent = Filters.of(lang=["zh-Hans", "en"], since="2025-10-20", source=["zh-a", "en-b"])
    for query in QUERIES:
        count = sum(1 for _ in search(db, query, limit=None, mark=("", "")))
        ms = median_ms(lambda q=query: list(search(db, query=q)))
        fms = median_ms(lambda q=query: list(search(db, query=q, filters=recent)))
        print(f"  {query:24s} {count:8d} {ms:9.1f} {fms:12.1f}")
    print("\nthe alternative for short Chinese terms: instr() scan of title and body:")
    first_sql = "SELECT url FROM articles WHERE instr(body, ?) OR instr(title, ?) LIMIT 20"
    full_sql = "SELECT count(*) FROM articles WHERE instr(body, ?) OR instr(title, ?)"
    for needle in ("算力", "芯片", "算"):
        first = median_ms(lambda n=needle: db.execute(first_sql, [n, n]).fetchall(), 3)
        full = median_ms(lambda n=needle: db.execute(full_sql, [n, n]).fetchall(), 3)
        print(f"  {needle:6s} first 20 unranked {first:7.1f} ms, full scan {full:7.1f} ms")
    if trigram:
        print("\ntrigram table, 3+ character queries only:")
        sql = ("SELECT rowid FROM articles_trigram WHERE articles_trigram MATCH ? "
               "ORDER BY bm25(articles_trigram) LIMIT 20")
        for query in ("人工智能", "数据中心", "semiconductor"):
            ms = median_ms(lambda q=query: db.execute(sql, [f'"{q}"']).fetchall())
            print(f"  {query:24s} {ms:9.1f} ms")


if __name__ == "__main__":
    main()
