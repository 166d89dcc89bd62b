"""Replay a folder of saved pages as if it were the web (``harvest --replay DIR``).

Every ``manifest.json`` under DIR maps URLs to files, statuses and headers (see
fixtures/README.md). The same transport backs the tests, so tests and replays run the
real pipeline, only the socket is replaced.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from .errors import ConfigError


def load_manifest(root: str | Path) -> dict[str, dict[str, Any]]:
    """Merge every manifest.json under `root`: URL -> {"path", "status", "headers"}."""
    root = Path(root)
    if not root.is_dir():
        raise ConfigError("replay folder not found", path=str(root))
    merged: dict[str, dict[str, Any]] = {}
    for manifest in sorted(root.rglob("manifest.json")):
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"unreadable manifest: {exc}", path=str(manifest)) from exc
        if not isinstance(entries, dict):
            raise ConfigError("must map URLs to entries", path=str(manifest))
        for url, entry in entries.items():
            if url in merged:
                raise ConfigError(f"URL listed twice (also in {merged[url]['manifest']})",
                                  path=str(manifest), entry=url)
            if not isinstance(entry, dict) or "file" not in entry:
                raise ConfigError("needs a 'file'", path=str(manifest), entry=url, field="file")
            merged[url] = {
                "path": manifest.parent / entry["file"],
                "status": int(entry.get("status", 200)),
                "headers": {k.lower(): str(v) for k, v in (entry.get("headers") or {}).items()},
                "manifest": str(manifest),
            }
    return merged


class ReplayTransport(httpx.MockTransport):
    """An httpx transport answering from a manifest; unknown URLs get 404.

    `requests` counts what was asked, so tests can assert what a run fetched.
    """

    def __init__(self, root: str | Path) -> None:
        self.entries = load_manifest(root)
        self.requests: list[str] = []
        super().__init__(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requests.append(url)
        entry = self.entries.get(url)
        if entry is None:
            return httpx.Response(404, text="not in replay manifest")
        path: Path = entry["path"]
        body = path.read_bytes() if path.is_file() else b""
        return httpx.Response(entry["status"], headers=entry["headers"], content=body)
