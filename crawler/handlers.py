"""The HTTP download handler: asks the host-health breaker first, and bounds response headers.

Twisted's HTTP/1.1 client keeps every header line a server sends until the
blank line that ends them, with no limit on their number or total size
(only one line is bounded, at 16 KiB): a server streaming headers for ever
grew one crawl process to 2.6 GB. Scrapy's ``DOWNLOAD_MAXSIZE`` counts body
bytes only. So the handler's connection pool builds protocols whose parser
counts header lines and bytes and gives up past ``MONITOR_MAX_HEADERS`` /
``MONITOR_MAX_HEADER_BYTES``: the connection is dropped and the request
fails with reason ``headers_too_large``. It is the way Scrapy itself swaps
in its lenient header parser (``_LenientHTTP11ClientProtocol``), one
subclass further.

A redirect to anything but HTTP(S) (``file:``, ``data:``, ``javascript:``,
in any case) is refused here too, as ``bad_redirect_scheme``: Scrapy's
redirect middleware leaves some alone (a 3xx response) but raises
``ValueError`` building a request for others (``javascript:alert(1)``), which
would end as ``fetch_error``; one rule for every spelling is simpler.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from scrapy.exceptions import IgnoreRequest
from twisted.web._newclient import HEADER

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.internet.defer import Deferred

from crawler.middlewares.host_health import HostHealth

logger = logging.getLogger(__name__)

MAX_HEADERS = 500  # header lines; no real server sends more than a few dozen
MAX_HEADER_BYTES = 256 * 1024  # Chrome's limit on a response's headers


class HeadersTooLarge(IgnoreRequest):
    """A response whose headers passed the limits: refused, its connection dropped."""

    reason = "headers_too_large"


class BadRedirectScheme(IgnoreRequest):
    """A redirect to a scheme we never fetch; the target itself is not kept (a data: URL carries content)."""

    reason = "bad_redirect_scheme"


_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):")


def redirect_scheme(response: Response) -> str | None:
    """The scheme of a redirect's target when it is not http(s) (lower-cased), else None."""
    if not 300 <= response.status < 400:
        return None
    location = (response.headers.get("Location") or b"").decode("latin-1")
    match = _SCHEME.match(location)
    scheme = match.group(1).lower() if match else ""
    return scheme if scheme and scheme not in ("http", "https") else None


class _HeaderLimitExceeded(Exception):
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
                raise _HeaderLimitExceeded(f"more than {self.max_headers} header lines or "
                                           f"{self.max_header_bytes} bytes of headers")
        super().lineReceived(line)


def _bounded_factory(max_headers: int, max_header_bytes: int) -> type[_LenientHTTP11ClientFactory]:
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
            return _Protocol(self._quiescentCallback)  # type: ignore[no-untyped-call]

    return _Factory


def _header_limit(exc: BaseException) -> _HeaderLimitExceeded | None:
    """Our limit in what Twisted raised (a ``ResponseFailed`` holding failures), if it is there."""
    seen = 0
    stack: list[Any] = [exc]
    while stack and seen < 50:
        seen += 1
        item = stack.pop()
        value = getattr(item, "value", item)  # a Failure, or an exception
        if isinstance(value, _HeaderLimitExceeded):
            return value
        stack.extend(getattr(value, "reasons", None) or [])
        for linked in (getattr(value, "__cause__", None), getattr(value, "__context__", None)):
            if linked is not None:
                stack.append(linked)
    return None


class GuardedHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, asking :class:`HostHealth` first (at dequeue time, per host slot)."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self._pool._factory = _bounded_factory(  # type: ignore[attr-defined]
            max(1, settings.getint("MONITOR_MAX_HEADERS", MAX_HEADERS)),
            max(1024, settings.getint("MONITOR_MAX_HEADER_BYTES", MAX_HEADER_BYTES)))

    async def download_request(self, request: Request) -> Response:
        health: HostHealth | None = getattr(self._crawler, "monitor_host_health", None)
        if health is not None:
            await health.before_download(request)
        try:
            response = await super().download_request(request)
        except Exception as exc:
            limit = _header_limit(exc)
            if limit is not None:
                self._crawler.stats.inc_value("monitor/headers_too_large")  # type: ignore[union-attr]
                raise HeadersTooLarge(f"response headers too large ({limit}): {request.url}") from None
            if health is not None:
                health.observe_exception(request, exc)
            raise
        if health is not None:
            response = health.observe_response(request, response)
        scheme = redirect_scheme(response)
        if scheme and not request.meta.get("dont_redirect"):
            self._crawler.stats.inc_value("monitor/bad_redirect_scheme")  # type: ignore[union-attr]
            raise BadRedirectScheme(f"HTTP {response.status} to a {scheme}: URL, not followed")
        return response
