"""One crash of a parser costs one listing, never the crawl's record of it.

Listings (feeds, sitemaps, robots.txt, section and home pages) come from
servers nobody here controls. Our parsers are written to fail with a reason
(:class:`~crawler.feeds.NotAFeed`, :class:`~crawler.sitemaps.NotASitemap`),
but a parser bug or a library surprise on some new shape of page must not
leave the listing without its row: :func:`guarded` turns any exception
escaping a callback into the row (reason ``parser_error``) and one log line;
what the callback yielded before it failed is kept. Storage failures and
``CloseSpider`` still end the crawl as they should.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import CloseSpider

from core.items import UrlRecord
from storage import StorageError
from storage.vocabulary import Reason, Status

if TYPE_CHECKING:
    from scrapy.http import Response

    from crawler.spiders.base import MonitorSpider

logger = logging.getLogger(__name__)

PARSER_ERROR = Reason.PARSER_ERROR
# Entries handed to the discovery gates at once. Scrapy takes a callback's
# output one object at a time and gives the reactor turns in between, but
# the gates read all the entries they are given before the first object
# comes out (URL checks, one ledger lookup): 50,000 sitemap URLs at once held
# the reactor for seconds, a slice of them for milliseconds.
SLICE = 500

Callback = Callable[[Any, "Response"], Iterator[Any]]


def guarded(callback: Callback) -> Callback:
    """Wrap a generator callback so an escaping exception becomes a ledger row with reason ``parser_error``."""

    @functools.wraps(callback)
    def wrapper(self: MonitorSpider, response: Response) -> Iterator[Any]:
        try:
            yield from callback(self, response)
        except (CloseSpider, StorageError):
            raise
        except Exception as exc:  # the point: whatever a hostile page does to a parser
            problem = f"{type(exc).__name__}: {str(exc)[:300]}"
            self.crawler.stats.inc_value(f"monitor/{PARSER_ERROR}")
            logger.warning("%s: %s crashed the parser of %s (%s)", response.meta.get("source"), response.url,
                           callback.__name__, problem)
            logger.debug("parser error on %s", response.url, exc_info=True)  # the traceback, for debugging only
            yield failed_record(self, response, problem)

    return wrapper


def in_slices(entries: Sequence[Any], size: int = SLICE) -> Iterator[Sequence[Any]]:
    """``entries`` a slice at a time (see ``SLICE``)."""
    for start in range(0, len(entries), size):
        yield entries[start:start + size]


def failed_record(spider: MonitorSpider, response: Response, problem: str) -> UrlRecord:
    source = response.meta.get("source") or "?"
    if "listing_kind" in response.meta:
        return spider.bad_listing(response, source, problem, PARSER_ERROR)
    url = response.meta.get("discovered_url", response.url)
    return UrlRecord(url=url, source=source, status=Status.ERROR, reason=PARSER_ERROR, found_via=spider.found_via,
                     detail=problem[:500])
