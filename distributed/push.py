"""Distributed mode: hand finished items to the ingest through Redis (instead of dedup + store).

In a worker (``MONITOR_REDIS_URL`` set, see distributed/frontier.py) this
pipeline takes the place of ``DedupPipeline`` and ``StorePipeline``: every
item that made it through extract, language and relevance, every
:class:`~core.items.UrlRecord`, and every page dropped or failed on the
way (with its reason) becomes one JSON message on ``monitor:items``.
``python -m distributed.ingest`` turns them into rows with the same dedup and
store code a single-process crawl uses, so the two modes store the same.

Messages: ``{"id", "kind", "worker", ...}`` with ``kind`` one of

* ``article`` — ``item``: the ArticleItem's fields (``html`` already dropped);
* ``url`` — ``item``: a UrlRecord's fields;
* ``dropped`` — ``item`` and ``drop``: ``{"status", "reason", "detail", "message"}``;
* ``error`` — ``item`` and ``detail``: a pipeline raised;
* ``run`` — at close: ``spider``, ``source``, ``finish_reason``, ``already_known``,
  ``not_modified``, ``feeds_discovered``;
* ``listing``, ``discovery``, ``entry_dates`` — what the spider's ledger
  learned (crawler/ledger.py's :class:`~crawler.ledger.RedisLedger`).
"""

from __future__ import annotations

import dataclasses
import logging
import os
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from core.items import ArticleItem, UrlRecord
from distributed import frontier
from pipelines.drops import Skipped

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class PushPipeline:
    def __init__(self, crawler: Crawler, url: str):
        self.crawler = crawler
        self.url = url
        self.server: Any = None
        self.worker = f"{os.uname().nodename}:{os.getpid()}"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PushPipeline:
        url = frontier.redis_url(crawler.settings)
        if not url:
            raise NotConfigured("MONITOR_REDIS_URL is not set")
        pipeline = cls(crawler, url)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.server = frontier.connect(self.url, self.crawler.settings)

    def _push(self, kind: str, **fields: Any) -> None:
        frontier.push_message(self.server, {"kind": kind, "worker": self.worker, **fields})

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ArticleItem):
            self._push("article", item=_fields(item))
        elif isinstance(item, UrlRecord):
            self._push("url", item=dataclasses.asdict(item))
        return item

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Spider) -> None:
        if not isinstance(item, ArticleItem) or self.server is None:
            return
        if isinstance(exception, Skipped):
            drop = {"status": exception.status, "reason": exception.reason, "detail": exception.detail}
        else:
            drop = {"status": "skipped", "reason": "dropped", "detail": str(exception)}
        self._push("dropped", item=_fields(item), drop=dict(drop, message=str(exception)))

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        if not isinstance(item, ArticleItem) or self.server is None:
            return
        self._push("error", item=_fields(item), detail=f"{type(failure.value).__name__}: {failure.value}"[:500])

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.server is None:
            return
        stats = self.crawler.stats
        counts = {key: int(stats.get_value(f"monitor/{key}", 0)) if stats is not None else 0
                  for key in ("already_known", "not_modified", "feeds_discovered")}
        self._push("run", spider=spider.name, source=getattr(spider, "source", None), finish_reason=reason,
                   **counts)
        self.server.close()
        self.server = None


def _fields(item: ArticleItem) -> dict[str, Any]:
    fields = dataclasses.asdict(item)
    fields["html"] = None  # never ship pages through Redis; extract already read them
    return fields
