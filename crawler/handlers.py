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

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

from crawler.middlewares.host_health import HostHealth
from crawler.scrapy_compat import (
    MAX_HEADER_BYTES,
    MAX_HEADERS,
    HeaderLimitExceeded,
    bounded_header_factory,
    set_connection_factory,
)
from storage.vocabulary import Reason

logger = logging.getLogger(__name__)



class HeadersTooLarge(IgnoreRequest):
    """A response whose headers passed the limits: refused, its connection dropped."""

    reason = Reason.HEADERS_TOO_LARGE


class BadRedirectScheme(IgnoreRequest):
    """A redirect to a scheme we never fetch; the target itself is not kept (a data: URL carries content)."""

    reason = Reason.BAD_REDIRECT_SCHEME


_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):")


def redirect_scheme(response: Response) -> str | None:
    """The scheme of a redirect's target when it is not http(s) (lower-cased), else None."""
    if not 300 <= response.status < 400:
        return None
    location = (response.headers.get("Location") or b"").decode("latin-1")
    match = _SCHEME.match(location)
    scheme = match.group(1).lower() if match else ""
    return scheme if scheme and scheme not in ("http", "https") else None


def _header_limit(exc: BaseException) -> HeaderLimitExceeded | None:
    """Our limit in what Twisted raised (a ``ResponseFailed`` holding failures), if it is there."""
    seen = 0
    stack: list[Any] = [exc]
    while stack and seen < 50:
        seen += 1
        item = stack.pop()
        value = getattr(item, "value", item)  # a Failure, or an exception
        if isinstance(value, HeaderLimitExceeded):
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
        set_connection_factory(self, bounded_header_factory(
            max(1, settings.getint("MONITOR_MAX_HEADERS", MAX_HEADERS)),
            max(1024, settings.getint("MONITOR_MAX_HEADER_BYTES", MAX_HEADER_BYTES))))

    async def download_request(self, request: Request) -> Response:
        health: HostHealth | None = getattr(self.crawler, "monitor_host_health", None)
        if health is not None:
            await health.before_download(request)
        try:
            response = await super().download_request(request)
        except Exception as exc:
            limit = _header_limit(exc)
            if limit is not None:
                self.crawler.stats.inc_value("monitor/headers_too_large")
                raise HeadersTooLarge(f"response headers too large ({limit}): {request.url}") from None
            if health is not None:
                health.observe_exception(request, exc)
            raise
        if health is not None:
            response = health.observe_response(request, response)
        scheme = redirect_scheme(response)
        if scheme and not request.meta.get("dont_redirect"):
            self.crawler.stats.inc_value("monitor/bad_redirect_scheme")
            raise BadRedirectScheme(f"HTTP {response.status} to a {scheme}: URL, not followed")
        return response
