"""The package version, in a module of its own.

pyproject.toml reads it from here (one place to bump), and modules that need it (the HTTP
User-Agent, ``--version``) import it without importing the package ``__init__``, which
imports the whole pipeline.
"""

__version__ = "0.1.0"
