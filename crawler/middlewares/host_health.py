"""Politeness under failure: a per-host circuit breaker and ``Retry-After``."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)

from storage.vocabulary import Reason

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector


logger = logging.getLogger(__name__)

class HostPaused(IgnoreRequest):
    """A request to a host the crawler is keeping away from for now."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason


# Failures that say "this server is not well": they feed the circuit breaker.
TRANSPORT_FAILURES: tuple[type[BaseException], ...] = (
    CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError, DownloadFailedError,
    ResponseDataLossError, ConnectError, ConnectionLost, TimeoutError, DNSLookupError,
)


# Causes that belong to the host, not to one page: a host paused after them keeps
# the cause as the reason of the requests it refuses (a closed port reads
# connection_refused, not host_paused). Other pauses (5xx storms) say host_paused.
HOST_CAUSES: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadConnectionRefusedError, ConnectionRefusedError), "connection_refused"),
    ((CannotResolveHostError, DNSLookupError), "dns_error"),
    ((DownloadTimeoutError, TimeoutError, TCPTimedOutError), "timeout"),
)
BREAKER_REASON = Reason.HOST_PAUSED


def host_cause(exception: BaseException) -> str | None:
    for types, cause in HOST_CAUSES:
        if isinstance(exception, types):
            return cause
    return None


