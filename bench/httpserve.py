"""What the benchmarks' local web servers share: one answer with a body."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler


def send(handler: BaseHTTPRequestHandler, status: int, content_type: str, body: bytes) -> None:
    """Answer ``status`` with ``body`` as ``content_type``, its length declared."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
