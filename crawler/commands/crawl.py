"""``scrapy crawl <spider>``, with the mistakes a user makes refused in one line, and an honest exit status.

Scrapy's own command answers a misspelt spider name (``scrapy crawl feed``)
with a 37-line traceback, and sets a misspelt argument (``-a sources=x``) as
an attribute nobody reads, so every source is crawled. This one names the
problem and what is known, and exits 2 before anything starts.

Scrapy's command also exits 0 whenever the crawl started, whatever stopped
it. This one exits as the README says: 2 when the crawl closed on a mistake
in the config or a store that cannot be written (``config_error``,
``storage_error``: the one line naming the fix is in the log), 1 when it
closed for any other reason than ``finished`` (a timeout, Ctrl-C, memory),
and 3 when it finished but none of the feeds, sitemaps or section pages it
fetched answered (no network, every host down), with one line counting why,
as ``monitor crawl`` does.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.spiderloader import get_spider_loader

from crawler.spiders.base import argument_problem
from storage import StorageError, open_crawl_store, queries, writes

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler

USAGE_ERROR = 2


def refusal(spiders: list[str], known: list[str], spargs: dict[str, str]) -> str | None:
    """Why ``spiders`` with ``spargs`` cannot run, in one line, or None."""
    unknown = [name for name in spiders if name not in known]
    if unknown:
        return f"unknown spider(s) {', '.join(repr(n) for n in unknown)} (known: {', '.join(sorted(known))})"
    return argument_problem(spargs)


NOT_STARTED = {"config_error": USAGE_ERROR, "storage_error": USAGE_ERROR}
NOT_FINISHED = 1
NONE_ANSWERED = 3


def exit_status(reason: str | None) -> int:
    """The exit status of a crawl that closed with ``reason`` (None: it never opened)."""
    if reason is None or reason == "finished":
        return 0
    return NOT_STARTED.get(reason, NOT_FINISHED)


class Command(ScrapyCrawl):
    reason: str | None = None

    def _create_crawler(self, spidercls: Any) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)
        return crawler

    def _closed(self, spider: Any, reason: str) -> None:
        self.reason = reason

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        since = writes.now()
        super().run(args, opts)
        self.exitcode = self.exitcode or exit_status(self.reason) or self._none_answered(since)

    def _none_answered(self, since: str) -> int:
        """``NONE_ANSWERED`` when the crawl fetched listings and none answered, saying why on stderr; else 0."""
        assert self.settings is not None
        if self.reason != "finished" or self.settings.get("MONITOR_REDIS_URL"):
            return 0  # a worker of the shared frontier: its listings are the ingest's
        try:
            store = open_crawl_store(self.settings)
            try:
                outcome = queries.listing_outcomes(store, since)
            finally:
                store.close()
        except (StorageError, sqlite3.Error):
            return 0  # the crawl said so already
        failed, causes = queries.failure_causes(outcome)
        if not outcome or len(failed) < len(outcome):
            return 0
        print("scrapy crawl: every source failed: no feed, sitemap or section page answered "
              f"({queries.causes_text(causes)})", file=sys.stderr)
        return NONE_ANSWERED

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # Checked here, before Scrapy builds its crawler process and logs its banner.
        if len(args) == 1:
            assert self.settings is not None
            problem = refusal(args, get_spider_loader(self.settings).list(), opts.spargs)
            if problem:
                print(f"scrapy crawl: {problem}", file=sys.stderr)
                raise SystemExit(USAGE_ERROR)
