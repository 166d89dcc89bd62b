"""Replay a folder of saved pages as if it were the web (``harvest --replay DIR``).

Every ``manifest.json`` under DIR maps URLs to files, statuses and headers (see
fixtures/README.md; `fixtures.load_manifests` reads them). The same transport backs the
tests, so tests and replays run the real pipeline, only the socket is replaced.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from ..fixtures import load_manifests


class ReplayTransport(httpx.MockTransport):
    """An httpx transport answering from a manifest; unknown URLs get 404.

    `requests` counts what was asked, so tests can assert what a run fetched.
    """

    def __init__(self, root: str | Path) -> None:
        self.entries = load_manifests(root)
        self.requests: list[str] = []
        super().__init__(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requests.append(url)
        entry = self.entries.get(url)
        if entry is None:
            return httpx.Response(404, text="not in replay manifest")
        body = entry.path.read_bytes() if entry.path.is_file() else b""
        return httpx.Response(entry.status, headers=entry.headers, content=body)
