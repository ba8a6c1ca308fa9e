"""The ``feeds`` spider: RSS 2.0, RSS 1.0/RDF, Atom and JSON Feed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.feeds import NotAFeed, parse_feed
from crawler.sources import Source
from crawler.spiders.base import MonitorSpider


class FeedsSpider(MonitorSpider):
    name = "feeds"
    found_via = "feed"

    def source_requests(self, source: Source) -> Iterable[scrapy.Request]:
        for url in source.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.source_failed,
                                 meta={"source": source.name}, dont_filter=True)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        source = response.meta["source"]
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        try:
            entries = parse_feed(response.body, url=response.url, content_type=content_type)
        except NotAFeed as exc:
            yield self.bad_listing(response, source, str(exc), "not_a_feed")
            return
        self.logger.info("%s: %d entries in %s", source, len(entries), response.url)
        yield from self.article_requests(source, entries, response.url)
