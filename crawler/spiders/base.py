"""What every monitor spider shares: source selection, discovery gates, article fetching.

Discovery gates run before any article is fetched:

* a URL already settled in the ``urls`` ledger (stored or skipped) is not
  fetched again (counted as ``already_known`` in the run);
* an entry dated before the story window (``since``) is skipped with reason
  ``too_old``.

Fetch failures become :class:`~core.items.UrlRecord` items with a reason
(``http_404``, ``timeout``, ``dns_error``, ``blocked_address``...).

Listings (feeds, sitemaps, section and home pages) are fetched with
:meth:`MonitorSpider.listing_request`: a conditional GET with the ``ETag`` /
``Last-Modified`` of the last good fetch (kept in the ``listings`` table), so
an unchanged listing costs one request and a ``304``. Every listing fetch,
good or bad, is recorded there, and the source's health follows from it
(``unhealthy`` after ``MONITOR_UNHEALTHY_AFTER`` failed runs in a row).
With ``MONITOR_REFETCH_CHANGED`` a settled URL whose feed or sitemap date
moved forward since it was fetched is fetched again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from core.context import MonitorContext
from core.dates import utc_key
from core.errors import ConfigError
from core.items import ArticleItem, UrlRecord
from core.sources import Source
from crawler.charset import decode_response
from crawler.entries import Entry
from crawler.handlers import redirect_scheme
from crawler.urls import clean_url, url_problem
from storage import StorageError
from storage.ledger import Ledger, as_ledger
from storage.vocabulary import Reason, Status, http_reason

if TYPE_CHECKING:
    from sqlite_utils import Database

logger = logging.getLogger(__name__)


# The ``-a NAME=value`` arguments every monitor spider takes; anything else is a typo
# that would otherwise be set as an attribute and ignored (crawling every source).
ARGUMENTS = {"source": "the name of one [[source]] of the sources config (default: every enabled source)"}


def argument_problem(kwargs: dict[str, Any]) -> str | None:
    """A one-line refusal of unknown spider arguments, or None."""
    unknown = sorted(set(kwargs) - set(ARGUMENTS))
    if not unknown:
        return None
    known = ", ".join(f"-a {name}=... ({what})" for name, what in ARGUMENTS.items())
    return f"unknown spider argument(s) {', '.join(f'-a {u}=' for u in unknown)}; known: {known}"


def failure_reason(failure: Failure) -> tuple[str, str]:
    """A short reason code and a readable detail for a failed request."""
    reason, detail = _failure_reason(failure)
    if reason == "blocked_address" and ("public address" in detail or "local name" in detail):
        # Tests, the demo and intranet feeds need it; say how, once, where the refusal is read.
        detail = (f"{detail} (private, loopback and link-local addresses are refused; "
                  f"MONITOR_ALLOWED_HOSTS=<host, address or network> allows them)")[:800]
    return reason, detail


def _failure_reason(failure: Failure) -> tuple[str, str]:
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        scheme = redirect_scheme(exc.response)
        if scheme:  # the target itself is not kept: data: URLs carry content
            return Reason.BAD_REDIRECT_SCHEME, f"HTTP {status} to a {scheme}: URL, not followed"
        return http_reason(status), f"HTTP {status}"
    if isinstance(exc, IgnoreRequest):
        text = str(exc)[:500]
        if getattr(exc, "reason", None):  # ours say why themselves (a paused host, a blocked address)
            return str(exc.reason), text  # type: ignore[attr-defined]
        if "robots.txt" in text:
            return Reason.ROBOTS_TXT, text
        if "max redirections reached" in text:
            return Reason.REDIRECT_LOOP, text
        if "during decompression" in text:
            return Reason.DECOMPRESSION_BOMB, text
        return getattr(exc, "reason", Reason.IGNORED), text
    if isinstance(exc, (CannotResolveHostError, DNSLookupError)):
        return Reason.DNS_ERROR, str(exc)[:500]
    if isinstance(exc, (DownloadTimeoutError, TimeoutError, TCPTimedOutError)):
        return Reason.TIMEOUT, str(exc)[:500]
    if isinstance(exc, (DownloadConnectionRefusedError, ConnectionRefusedError)):
        return Reason.CONNECTION_REFUSED, str(exc)[:500]
    if isinstance(exc, ResponseDataLossError):
        return Reason.DATA_LOSS, "the connection closed before the whole body arrived"
    if isinstance(exc, DownloadCancelledError):
        # Scrapy cancels a download whose size passes DOWNLOAD_MAXSIZE, announced
        # (with a message) or while streaming (without one).
        text = str(exc) or "body larger than DOWNLOAD_MAXSIZE"
        return Reason.TOO_LARGE, text[:500]
    return Reason.FETCH_ERROR, f"{type(exc).__name__}: {exc}"[:500]


class MonitorSpider(scrapy.Spider):
    """Base class: subclasses turn a source into discovery requests."""

    source: str | None = None  # -a source=NAME
    found_via = ""

    def __init__(self, name: str | None = None, **kwargs: Any):
        problem = argument_problem(kwargs)
        if problem:
            raise ValueError(problem)
        super().__init__(name, **kwargs)

    refetch_changed = False  # MONITOR_REFETCH_CHANGED, read in start()
    unhealthy_after = 3  # MONITOR_UNHEALTHY_AFTER, read in start()

    async def start(self) -> AsyncIterator[Any]:
        context = MonitorContext.of(self.crawler)
        try:
            config = await context.load()
            sources = config.select(self.source)
        except ConfigError as exc:
            logger.error("%s", exc)
            raise CloseSpider("config_error") from None
        except StorageError as exc:
            logger.error("%s", exc)
            raise CloseSpider("storage_error") from None
        self.since: dt.date | None = config.since
        try:
            self.ledger = context.open_ledger()
        except StorageError as exc:
            logger.error("%s", exc)
            raise CloseSpider("storage_error") from None
        self.refetch_changed = self.settings.getbool("MONITOR_REFETCH_CHANGED")
        self.unhealthy_after = self.settings.getint("MONITOR_UNHEALTHY_AFTER", 3)
        self.setup()
        if context.worker:
            logger.info("%s: worker of the shared frontier; coverage since %s", self.name, self.since)
            context.ready(self)
            return  # the scheduler queues the listings (distributed/enqueue.py)
        logger.info("%s: %d source(s), coverage since %s", self.name, len(sources), self.since)
        for source in sources:
            for request in self.source_requests(source):
                yield request

    def closed(self, reason: str) -> None:
        ledger = getattr(self, "_ledger", None)
        if ledger is not None:
            ledger.close()

    @property
    def ledger(self) -> Ledger:
        """Where settled URLs, listings and discoveries are read and written (storage/ledger.py)."""
        return self._ledger

    @ledger.setter
    def ledger(self, value: Ledger | Database) -> None:
        self._ledger = as_ledger(value)

    def setup(self) -> None:
        """Read per-run settings the callbacks need (also in a distributed worker, which builds no start requests)."""

    def source_requests(self, source: Source) -> Iterable[scrapy.Request]:
        raise NotImplementedError

    # --- Listings: conditional GET and health ----------------------------------

    def listing_request(self, url: str, source: str, *, kind: str, callback: Any,
                        meta: dict[str, Any] | None = None, dont_filter: bool = True,
                        errback: Any = None) -> scrapy.Request:
        """A request for a feed, sitemap, section or home page, conditional when we fetched it before."""
        etag, modified = self.ledger.listing_validators(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return scrapy.Request(url, callback=callback, errback=errback or self.source_failed, headers=headers,
                              dont_filter=dont_filter,
                              meta={"source": source, "listing_kind": kind, "handle_httpstatus_list": [304],
                                    **(meta or {})})

    def not_modified(self, response: Response) -> bool:
        """True (and recorded) when a listing answered 304: nothing new, nothing more to fetch."""
        if response.status != 304:
            return False
        self.crawler.stats.inc_value("monitor/not_modified")
        logger.info("%s: %s not modified", response.meta.get("source"), response.url)
        self.listing_result(response.url, response.meta["source"], response.meta.get("listing_kind", "?"),
                            status=304)
        return True

    def listing_result(self, url: str, source: str, kind: str, *, status: int | None,
                       error: str | None = None, entries: int | None = None,
                       response: Response | None = None, note: str | None = None) -> None:
        """Record one listing fetch (validators on success) and update the source's health."""
        etag = modified = None
        if response is not None and error is None:
            etag = (response.headers.get("ETag") or b"").decode("latin-1") or None
            modified = (response.headers.get("Last-Modified") or b"").decode("latin-1") or None
        self.ledger.record_listing(url=url, source=source, kind=kind, status=status, error=error,
                              entries=entries, etag=etag, last_modified=modified, note=note,
                              unhealthy_after=self.unhealthy_after)

    def source_failed(self, failure: Failure) -> UrlRecord:
        """A feed, sitemap or robots.txt of the config could not be fetched."""
        request = failure.request  # type: ignore[attr-defined]
        reason, detail = failure_reason(failure)
        logger.warning("%s: %s (%s)", request.meta.get("source"), request.url, detail)
        if "listing_kind" in request.meta:
            status = failure.value.response.status if isinstance(failure.value, HttpError) else None
            self.listing_result(request.url, request.meta["source"], request.meta["listing_kind"],
                                status=status, error=reason)
        return UrlRecord(url=request.url, source=request.meta["source"], status=Status.ERROR, reason=reason,
                         found_via="config", detail=detail)

    def bad_listing(self, response: Response, source: str, problem: str, reason: str) -> UrlRecord:
        logger.warning("%s: %s: %s", source, response.url, problem)
        if "listing_kind" in response.meta:
            self.listing_result(response.url, source, response.meta["listing_kind"], status=response.status,
                                error=f"{reason}: {problem}"[:500])
        return UrlRecord(url=response.url, source=source, status=Status.ERROR, reason=reason, found_via="config",
                         detail=problem[:500])

    def article_requests(self, source: str, entries: list[Entry], base_url: str, *,
                         callback: Any = None, meta: dict[str, Any] | None = None) -> Iterator[Any]:
        """Requests for the entries worth fetching; ``too_old`` records for the rest."""
        cleaned: dict[str, Entry] = {}
        for entry in entries:
            raw = entry.url.strip()
            problem: tuple[str, str] | None
            try:
                url = clean_url(urljoin(base_url, raw))
            except ValueError as exc:  # e.g. http://[::1
                url, problem = raw, (Reason.INVALID_URL, str(exc))
            else:
                problem = url_problem(url)
            if problem is not None:
                reason, detail = problem
                if reason == "blocked_scheme":
                    self.crawler.stats.inc_value("ssrf/blocked/scheme")
                self.crawler.stats.inc_value(f"monitor/url_refused/{reason}")
                yield UrlRecord(url=url[:4096], source=source, status=Status.SKIPPED, reason=reason,
                                found_via=self.found_via, detail=detail)
                continue
            cleaned.setdefault(url, entry)
        dates = {url: key for url, entry in cleaned.items() if (key := utc_key(entry.published))}
        settled = self.ledger.settled(cleaned)
        if settled and self.refetch_changed:
            changed = self.ledger.changed_entries({u: dates[u] for u in settled if u in dates})
            if changed:
                self.crawler.stats.inc_value("monitor/refetch_changed", len(changed))
                settled -= changed
        if settled:
            self.crawler.stats.inc_value("monitor/already_known", len(settled))
        fetch = [u for u in cleaned if u not in settled]
        self.ledger.remember_entry_dates({u: dates[u] for u in fetch if u in dates})
        for url, entry in cleaned.items():
            if url in settled:
                continue
            published = entry.published_date()
            if published and self.since and published < self.since:
                yield UrlRecord(url=url, source=source, status=Status.SKIPPED, reason=Reason.TOO_OLD,
                                found_via=self.found_via,
                                detail=f"published {published.isoformat()}, before {self.since.isoformat()}")
                continue
            yield scrapy.Request(url, callback=callback or self.parse_article, errback=self.article_failed,
                                 meta={"source": source, "entry": entry, "discovered_url": url, **(meta or {})})

    def parse_article(self, response: Response) -> Any:
        source, entry = response.meta["source"], response.meta["entry"]
        if not isinstance(response, TextResponse):
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
            return UrlRecord(url=response.url, source=source, status=Status.SKIPPED, reason=Reason.NOT_HTML,
                             found_via=self.found_via, detail=content_type or "no Content-Type")
        decoded = decode_response(response)  # Scrapy's decoding, or a better one when the charset is wrong
        if decoded.suspect:
            self.crawler.stats.inc_value(f"monitor/charset_suspect/{decoded.suspect}")
            logger.info("charset suspect (%s) %s: %s", decoded.suspect, response.url, decoded.note)
        return ArticleItem(
            url=clean_url(response.url),
            discovered_url=response.meta["discovered_url"],
            source=source,
            found_via=self.found_via,
            html=decoded.text,
            charset=decoded.charset,
            charset_suspect=decoded.suspect,
            replacement_ratio=decoded.replacement_ratio,
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
                         status=Status.ERROR, reason=reason, found_via=self.found_via, detail=detail)
