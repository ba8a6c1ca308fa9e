"""The shared request frontier's scheduler and duplicate filter: scrapy-redis' with leases.

See distributed/frontier.py for the whole picture.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.utils.misc import load_object
from scrapy.utils.request import request_from_dict
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler


from crawler.scrapy_compat import requests_in_progress
from distributed.frontier import LEASES_KEY, READY, WORKER_KEY, worker_id

logger = logging.getLogger(__name__)

class ArticleDupeFilter(RFPDupeFilter):
    """scrapy-redis' shared filter, for article requests only.

    Listings (feeds, sitemaps, robots.txt, sections) must be read again at
    every round, so they never enter the seen set; an article request is
    recognised by its ``meta["entry"]``. As crawler.middlewares'
    RedirectAwareDupeFilter, the hops of a redirect chain pass, so a redirect
    loop ends at ``REDIRECT_MAX_TIMES`` with a reason.
    """

    def tracked_fingerprint(self, request: Request) -> str | None:
        """The seen-set member of ``request``, or None when the filter lets it pass."""
        if request.meta.get("entry") is None or request.meta.get("redirect_times"):
            return None
        return str(self.request_fingerprint(request))

    def request_seen(self, request: Request) -> bool:
        if self.tracked_fingerprint(request) is None:
            return False
        return bool(super().request_seen(request))


def article_fingerprint(url: str) -> str:
    """The seen-set member of the article request for ``url`` (to forget a transient failure)."""
    return str(RFPDupeFilter.request_fingerprint(None, Request(url)))


# Pop the best request and lease it to a worker, atomically.
_POP_AND_LEASE = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. '\\n' .. found[2] .. '\\n' .. found[1])
return found[1]
"""
# Mark an article request seen and queue it, both or neither.
_SEE_AND_QUEUE = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""
# Give a lease back to the queue, once (the HDEL decides who does it).
_RETURN_LEASE = """
local lease = redis.call('HGET', KEYS[1], ARGV[1])
if not lease then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local first = string.find(lease, '\\n', 1, true)
local second = string.find(lease, '\\n', first + 1, true)
redis.call('ZADD', KEYS[2], string.sub(lease, first + 1, second - 1), string.sub(lease, second + 1))
return 1
"""


