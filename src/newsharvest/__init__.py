"""newsharvest: bilingual (Chinese + English) news harvester.

Configured sources are fetched, portal boilerplate is stripped, and each article becomes
one clean record in SQLite. The command line (`newsharvest ...`) is a thin layer over the
functions exported here.
"""

from __future__ import annotations

import importlib
import logging
import sys
import types
from typing import TYPE_CHECKING

from ._version import __version__
from .errors import (
    ConfigError,
    ExtractionError,
    FetchError,
    LockHeldError,
    NewsharvestError,
    StoreError,
)
from .records import Article, HarvestReport, Source

if TYPE_CHECKING:
    from .api import extract_html
    from .config import load_sources
    from .harvest import harvest

# The three functions load on first use: `import newsharvest` (and every CLI command that
# does not extract or fetch) stays free of the extractor, numpy and httpx.
_LAZY = {"extract_html": ".api", "load_sources": ".config", "harvest": ".harvest"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """Importing the submodule `newsharvest.harvest` sets the package attribute `harvest`
    to the module; keep it the function, as the eager import used to."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

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
