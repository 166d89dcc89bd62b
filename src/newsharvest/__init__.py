"""newsharvest: bilingual (Chinese + English) news harvester.

Configured sources are fetched, portal boilerplate is stripped, and each article becomes
one clean record in SQLite. The command line (`newsharvest ...`) is a thin layer over the
functions exported here.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

from .api import extract_html  # noqa: E402
from .config import load_sources  # noqa: E402
from .errors import (  # noqa: E402
    ConfigError,
    ExtractionError,
    FetchError,
    LockHeldError,
    NewsharvestError,
    StoreError,
)
from .harvest import harvest  # noqa: E402
from .records import Article, HarvestReport, Source  # noqa: E402

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
