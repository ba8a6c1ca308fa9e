"""``--once`` (``monitor crawl``): every spider once over every source, then what it found.

No launcher and no schedule: one crawl process over all the sources (or one
per source named), the runs recorded as the daemon records them
(:func:`jobs.daemon.crawl`), then the tables of :mod:`jobs.status` and an
exit status that says whether any source answered.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import Any, TextIO

from core.sources import Config
from distributed import frontier
from jobs.daemon import crawl, queue_discovery, spiders_for, store_errors
from jobs.runner import SPIDERS, CrawlSettings
from jobs.status import (
    EVERY_SOURCE_FAILED,
    crawl_outcome,
    print_found,
    print_outcome,
    print_run_table,
    print_summary,
)
from storage import writes

logger = logging.getLogger("scheduler")


def run_once(config: Config, settings: CrawlSettings, out: TextIO, *, sources: Sequence[str] = (),
             show_found: bool = False) -> int:
    """Every spider once over every source (or the named ones); a summary table.

    Exit status: 0 when every crawl finished and at least one listing (feed,
    sitemap, section page) answered; 1 when a crawl did not finish; 3
    (:data:`EVERY_SOURCE_FAILED`) when the crawls ran but no source answered,
    with the causes counted: with no network, a crawl must not look like a success.
    """
    chosen = [config.source(name) for name in sources] if sources else list(config.select(None))
    if frontier.redis_url():
        return 0 if queue_discovery(list(SPIDERS), chosen, settings, out) else 1
    since = writes.now()
    # One job per run: a warm launcher (MONITOR_CRAWL_PRELOAD) would only add its own start-up.
    once = dataclasses.replace(settings, preload=False)
    jobs: list[tuple[Sequence[str], str | None]] = (
        [(spiders_for(s), s.name) for s in chosen] if sources else [(SPIDERS, None)])
    rows: list[tuple[dict[str, Any], float]] = []
    failed = False
    for spiders, source in jobs:
        logger.info("running %s over %s, in one process", ", ".join(spiders),
                    source or f"{len(chosen)} source(s)")
        result, runs = crawl(spiders, source, once)
        rows += [(run, result.spider_seconds.get(run["spider"], 0.0)) for run in runs]
        failed = failed or not (result.ok and runs and all(r["status"] == "finished" for r in runs))
    print_run_table(rows, out)
    with store_errors(settings.db):
        if show_found:
            print_found(settings.db, [run["id"] for run, _ in rows], out)
        print_summary(settings.db, out)
        answered = print_outcome(crawl_outcome(settings.db, since), out)
    if failed:
        return 1
    return 0 if answered else EVERY_SOURCE_FAILED
