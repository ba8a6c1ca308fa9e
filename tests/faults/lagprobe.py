"""A test-only extension: how long the reactor went without a turn, at most, during a crawl.

A ``LoopingCall`` asks for a turn every ``INTERVAL`` seconds; the lateness
of each turn is time the reactor spent on something else (a callback that
parses a page, for instance). The largest is logged at close and kept in
the stat ``monitor/reactor_lag_max`` (seconds): what a SIGTERM would have
waited for at worst.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals
from twisted.internet import task

logger = logging.getLogger(__name__)

INTERVAL = 0.05


class ReactorLagProbe:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.worst = 0.0
        self.last = time.monotonic()
        self.loop = task.LoopingCall(self._tick)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ReactorLagProbe:
        probe = cls(crawler)
        crawler.signals.connect(probe.opened, signal=signals.spider_opened)
        crawler.signals.connect(probe.closed, signal=signals.spider_closed)
        return probe

    def _tick(self) -> None:
        now = time.monotonic()
        self.worst = max(self.worst, now - self.last - INTERVAL)
        self.last = now

    def opened(self, spider: Any) -> None:
        self.last = time.monotonic()
        self.loop.start(INTERVAL, now=False)

    def closed(self, spider: Any, reason: str) -> None:
        if self.loop.running:
            self.loop.stop()
        self.crawler.stats.set_value("monitor/reactor_lag_max", round(self.worst, 3))
        logger.info("reactor lag: max %.3f s", self.worst)
