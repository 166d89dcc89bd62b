"""Shared test fixtures: the fixture corpus, a replay transport and a loopback server.

Tests never leave 127.0.0.1: the replay transport replaces the socket entirely, and the
loopback server binds 127.0.0.1 on a free port for the tests that need real HTTP (timeouts,
hanging responses, counted requests).
"""

from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import FIXTURES, send_response


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """The CLI configures the root logger (handlers on the stream pytest captured for that
    test); put it back so later tests do not log into a closed capture."""
    import logging

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@dataclass
class Route:
    """What the loopback server answers for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a hanging server)
    sequence: list[int] | None = None  # statuses answered in turn, then `status`
    custom: Callable[[http.server.BaseHTTPRequestHandler], None] | None = None  # writes it all


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 whose routes a test sets; counts requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.log: list[tuple[float, str]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.hits[self.path] += 1
                server.log.append((time.monotonic(), self.path))
                route = server.routes.get(self.path)
                if route is None:
                    self._send(404, b"not found", {})
                    return
                if route.custom is not None:
                    route.custom(self)
                    return
                if route.delay:
                    time.sleep(route.delay)
                status = route.status
                if route.sequence:
                    status = route.sequence.pop(0)
                self._send(status, route.body if status == 200 else b"error", route.headers)

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                send_response(self, status, body, headers)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: bytes | str = b"", **kwargs: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **kwargs)  # type: ignore[arg-type]
        return self.url(path)


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


@pytest.fixture
def make_sources(tmp_path: Path) -> Callable[[str], Path]:
    """Write a sources.yaml with the given text and return its path."""

    def write(text: str) -> Path:
        path = tmp_path / "sources.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
