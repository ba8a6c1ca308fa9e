"""``scrapy job feeds,sitemaps,sections -a source=<name>``: a scheduler job's spiders in one process.

The scheduler used to start one ``scrapy crawl`` process per spider; on a
site where nothing changed, most of each crawl's time was Python and Scrapy
starting up. A job runs its spiders here instead, one after the other, in
one process and on one reactor: each spider is its own crawler (its own
settings copy, stats, ``crawl_runs`` row and ``CLOSESPIDER_TIMEOUT``),
exactly as if it had been started with ``scrapy crawl <spider>``.

What the scheduler relies on (jobs/runner.py):

- before each spider, one line ``job: <spider> starting (i/n)`` on stdout;
  the scheduler gives every spider its own timeout from that line on;
- SIGTERM or Ctrl-C close the running spider the Scrapy way (reason
  ``shutdown``) and start no other spider;
- SIGUSR1 ("drain") lets the running spider finish, then ends the job;
- a spider that fails to start is logged and the job goes on with the
  next one; the exit status is then 1 (as ``scrapy crawl`` exits 1).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from typing import TYPE_CHECKING, Any

from scrapy.commands import BaseRunSpiderCommand
from scrapy.exceptions import UsageError
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.defer import Deferred

from crawler.spiders.base import argument_problem

if TYPE_CHECKING:
    import argparse

logger = logging.getLogger(__name__)

MARKER = "job: {spider} starting ({number}/{total})"


def parse_spiders(value: str, known: list[str]) -> list[str]:
    """``feeds,sitemaps`` → ``["feeds", "sitemaps"]``; a UsageError names an unknown or repeated spider."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise UsageError("name at least one spider, e.g. 'scrapy job feeds,sitemaps'", print_help=False)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"unknown spider(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})",
                         print_help=False)
    if len(set(names)) != len(names):
        raise UsageError(f"a spider is named twice in {value!r}", print_help=False)
    return names


class Command(BaseRunSpiderCommand):
    requires_project = True

    def __init__(self) -> None:
        super().__init__()
        self.draining = False
        self.failed: list[str] = []

    def syntax(self) -> str:
        return "[options] <spider>[,<spider>...]"

    def short_desc(self) -> str:
        return "Run spiders of the project one after the other in one process (a scheduler job)"

    def long_desc(self) -> str:
        return ("Run the named spiders one after the other in this process, each as its own crawl "
                "(its own crawl_runs row, stats and CLOSESPIDER_TIMEOUT), with the same -a arguments "
                "and -s settings; what scheduler.py runs for a source's job.")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        problem = argument_problem(opts.spargs)  # before Scrapy's crawler process and its banner
        if problem:
            print(f"scrapy job: {problem}", file=sys.stderr)
            raise SystemExit(2)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError
        process = self.crawler_process
        assert process is not None
        names = parse_spiders(args[0], process.spider_loader.list())
        signal.signal(signal.SIGUSR1, self._drain)
        done = deferred_from_coro(self._run_all(names, opts.spargs))
        done.addErrback(self._crashed)
        process.start(stop_after_crawl=False)
        if self.failed:
            self.exitcode = 1
        _exit_now(self.exitcode)

    def _drain(self, signum: int, frame: Any) -> None:
        self.draining = True  # read between spiders, on the reactor thread

    async def _run_all(self, names: list[str], spargs: dict[str, str]) -> None:
        process = self.crawler_process
        assert process is not None
        try:
            for number, name in enumerate(names, 1):
                if self.draining:
                    logger.info("job: asked to finish (SIGUSR1); %s and the spiders after it are not started", name)
                    break
                print(MARKER.format(spider=name, number=number, total=len(names)), flush=True)
                crawler = self._create_crawler(name)
                try:
                    started: Any = process.crawl(crawler, **spargs)
                    await (maybe_deferred_to_future(started) if isinstance(started, Deferred) else started)
                except Exception:
                    logger.exception("job: spider %s failed", name)
                    self.failed.append(name)
                    continue
                if getattr(crawler, "spider", None) is None:
                    self.failed.append(name)
                    continue
                if crawler.stats.get_value("finish_reason") == "shutdown":
                    break  # SIGTERM / Ctrl-C: the reactor is stopping, no other spider starts
        finally:
            self._stop_reactor()

    def _crashed(self, failure: Any) -> None:
        logger.error("job: %s", failure.getTraceback())
        self.failed.append("job")
        self._stop_reactor()

    @staticmethod
    def _stop_reactor() -> None:
        from twisted.internet import reactor

        with contextlib.suppress(RuntimeError):  # already stopping (a signal)
            reactor.stop()  # type: ignore[misc]


def _exit_now(code: int) -> None:
    """End the process without the interpreter's teardown: everything is written and flushed by now.

    The runs are committed (each spider's store closed with it), the pool's
    workers were joined when their spider closed, and no thread is left.
    Tearing down the thousand modules a crawl imports took a tenth of a
    second, a tenth of a job that finds nothing new.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
