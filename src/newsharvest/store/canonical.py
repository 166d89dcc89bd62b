"""Is a loaded row already the row `Article.to_row` would make of it?

A Parquet part (or a shard's articles table) holds rows written by `to_row`. Loading
one turns each row into an Article (the dedupe and linking rules work on Articles) and,
on the bulk path, back into a row: the second half is a tenth of a row's Python time and
gives back the values read, whenever they are in `to_row`'s own form. This checks that
form exactly (cheaper than formatting three dates again), so such a row's values are
stored as read; any other row (a hand-made part, an offset written another way) still
goes through `to_row`, so what is stored never changes.
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Any

from ..records import Article
from .schema import ARTICLE_COLUMNS

ROW_VALUES = itemgetter(*ARTICLE_COLUMNS)  # a row's values in column order
# datetime.isoformat's own output: seconds always, microseconds only when not zero, an
# offset of whole minutes (minus zero is written "+00:00"). ASCII digits only: \d is wider.
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                  r"(?:\.(?!000000)[0-9]{6})?(?:\+[0-9]{2}:[0-9]{2}|-(?!00:00)[0-9]{2}:[0-9]{2})?")
_HEX16 = re.compile(r"[0-9a-f]{16}")


def canonical(row: dict[str, Any], article: Article) -> bool:
    """Would `article.to_row()` (`article` = `Article.from_row(row)`) give back `row`'s
    values for every stored column but story_id (set by the store)? True only when sure."""
    for name, parsed in (("published", article.published), ("modified", article.modified),
                         ("fetched_at", article.fetched_at)):
        text = row[name]
        # from_row parsed it (not None): so the form alone says isoformat gives it back
        if text is not None and (parsed is None or type(text) is not str
                                 or not _ISO.fullmatch(text)):
            return False
    simhash = row["simhash"]
    if simhash is not None and (type(simhash) is not str or not _HEX16.fullmatch(simhash)):
        return False
    for name in ("authors", "credits"):  # "" is read as () and written as None
        text = row[name]
        if text is not None and (type(text) is not str or not text):
            return False
    version = row["extractor_version"]  # None or "" is read as EXTRACTOR_VERSION
    return type(version) is str and version != ""
