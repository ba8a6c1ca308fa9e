"""A worker's lifecycle: alive while there is or may be work, heartbeats, dead workers' leases reclaimed."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler


from crawler.scrapy_compat import wake_engine
from distributed.frontier import READY, distributed
from distributed.scheduler import LeasedScheduler
from pipelines.language import load_profiles
from pipelines.pool import CpuPool

logger = logging.getLogger(__name__)

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
        # A worker is a service that reads pages as soon as work arrives: its language
        # detector is loaded and its extraction processes started now, not with its first
        # page (pipelines/language.py, pipelines/pool.py).
        load_profiles()
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
        wake_engine(engine)

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
