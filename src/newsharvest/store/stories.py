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

import numpy as np
import sqlite_utils

from ..records import Article

CANDIDATE_BITS = 12  # SimHash distance under which a stored article is checked
RECENT_ARTICLES = 5000  # how many of the newest rows are compared (a day of a big harvest)
MIN_CONTAINMENT = 0.6  # share of the shorter body's 5-grams found in the other body
_STRIP_RE = re.compile(r"[\W_]+")


class StoryIndex:
    """The newest articles' sketches in memory, so linking costs one vectorised comparison
    per saved article instead of re-reading and re-parsing thousands of rows each time.

    Loaded from the database on first use, then kept current by `add` as the store saves.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        rows = db.execute(
            "SELECT url, simhash, story_id FROM articles WHERE simhash IS NOT NULL "
            "ORDER BY rowid DESC LIMIT ?", [RECENT_ARTICLES]).fetchall()
        rows.reverse()  # oldest first, so `add` appends the newest at the end
        self.urls = [r[0] for r in rows]
        self.story_ids = [r[2] for r in rows]
        self.sketches = np.array([int(r[1], 16) for r in rows], dtype=np.uint64)

    def story_for(self, article: Article) -> str:
        """The story id this article belongs to: an existing copy's, or a new one."""
        row = self.db.execute(
            "SELECT story_id FROM articles WHERE content_hash = ? AND url != ? "
            "AND story_id IS NOT NULL LIMIT 1",
            [article.content_hash, article.url],
        ).fetchone()
        if row:
            return str(row[0])
        if article.simhash is not None:
            match = self._near_copy(article)
            if match is not None:
                return match
        return article.content_hash[:16]

    def add(self, url: str, sketch: int | None, story_id: str) -> None:
        """Remember a saved article (the newest RECENT_ARTICLES are kept)."""
        if sketch is None:
            return
        self.urls.append(url)
        self.story_ids.append(story_id)
        self.sketches = np.append(self.sketches, np.uint64(sketch))[-RECENT_ARTICLES:]
        del self.urls[:-RECENT_ARTICLES], self.story_ids[:-RECENT_ARTICLES]

    def _near_copy(self, article: Article) -> str | None:
        assert article.simhash is not None
        if not len(self.sketches):
            return None
        distances = np.bitwise_count(self.sketches ^ np.uint64(article.simhash))
        candidates = sorted(
            (int(distances[i]), self.urls[i], self.story_ids[i])
            for i in np.flatnonzero(distances <= CANDIDATE_BITS)
            if self.urls[i] != article.url
        )
        if not candidates:
            return None
        mine = grams(article.body)  # only when there is something to compare with
        for _, url, story_id in candidates:
            body = self.db.execute("SELECT body FROM articles WHERE url = ?", [url]).fetchone()
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
