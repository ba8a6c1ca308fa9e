"""The scheduler's side of distributed mode: put due sources' listings into the shared frontier."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from distributed import codec

if TYPE_CHECKING:
    pass


from distributed.frontier import QUEUE_KEY, connect, redis_url
from distributed.ledger import RedisLedger
from storage import open_crawl_store
from storage.ledger import SqliteLedger

logger = logging.getLogger(__name__)

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

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if db:
        settings.set("MONITOR_DB", db, priority="cmdline")
    spidercls = SpiderLoader.from_settings(settings).load(spider_name)
    crawler = Crawler(spidercls, settings)
    spider: Any = spidercls.from_crawler(crawler)  # one of our MonitorSpiders (ledger, source_requests)
    crawler.spider = spider
    spider.ledger = SqliteLedger(open_crawl_store(settings)) if db else RedisLedger(url, settings)
    server = connect(url, settings)
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


def scheduled_discovery(spider_name: str, sources: list[Any], db: str) -> int:
    """scheduler.py's job in distributed mode: queue these sources' listings for the workers."""
    return enqueue_discovery(redis_url(), spider_name, sources, db)
