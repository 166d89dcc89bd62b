"""The store: articles, fetch outcomes and their schema in one SQLite file."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .writer import Store

__all__ = ["Store"]


def __getattr__(name: str) -> object:
    # Lazy: the read side (search, query, export) imports store.read/search without paying
    # for the writer's story index (numpy).
    if name == "Store":
        from .writer import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
