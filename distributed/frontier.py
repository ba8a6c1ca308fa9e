"""Distributed mode: one request frontier in Redis for every worker, on every machine.

Set ``MONITOR_REDIS_URL`` and ``scrapy crawl <spider>`` becomes a *worker*
(:class:`DistributedMode`, an add-on in ``ADDONS``, switches the settings;
without the setting nothing changes):

* scrapy-redis' scheduler and duplicate filter share the queue of requests
  (``monitor:<spider>:requests``, a sorted set by priority) and the set of
  article requests already made (``monitor:seen``) between all workers;
  requests are stored as JSON (:mod:`distributed.codec`), never pickled;
* the spider does not discover on its own: ``scheduler.py`` puts each due
  source's listings into the frontier (:func:`enqueue_discovery`), and the
  worker keeps waiting for work (``MONITOR_REDIS_IDLE_CLOSE``);
* the spiders' ledger (crawler/ledger.py) is Redis: settled URLs are read
  from ``monitor:settled`` (kept by the ingest), listing results and
  discoveries go to the ingest as messages, so a worker needs no SQLite file;
* extract, language and relevance run in the worker; then
  :class:`distributed.push.PushPipeline` puts the item on ``monitor:items``,
  and ``python -m distributed.ingest`` deduplicates and stores it (one writer).

**Leases.** scrapy-redis pops a request and forgets it: a worker killed while
fetching would lose it (its fingerprint stays in the seen set, so nobody
would ever fetch it). :class:`LeasedScheduler` pops *and* leases in one
Redis script (``monitor:<spider>:leases``), releases the lease once Scrapy
has finished with the request (response handled, items pushed, new requests
queued; an article request is marked seen and queued in one script), and puts back the leases of workers whose heartbeat
(``monitor:worker:<id>``) has expired. A worker holds at most
``MONITOR_REDIS_MAX_LEASES`` requests: one that downloads far ahead of its
extraction processes would take work the other workers could start now.
This is the one adapter over scrapy-redis 0.9.1; its scheduler and duplicate filter are otherwise used
as they are with Scrapy 2.19 (tests/test_scaleout.py checks both).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from distributed import codec

if TYPE_CHECKING:
    import redis
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

    from core.context import MonitorContext
    from core.sources import Config

logger = logging.getLogger(__name__)

QUEUE_KEY = "monitor:%(spider)s:requests"
LEASES_KEY = "monitor:%(spider)s:leases"
SEEN_KEY = "monitor:seen"
SETTLED_KEY = "monitor:settled"
ITEMS_KEY = "monitor:items"
PROCESSING_KEY = "monitor:items:processing"
STORY_TEXT_KEY = "monitor:story_text"
WORKER_KEY = "monitor:worker:%s"


READY = "frontier_ready"


def ready(spider: Spider) -> None:
    """The spider may now take requests from the frontier (its start() has loaded what it needs)."""
    setattr(spider, READY, True)


def redis_url(settings: BaseSettings | dict[str, Any] | None = None) -> str:
    """``MONITOR_REDIS_URL`` from the settings or the environment ("" when not distributed)."""
    value = settings.get("MONITOR_REDIS_URL") if settings is not None else None
    return str(value or os.environ.get("MONITOR_REDIS_URL") or "")


def connect(url: str) -> redis.Redis:
    """Our one way to open a Redis client (bytes in, bytes out)."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10, retry_on_timeout=True)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class DistributedMode:
    """Add-on: with ``MONITOR_REDIS_URL`` set, switch Scrapy to the shared frontier."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = redis_url(settings)
        if not url:
            return
        settings.set("REDIS_URL", url, priority="addon")
        settings.set("SCHEDULER", "distributed.frontier.LeasedScheduler", priority="addon")
        # crawler/settings.py names its own filter at "project" priority, above an add-on's.
        settings.set("DUPEFILTER_CLASS", "distributed.frontier.ArticleDupeFilter",
                     priority=max(settings.getpriority("DUPEFILTER_CLASS") or 0, SETTINGS_PRIORITIES["addon"]))
        settings.set("SCHEDULER_SERIALIZER", "distributed.codec", priority="addon")
        settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.PriorityQueue", priority="addon")
        settings.set("SCHEDULER_QUEUE_KEY", QUEUE_KEY, priority="addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", SEEN_KEY, priority="addon")
        # Other workers still use the frontier when this one stops.
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
        pipelines = settings["ITEM_PIPELINES"]
        order = pipelines.get("pipelines.dedup.DedupPipeline") or 400
        pipelines["pipelines.dedup.DedupPipeline"] = None
        pipelines["pipelines.store.StorePipeline"] = None
        pipelines["distributed.push.PushPipeline"] = order
        settings["EXTENSIONS"]["distributed.frontier.WorkerLifecycle"] = 20


def distributed(settings: BaseSettings) -> bool:
    return bool(redis_url(settings))


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
    return str(RFPDupeFilter.request_fingerprint(None, Request(url)))  # type: ignore[arg-type]


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


class LeasedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis' scheduler, with a lease on every request a worker holds."""

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
            request = self.queue._decode_request(data)
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
                                        args=[fingerprint, -request.priority, self.queue._encode_request(request)])
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
        busy = _requests_in_progress(self.crawler)
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


