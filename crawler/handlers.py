"""The HTTP download handler that asks the host-health breaker first (``DOWNLOAD_HANDLERS``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

if TYPE_CHECKING:

    from scrapy import Request
    from scrapy.http import Response

from crawler.middlewares.host_health import HostHealth

logger = logging.getLogger(__name__)

class GuardedHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, asking :class:`HostHealth` first (at dequeue time, per host slot)."""

    async def download_request(self, request: Request) -> Response:
        health: HostHealth | None = getattr(self.crawler, "monitor_host_health", None)
        if health is None:
            return await super().download_request(request)
        await health.before_download(request)
        try:
            response = await super().download_request(request)
        except Exception as exc:
            health.observe_exception(request, exc)
            raise
        return health.observe_response(request, response)
