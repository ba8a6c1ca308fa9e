"""Downloader middlewares.

:class:`PrivateAddressGuard` keeps the crawler, which follows links found on
untrusted pages, away from this machine and its network: requests to
loopback, private, link-local, multicast and reserved addresses given as IP
literals (in any spelling the URL parser accepts) or as ``localhost`` are
refused, as is any non-HTTP scheme. ``MONITOR_ALLOWED_HOSTS`` (host names,
addresses or CIDR networks) is the only exception; tests and the demo use it
for the local news web. Redirects go through the middleware again, hop by
hop. (Names that resolve to private addresses are the reliability issue's
next step.)
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(IgnoreRequest):
    reason = "blocked_address"


def parse_ip(host: str) -> IPAddress | None:
    """An IP address written any way a resolver accepts (``2130706433``, ``0x7f.1``, ``[::1]``)."""
    host = host.strip("[]")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))  # legacy forms: 0x7f.1, 017700000001
        except (OSError, ValueError):
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_public(address: IPAddress) -> bool:
    return address.is_global and not address.is_multicast


class PrivateAddressGuard:
    def __init__(self, allowed: list[str]):
        self.allowed_names = set()
        self.allowed_nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allowed:
            try:
                self.allowed_nets.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.allowed_names.add(entry.lower())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressGuard:
        return cls([h.strip() for h in crawler.settings.getlist("MONITOR_ALLOWED_HOSTS") if h.strip()])

    def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be fetched, or None."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"scheme {parts.scheme!r} is not http(s)"
        host = (parts.hostname or "").lower().rstrip(".")
        if not host:
            return "no host"
        if host in self.allowed_names:
            return None
        address = parse_ip(host)
        if address is not None:
            if any(address in net for net in self.allowed_nets):
                return None
            return None if is_public(address) else f"{address} is not a public address"
        if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
            return f"{host} is a local name"
        return None

    def process_request(self, request: Request) -> None:
        problem = self.refusal(request.url)
        if problem:
            logger.info("refused %s: %s", request.url, problem)
            raise BlockedAddress(f"refused {request.url}: {problem}")
