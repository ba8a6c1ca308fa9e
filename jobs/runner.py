"""Run one scheduler job: a source's spiders, one after the other, in ONE ``scrapy job`` subprocess.

The Twisted reactor cannot be restarted inside one process, and a crawl that
leaks memory or crashes must not take the scheduler with it, so every job
is its own process (as scrapyd does), in its own process group (a Ctrl-C in
the terminal reaches the scheduler, which decides what the crawls get). The
job's spiders share that process (``scrapy job feeds,sitemaps,sections``,
crawler/commands/job.py): Python, Scrapy and our modules start once per job,
not once per spider, which is most of the cost of a crawl that finds
nothing new.

Each spider still has its own timeout: Scrapy closes it at ``timeout``
(``CLOSESPIDER_TIMEOUT``, per spider), and the job prints
``job: <spider> starting`` before each spider, from which the spider gets
``timeout`` + ``grace`` seconds here. A spider still running past that gets
SIGTERM (Scrapy then closes cleanly, writes its run, and the job starts no
other spider), and SIGKILL after another ``grace``. :func:`drain_all` asks
every job to finish its running spider and start no other (SIGUSR1), and
:func:`stop_all` stops them (SIGTERM, then SIGKILL), when the scheduler
shuts down.

Jobs are forked from the standard library's forkserver, which has Python,
Scrapy and our modules already imported (jobs/launcher.py;
``MONITOR_CRAWL_PRELOAD``): each is still its own process, in its own
session. When it cannot start, jobs start as new processes, as they do when
``MONITOR_CRAWL_PRELOAD`` is false.

The command is ``python -m scrapy job`` unless ``command`` (the
``MONITOR_CRAWL_COMMAND`` setting) names another program; it gets the same
arguments (the spiders, comma separated, ``-s NAME=value`` settings,
``-a source=<name>``) and should print the same ``job:`` lines. Tests use
that to stand in a job that sleeps, fails or hangs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jobs.launcher import LaunchedProcess, LaunchError, launcher

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Every spider, in the order a job runs them. Each is named after the source
# field it crawls; `feeds` and `sitemaps` also run for a source without that
# field, to discover them (home page, robots.txt), `sections` only with sections.
SPIDERS = ("feeds", "sitemaps", "sections")
TAIL_LINES = 40
TAIL_LINE_CHARS = 500
Process = subprocess.Popen[str] | LaunchedProcess


@dataclass(frozen=True)
class CrawlSettings:
    sources: str
    db: str
    allowed_hosts: str = ""
    timeout: int = 3600
    grace: int = 30
    log_level: str = "INFO"
    command: str = ""
    preload: bool = True  # fork jobs from the warm launcher (unless ``command`` names another program)
    extra: tuple[str, ...] = ()  # more ``NAME=value`` Scrapy settings for every job


@dataclass(frozen=True)
class CrawlResult:
    spiders: tuple[str, ...]
    source: str | None
    returncode: int
    seconds: float
    stopped: str | None  # "timeout" or "shutdown" when we stopped it, else None
    log_tail: str
    pid: int
    started: str
    # The spiders the job started (its ``job:`` lines), and each one's seconds.
    spider_seconds: dict[str, float] = field(default_factory=dict)
    drained: bool = False  # asked to start no other spider (the scheduler is stopping)

    @property
    def label(self) -> str:
        return f"{','.join(self.spiders)} {self.source or '*'}"

    @property
    def started_spiders(self) -> list[str]:
        """Spiders the job got to; the first one when it printed no ``job:`` line (it died starting)."""
        return list(self.spider_seconds) or list(self.spiders[:1])

    @property
    def timed_out(self) -> bool:
        return self.stopped == "timeout"

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.stopped is None and len(self.spider_seconds) == len(self.spiders)


class _Running:
    def __init__(self, process: Process, spiders: tuple[str, ...], source: str | None,
                 budget: float):
        self.process = process
        self.spiders = spiders
        self.source = source
        self.budget = budget  # seconds each spider may take, timeout + grace
        self.stopped: str | None = None
        self.current = spiders[0]
        self.deadline = time.monotonic() + budget
        self.marks: dict[str, float] = {}  # spider → monotonic time its job: line came
        self.drain_asked = False  # drain_all(): finish the running spider, start no other

    @property
    def label(self) -> str:
        return f"{self.current} {self.source or '*'}"


class ShuttingDown(Exception):
    """No new crawl starts once :func:`stop_all` was called."""


_running: dict[int, _Running] = {}
_lock = threading.Lock()
_accepting = True
_MARKER = re.compile(r"^job: (\S+) starting \(\d+/\d+\)$")


def crawl_command(spiders: Sequence[str], source: str | None, settings: CrawlSettings) -> list[str]:
    """The job's command line: ``python -m scrapy job feeds,sitemaps -s ... -a source=<name>``."""
    program = shlex.split(settings.command) if settings.command else [sys.executable, "-m", "scrapy", "job"]
    command = [*program, ",".join(spiders),
               "-s", f"MONITOR_SOURCES={settings.sources}", "-s", f"MONITOR_DB={settings.db}",
               "-s", f"MONITOR_ALLOWED_HOSTS={settings.allowed_hosts}",
               "-s", f"CLOSESPIDER_TIMEOUT={settings.timeout}",
               "-s", f"LOG_LEVEL={settings.log_level}"]
    for setting in settings.extra:
        command += ["-s", setting]
    if source:
        command += ["-a", f"source={source}"]
    return command