def _requests_in_progress(crawler: Crawler | None) -> set[Request] | None:
    """Requests the engine still works on (downloading, or being scraped and piped).

    Scrapy has no public signal for "this request's callback output is fully
    processed"; the engine keeps such requests in its slot's ``inprogress``
    set until then. tests/test_scaleout.py fails if that ever changes.
    """
    engine = crawler.engine if crawler is not None else None
    slot = getattr(engine, "_slot", None)
    busy = getattr(slot, "inprogress", None)
    return busy if isinstance(busy, set) else None


def _wake(engine: Any) -> bool:
    """Make the engine ask its scheduler for requests at the next reactor turn; False if it cannot.

    Scrapy has no public call for this; the engine's slot schedules its own
    pulls through ``nextcall`` (its 5 s heartbeat calls the same).
    tests/test_scaleout.py fails if that ever changes.
    """
    nextcall = getattr(getattr(engine, "_slot", None), "nextcall", None)
    if nextcall is None or not callable(getattr(nextcall, "schedule", None)):
        return False
    nextcall.schedule()
    return True


class WorkerLifecycle:
    """Keeps a worker alive while there is or may be work; heartbeats; reclaims dead workers' leases.

    A worker with an empty frontier waits: ``MONITOR_REDIS_IDLE_CLOSE`` = 0
    (the default) waits for ever, as a service does; N > 0 closes the worker
    once the frontier has been empty, with no other worker holding a
    request, for N seconds. Every ``MONITOR_REDIS_POLL`` seconds a worker
    with free download slots looks at the frontier and, if it holds
    requests, makes the engine take some (:meth:`poll`). The extraction pool
    starts with the worker.
    """

    def __init__(self, crawler: Crawler, idle_close: float, poll: float = 0.2):
        self.crawler = crawler
        self.idle_close = idle_close
        self.poll_every = poll
        self.idle_since: float | None = None
        self.loop: Any = None
        self.poll_loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerLifecycle:
        if not distributed(crawler.settings):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("MONITOR_REDIS_IDLE_CLOSE"),
                  crawler.settings.getfloat("MONITOR_REDIS_POLL"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        return ext

    def _scheduler(self) -> LeasedScheduler | None:
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        return scheduler if isinstance(scheduler, LeasedScheduler) else None

    def spider_opened(self, spider: Spider) -> None:
        from twisted.internet import task

        self.loop = task.LoopingCall(self.tick)
        ttl = max(2, self.crawler.settings.getint("MONITOR_REDIS_WORKER_TTL"))
        self.loop.start(ttl / 4, now=False)  # a few heartbeats per TTL
        if self.poll_every > 0:
            self.poll_loop = task.LoopingCall(self.poll)
            self.poll_loop.start(self.poll_every, now=False)
        # A worker is a service that reads pages as soon as work arrives: start its
        # extraction processes now, not with its first page (pipelines/pool.py).
        from pipelines.pool import CpuPool

        pool = self.crawler.get_extension(CpuPool)
        if pool is not None:
            pool.pool.start()

    def spider_closed(self, spider: Spider) -> None:
        for loop in (self.loop, self.poll_loop):
            if loop is not None and loop.running:
                loop.stop()

    def poll(self) -> None:
        """Wake the engine when the frontier holds requests and this worker has room for some.

        Scrapy asks a scheduler that had nothing for more only when one of its
        own requests finishes, or every 5 seconds: a worker that found the
        shared queue empty would join the work another worker queued up to
        5 s late.
        """
        engine = self.crawler.engine
        scheduler = self._scheduler()
        if engine is None or scheduler is None or not getattr(self.crawler.spider, READY, False):
            return
        try:
            if engine.needs_backout() or not scheduler.wants_more() or not len(scheduler):
                return
        except Exception as exc:  # a Redis hiccup must not stop the worker
            logger.warning("frontier poll failed: %s", exc)
            return
        _wake(engine)

    def tick(self) -> None:
        scheduler = self._scheduler()
        if scheduler is None:
            return
        try:
            scheduler.heartbeat()
            scheduler.release_finished()
            scheduler.reclaim()
        except Exception as exc:  # a Redis hiccup must not stop the worker
            logger.warning("frontier heartbeat failed: %s", exc)

    def spider_idle(self, spider: Spider) -> None:
        scheduler = self._scheduler()
        if scheduler is None:
            return
        scheduler.release_finished()
        scheduler.reclaim()
        if len(scheduler) or scheduler.others_busy() or self.idle_close <= 0:
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_close:
            raise DontCloseSpider
        logger.info("frontier empty for %.0fs: this worker stops", now - self.idle_since)


def open_ledger(settings: BaseSettings) -> Any:
    """A spider's ledger (crawler/ledger.py): Redis in a distributed worker, else the SQLite store."""
    from crawler.ledger import RedisLedger, SqliteLedger

    url = redis_url(settings)
    if url:
        return RedisLedger(url)
    from storage import open_crawl_store

    return SqliteLedger(open_crawl_store(settings))


def enqueue_discovery(url: str, spider_name: str, sources: list[Any], db: str | None = None) -> int:
    """Put the listings of ``sources`` (feeds, sitemaps, sections...) into ``spider_name``'s frontier.

    The requests are built by the spider's own ``source_requests``, on a
    spider built by a Crawler with the project settings; its ledger is the
    SQLite store ``db`` when given (scheduler.py: discovered feeds and
    sitemaps, conditional-GET validators), else the Redis ledger. They are
    queued the way scrapy-redis queues them; returns how many.
    """
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader
    from scrapy_redis.queue import PriorityQueue

    from crawler.ledger import RedisLedger, SqliteLedger
    from storage import open_crawl_store

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if db:
        settings.set("MONITOR_DB", db, priority="cmdline")
    spidercls = SpiderLoader.from_settings(settings).load(spider_name)
    crawler = Crawler(spidercls, settings)
    spider = spidercls.from_crawler(crawler)
    crawler.spider = spider
    spider.ledger = SqliteLedger(open_crawl_store(settings)) if db else RedisLedger(url)
    server = connect(url)
    queue = PriorityQueue(server=server, spider=spider, key=QUEUE_KEY, serializer=codec)
    count = 0
    try:
        for source in sources:
            for request in spider.source_requests(source):
                queue.push(request)
                count += 1
    finally:
        spider.ledger.close()
        server.close()
    logger.info("%s: %d listing request(s) of %d source(s) queued in %s", spider_name, count, len(sources),
                queue.key)
    return count


def push_message(server: redis.Redis, message: dict[str, Any]) -> None:
    """Put one finished item (or event) on the ingest's list."""
    server.lpush(ITEMS_KEY, codec.dumps(dict(message, id=uuid.uuid4().hex)))


def story_texts(server: redis.Redis) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in server.hgetall(STORY_TEXT_KEY).items()}



async def load_profiles(context: MonitorContext, config: Config) -> None:
    """A worker's story profiles: the source text from ``file``, a fetch, or another worker's fetch.

    The stories and sources rows go to the ingest as a ``config`` message
    (it writes them, and builds the same profiles from them).
    """
    from core.context import source_rows, story_profile, story_row

    server = connect(redis_url(context.crawler.settings))
    try:
        known = story_texts(server)
        rows = []
        for story in config.stories:
            text, text_from = await context._source_text(story)
            if text is None and story.name in known:
                text, text_from = known[story.name], "store"
            if text is None:
                logger.warning("story %r: no text for the source article; relevance uses the terms alone",
                               story.name)
            elif text_from != "store":
                server.hset(STORY_TEXT_KEY, story.name, text)
            context.profiles[story.name] = story_profile(story, text)
            rows.append(story_row(story, text, text_from))
        push_message(server, {"kind": "config", "sources": source_rows(config), "stories": rows})
    finally:
        server.close()


def scheduled_discovery(spider_name: str, sources: list[Any], db: str) -> int:
    """scheduler.py's job in distributed mode: queue these sources' listings for the workers."""
    return enqueue_discovery(redis_url(), spider_name, sources, db)
