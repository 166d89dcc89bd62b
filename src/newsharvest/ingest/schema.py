"""The Arrow schema of a Parquet part: the article columns of the SQLite store, plus where
each row came from in the WARC, and the body's story sketch (normalize's, packed: store/
sketch.py), so `load` links stories without sketching every body again.

Fixed rather than inferred, so every part (an empty one too) has the same columns and
types, and parts from any engine concatenate without casting.
"""

from __future__ import annotations

from ..store.schema import arrow_schema

ARROW_SCHEMA = arrow_schema(extra=[
    ("requested_url", str),
    ("warc_file", str),
    ("warc_record_id", str),
    ("warc_date", str),
    ("warc_offset", int),
    ("story_sketch", bytes),
])
