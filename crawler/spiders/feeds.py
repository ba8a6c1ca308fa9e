"""The ``feeds`` spider: RSS 2.0, RSS 1.0/RDF, Atom and JSON Feed.

A source without ``feeds`` gets them discovered: its home page is read for
``<link rel="alternate">`` feeds; when it names none, the usual paths
(``/feed``, ``/rss.xml``…) are tried one at a time until one is a feed. What
was found is recorded on the source (``sources.discovered_feeds``) and
reused for ``MONITOR_REDISCOVER_DAYS`` (an empty result too); finding
nothing is a note on the home page's ``listings`` row (``no_feed_found``),
not a failure: a site without a feed is not broken.

A feed keeps its first ``MONITOR_FEED_MAX_ENTRIES`` entries; the rest are
noted on its ``listings`` row and as a ``feed_limit`` row in ``urls``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from core.items import UrlRecord
from core.sources import Source
from crawler.discovery import USUAL_FEED_PATHS, feed_links, transient
from crawler.feeds import MAX_ENTRIES, Feed, NotAFeed, read_feed
from crawler.spiders.base import MonitorSpider, failure_reason
from crawler.spiders.guard import guarded, in_slices
from storage.vocabulary import Reason, Status


def home_url(source: Source) -> str:
    """The source's home page: a configured section at the site root, else the root of its first URL."""
    urls = [*source.sections, *source.feeds, *source.sitemaps]
    for url in source.sections:
        if urlsplit(url).path in ("", "/"):
            return url
    parts = urlsplit(urls[0])
    return f"{parts.scheme}://{parts.netloc}/"


def fresh(stamp: str | None, days: float) -> bool:
    if not stamp:
        return False
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return False
    return dt.datetime.now(dt.UTC) - when < dt.timedelta(days=days)


class FeedsSpider(MonitorSpider):
    name = "feeds"
    found_via = "feed"

    def source_requests(self, source: Source) -> Iterable[scrapy.Request]:
        feeds = list(source.feeds)
        if not feeds:
            known = self.ledger.discovered(source.name)
            if known["feeds"] is not None and fresh(known["at"], self.settings.getfloat("MONITOR_REDISCOVER_DAYS", 7)):
                feeds = known["feeds"]
            else:
                home = home_url(source)
                self.logger.info("%s: no feed configured, looking for one on %s", source.name, home)
                yield scrapy.Request(home, callback=self.parse_home, errback=self.source_failed, dont_filter=True,
                                     meta={"source": source.name, "listing_kind": "home"})
                return
        for url in feeds:
            yield self.listing_request(url, source.name, kind="feed", callback=self.parse_feed)

    def _read(self, response: Response) -> Feed:
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        cap = self.settings.getint("MONITOR_FEED_MAX_ENTRIES", MAX_ENTRIES) or MAX_ENTRIES
        return read_feed(response.body, url=response.url, content_type=content_type, max_entries=cap)

    def _feed_read(self, response: Response, source: str, feed: Feed) -> Iterator[Any]:
        """The listing row of a feed that was read, and what its entries ask for."""
        entries = feed.entries
        self.logger.info("%s: %d entries in %s", source, feed.total, response.url)
        note = None
        if feed.truncated:
            note = f"feed_limit: {feed.total} entries, the first {len(entries)} read (MONITOR_FEED_MAX_ENTRIES)"
            self.logger.warning("%s: %s: %s", source, response.url, note)
            # Noted, not held against the source's health: a long feed is not a broken one.
            yield UrlRecord(url=response.url, source=source, status=Status.ERROR, reason=Reason.FEED_LIMIT,
                            found_via="config", detail=note)
        self.listing_result(response.url, source, "feed", status=response.status, entries=len(entries),
                            error=None if entries else "empty: no entries", response=response, note=note)
        for part in in_slices(entries):
            yield from self.article_requests(source, list(part), response.url)

    @guarded
    def parse_feed(self, response: Response) -> Iterator[Any]:
        if self.not_modified(response):
            return
        source = response.meta["source"]
        try:
            feed = self._read(response)
        except NotAFeed as exc:
            yield self.bad_listing(response, source, str(exc), "not_a_feed")
            return
        yield from self._feed_read(response, source, feed)

    # --- Feed discovery -------------------------------------------------------

    @guarded
    def parse_home(self, response: Response) -> Iterator[Any]:
        source = response.meta["source"]
        text = response.text if hasattr(response, "text") else ""
        found = feed_links(text, base_url=response.url)
        if found:
            self.logger.info("%s: feeds announced on %s: %s", source, response.url, ", ".join(found))
            self._discovered(source, found, response)
            for url in found:
                yield self.listing_request(url, source, kind="feed", callback=self.parse_feed)
            return
        probes = [urljoin(response.url, path) for path in USUAL_FEED_PATHS]
        yield self._probe(source, response.url, probes)

    def _probe(self, source: str, home: str, probes: list[str], failed: str | None = None) -> scrapy.Request:
        return scrapy.Request(probes[0], callback=self.parse_probe, errback=self.probe_failed, dont_filter=True,
                              meta={"source": source, "home": home, "probes": probes[1:],
                                    **({"transient": failed} if failed else {})})

    @guarded
    def parse_probe(self, response: Response) -> Iterator[Any]:
        source = response.meta["source"]
        try:
            feed = self._read(response)
        except NotAFeed:
            yield from self._next_probe(response.meta)
            return
        self.logger.info("%s: found feed %s at a usual path", source, response.url)
        self._discovered(source, [response.url], None)
        yield from self._feed_read(response, source, feed)

    def probe_failed(self, failure: Failure) -> Iterator[Any]:
        meta = failure.request.meta  # type: ignore[attr-defined]
        reason, _ = failure_reason(failure)
        if transient(reason):
            meta["transient"] = reason
        yield from self._next_probe(meta)

    def _next_probe(self, meta: dict[str, Any]) -> Iterator[Any]:
        if meta["probes"]:
            yield self._probe(meta["source"], meta["home"], meta["probes"], meta.get("transient"))
            return
        if meta.get("transient"):  # a probe failed for the moment only: look again next run
            self.logger.warning("%s: no feed found on %s, but a probe failed (%s); looked for again next run",
                                meta["source"], meta["home"], meta["transient"])
            return
        self.ledger.record_discovery(meta["source"], feeds=[])
        self.logger.warning("%s: no feed on %s (no link rel=alternate, none of %d usual paths)",
                            meta["source"], meta["home"], len(USUAL_FEED_PATHS))
        # A site without a feed is not broken: noted on the home page's listing and the source.
        self.listing_result(meta["home"], meta["source"], "home", status=200, entries=0,
                            note=f"no_feed_found: no link rel=alternate, none of {len(USUAL_FEED_PATHS)} usual paths")

    def _discovered(self, source: str, feeds: list[str], response: Response | None) -> None:
        self.ledger.record_discovery(source, feeds=feeds)
        self.crawler.stats.inc_value("monitor/feeds_discovered", len(feeds))
        if response is not None:
            self.listing_result(response.url, source, "home", status=response.status, entries=len(feeds))
