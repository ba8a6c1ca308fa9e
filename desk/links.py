"""Is an article's page reachable? Only asked of loopback addresses: the demo's local news web.

The demo store links to pages of the bundled local news web (127.0.0.2-9), which
only answer while it runs (``make browse-demo`` serves it beside the desk). A
page on a loopback address whose port refuses a connection is shown as offline
rather than as a link that fails; a real outlet's address is never probed.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urlsplit

PROBE_TIMEOUT = 0.3
REMEMBER_SECONDS = 5.0
_seen: dict[tuple[str, int], tuple[float, bool]] = {}


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _answers(host: str, port: int) -> bool:
    now = time.monotonic()
    known = _seen.get((host, port))
    if known and now - known[0] < REMEMBER_SECONDS:
        return known[1]
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
            up = True
    except OSError:
        up = False
    _seen[(host, port)] = (now, up)
    return up


def offline(urls: list[str]) -> set[str]:
    """The URLs among ``urls`` on a loopback address where nothing listens (blocking: run in a thread)."""
    down = set()
    for url in urls:
        parts = urlsplit(url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname or not _loopback(parts.hostname):
            continue
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            continue
        if not _answers(parts.hostname, port):
            down.add(url)
    return down
