"""The store: articles, fetch outcomes and their schema in one SQLite file."""

from .writer import Store

__all__ = ["Store"]
