"""What one crawl knows: the sources config and the profiles of the stories.

An extension (``EXTENSIONS``), so spiders and pipelines share it through the
crawler instead of a global. The spider calls :meth:`MonitorContext.load` at
the start of ``start()``: it reads the config, records sources and stories
in the store, and builds each story's profile from its source article —
from ``file`` when given and present, else fetched from ``url`` through the
crawl's own downloader (so robots.txt, the address guard and the limits
apply), else the copy kept in the store by an earlier run.
"""

from __future__ import annotations

import json
import logging
from functools import cached_property
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.utils.misc import load_object

from core.components import extension_of
from core.errors import ConfigError
from core.sources import Config, Story, load_config
from storage import open_crawl_store, queries, writes
from storage.ledger import SqliteLedger

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

    from storage.ledger import Ledger

logger = logging.getLogger(__name__)


class MonitorContext:
    # A distributed worker's context (distributed/context.py) says True: its spiders take
    # their listings from the shared frontier instead of crawling their sources.
    worker = False

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.config: Config | None = None
        self.profiles: dict[str, Any] = {}

    @cached_property
    def profiler(self) -> Any:
        """Reading a source article and profiling it is the pipelines' business: the
        setting names the class that does it, as ``ITEM_PIPELINES`` names the pipelines."""
        path = self.crawler.settings.get("MONITOR_STORY_PROFILER")
        if not path:
            raise ConfigError("MONITOR_STORY_PROFILER is not set (crawler/settings.py names the profiler)")
        return load_object(path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MonitorContext:
        return cls(crawler)

    @classmethod
    def of(cls, crawler: Crawler) -> MonitorContext:
        return extension_of(crawler, cls)

    async def load(self) -> Config:
        """Read the config and build the story profiles (raises ConfigError)."""
        settings = self.crawler.settings
        self.config = load_config(settings.get("MONITOR_SOURCES"))
        db = open_crawl_store(settings)
        try:
            writes.upsert_sources(db, source_rows(self.config))
            for story in self.config.stories:
                text, text_from = await self.source_text(story)
                if text is None:
                    text, text_from = queries.story_text(db, story.name), "store"
                if text is None:
                    logger.warning("story %r: no text for the source article; relevance uses the terms alone",
                                   story.name)
                self.profiles[story.name] = self.profiler.build(story, text)
                writes.upsert_story(db, story_row(story, text, text_from))
        finally:
            db.close()
        return self.config

    def open_ledger(self) -> Ledger:
        """Where the spiders read and write what they know of URLs and listings: the SQLite store."""
        return SqliteLedger(open_crawl_store(self.crawler.settings))

    def ready(self, spider: Spider) -> None:
        """The spider has loaded what it needs (a worker's frontier waits for this)."""

    async def source_text(self, story: Story) -> tuple[str | None, str]:
        if story.file is not None:
            if story.file.is_file():
                return self.profiler.text_of_file(story.file, story.url), "file"
            logger.warning("story %r: file %s not found; fetching %s", story.name, story.file, story.url)
        engine = self.crawler.engine
        assert engine is not None
        try:
            response = await engine.download_async(Request(story.url, dont_filter=True))
        except Exception as exc:  # any fetch failure: fall back to the stored copy
            logger.warning("story %r: cannot fetch %s (%s)", story.name, story.url, exc)
            return None, "none"
        if response.status != 200 or not hasattr(response, "text"):
            logger.warning("story %r: %s answered HTTP %s", story.name, story.url, response.status)
            return None, "none"
        text = self.profiler.text_of_page(response.text, story.url)
        if text is None:
            logger.warning("story %r: no readable text at %s", story.name, story.url)
            return None, "none"
        return text, "fetched"


def source_rows(config: Config) -> list[dict[str, Any]]:
    """The ``sources`` rows of a config."""
    return [{"name": s.name, "language": s.language, "feeds": json.dumps(s.feeds),
             "sitemaps": json.dumps(s.sitemaps), "sections": json.dumps(s.sections), "every": s.every}
            for s in config.sources]


def story_row(story: Story, text: str | None, text_from: str) -> dict[str, Any]:
    """The ``stories`` row of a story (its text only when it was not read from the store)."""
    return {
        "name": story.name, "url": story.url, "title": story.title, "language": story.language,
        "published": story.published.isoformat() if story.published else None,
        "since": story.since.isoformat(), "terms": json.dumps(story.terms, ensure_ascii=False),
        **({"text": text, "text_from": text_from} if text_from != "store" else {}),
    }

