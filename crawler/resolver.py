"""The DNS resolver that refuses non-public answers (``TWISTED_DNS_RESOLVER``).

:class:`GuardedResolver` (``TWISTED_DNS_RESOLVER``) refuses every answer
that is not a public address, on every lookup (cached or not), so a name
that first resolves to a public address and later to ``127.0.0.1`` (DNS
rebinding) is refused at the second lookup, before any connection is made.
The download then fails as a DNS failure; :class:`ResolvedAddressGuard`
turns that failure back into ``blocked_address`` and keeps it from being
retried. ``MONITOR_TEST_HOSTS`` gives the resolver fixed answers for tests
(no real DNS in tests).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import (
    DNSLookupError,
)
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.crawler import Crawler
    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred

from crawler.addresses import AddressPolicy, parse_ip, parse_test_hosts

logger = logging.getLogger(__name__)

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
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> GuardedResolver:
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
