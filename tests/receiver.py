"""A local webhook receiver for the alert tests: answers with scripted statuses, records every POST."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    def __init__(self, statuses: list[int] | None = None, *, hold: threading.Event | None = None) -> None:
        self.statuses = list(statuses or [])  # answered in turn; 204 once they run out
        self.hold = hold  # when set, every request waits for this event before answering
        self.received: list[dict[str, Any]] = []
        self.answered: list[int] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if owner.hold is not None:
                    owner.hold.wait(timeout=60)
                with owner.lock:
                    status = owner.statuses.pop(0) if owner.statuses else 204
                    owner.answered.append(status)
                    if status < 300:
                        owner.received.append({"content_type": self.headers.get("Content-Type"),
                                               "json": json.loads(body)})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()


def dead_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"