def host_key(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def retry_after_seconds(value: bytes | str | None, *, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks us to wait (delay-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isascii() and text.isdigit():
        return float(text)  # not int(): a 5,000-digit value raises past int's digit limit; float gives inf
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    reference = now if now is not None else time.time()
    return max(0.0, moment.timestamp() - reference)


def _reactor() -> Any:
    from twisted.internet import reactor

    return reactor


class HostHealth:
    """Politeness under failure: a per-host circuit breaker, and ``Retry-After``.

    * After ``MONITOR_BREAKER_FAILURES`` consecutive failures from one host
      (5xx, 429, timeouts, refused or lost connections), the host is paused
      for ``MONITOR_BREAKER_PAUSE`` seconds: its requests fail at once with
      reason ``host_paused`` instead of hammering it (the ledger keeps them
      as errors, so the next run tries again). When the last failure was
      the host's own (connection refused, DNS, timeout) the requests keep
      that cause as their reason: ``connection_refused``, ``dns_error``,
      ``timeout``. After the pause one request
      is let through; one more failure pauses the host again.
    * A 429 or 503 with ``Retry-After`` pauses the host until then. A wait
      up to ``MONITOR_RETRY_AFTER_MAX`` seconds is waited out (the request
      is retried after it, never sooner); a longer one fails the host's
      requests for this run with reason ``rate_limited``. No server may ask
      for more than ``MONITOR_RETRY_AFTER_CAP`` seconds (a ``Retry-After`` a
      year ahead would otherwise pause the host for as long as the process
      lives): longer asks are cut to it, counted and said in the reason.

    As a downloader middleware it refuses requests to a paused host early.
    But requests pass the middlewares before they queue for their host's
    slot, and a burst of fast failures completes before the first response
    climbs back through the middlewares; so the counting, and the pause
    itself, happen in :class:`GuardedHTTPDownloadHandler`, as each download
    leaves the queue and ends. Waiting there holds only the slot of the
    paused host, never the other hosts.
    """

    def __init__(self, *, failures: int, pause: float, retry_after_max: float, retry_after_cap: float = 3600.0,
                 stats: StatsCollector | None = None, clock: Callable[[], float] = time.monotonic):
        self.threshold = failures
        self.pause = pause
        self.retry_after_max = retry_after_max
        self.retry_after_cap = retry_after_cap
        self.stats = stats
        self.clock = clock
        self.failures: dict[str, int] = {}
        self.paused: dict[str, tuple[float, str, str]] = {}  # host -> (until, reason, why)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostHealth:
        settings = crawler.settings
        health = cls(failures=settings.getint("MONITOR_BREAKER_FAILURES"),
                     pause=settings.getfloat("MONITOR_BREAKER_PAUSE"),
                     retry_after_max=settings.getfloat("MONITOR_RETRY_AFTER_MAX"),
                     retry_after_cap=settings.getfloat("MONITOR_RETRY_AFTER_CAP", 3600.0), stats=crawler.stats)
        crawler.monitor_host_health = health  # type: ignore[attr-defined] # read by the download handler
        return health

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def wait_for(self, url: str) -> tuple[float, str, str] | None:
        """How long a request to ``url`` must wait, the reason and why; None when it may go now."""
        key = host_key(url)
        pause = self.paused.get(key)
        if pause is None:
            return None
        until, reason, why = pause
        left = until - self.clock()
        if left <= 0:
            del self.paused[key]
            if reason != Reason.RATE_LIMITED:  # half-open: one more failure pauses it again
                self.failures[key] = max(0, self.threshold - 1)
            return None
        return left, reason, why

    def process_request(self, request: Request) -> None:
        """Fail fast for a paused host (a short Retry-After is waited out later, in the handler)."""
        pause = self.wait_for(request.url)
        if pause is not None and not self._short_wait(pause):
            self._refuse(request, pause)

    async def before_download(self, request: Request) -> None:
        """Called as the request leaves its host's queue: wait out a short pause, refuse a long one."""
        pause = self.wait_for(request.url)
        if pause is None:
            return
        if not self._short_wait(pause):
            self._refuse(request, pause)
        self._inc("monitor/retry_after/waited")
        await maybe_deferred_to_future(task.deferLater(_reactor(), pause[0], lambda: None))
        await self.before_download(request)

    def _short_wait(self, pause: tuple[float, str, str]) -> bool:
        return pause[1] == Reason.RATE_LIMITED and pause[0] <= self.retry_after_max

    def _refuse(self, request: Request, pause: tuple[float, str, str]) -> None:
        left, reason, why = pause
        self._inc(f"monitor/{reason if reason == 'rate_limited' else BREAKER_REASON}")
        raise HostPaused(f"{host_key(request.url)} paused for {left:.0f} s more ({why}): {request.url}",
                         reason=reason)

    def observe_response(self, request: Request, response: Response) -> Response:
        key = host_key(request.url)
        if response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is not None:
                why = f"HTTP {response.status} with Retry-After {wait:.0f} s"
                if wait > self.retry_after_cap:
                    why += f", capped at {self.retry_after_cap:.0f} s (MONITOR_RETRY_AFTER_CAP)"
                    wait = self.retry_after_cap
                    self._inc("monitor/retry_after/capped")
                self.paused[key] = (self.clock() + wait, Reason.RATE_LIMITED, why)
                self._inc("monitor/retry_after/received")
                logger.info("%s asks us to wait %.0f s (HTTP %s)", key, wait, response.status)
        if response.status >= 500 or response.status == 429:
            self._failed(key, f"HTTP {response.status}", BREAKER_REASON)
        else:
            self.failures.pop(key, None)
        return response

    def observe_exception(self, request: Request, exception: BaseException) -> None:
        if isinstance(exception, TRANSPORT_FAILURES):
            cause = host_cause(exception)
            self._failed(host_key(request.url), cause or type(exception).__name__, cause or BREAKER_REASON)
        return None

    def _failed(self, key: str, what: str, reason: str) -> None:
        if self.threshold <= 0 or not key:
            return
        count = self.failures[key] = self.failures.get(key, 0) + 1
        if count >= self.threshold and key not in self.paused:
            self.paused[key] = (self.clock() + self.pause, reason,
                                f"{count} consecutive failures, last {what}")
            self._inc("monitor/breaker_opened")
            logger.warning("%s failed %d times in a row (last: %s): paused for %.0f s", key, count, what,
                           self.pause)
