"""Run one crawl as a ``scrapy crawl`` subprocess, with a timeout.

The Twisted reactor cannot be restarted inside one process, and a crawl that
leaks memory or crashes must not take the scheduler with it, so every crawl
is its own process (as scrapyd does), in its own process group (a Ctrl-C in
the terminal reaches the scheduler, which decides what the crawls get).

Scrapy is told to close itself at ``timeout`` (``CLOSESPIDER_TIMEOUT``). A
crawl still running ``grace`` seconds later gets SIGTERM (Scrapy then closes
cleanly and writes its run), and SIGKILL after another ``grace``.
:func:`stop_all` does the same to every running crawl when the scheduler
shuts down.

The command is ``python -m scrapy crawl`` unless ``command`` (the
``MONITOR_CRAWL_COMMAND`` setting) names another program; it gets the same
arguments (the spider, ``-s NAME=value`` settings, ``-a source=<name>``).
Tests use that to stand in a crawl that sleeps, fails or hangs.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shlex
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
# Every spider, in the order a job runs them. Each is named after the source
# field it crawls; `feeds` and `sitemaps` also run for a source without that
# field, to discover them (home page, robots.txt), `sections` only with sections.
SPIDERS = ("feeds", "sitemaps", "sections")
TAIL_LINES = 40
TAIL_LINE_CHARS = 500



def pid_alive(pid: int | None) -> bool:
    """Whether a process with this id runs on this machine (a crawl recorded as running, a lock holder)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

@dataclass(frozen=True)
class CrawlSettings:
    sources: str
    db: str
    allowed_hosts: str = ""
    timeout: int = 3600
    grace: int = 30
    log_level: str = "INFO"
    command: str = ""


@dataclass(frozen=True)
class CrawlResult:
    spider: str
    source: str | None
    returncode: int
    seconds: float
    stopped: str | None  # "timeout" or "shutdown" when we stopped it, else None
    log_tail: str
    pid: int
    started: str

    @property
    def timed_out(self) -> bool:
        return self.stopped == "timeout"

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.stopped is None


class _Running:
    def __init__(self, process: subprocess.Popen[str], label: str):
        self.process = process
        self.label = label
        self.stopped: str | None = None


class ShuttingDown(Exception):
    """No new crawl starts once :func:`stop_all` was called."""


_running: dict[int, _Running] = {}
_lock = threading.Lock()
_accepting = True


def crawl_command(spider: str, source: str | None, settings: CrawlSettings) -> list[str]:
    program = shlex.split(settings.command) if settings.command else [sys.executable, "-m", "scrapy", "crawl"]
    command = [*program, spider,
               "-s", f"MONITOR_SOURCES={settings.sources}", "-s", f"MONITOR_DB={settings.db}",
               "-s", f"MONITOR_ALLOWED_HOSTS={settings.allowed_hosts}",
               "-s", f"CLOSESPIDER_TIMEOUT={settings.timeout}",
               "-s", f"LOG_LEVEL={settings.log_level}"]
    if source:
        command += ["-a", f"source={source}"]
    return command


def run_crawl(spider: str, source: str | None, settings: CrawlSettings) -> CrawlResult:
    """Run one crawl and wait for it: at most ``timeout`` + ``grace``, then stop it."""
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    started = time.monotonic()
    label = f"{spider} {source or '*'}"
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with _lock:  # registered as it starts, so stop_all() never misses a crawl
        if not _accepting:
            raise ShuttingDown(label)
        try:
            process = subprocess.Popen(
                crawl_command(spider, source, settings), cwd=PROJECT_ROOT, env=env,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                start_new_session=True,
            )
        except OSError as exc:  # a crawl command that cannot start is a failed crawl, not a crash
            return CrawlResult(spider=spider, source=source, returncode=127, seconds=0.0, stopped=None,
                               log_tail=f"cannot start {settings.command or 'scrapy'}: {exc}", pid=0,
                               started=started_at)
        running = _Running(process, label)
        _running[process.pid] = running

    def read() -> None:
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                tail.append(line.rstrip()[:TAIL_LINE_CHARS])

    reader = threading.Thread(target=read, name=f"crawl-log-{process.pid}", daemon=True)
    reader.start()
    try:
        process.wait(timeout=settings.timeout + settings.grace)
    except subprocess.TimeoutExpired:
        with _lock:
            running.stopped = running.stopped or "timeout"
        logger.warning("%s: still running after %ss, stopping it", label, settings.timeout + settings.grace)
        _stop(process, settings.grace)
    except BaseException:  # Ctrl-C or SIGTERM while we wait (--once): the crawl must not outlive us
        with _lock:
            running.stopped = "shutdown"
        _stop(process, settings.grace)
        raise
    finally:
        with _lock:
            _running.pop(process.pid, None)
    reader.join(timeout=5)
    return CrawlResult(spider=spider, source=source, returncode=process.returncode,
                       seconds=round(time.monotonic() - started, 1), stopped=running.stopped,
                       log_tail="\n".join(tail), pid=process.pid, started=started_at)


def running_crawls() -> list[str]:
    """Labels (``spider source``) of the crawls running now."""
    with _lock:
        return [r.label for r in _running.values()]


def stop_all(grace: float) -> list[str]:
    """Stop every running crawl (SIGTERM, SIGKILL after ``grace``); their results say ``shutdown``.

    No crawl starts after this (:class:`ShuttingDown`).
    """
    global _accepting
    with _lock:
        _accepting = False
        crawls = list(_running.values())
        for crawl in crawls:
            crawl.stopped = "shutdown"
    for crawl in crawls:
        _signal(crawl.process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for crawl in crawls:
        try:
            crawl.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            logger.warning("%s: did not stop within %ss of SIGTERM, killing it", crawl.label, grace)
            _signal(crawl.process, signal.SIGKILL)
    return [c.label for c in crawls]


def _stop(process: subprocess.Popen[str], grace: float) -> None:
    _signal(process, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal(process, signal.SIGKILL)
        process.wait()


def _signal(process: subprocess.Popen[str], signum: int) -> None:
    """Signal the crawl's whole process group (Scrapy and anything it started)."""
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
