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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request

from core.components import extension_of
from core.sources import Config, Story, load_config
from pipelines.profile import StoryProfile

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class MonitorContext:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.config: Config | None = None
        self.profiles: dict[str, StoryProfile] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MonitorContext:
        return cls(crawler)

    @classmethod
    def of(cls, crawler: Crawler) -> MonitorContext:
        return extension_of(crawler, cls)

    async def load(self) -> Config:
        """Read the config and build the story profiles (raises ConfigError)."""
        from storage import open_crawl_store, queries, writes

        from distributed import frontier

        settings = self.crawler.settings
        self.config = load_config(settings.get("MONITOR_SOURCES"))
        if frontier.distributed(settings):  # a worker: no SQLite here, the ingest writes
            await frontier.load_profiles(self, self.config)
            return self.config
        db = open_crawl_store(settings)
        try:
            writes.upsert_sources(db, source_rows(self.config))
            for story in self.config.stories:
                text, text_from = await self._source_text(story)
                if text is None:
                    text, text_from = queries.story_text(db, story.name), "store"
                if text is None:
                    logger.warning("story %r: no text for the source article; relevance uses the terms alone",
                                   story.name)
                self.profiles[story.name] = story_profile(story, text)
                writes.upsert_story(db, story_row(story, text, text_from))
        finally:
            db.close()
        return self.config

    async def _source_text(self, story: Story) -> tuple[str | None, str]:
        if story.file is not None:
            if story.file.is_file():
                return _text_of_file(story.file, story.url), "file"
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
        from pipelines.extract import extract_article  # trafilatura: only when there is a page to read

        found = extract_article(response.text, url=story.url)
        if found is None:
            logger.warning("story %r: no readable text at %s", story.name, story.url)
            return None, "none"
        return found.text, "fetched"


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


def story_profile(story: Story, text: str | None) -> StoryProfile:
    return StoryProfile.build(name=story.name, url=story.url, language=story.language, terms=story.terms,
                              since=story.since.isoformat(), text=text)


def _text_of_file(path: Path, url: str) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm") or raw.lstrip()[:1] == "<":
        from pipelines.extract import extract_article

        found = extract_article(raw, url=url)
        return found.text if found else ""
    return raw
