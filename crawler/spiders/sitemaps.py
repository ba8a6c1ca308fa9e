"""The ``sitemaps`` spider: robots.txt ``Sitemap:`` lines, sitemap indexes, (news) sitemaps.

A source's ``sitemaps`` may list sitemap URLs or a robots.txt URL. Indexes
are followed at most ``MAX_DEPTH`` levels deep (a self-referencing index
ends there, with reason ``sitemap_too_deep``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.sitemaps import NotASitemap, parse_sitemap, robots_sitemaps
from crawler.sources import Source
from crawler.spiders.base import MonitorSpider

MAX_DEPTH = 3


class SitemapsSpider(MonitorSpider):
    name = "sitemaps"
    found_via = "sitemap"

    def source_requests(self, source: Source) -> Iterable[scrapy.Request]:
        for url in source.sitemaps:
            yield self._listing(url, source.name, depth=0)

    def _listing(self, url: str, source: str, *, depth: int) -> scrapy.Request:
        callback = self.parse_robots if url.rstrip("/").endswith("/robots.txt") else self.parse_sitemap
        return scrapy.Request(url, callback=callback, errback=self.source_failed,
                              meta={"source": source, "depth": depth}, dont_filter=depth == 0)

    def parse_robots(self, response: Response) -> Iterator[Any]:
        source, depth = response.meta["source"], response.meta["depth"]
        text = response.text if hasattr(response, "text") else response.body.decode("utf-8", "replace")
        for url in robots_sitemaps(text):
            yield self._listing(response.urljoin(url), source, depth=depth + 1)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        source, depth = response.meta["source"], response.meta["depth"]
        try:
            sitemap = parse_sitemap(response.body)
        except NotASitemap as exc:
            yield self.bad_listing(response, source, str(exc), exc.reason)
            return
        if sitemap.kind == "index":
            if depth >= MAX_DEPTH:
                yield self.bad_listing(response, source, f"sitemap index nested deeper than {MAX_DEPTH}",
                                       "sitemap_too_deep")
                return
            for url in sitemap.sitemaps:
                yield self._listing(response.urljoin(url), source, depth=depth + 1)
            return
        self.logger.info("%s: %d URLs in %s", source, len(sitemap.entries), response.url)
        cap = self.settings.getint("MONITOR_SITEMAP_MAX_URLS")
        if cap and len(sitemap.entries) > cap:
            yield self.bad_listing(response, source, f"{len(sitemap.entries)} URLs, only the first {cap} read",
                                   "sitemap_limit")
            del sitemap.entries[cap:]
        yield from self.article_requests(source, sitemap.entries, response.url)
