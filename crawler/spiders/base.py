"""What every monitor spider shares: source selection, discovery gates, article fetching.

Discovery gates run before any article is fetched:

* a URL already settled in the ``urls`` ledger (stored or skipped) is not
  fetched again (counted as ``already_known`` in the run);
* an entry dated before the story window (``since``) is skipped with reason
  ``too_old``.

Fetch failures become :class:`~crawler.items.UrlRecord` items with a reason
(``http_404``, ``timeout``, ``dns_error``, ``blocked_address``...).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from crawler.context import MonitorContext
from crawler.entries import Entry
from crawler.errors import ConfigError
from crawler.items import ArticleItem, UrlRecord
from crawler.sources import Source
from crawler.urls import clean_url

logger = logging.getLogger(__name__)


def failure_reason(failure: Failure) -> tuple[str, str]:
    """A short reason code and a readable detail for a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}", f"HTTP {exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "robots_txt", text
        return getattr(exc, "reason", "ignored"), text
    if isinstance(exc, DNSLookupError):
        return "dns_error", str(exc)
    if isinstance(exc, (TimeoutError, TCPTimedOutError)):
        return "timeout", str(exc)
    if isinstance(exc, ConnectionRefusedError):
        return "connection_refused", str(exc)
    return "fetch_error", f"{type(exc).__name__}: {exc}"[:500]


class MonitorSpider(scrapy.Spider):
    """Base class: subclasses turn a source into discovery requests."""

    source: str | None = None  # -a source=NAME
    found_via = ""

    async def start(self) -> AsyncIterator[Any]:
        context = MonitorContext.of(self.crawler)
        try:
            config = await context.load()
            sources = config.select(self.source)
        except ConfigError as exc:
            logger.error("%s", exc)
            raise CloseSpider("config_error") from None
        self.since: dt.date | None = config.since
        from crawler import frontier

        self.ledger = frontier.open_ledger(self.settings)
        if frontier.distributed(self.settings):
            logger.info("%s: worker of the shared frontier; coverage since %s", self.name, self.since)
            frontier.ready(self)
            return  # scheduler.py queues the listings (crawler/frontier.py)
        logger.info("%s: %d source(s), coverage since %s", self.name, len(sources), self.since)
        for source in sources:
            for request in self.source_requests(source):
                yield request

    def closed(self, reason: str) -> None:
        ledger = getattr(self, "ledger", None)
        if ledger is not None:
            ledger.close()

    def source_requests(self, source: Source) -> Iterable[scrapy.Request]:
        raise NotImplementedError

    def source_failed(self, failure: Failure) -> UrlRecord:
        """A feed, sitemap or robots.txt of the config could not be fetched."""
        request = failure.request  # type: ignore[attr-defined]
        reason, detail = failure_reason(failure)
        logger.warning("%s: %s (%s)", request.meta.get("source"), request.url, detail)
        return UrlRecord(url=request.url, source=request.meta["source"], status="error", reason=reason,
                         found_via="config", detail=detail)

    def bad_listing(self, response: Response, source: str, problem: str, reason: str) -> UrlRecord:
        logger.warning("%s: %s: %s", source, response.url, problem)
        return UrlRecord(url=response.url, source=source, status="error", reason=reason, found_via="config",
                         detail=problem[:500])

    def article_requests(self, source: str, entries: list[Entry], base_url: str) -> Iterator[Any]:
        """Requests for the entries worth fetching; ``too_old`` records for the rest."""
        cleaned: dict[str, Entry] = {}
        for entry in entries:
            url = clean_url(urljoin(base_url, entry.url.strip()))
            if url.startswith(("http://", "https://")):
                cleaned.setdefault(url, entry)
        settled = self.ledger.settled(cleaned)
        if settled:
            self.crawler.stats.inc_value("monitor/already_known", len(settled))
        for url, entry in cleaned.items():
            if url in settled:
                continue
            published = entry.published_date()
            if published and self.since and published < self.since:
                yield UrlRecord(url=url, source=source, status="skipped", reason="too_old",
                                found_via=self.found_via,
                                detail=f"published {published.isoformat()}, before {self.since.isoformat()}")
                continue
            yield scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                                 meta={"source": source, "entry": entry, "discovered_url": url})

    def parse_article(self, response: Response) -> Any:
        source, entry = response.meta["source"], response.meta["entry"]
        if not isinstance(response, TextResponse):
            content_type = response.headers.get("Content-Type", b"").decode("latin-1")
            return UrlRecord(url=response.url, source=source, status="skipped", reason="not_html",
                             found_via=self.found_via, detail=content_type or "no Content-Type")
        return ArticleItem(
            url=clean_url(response.url),
            discovered_url=response.meta["discovered_url"],
            source=source,
            found_via=self.found_via,
            html=response.text,
            http_status=response.status,
            entry_title=entry.title,
            entry_summary=entry.summary,
            entry_published=entry.published,
            entry_language=entry.language,
        )

    def article_failed(self, failure: Failure) -> UrlRecord:
        request = failure.request  # type: ignore[attr-defined]
        reason, detail = failure_reason(failure)
        return UrlRecord(url=request.meta.get("discovered_url", request.url), source=request.meta["source"],
                         status="error", reason=reason, found_via=self.found_via, detail=detail)
