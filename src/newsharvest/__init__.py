"""newsharvest: bilingual (Chinese + English) news harvester.

Configured sources are fetched, portal boilerplate is stripped, and each article becomes
one clean record in SQLite. The command line (`newsharvest ...`) is a thin layer over the
functions exported here.
"""

from __future__ import annotations

import logging

from ._version import __version__
from .api import extract_html
from .config import load_sources
from .errors import (
    ConfigError,
    ExtractionError,
    FetchError,
    LockHeldError,
    NewsharvestError,
    StoreError,
)
from .harvest import harvest
from .records import Article, HarvestReport, Source

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "ConfigError",
    "ExtractionError",
    "FetchError",
    "HarvestReport",
    "LockHeldError",
    "NewsharvestError",
    "Source",
    "StoreError",
    "__version__",
    "extract_html",
    "harvest",
    "load_sources",
]
