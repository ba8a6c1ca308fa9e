"""Every Scrapy internal we use, in one place, for what Scrapy has no public API for.

Each is checked against the installed Scrapy by tests/test_scrapy_compat.py,
which fails naming the internal when an upgrade moves or changes it; the
rest of the project uses only the names below.

- The engine's slot: the requests it still works on (downloaded, or their
  callback's output still in the pipelines): Scrapy has no signal for "this
  request is fully processed", which the distributed scheduler needs to
  release a lease; and its ``nextcall``, to ask the scheduler for requests
  now rather than at the next 5 s heartbeat.
- The HTTP/1.1 handler's connection pool factory: Twisted keeps every header
  line a server sends, so the handler caps them in the protocol it builds
  (crawler/handlers.py); Scrapy offers no setting or hook for the factory.
- :class:`RobotsTxtMiddleware`'s parsers by host and its robots.txt reader:
  to apply RFC 9309's rule for a robots.txt answering 5xx, and to share what
  one spider of a job read with the next (crawler/middlewares/robots.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import (
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from twisted.web._newclient import HEADER

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector
    from twisted.internet.defer import Deferred


def set_connection_factory(handler: Any, factory: Any) -> None:
    """Make the HTTP/1.1 download handler's connection pool build its connections with ``factory``."""
    pool = getattr(handler, "_pool", None)
    if pool is None or not hasattr(pool, "_factory"):
        raise RuntimeError("scrapy's HTTP11DownloadHandler has no _pool._factory: see crawler/scrapy_compat.py")
    pool._factory = factory


MAX_HEADERS = 500  # header lines; no real server sends more than a few dozen
MAX_HEADER_BYTES = 256 * 1024  # Chrome's limit on a response's headers


class HeaderLimitExceeded(Exception):
    """Raised inside the parser; Twisted drops the connection and fails the response with it."""


class _BoundedHeadersParser(_LenientHTTPClientParser):
    max_headers = MAX_HEADERS
    max_header_bytes = MAX_HEADER_BYTES

    def lineReceived(self, line: bytes) -> None:
        if self.state == HEADER:
            # Counters live on the instance (its class is swapped in after creation, as Scrapy does).
            lines = self.__dict__.get("_monitor_lines", 0) + 1
            size = self.__dict__.get("_monitor_bytes", 0) + len(line) + 2
            self.__dict__["_monitor_lines"], self.__dict__["_monitor_bytes"] = lines, size
            if lines > self.max_headers + 1 or size > self.max_header_bytes:  # +1: the blank line that ends them
                raise HeaderLimitExceeded(f"more than {self.max_headers} header lines or "
                                           f"{self.max_header_bytes} bytes of headers")
        super().lineReceived(line)


def bounded_header_factory(max_headers: int, max_header_bytes: int) -> type[_LenientHTTP11ClientFactory]:
    """A connection factory whose protocols parse headers with these limits."""
    parser = type("_BoundedHeadersParser", (_BoundedHeadersParser,),
                  {"max_headers": max_headers, "max_header_bytes": max_header_bytes})

    class _Protocol(_LenientHTTP11ClientProtocol):
        def request(self, request: Any) -> Deferred[Any]:
            d: Deferred[Any] = super().request(request)
            assert self._parser is not None
            self._parser.__class__ = parser
            return d

    class _Factory(_LenientHTTP11ClientFactory):
        def buildProtocol(self, addr: Any) -> _Protocol:  # noqa: N802 - Twisted API
            return _Protocol(self._quiescentCallback)

    return _Factory


def requests_in_progress(engine: Any) -> set[Request] | None:
    """Requests the engine still works on (downloading, or being scraped and piped); None if unknown."""
    busy = getattr(getattr(engine, "_slot", None), "inprogress", None)
    return busy if isinstance(busy, set) else None


def wake_engine(engine: Any) -> bool:
    """Make the engine ask its scheduler for requests at the next reactor turn; False if it cannot."""
    nextcall = getattr(getattr(engine, "_slot", None), "nextcall", None)
    if nextcall is None or not callable(getattr(nextcall, "schedule", None)):
        return False
    nextcall.schedule()
    return True


class RobotsTxtMiddlewareBase(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with its per-host parsers and its reader under public names."""

    @property
    def parsers(self) -> dict[str, Any]:
        """Host (``netloc``) → its parser, a Deferred while its robots.txt is read, or None (fetch failed)."""
        return self._parsers

    @property
    def stats(self) -> StatsCollector:
        return self._stats

    async def read_robots(self, response: Response, netloc: str, request: Request) -> None:
        """Turn a fetched robots.txt into the host's parser (Scrapy's reading); override to change it."""
        await super()._parse_robots(response, netloc, request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        await self.read_robots(response, netloc, request)
