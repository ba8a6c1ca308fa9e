"""robots.txt: Scrapy's middleware with the RFC 9309 rule for server errors, read once per job."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from twisted.internet import defer

from crawler.scrapy_compat import RobotsTxtMiddlewareBase
from crawler.sitemaps import MAX_ROBOTS_BYTES

if TYPE_CHECKING:

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


logger = logging.getLogger(__name__)

class _DisallowAll:
    """The robots.txt policy while a site's robots.txt answers 5xx (RFC 9309 §2.3.1.4)."""

    def __init__(self, status: int):
        self.status = status

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False

    def sitemaps(self) -> list[str]:
        return []


class _RobotsErrorsWithoutTraceback(logging.Filter):
    """A robots.txt that cannot be fetched is an ordinary event on the web: one line, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


# robots.txt policies read by an earlier spider of the same process (a scheduler job runs
# its spiders one after the other: crawler/commands/job.py), by host: (when, policy).
_READ_IN_THIS_JOB: dict[str, tuple[float, Any]] = {}
# How long one reading is reused; RFC 9309 §2.4 allows caching a robots.txt up to 24 hours.
ROBOTS_REUSE_SECONDS = 3600.0


class RobotsTxtPolicy(RobotsTxtMiddlewareBase):
    """Scrapy's robots.txt middleware, with the RFC 9309 rule for server errors, read once per job.

    A robots.txt answering 5xx means "the site is unreachable": every URL of
    the site is disallowed for this run (reason ``robots_txt``) instead of
    Scrapy's allow-all. Garbage is read as allow-all, and of a huge file
    only the first 500 KiB are read, as Google does (RFC 9309 §2.5 allows a
    limit of at least that): the parser keeps every rule line, ~40 times the
    file's size, for the whole crawl. A robots.txt that
    cannot be fetched at all is logged without a traceback (and fetched
    again by the next spider).

    Scrapy reads robots.txt once per crawler; the spiders of one job (one
    process) share what an earlier one read, for up to an hour: a job asks
    each host for its robots.txt once, not once per spider.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        robots_logger = logging.getLogger(RobotsTxtMiddleware.__module__)
        if not any(isinstance(f, _RobotsErrorsWithoutTraceback) for f in robots_logger.filters):
            robots_logger.addFilter(_RobotsErrorsWithoutTraceback())
        now = time.monotonic()
        self.parsers.update({netloc: policy for netloc, (when, policy) in _READ_IN_THIS_JOB.items()
                              if now - when < ROBOTS_REUSE_SECONDS})

    async def read_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status < 500:
            if len(response.body) > MAX_ROBOTS_BYTES:
                self.stats.inc_value("monitor/robots_truncated")
                logger.info("%s/robots.txt is %d bytes: only the first %d read", netloc, len(response.body),
                            MAX_ROBOTS_BYTES)
                cut = response.body.rfind(b"\n", 0, MAX_ROBOTS_BYTES) + 1 or MAX_ROBOTS_BYTES
                response = response.replace(body=response.body[:cut])  # the last whole line, not half a rule
            await super().read_robots(response, netloc, request)
        else:
            self.stats.inc_value("robotstxt/response_count")
            self.stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            logger.info("%s/robots.txt answered HTTP %s: the site is off limits for this run", netloc,
                        response.status)
            waiting = self.parsers[netloc]
            parser = _DisallowAll(response.status)
            self.parsers[netloc] = parser
            if isinstance(waiting, defer.Deferred):
                waiting.callback(parser)
        # Read, for the job's next spiders (one that could not be fetched is not: they try again).
        _READ_IN_THIS_JOB[netloc] = (time.monotonic(), self.parsers[netloc])
