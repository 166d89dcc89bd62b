"""How many CPUs this process may use: sizes the extraction pool, ingest's workers and
whether `load` builds its search index on another core. A module of its own, so the store
can ask without importing the extractor that workers.py brings."""

from __future__ import annotations

import os


def available_cpus() -> int:
    """CPUs this process may run on (cgroup/affinity aware where the OS says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1
