"""A distributed worker's crawl context: stories and ledger from Redis, listings from the frontier.

:class:`distributed.addon.DistributedMode` puts :class:`WorkerContext` in
``EXTENSIONS`` in place of :class:`core.context.MonitorContext`; spiders and
pipelines find it as that class.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.context import MonitorContext, source_rows, story_row
from core.sources import Config, load_config
from distributed import frontier
from distributed.ledger import RedisLedger

if TYPE_CHECKING:
    from scrapy import Spider

logger = logging.getLogger(__name__)


class WorkerContext(MonitorContext):
    worker = True

    async def load(self) -> Config:
        """The worker's story profiles: the source text from ``file``, a fetch, or another worker's fetch.

        There is no SQLite file here: the stories and sources rows go to the
        ingest as a ``config`` message (it writes them, and builds the same
        profiles from them).
        """
        self.config = config = load_config(self.crawler.settings.get("MONITOR_SOURCES"))
        server = frontier.connect(frontier.redis_url(self.crawler.settings), self.crawler.settings)
        try:
            known = frontier.story_texts(server)
            rows = []
            for story in config.stories:
                text, text_from = await self.source_text(story)
                if text is None and story.name in known:
                    text, text_from = known[story.name], "store"
                if text is None:
                    logger.warning("story %r: no text for the source article; relevance uses the terms alone",
                                   story.name)
                elif text_from != "store":
                    server.hset(frontier.STORY_TEXT_KEY, story.name, text)
                self.profiles[story.name] = self.profiler.build(story, text)
                rows.append(story_row(story, text, text_from))
            frontier.push_message(server, {"kind": "config", "sources": source_rows(config), "stories": rows})
        finally:
            server.close()
        return config

    def open_ledger(self) -> RedisLedger:
        return RedisLedger(frontier.redis_url(self.crawler.settings), self.crawler.settings)

    def ready(self, spider: Spider) -> None:
        frontier.ready(spider)
