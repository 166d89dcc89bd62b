"""The HTTP validator cache: ETag / Last-Modified of discovery documents, for the next
run's conditional request (a 304 then costs no parsing)."""

from __future__ import annotations

import sqlite_utils


def validators(db: sqlite_utils.Database, url: str) -> dict[str, str]:
    """Conditional-request headers for a URL fetched before (ETag, Last-Modified)."""
    row = db.execute(
        "SELECT etag, last_modified FROM http_cache WHERE url = ?", [url]).fetchone()
    headers: dict[str, str] = {}
    if row and row[0]:
        headers["If-None-Match"] = row[0]
    if row and row[1]:
        headers["If-Modified-Since"] = row[1]
    return headers


def remember(db: sqlite_utils.Database, url: str, etag: str | None,
             last_modified: str | None, at: str) -> None:
    """Keep a response's validators for the next run's conditional request."""
    with db.atomic():
        db.table("http_cache").upsert(
            {"url": url, "etag": etag, "last_modified": last_modified, "checked_at": at},
            pk="url")
