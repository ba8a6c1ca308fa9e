"""Downloader middlewares.

:class:`PrivateAddressGuard` keeps the crawler, which follows links found on
untrusted pages, away from this machine and its network: requests to
loopback, private, link-local, multicast and reserved addresses given as IP
literals (in any spelling the URL parser accepts) or as ``localhost`` are
refused, as is any non-HTTP scheme. ``MONITOR_ALLOWED_HOSTS`` (host names,
addresses or CIDR networks) is the only exception; tests and the demo use it
for the local news web. Redirects go through the middleware again, hop by
hop.

Host names are checked where they are turned into addresses:
:class:`GuardedResolver` (``TWISTED_DNS_RESOLVER``) refuses every answer
that is not a public address, on every lookup (cached or not), so a name
that first resolves to a public address and later to ``127.0.0.1`` (DNS
rebinding) is refused at the second lookup, before any connection is made.
The download then fails as a DNS failure; :class:`ResolvedAddressGuard`
turns that failure back into ``blocked_address`` and keeps it from being
retried. ``MONITOR_TEST_HOSTS`` gives the resolver fixed answers for tests
(no real DNS in tests).

:class:`HostHealth` is the politeness-under-failure part: a per-host
circuit breaker and ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import logging
import socket
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
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.dupefilters import RFPDupeFilter
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, task
from twisted.internet.error import ConnectError, ConnectionLost, DNSLookupError, TimeoutError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from scrapy import Request
    from scrapy.http import Response
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector
    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred

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


class AddressPolicy:
    """Which hosts and addresses the crawler may reach: public ones, plus ``MONITOR_ALLOWED_HOSTS``."""

    def __init__(self, allowed: list[str]):
        self.allowed_names: set[str] = set()
        self.allowed_nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allowed:
            try:
                self.allowed_nets.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.allowed_names.add(entry.lower().rstrip("."))

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> AddressPolicy:
        return cls([h.strip() for h in settings.getlist("MONITOR_ALLOWED_HOSTS") if h.strip()])

    def name_allowed(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.allowed_names

    def address_allowed(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return is_public(address) or any(address in net for net in self.allowed_nets)


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


# Names whose resolution the resolver refused, and why (one crawl per process,
# so a module-level table is what links the resolver, which Scrapy builds
# before the crawler, to the middleware that reports the refusal).
REFUSED_NAMES: dict[str, str] = {}


@implementer(IResolverSimple)
class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers that are not public addresses.

    Every answer is checked, including cached ones, so rebinding a name to a
    private address after a first public answer does not get through.
    """

    def __init__(self, reactor: ReactorBase, cache_size: int, timeout: float, *,
                 policy: AddressPolicy, stub: dict[str, list[str]]):
        super().__init__(reactor, cache_size, timeout)
        self.policy = policy
        self.stub = stub
        self.stub_calls: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> GuardedResolver:  # type: ignore[override]
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), policy=AddressPolicy.from_settings(settings),
                   stub=parse_test_hosts(settings.getlist("MONITOR_TEST_HOSTS")))

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        answers = self._stub_answers(name.lower().rstrip("."))
        if answers is None:
            d = super().getHostByName(name, timeout)
        else:
            calls = self.stub_calls[name] = self.stub_calls.get(name, 0) + 1
            answer = answers[min(calls, len(answers)) - 1]
            d = defer.fail(DNSLookupError(name)) if answer == "fail" else defer.succeed(answer)
        return d.addCallback(self._checked, name)

    def _stub_answers(self, name: str) -> list[str] | None:
        if name in self.stub:
            return self.stub[name]
        for pattern, answers in self.stub.items():
            if pattern.startswith("*.") and name.endswith(pattern[1:]):
                return answers
        return None

    def _checked(self, address: str, name: str) -> str:
        if self.policy.name_allowed(name):
            return address
        parsed = parse_ip(address)
        if parsed is not None and self.policy.address_allowed(parsed):
            return address
        problem = f"{name} resolves to {address}, not a public address"
        REFUSED_NAMES[name.lower().rstrip(".")] = problem
        logger.info("refused to connect: %s", problem)
        raise DNSLookupError(problem)


