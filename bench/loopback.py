"""A loopback news site for the benchmarks: one threaded HTTP server on 127.0.0.1 with a
feed (``/feed.xml``) listing ``/a/0`` .. ``/a/{pages-1}``, each page made by a callback.

Traffic never leaves 127.0.0.1. Each server has its own port, so newsharvest treats it as
its own host (own politeness gate).
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable

# (port, page number) -> the page's HTML bytes
PageMaker = Callable[[int, int], bytes]


def serve_site(pages: int, make_page: PageMaker,
               latency: float = 0.0) -> http.server.ThreadingHTTPServer:
    """Start the site in a daemon thread; every answer waits `latency` seconds."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            if latency:
                time.sleep(latency)
            port = self.server.server_address[1]
            number = self.path[3:]
            if self.path == "/feed.xml":
                items = "".join(f"<item><link>http://127.0.0.1:{port}/a/{i}</link></item>"
                                for i in range(pages))
                body = f"<rss version='2.0'><channel>{items}</channel></rss>".encode()
                kind = "application/rss+xml"
            elif self.path.startswith("/a/") and number.isdigit() and int(number) < pages:
                body, kind = make_page(port, int(number)), "text/html; charset=utf-8"
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