class LeasedScheduler(Scheduler):
    """scrapy-redis' scheduler, with a lease on every request a worker holds."""

    df: Any  # scrapy-redis sets it in open() without a type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker = worker_id()
        self.ttl = 20  # MONITOR_REDIS_WORKER_TTL, set by from_crawler
        self.max_leases = 0  # MONITOR_REDIS_MAX_LEASES (0: no bound), set by from_crawler
        self.beat = 0.0
        self.leased: dict[str, Request] = {}
        self.crawler: Crawler | None = None
        self._pop = self.server.register_script(_POP_AND_LEASE)
        self._return = self.server.register_script(_RETURN_LEASE)
        self._see_and_queue = self.server.register_script(_SEE_AND_QUEUE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeasedScheduler:
        scheduler: LeasedScheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.ttl = max(2, crawler.settings.getint("MONITOR_REDIS_WORKER_TTL"))
        scheduler.max_leases = (crawler.settings.getint("MONITOR_REDIS_MAX_LEASES")
                                or 2 * crawler.settings.getint("CONCURRENT_REQUESTS"))
        return scheduler

    def open(self, spider: Spider) -> None:
        # scrapy-redis 0.9.1's open() is this plus a call to the Spider.log()
        # that Scrapy 2.19 deprecates (warnings are errors in our tests).
        self.spider = spider
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider,
                                                 key=self.queue_key % {"spider": spider.name},
                                                 serializer=self.serializer)
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        if len(self.queue):
            logger.info("%s: %d request(s) waiting in %s", spider.name, len(self.queue), self.queue.key)
        self.leases_key = LEASES_KEY % {"spider": spider.name}
        self.heartbeat()
        self.reclaim()

    def close(self, reason: str) -> None:
        self.release_finished()
        # Whatever this worker still holds goes back to the others.
        for lease in list(self.leased):
            self._return(keys=[self.leases_key, self.queue.key], args=[lease])
        self.leased.clear()
        self.server.delete(WORKER_KEY % self.worker)
        super().close(reason)

    def next_request(self) -> Request | None:
        self.release_finished()
        if time.monotonic() - self.beat > self.ttl / 4:
            self.heartbeat()  # also here: a busy reactor may delay the extension's timer
        if not getattr(self.spider, READY, False):
            return None  # the spider's start() has not loaded the story profiles yet
        if not self.wants_more():
            # Enough work in hand: leave the rest of the queue to the other workers. The
            # engine asks again as soon as one of ours is done.
            return None
        lease = uuid.uuid4().hex
        data = self._pop(keys=[self.queue.key, self.leases_key], args=[lease, self.worker])
        if not data:
            return None
        try:
            request = request_from_dict(self.queue.serializer.loads(data), spider=self.spider)
        except (ValueError, TypeError) as exc:
            logger.error("dropping an unreadable request from %s: %s", self.queue.key, exc)
            self.server.hdel(self.leases_key, lease)
            return None
        request.meta["frontier_lease"] = lease
        self.leased[lease] = request
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def enqueue_request(self, request: Request) -> bool:
        # As scrapy-redis 0.9.1's, without the ``spider=`` argument to the
        # stats that Scrapy 2.19 deprecates, and with the seen-set and the
        # queue written in one Redis script: a worker killed between the two
        # would leave an article marked seen that nobody ever fetches (the
        # listing that found it is fetched again, but finds it seen).
        fingerprint = None
        if not request.dont_filter and isinstance(self.df, ArticleDupeFilter):
            fingerprint = self.df.tracked_fingerprint(request)
        if fingerprint is not None:
            added = self._see_and_queue(keys=[self.df.key, self.queue.key],
                                        args=[fingerprint, -request.priority,
                                              self.queue.serializer.dumps(request.to_dict(spider=self.spider))])
            if not added:
                self.df.log(request, self.spider)
                return False
        elif not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        else:
            self.queue.push(request)
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def wants_more(self) -> bool:
        """Does this worker hold fewer requests than ``MONITOR_REDIS_MAX_LEASES``?"""
        return not self.max_leases or len(self.leased) < self.max_leases

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def release_finished(self) -> None:
        """Release the leases of requests Scrapy is done with (handled, items pushed)."""
        if not self.leased:
            return
        busy = requests_in_progress(self.crawler.engine if self.crawler is not None else None)
        done = [lease for lease, request in self.leased.items() if busy is not None and request not in busy]
        if done:
            self.server.hdel(self.leases_key, *done)
            for lease in done:
                del self.leased[lease]

    def heartbeat(self) -> None:
        self.beat = time.monotonic()
        self.server.set(WORKER_KEY % self.worker, str(int(time.time())), ex=self.ttl)

    def reclaim(self) -> int:
        """Put back the leases of dead workers; how many."""
        returned = 0
        for lease, value in self.server.hgetall(self.leases_key).items():
            owner = value.split(b"\n", 1)[0].decode()
            if owner != self.worker and not self.server.exists(WORKER_KEY % owner):
                returned += int(self._return(keys=[self.leases_key, self.queue.key], args=[lease]))
        if returned:
            logger.warning("put back %d request(s) leased by workers that stopped", returned)
        return returned

    def others_busy(self) -> bool:
        """Does a live worker hold leases on this spider's queue (it may queue more work)?"""
        for value in self.server.hvals(self.leases_key):
            owner = value.split(b"\n", 1)[0].decode()
            if owner != self.worker and self.server.exists(WORKER_KEY % owner):
                return True
        return False