def parse_test_hosts(entries: list[str]) -> dict[str, list[str]]:
    """``name=address[|address...]`` entries; ``*.suffix`` matches a whole domain; ``fail`` fails the lookup."""
    stub: dict[str, list[str]] = {}
    for entry in entries:
        name, sep, answers = entry.strip().partition("=")
        if sep and name.strip() and answers.strip():
            stub[name.strip().lower().rstrip(".")] = [a.strip() for a in answers.split("|") if a.strip()]
    return stub


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
    if text.isdigit():
        return float(int(text))
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    reference = now if now is not None else time.time()
    return max(0.0, moment.timestamp() - reference)


class HostHealth:
    """Politeness under failure: a per-host circuit breaker, and ``Retry-After``.

    * After ``MONITOR_BREAKER_FAILURES`` consecutive failures from one host
      (5xx, 429, timeouts, refused or lost connections), the host is paused
      for ``MONITOR_BREAKER_PAUSE`` seconds: its requests fail at once with
      reason ``host_paused`` instead of hammering it (the ledger keeps them
      as errors, so the next run tries again). After the pause one request
      is let through; one more failure pauses the host again.
    * A 429 or 503 with ``Retry-After`` pauses the host until then. A wait
      up to ``MONITOR_RETRY_AFTER_MAX`` seconds is waited out (the request
      is retried after it, never sooner); a longer one fails the host's
      requests for this run with reason ``rate_limited``.

    As a downloader middleware it refuses requests to a paused host early.
    But requests pass the middlewares before they queue for their host's
    slot, and a burst of fast failures completes before the first response
    climbs back through the middlewares; so the counting, and the pause
    itself, happen in :class:`GuardedHTTPDownloadHandler`, as each download
    leaves the queue and ends. Waiting there holds only the slot of the
    paused host, never the other hosts.
    """

    def __init__(self, *, failures: int, pause: float, retry_after_max: float,
                 stats: StatsCollector | None = None, clock: Callable[[], float] = time.monotonic):
        self.threshold = failures
        self.pause = pause
        self.retry_after_max = retry_after_max
        self.stats = stats
        self.clock = clock
        self.failures: dict[str, int] = {}
        self.paused: dict[str, tuple[float, str, str]] = {}  # host -> (until, reason, why)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostHealth:
        settings = crawler.settings
        health = cls(failures=settings.getint("MONITOR_BREAKER_FAILURES"),
                     pause=settings.getfloat("MONITOR_BREAKER_PAUSE"),
                     retry_after_max=settings.getfloat("MONITOR_RETRY_AFTER_MAX"), stats=crawler.stats)
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
            if reason == "host_paused":  # half-open: one more failure pauses it again
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
        return pause[1] == "rate_limited" and pause[0] <= self.retry_after_max

    def _refuse(self, request: Request, pause: tuple[float, str, str]) -> None:
        left, reason, why = pause
        self._inc(f"monitor/{reason}")
        raise HostPaused(f"{host_key(request.url)} paused for {left:.0f} s more ({why}): {request.url}",
                         reason=reason)

    def observe_response(self, request: Request, response: Response) -> Response:
        key = host_key(request.url)
        if response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is not None:
                wait = min(wait, 86400.0)
                self.paused[key] = (self.clock() + wait, "rate_limited",
                                    f"HTTP {response.status} with Retry-After {wait:.0f} s")
                self._inc("monitor/retry_after/received")
                logger.info("%s asks us to wait %.0f s (HTTP %s)", key, wait, response.status)
        if response.status >= 500 or response.status == 429:
            self._failed(key, f"HTTP {response.status}")
        else:
            self.failures.pop(key, None)
        return response

    def observe_exception(self, request: Request, exception: BaseException) -> None:
        if isinstance(exception, TRANSPORT_FAILURES):
            self._failed(host_key(request.url), type(exception).__name__)
        return None

    def _failed(self, key: str, what: str) -> None:
        if self.threshold <= 0 or not key:
            return
        count = self.failures[key] = self.failures.get(key, 0) + 1
        if count >= self.threshold and key not in self.paused:
            self.paused[key] = (self.clock() + self.pause, "host_paused",
                                f"{count} consecutive failures, last {what}")
            self._inc("monitor/breaker_opened")
            logger.warning("%s failed %d times in a row (last: %s): paused for %.0f s", key, count, what,
                           self.pause)


