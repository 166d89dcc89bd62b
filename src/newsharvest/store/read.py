"""The read side, one import for callers: filters, opening a file, export and stats.

Each job has its own module (filters.py, database.py, export.py, stats.py); this one only
gathers their public names, so ``from newsharvest.store.read import ...`` keeps working.
"""

from __future__ import annotations

from .database import open_database
from .export import EXPORT_COLUMNS, EXPORT_FORMATS, export_articles, iter_articles, write_rows
from .filters import Filters, parse_when
from .stats import SourceStats, source_stats

__all__ = ["EXPORT_COLUMNS", "EXPORT_FORMATS", "Filters", "SourceStats", "export_articles",
           "iter_articles", "open_database", "parse_when", "source_stats", "write_rows"]
