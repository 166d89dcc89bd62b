"""Link copies of one story across portals with a shared `story_id`.

Two stages, because a 64-bit SimHash alone cannot separate the cases: on the evaluation
pages, unrelated articles came as close as 9 bits while edited reprints (a paragraph
dropped, a source line added) reached 18. So SimHash only *finds* candidates among the
most recent articles (distance <= CANDIDATE_BITS), and a direct check *decides*: the share
of character 5-grams of the shorter body found in the other (containment), which is high
for a reprint that dropped or rewrote a few lines and low for two stories on one topic.

Exact copies (same content hash) join their story at once.
"""

from __future__ import annotations

import re

import sqlite_utils

from ..normalize.dedupe import hamming
from ..records import Article

CANDIDATE_BITS = 12  # SimHash distance under which a stored article is checked
RECENT_ARTICLES = 5000  # how many of the newest rows are compared (a day of a big harvest)
MIN_CONTAINMENT = 0.6  # share of the shorter body's 5-grams found in the other body
_STRIP_RE = re.compile(r"[\W_]+")


def story_for(db: sqlite_utils.Database, article: Article) -> str:
    """The story id this article belongs to: an existing copy's, or a new one."""
    row = db.execute(
        "SELECT story_id FROM articles WHERE content_hash = ? AND url != ? "
        "AND story_id IS NOT NULL LIMIT 1",
        [article.content_hash, article.url],
    ).fetchone()
    if row:
        return str(row[0])
    if article.simhash is not None:
        match = _near_copy(db, article)
        if match is not None:
            return match
    return article.content_hash[:16]


def _near_copy(db: sqlite_utils.Database, article: Article) -> str | None:
    assert article.simhash is not None
    rows = db.execute(
        "SELECT url, simhash, story_id FROM articles WHERE simhash IS NOT NULL AND url != ? "
        "ORDER BY rowid DESC LIMIT ?",
        [article.url, RECENT_ARTICLES],
    ).fetchall()
    candidates = sorted(
        (distance, url, story_id)
        for url, sketch, story_id in rows
        if (distance := hamming(int(sketch, 16), article.simhash)) <= CANDIDATE_BITS
    )
    if not candidates:
        return None
    mine = grams(article.body)
    for _, url, story_id in candidates:
        body = db.execute("SELECT body FROM articles WHERE url = ?", [url]).fetchone()
        if body and containment(mine, grams(body[0])) >= MIN_CONTAINMENT:
            return str(story_id) if story_id else None
    return None


def grams(body: str, n: int = 5) -> set[str]:
    """Character n-grams of the body without spaces and punctuation (script-neutral)."""
    text = _STRIP_RE.sub("", body.lower())
    return {text[i:i + n] for i in range(max(0, len(text) - n + 1))}


def containment(a: set[str], b: set[str]) -> float:
    """|A ∩ B| / min(|A|, |B|): 1.0 when the shorter text is wholly inside the longer."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