def run_crawl(spiders: Sequence[str], source: str | None, settings: CrawlSettings) -> CrawlResult:
    """Run one job (its spiders in one process) and wait for it; each spider may take ``timeout`` + ``grace``."""
    spiders = tuple(spiders)
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    started = time.monotonic()
    label = f"{','.join(spiders)} {source or '*'}"
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with _lock:  # registered as it starts, so stop_all() never misses a crawl
        if not _accepting:
            raise ShuttingDown(label)
        try:
            process = _start(crawl_command(spiders, source, settings), env, settings)
        except OSError as exc:  # a crawl command that cannot start is a failed crawl, not a crash
            return CrawlResult(spiders=spiders, source=source, returncode=127, seconds=0.0, stopped=None,
                               log_tail=f"cannot start {settings.command or 'scrapy'}: {exc}", pid=0,
                               started=started_at)
        running = _Running(process, spiders, source, settings.timeout + settings.grace)
        _running[process.pid] = running

    def read() -> None:
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                line = line.rstrip()
                tail.append(line[:TAIL_LINE_CHARS])
                marker = _MARKER.match(line)
                if marker and marker.group(1) in spiders:
                    _spider_started(running, marker.group(1))

    reader = threading.Thread(target=read, name=f"crawl-log-{process.pid}", daemon=True)
    reader.start()
    try:
        while True:
            with _lock:
                left = running.deadline - time.monotonic()
            if left <= 0:
                with _lock:
                    running.stopped = running.stopped or "timeout"
                    where = running.label
                logger.warning("%s: still running after %ss, stopping it", where, running.budget)
                _stop(process, settings.grace)
                break
            try:
                process.wait(timeout=min(left, 1.0))
                break
            except subprocess.TimeoutExpired:
                continue
    except BaseException:  # Ctrl-C or SIGTERM while we wait (--once): the crawl must not outlive us
        with _lock:
            running.stopped = "shutdown"
        _stop(process, settings.grace)
        raise
    finally:
        with _lock:
            _running.pop(process.pid, None)
    reader.join(timeout=5)
    ended = time.monotonic()
    with _lock:
        marks = sorted(running.marks.items(), key=lambda item: item[1])
    seconds = {spider: round((marks[i + 1][1] if i + 1 < len(marks) else ended) - at, 1)
               for i, (spider, at) in enumerate(marks)}
    assert process.returncode is not None  # waited for above
    return CrawlResult(spiders=spiders, source=source, returncode=process.returncode,
                       seconds=round(ended - started, 1), stopped=running.stopped,
                       log_tail="\n".join(tail), pid=process.pid, started=started_at, spider_seconds=seconds,
                       drained=running.drain_asked)


def prepare(settings: CrawlSettings) -> None:
    """Start the launcher now (the daemon does), so that the first job does not wait for it."""
    if settings.preload and not settings.command:
        try:
            launcher().start()
        except LaunchError as exc:
            logger.warning("%s; jobs will start as new processes", exc)


def _start(command: list[str], env: dict[str, str], settings: CrawlSettings) -> Process:
    """The job's process: forked by the launcher, or (no launcher, another command) a new one."""
    if settings.preload and not settings.command:
        try:
            return launcher().launch(command[1:], PROJECT_ROOT, env)
        except LaunchError as exc:
            logger.warning("%s; starting the job as a new process", exc)
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace", start_new_session=True)


def _spider_started(running: _Running, spider: str) -> None:
    """A ``job: <spider> starting`` line: that spider's own timeout starts now."""
    with _lock:
        first = not running.marks
        running.marks[spider] = time.monotonic()
        running.current = spider
        running.deadline = time.monotonic() + running.budget
        drain = first and running.drain_asked
    if drain:  # asked before the job could take SIGUSR1 (it was still starting)
        _drain(running.process)


def running_pids() -> dict[str, int]:
    """Label (``spider source``) → process id of each job running now."""
    with _lock:
        return {r.label: r.process.pid for r in _running.values()}


def running_crawls() -> list[str]:
    """Labels (``spider source``: the spider each job runs now) of the jobs running now."""
    with _lock:
        return [r.label for r in _running.values()]


def drain_all() -> list[str]:
    """Ask every running job to finish the spider it runs and start no other (SIGUSR1).

    A job that has not printed its first ``job:`` line yet gets the signal
    when it does (before that, it may not have its SIGUSR1 handler). Their
    results say ``drained``: the spiders they did not start get
    ``interrupted`` rows.
    """
    global _accepting
    with _lock:
        _accepting = False
        jobs = list(_running.values())
        ready = []
        for job in jobs:
            job.drain_asked = True
            if job.marks:
                ready.append(job)
    for job in ready:
        _drain(job.process)
    return [job.label for job in jobs]


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
            with contextlib.suppress(subprocess.TimeoutExpired):
                crawl.process.wait(timeout=grace)  # its exit status comes through the launcher
    launcher().close()
    return [c.label for c in crawls]


def _stop(process: Process, grace: float) -> None:
    _signal(process, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal(process, signal.SIGKILL)
        process.wait()


def _drain(process: Process) -> None:
    """SIGUSR1 to the job's own process only: its worker processes would die of it."""
    try:
        os.kill(process.pid, signal.SIGUSR1)
    except (ProcessLookupError, PermissionError):
        pass


def _signal(process: Process, signum: int) -> None:
    """Signal the crawl's whole process group (Scrapy and anything it started)."""
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
