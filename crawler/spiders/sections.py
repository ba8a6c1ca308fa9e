"""The ``sections`` spider: a source's section and home pages, and the articles they link to.

``scrapy crawl sections -a source=NAME``. Each configured section page is
fetched (conditional GET, like feeds); its links that look like articles —
same site, and a dated URL, a headline-like text or a long slug, see
:func:`crawler.discovery.article_links` — go through the same gates as feed
entries (already in the ledger? teaser date before the story?). A fetched
page is checked before it becomes an article: one that declares itself a
website or is mostly links (:func:`crawler.discovery.page_kind`) is a list
page, recorded with reason ``not_article`` and never stored; its own links
are followed while the depth allows (``MONITOR_SECTIONS_DEPTH``, 1 = the
links of the configured page only).

Bounds: at most ``MONITOR_SECTIONS_MAX_LINKS`` links per page and
``MONITOR_SECTIONS_MAX_PAGES`` fetches per source and run; of a page with
more than ``MONITOR_PAGE_MAX_LINKS`` links only the first are read
(``too_many_links``); what was left out is said in the ledger row of the
list page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from core.items import ArticleItem, UrlRecord
from core.sources import Source
from crawler.discovery import MAX_ANCHORS, TOO_MANY_LINKS, read_page, scan_links
from crawler.spiders.base import MonitorSpider
from crawler.spiders.guard import guarded
from crawler.urls import clean_url
from storage.vocabulary import Reason, Status


class SectionsSpider(MonitorSpider):
    name = "sections"
    found_via = "section"

    def setup(self) -> None:
        self.max_depth = max(1, self.settings.getint("MONITOR_SECTIONS_DEPTH", 1))
        self.max_links = max(1, self.settings.getint("MONITOR_SECTIONS_MAX_LINKS", 300))
        self.max_pages = max(1, self.settings.getint("MONITOR_SECTIONS_MAX_PAGES", 1000))
        self.max_anchors = max(1, self.settings.getint("MONITOR_PAGE_MAX_LINKS", MAX_ANCHORS))
        self.fetched: Counter[str] = getattr(self, "fetched", None) or Counter()

    def source_requests(self, source: Source) -> Iterable[scrapy.Request]:
        self.setup()
        for url in source.sections:
            yield self.listing_request(url, source.name, kind="section", callback=self.parse_section,
                                       meta={"depth": 0})

    @guarded
    def parse_section(self, response: Response) -> Iterator[Any]:
        """A configured section or home page: a list page by definition.

        Like a feed, it is recorded in ``listings`` (validators, link count,
        health), not in the ``urls`` ledger of candidate articles.
        """
        if self.not_modified(response):
            return
        source = response.meta["source"]
        if not isinstance(response, TextResponse):
            yield self.bad_listing(response, source, "not an HTML page", "not_html")
            return
        scan = scan_links(response.text, page_url=response.url, limit=self.max_links, max_anchors=self.max_anchors)
        entries, total = scan.entries, scan.total
        self.logger.info("%s: %d article links on %s", source, total, response.url)
        notes = []
        if scan.truncated:
            notes.append(f"{TOO_MANY_LINKS}: only the first {self.max_anchors} links read (MONITOR_PAGE_MAX_LINKS)")
            self.crawler.stats.inc_value(f"monitor/{TOO_MANY_LINKS}")
        if total > self.max_links:
            notes.append(f"{total} article links; the first {self.max_links} followed (MONITOR_SECTIONS_MAX_LINKS)")
        note = "; ".join(notes) or None
        if note:
            self.logger.warning("%s: %s: %s", source, response.url, note)
        self.listing_result(response.url, source, "section", status=response.status, entries=total,
                            response=response, error=None if entries else "empty: no article links", note=note)
        yield from self._follow(response, entries, depth=0)

    @guarded
    def parse_linked(self, response: Response) -> Iterator[Any]:
        """A page linked from a list page: an article, or another list page."""
        source, depth = response.meta["source"], response.meta["depth"]
        if not isinstance(response, TextResponse):
            yield self.parse_article(response)
            return
        facts, scan = read_page(response.text, url=response.url, limit=self.max_links, max_anchors=self.max_anchors)
        if facts.kind != "listing":
            item = self.parse_article(response)
            if isinstance(item, ArticleItem):
                # The teaser's date gated the link; the article's own date is read from the page.
                item.entry_published = None
            yield item
            return
        entries, total = scan.entries, scan.total
        if scan.truncated:
            self.crawler.stats.inc_value(f"monitor/{TOO_MANY_LINKS}")
        expand = depth < self.max_depth
        detail = f"list page ({facts.reason})" + ("" if expand else f"; depth {depth} reached, links not followed")
        yield self._list_page_record(response.meta["discovered_url"], source, detail, total if expand else 0,
                                     final_url=response.url)
        if expand:
            yield from self._follow(response, entries, depth=depth)

    def _follow(self, response: Response, entries: list[Any], *, depth: int) -> Iterator[Any]:
        source = response.meta["source"]
        for out in self.article_requests(source, entries, response.url, callback=self.parse_linked,
                                         meta={"depth": depth + 1}):
            if isinstance(out, scrapy.Request):
                if self.fetched[source] >= self.max_pages:
                    self.crawler.stats.inc_value("monitor/sections_page_limit")
                    continue
                self.fetched[source] += 1
            yield out

    def _list_page_record(self, url: str, source: str, detail: str, links: int, *,
                          final_url: str | None = None) -> UrlRecord:
        if links > self.max_links:
            detail += f"; first {self.max_links} followed (MONITOR_SECTIONS_MAX_LINKS)"
        if self.fetched[source] >= self.max_pages:
            detail += f"; page budget of {self.max_pages} spent (MONITOR_SECTIONS_MAX_PAGES)"
        if final_url and clean_url(final_url) != url:
            detail += f"; redirected to {final_url}"
        return UrlRecord(url=clean_url(url), source=source, status=Status.SKIPPED, reason=Reason.NOT_ARTICLE,
                         found_via=self.found_via, detail=detail[:500])
