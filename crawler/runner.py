"""Run one crawl as a ``scrapy crawl`` subprocess, with a timeout.

The Twisted reactor cannot be restarted inside one process, and a crawl that
leaks memory or crashes must not take the scheduler with it, so every crawl
is its own process (as scrapyd does). A crawl that outlives its timeout gets
SIGTERM (Scrapy then closes cleanly and writes its run), then SIGKILL after
a grace period.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPIDERS = ("feeds", "sitemaps", "sections")


@dataclass(frozen=True)
class CrawlSettings:
    sources: str
    db: str
    allowed_hosts: str = ""
    timeout: int = 3600
    grace: int = 30
    log_level: str = "INFO"


@dataclass(frozen=True)
class CrawlResult:
    spider: str
    source: str | None
    returncode: int
    seconds: float
    timed_out: bool
    log_tail: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def crawl_command(spider: str, source: str | None, settings: CrawlSettings) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", spider,
               "-s", f"MONITOR_SOURCES={settings.sources}", "-s", f"MONITOR_DB={settings.db}",
               "-s", f"MONITOR_ALLOWED_HOSTS={settings.allowed_hosts}",
               "-s", f"CLOSESPIDER_TIMEOUT={settings.timeout}",
               "-s", f"LOG_LEVEL={settings.log_level}"]
    if source:
        command += ["-a", f"source={source}"]
    return command


def run_crawl(spider: str, source: str | None, settings: CrawlSettings) -> CrawlResult:
    """Run ``scrapy crawl`` and wait for it (at most ``timeout`` + ``grace`` seconds)."""
    started = time.monotonic()
    tail: deque[str] = deque(maxlen=40)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        crawl_command(spider, source, settings), cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
        start_new_session=True,
    )
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: tail.extend(line.rstrip() for line in process.stdout),  # type: ignore[union-attr]
                              daemon=True)
    reader.start()
    timed_out = False
    try:
        process.wait(timeout=settings.timeout + settings.grace)
    except subprocess.TimeoutExpired:
        timed_out = True
        logger.warning("%s %s: over %ss, stopping it", spider, source or "*", settings.timeout)
        _stop(process, settings.grace)
    reader.join(timeout=5)
    return CrawlResult(spider=spider, source=source, returncode=process.returncode,
                       seconds=round(time.monotonic() - started, 1), timed_out=timed_out,
                       log_tail="\n".join(tail))


def _stop(process: subprocess.Popen[str], grace: int) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass
