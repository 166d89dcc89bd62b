"""Views for people browsing the file (Datasette, sqlite3): plain SQL, no custom functions.

Created by `ensure_views` on every open; a changed definition (VIEWS_VERSION) replaces the
old views of an existing file.
"""

from __future__ import annotations

import sqlite_utils

VIEWS_VERSION = "2"  # 2: first/last_published from published_utc (time order)

STORY_VIEWS = {
    "stories": """
        CREATE VIEW IF NOT EXISTS stories AS
        SELECT story_id, count(*) AS articles, count(DISTINCT source) AS sources,
               group_concat(DISTINCT source) AS source_names,
               min(published_utc) AS first_published, max(published_utc) AS last_published,
               min(title) AS a_title
        FROM articles WHERE story_id IS NOT NULL GROUP BY story_id""",
    "article_duplicates": """
        CREATE VIEW IF NOT EXISTS article_duplicates AS
        SELECT a.url, a.source, a.title, a.published, a.published_utc, a.story_id,
               d.url AS duplicate_url, d.source AS duplicate_source,
               d.title AS duplicate_title, d.published AS duplicate_published,
               d.published_utc AS duplicate_published_utc
        FROM articles a JOIN articles d ON d.story_id = a.story_id AND d.url != a.url""",
}


def ensure_views(db: sqlite_utils.Database) -> None:
    """Create the views, replacing those of an older VIEWS_VERSION."""
    row = db.execute("SELECT value FROM newsharvest_meta WHERE key = 'views_version'"
                     ).fetchone()
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    if row and row[0] == VIEWS_VERSION and set(STORY_VIEWS) <= names:
        return
    with db.atomic():
        for name, sql in STORY_VIEWS.items():
            db.execute(f"DROP VIEW IF EXISTS {name}")
            db.execute(sql)
        db.execute("INSERT INTO newsharvest_meta(key, value) VALUES ('views_version', ?) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [VIEWS_VERSION])
