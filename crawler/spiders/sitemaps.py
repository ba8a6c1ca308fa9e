"""The ``sitemaps`` spider: robots.txt ``Sitemap:`` lines, sitemap indexes, (news) sitemaps.

A source's ``sitemaps`` may list sitemap URLs or a robots.txt URL; a source
without any gets its site's robots.txt read, and the sitemaps found there
are recorded on the source (``sources.discovered_sitemaps``). Indexes are
followed at most ``MAX_DEPTH`` levels deep (reason ``sitemap_too_deep``); an
index that lists itself or one of its parents is a loop (``sitemap_loop``),
ended before any further request. Sitemaps are fetched with conditional GET.

A robots.txt is read up to 500 KiB (what Google reads), and gets its row in
``listings`` whether it was found by discovery or configured. A child
sitemap URL no parser accepts (``http://[::1``) is recorded and skipped;
its siblings are read. A sitemap keeps at most ``MONITOR_SITEMAP_MAX_URLS``
entries (reason ``sitemap_limit``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from core.items import UrlRecord
from core.sources import Source
from crawler.discovery import transient
from crawler.sitemaps import MAX_ROBOTS_BYTES, MAX_URLS, NotASitemap, parse_sitemap, robots_sitemaps
from crawler.spiders.base import MonitorSpider, failure_reason
from crawler.spiders.feeds import fresh
from crawler.spiders.guard import guarded, in_slices
from crawler.urls import clean_url, join_url
from storage.vocabulary import Reason, Status

MAX_DEPTH = 3


class SitemapsSpider(MonitorSpider):
    name = "sitemaps"
    found_via = "sitemap"

    def source_requests(self, source: Source) -> Iterable[scrapy.Request]:
        sitemaps = list(source.sitemaps)
        discover = False
        if not sitemaps:
            known = self.ledger.discovered(source.name)
            rediscover_days = self.settings.getfloat("MONITOR_REDISCOVER_DAYS", 7)
            if known["sitemaps"] is not None and fresh(known["at"], rediscover_days):
                sitemaps = known["sitemaps"]
            else:
                parts = urlsplit([*source.sections, *source.feeds][0])
                sitemaps, discover = [f"{parts.scheme}://{parts.netloc}/robots.txt"], True
        for url in sitemaps:
            yield self._listing(url, source.name, depth=0, chain=(), discover=discover)

    def _listing(self, url: str, source: str, *, depth: int, chain: tuple[str, ...],
                 discover: bool = False) -> scrapy.Request:
        robots = url.rstrip("/").endswith("/robots.txt")
        meta = {"depth": depth, "chain": (*chain, clean_url(url)), "discover": discover}
        if robots:
            return scrapy.Request(url, callback=self.parse_robots,
                                  errback=self.discovery_failed if discover else self.source_failed,
                                  meta={"source": source, "listing_kind": "robots", **meta}, dont_filter=depth == 0)
        return self.listing_request(url, source, kind="sitemap", callback=self.parse_sitemap, meta=meta,
                                    dont_filter=depth == 0)

    @guarded
    def parse_robots(self, response: Response) -> Iterator[Any]:
        source, depth = response.meta["source"], response.meta["depth"]
        body = response.body[:MAX_ROBOTS_BYTES]
        text = body.decode(getattr(response, "encoding", None) or "utf-8", "replace")
        lines = robots_sitemaps(text, limit=self._max_urls())
        found = [url for url in (join_url(response.url, line) for line in lines) if url]
        notes = []
        if len(response.body) > MAX_ROBOTS_BYTES:
            notes.append(f"robots_too_large: {len(response.body)} bytes, the first {MAX_ROBOTS_BYTES} read")
        if len(found) < len(lines):
            notes.append(f"invalid_url: {len(lines) - len(found)} Sitemap line(s) no URL parser accepts")
        if response.meta.get("discover"):
            self.ledger.record_discovery(source, sitemaps=found)
            self.logger.info("%s: sitemaps in %s: %s", source, response.url, ", ".join(found) or "none")
        if not found:
            # Not every site has a sitemap: a note on the listing, not a failure of the source.
            notes.append("no_sitemap_found: robots.txt lists no Sitemap")
        self.listing_result(response.url, source, "robots", status=response.status, entries=len(found),
                            note="; ".join(notes)[:500] or None)
        for url in found:
            yield self._listing(url, source, depth=depth + 1, chain=response.meta.get("chain", ()))

    def _max_urls(self) -> int:
        return self.settings.getint("MONITOR_SITEMAP_MAX_URLS", MAX_URLS) or MAX_URLS

    def discovery_failed(self, failure: Failure) -> None:
        """No readable robots.txt while looking for sitemaps: noted on the listing, not held against the source."""
        request = failure.request  # type: ignore[attr-defined]
        reason, detail = failure_reason(failure)
        source = request.meta["source"]
        if transient(reason):  # the site is down, not without sitemaps: not remembered, tried next run
            self.logger.warning("%s: %s (%s); sitemaps looked for again next run", source, request.url, detail)
            self.listing_result(request.url, source, "robots", status=None, error=reason)
            return
        self.ledger.record_discovery(source, sitemaps=[])
        self.logger.info("%s: no sitemap found, %s: %s", source, request.url, detail)
        self.listing_result(request.url, source, "robots", status=None, entries=0,
                            note=f"no_sitemap_found: {reason} ({detail})"[:500])

    @guarded
    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if self.not_modified(response):
            return
        source, depth = response.meta["source"], response.meta["depth"]
        cap = self._max_urls()
        try:
            sitemap = parse_sitemap(response.body, max_urls=cap)
        except NotASitemap as exc:
            yield self.bad_listing(response, source, str(exc), exc.reason)
            return
        if sitemap.kind == "index":
            if depth >= MAX_DEPTH:
                yield self.bad_listing(response, source, f"sitemap index nested deeper than {MAX_DEPTH}",
                                       "sitemap_too_deep")
                return
            chain = response.meta.get("chain", ())
            joined = [(loc, join_url(response.url, loc)) for loc in sitemap.sitemaps]
            for loc, url in joined:
                if url is None:  # one bad child (http://[::1) costs nothing to its siblings
                    yield UrlRecord(url=loc[:4096], source=source, status=Status.SKIPPED, reason=Reason.INVALID_URL,
                                    found_via="sitemap", detail=f"child sitemap of {response.url[:300]}")
            children = [url for _, url in joined if url is not None]
            loops = [url for url in children if clean_url(url) in chain or clean_url(url) == clean_url(response.url)]
            if loops:
                yield self.bad_listing(response, source, f"sitemap index lists itself or a parent: {loops[0]}",
                                       "sitemap_loop")
            else:
                self.listing_result(response.url, source, "sitemap", status=response.status,
                                    entries=len(children), response=response,
                                    error=None if children else "empty: no sitemaps in the index")
            for url in children:
                if url not in loops:
                    yield self._listing(url, source, depth=depth + 1, chain=chain)
            return
        self.logger.info("%s: %d URLs in %s", source, len(sitemap.entries), response.url)
        self.listing_result(response.url, source, "sitemap", status=response.status, entries=len(sitemap.entries),
                            response=response, error=None if sitemap.entries else "empty: no URLs")
        if sitemap.truncated:
            # A huge sitemap is not a broken one: noted in the ledger, not held against the source's health.
            self.logger.warning("%s: %s: more than %d URLs, only the first %d read", source, response.url, cap, cap)
            yield UrlRecord(url=response.url, source=source, status=Status.ERROR, reason=Reason.SITEMAP_LIMIT,
                            found_via="config", detail=f"more than {cap} URLs, only the first {cap} read")
        for entries in in_slices(sitemap.entries):
            yield from self.article_requests(source, list(entries), response.url)
