"""Keeping the crawler away from this machine and its network.

:class:`PrivateAddressGuard` keeps the crawler, which follows links found on
untrusted pages, away from this machine and its network: requests to
loopback, private, link-local, multicast and reserved addresses given as IP
literals (in any spelling the URL parser accepts) or as ``localhost`` are
refused, as is any non-HTTP scheme. ``MONITOR_ALLOWED_HOSTS`` (host names,
addresses or CIDR networks) is the only exception; tests and the demo use it
for the local news web. Redirects go through the middleware again, hop by
hop.

Host names are checked where they are turned into addresses, by the resolver
(crawler/resolver.py); a lookup it refused fails as a DNS failure, which
:class:`ResolvedAddressGuard` turns back into ``blocked_address`` and keeps
from being retried.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
)
from twisted.internet.error import (
    DNSLookupError,
)

if TYPE_CHECKING:

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

from crawler.addresses import AddressPolicy, BlockedAddress, parse_ip
from crawler.resolver import REFUSED_NAMES

logger = logging.getLogger(__name__)

class PrivateAddressGuard:
    def __init__(self, allowed: list[str]):
        self.policy = AddressPolicy(allowed)

    stats: StatsCollector | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressGuard:
        guard = cls([h.strip() for h in crawler.settings.getlist("MONITOR_ALLOWED_HOSTS") if h.strip()])
        guard.stats = crawler.stats
        return guard

    def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be fetched, or None."""
        try:
            parts = urlsplit(url)
            hostname = parts.hostname
        except ValueError as exc:
            return f"invalid URL ({exc})"
        if parts.scheme not in ("http", "https"):
            return f"scheme {parts.scheme!r} is not http(s)"
        host = (hostname or "").lower().rstrip(".")
        if not host:
            return "no host"
        if self.policy.name_allowed(host):
            return None
        address = parse_ip(host)
        if address is not None:
            return None if self.policy.address_allowed(address) else f"{address} is not a public address"
        if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
            return f"{host} is a local name"
        return None

    def process_request(self, request: Request) -> None:
        problem = self.refusal(request.url)
        if problem:
            logger.info("refused %s: %s", request.url, problem)
            if self.stats is not None:
                scheme = urlsplit(request.url).scheme if "://" in request.url else ""
                kind = "scheme" if scheme not in ("http", "https") else "address"
                self.stats.inc_value(f"ssrf/blocked/{kind}")
            raise BlockedAddress(f"refused {request.url}: {problem}")


class ResolvedAddressGuard:
    """Report a lookup the resolver refused as ``blocked_address``, and do not retry it.

    Must sit after ``RetryMiddleware`` (a higher number), whose
    ``process_exception`` would otherwise retry the failed lookup.
    """

    def __init__(self, stats: StatsCollector | None = None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResolvedAddressGuard:
        return cls(crawler.stats)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, (CannotResolveHostError, DNSLookupError)):
            return None
        try:
            host = (urlsplit(request.url).hostname or "").lower().rstrip(".")
        except ValueError:
            return None
        problem = REFUSED_NAMES.get(host)
        if problem is None:
            return None
        if self.stats is not None:
            self.stats.inc_value("ssrf/blocked/resolved")
        raise BlockedAddress(f"refused {request.url}: {problem}")
