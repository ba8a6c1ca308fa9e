"""The add-on that turns a crawl into a worker of the shared frontier (``ADDONS``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.settings import SETTINGS_PRIORITIES

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


from distributed.frontier import QUEUE_KEY, SEEN_KEY, redis_url

logger = logging.getLogger(__name__)

class DistributedMode:
    """Add-on: with ``MONITOR_REDIS_URL`` set, switch Scrapy to the shared frontier."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = redis_url(settings)
        if not url:
            return
        settings.set("REDIS_URL", url, priority="addon")
        settings.set("SCHEDULER", "distributed.scheduler.LeasedScheduler", priority="addon")
        # crawler/settings.py names its own filter at "project" priority, above an add-on's.
        settings.set("DUPEFILTER_CLASS", "distributed.scheduler.ArticleDupeFilter",
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
        settings["EXTENSIONS"]["distributed.worker.WorkerLifecycle"] = 20
        extensions = settings["EXTENSIONS"]
        extensions["distributed.context.WorkerContext"] = extensions.get("core.context.MonitorContext") or 10
        extensions["core.context.MonitorContext"] = None
