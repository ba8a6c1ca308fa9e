"""``scrapy crawl <spider>``, with the mistakes a user makes refused in one line.

Scrapy's own command answers a misspelt spider name (``scrapy crawl feed``)
with a 37-line traceback, and sets a misspelt argument (``-a sources=x``) as
an attribute nobody reads, so every source is crawled. This one names the
problem and what is known, and exits 2 before anything starts.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.spiderloader import get_spider_loader

from crawler.spiders.base import argument_problem

if TYPE_CHECKING:
    import argparse

USAGE_ERROR = 2


def refusal(spiders: list[str], known: list[str], spargs: dict[str, str]) -> str | None:
    """Why ``spiders`` with ``spargs`` cannot run, in one line, or None."""
    unknown = [name for name in spiders if name not in known]
    if unknown:
        return f"unknown spider(s) {', '.join(repr(n) for n in unknown)} (known: {', '.join(sorted(known))})"
    return argument_problem(spargs)


class Command(ScrapyCrawl):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # Checked here, before Scrapy builds its crawler process and logs its banner.
        if len(args) == 1:
            assert self.settings is not None
            problem = refusal(args, get_spider_loader(self.settings).list(), opts.spargs)
            if problem:
                print(f"scrapy crawl: {problem}", file=sys.stderr)
                raise SystemExit(USAGE_ERROR)