def _reactor() -> Any:
    from twisted.internet import reactor

    return reactor


class _DisallowAll:
    """The robots.txt policy while a site's robots.txt answers 5xx (RFC 9309 §2.3.1.4)."""

    def __init__(self, status: int):
        self.status = status

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False

    def sitemaps(self) -> list[str]:
        return []


class _RobotsErrorsWithoutTraceback(logging.Filter):
    """A robots.txt that cannot be fetched is an ordinary event on the web: one line, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


# robots.txt policies read by an earlier spider of the same process (a scheduler job runs
# its spiders one after the other: crawler/commands/job.py), by host: (when, policy).
_READ_IN_THIS_JOB: dict[str, tuple[float, Any]] = {}
# How long one reading is reused; RFC 9309 §2.4 allows caching a robots.txt up to 24 hours.
ROBOTS_REUSE_SECONDS = 3600.0


class RobotsTxtPolicy(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with the RFC 9309 rule for server errors, read once per job.

    A robots.txt answering 5xx means "the site is unreachable": every URL of
    the site is disallowed for this run (reason ``robots_txt``) instead of
    Scrapy's allow-all. Garbage is read as allow-all, and a huge file is
    bounded by ``DOWNLOAD_MAXSIZE`` like any download. A robots.txt that
    cannot be fetched at all is logged without a traceback (and fetched
    again by the next spider).

    Scrapy reads robots.txt once per crawler; the spiders of one job (one
    process) share what an earlier one read, for up to an hour: a job asks
    each host for its robots.txt once, not once per spider.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        robots_logger = logging.getLogger(RobotsTxtMiddleware.__module__)
        if not any(isinstance(f, _RobotsErrorsWithoutTraceback) for f in robots_logger.filters):
            robots_logger.addFilter(_RobotsErrorsWithoutTraceback())
        now = time.monotonic()
        self._parsers.update({netloc: policy for netloc, (when, policy) in _READ_IN_THIS_JOB.items()
                              if now - when < ROBOTS_REUSE_SECONDS})

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status < 500:
            await super()._parse_robots(response, netloc, request)
        else:
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            logger.info("%s/robots.txt answered HTTP %s: the site is off limits for this run", netloc,
                        response.status)
            waiting = self._parsers[netloc]
            parser = _DisallowAll(response.status)
            self._parsers[netloc] = parser  # type: ignore[assignment]
            if isinstance(waiting, defer.Deferred):
                waiting.callback(parser)
        # Read, for the job's next spiders (one that could not be fetched is not: they try again).
        _READ_IN_THIS_JOB[netloc] = (time.monotonic(), self._parsers[netloc])


class RedirectAwareDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, except for the hops of a redirect chain.

    The stock filter silently drops a redirect back to a URL already seen,
    so a redirect loop would leave no trace; letting the hops through makes
    the loop end at ``REDIRECT_MAX_TIMES`` as an error with a reason.
    """

    def request_seen(self, request: Request) -> bool:
        if request.meta.get("redirect_times"):
            return False
        return super().request_seen(request)


class GuardedHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, asking :class:`HostHealth` first (at dequeue time, per host slot)."""

    async def download_request(self, request: Request) -> Response:
        health: HostHealth | None = getattr(self._crawler, "monitor_host_health", None)
        if health is None:
            return await super().download_request(request)
        await health.before_download(request)
        try:
            response = await super().download_request(request)
        except Exception as exc:
            health.observe_exception(request, exc)
            raise
        return health.observe_response(request, response)
