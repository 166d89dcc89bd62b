"""The Arrow schema of a Parquet part: the article columns of the SQLite store, plus where
each row came from in the WARC.

Fixed rather than inferred, so every part (an empty one too) has the same columns and
types, and parts from any engine concatenate without casting.
"""

from __future__ import annotations

import pyarrow as pa

from ..store.schema import ARTICLE_COLUMNS

_ARROW_TYPES = {str: pa.string(), int: pa.int64(), float: pa.float64()}

ARROW_SCHEMA = pa.schema(
    [pa.field(name, _ARROW_TYPES[kind]) for name, kind in ARTICLE_COLUMNS.items()]
    + [
        pa.field("requested_url", pa.string()),
        pa.field("warc_file", pa.string()),
        pa.field("warc_record_id", pa.string()),
        pa.field("warc_date", pa.string()),
        pa.field("warc_offset", pa.int64()),
    ]
)
