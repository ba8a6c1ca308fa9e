"""CPU work off the reactor: pebble's process pool, one worker per core, started once per crawl.

Extraction (trafilatura) and language detection cost tens of milliseconds of
CPU per page. Run in the reactor thread, they would stall downloads and use
one core; here they run in ``MONITOR_WORKERS`` processes (default: one per
usable core) of a :class:`pebble.ProcessPool`, and the pipelines ``await``
the answer, so the crawl keeps downloading while pages are parsed.

What pebble gives: a worker that dies (segfault, out of memory,
``os._exit``) fails exactly the task it held (``ProcessExpired``, here
:class:`WorkerCrashed`), one that takes longer than
``MONITOR_WORKER_TIMEOUT`` seconds is stopped and fails its task
(``TimeoutError``, here :class:`WorkerTimeout`), and either is replaced by a
fresh worker; no other page is affected. A worker is also replaced after
``MONITOR_WORKER_MAX_TASKS`` tasks (pebble's ``max_tasks``): what it has
copied from the forkserver and what its allocator keeps go with it, so the
pool's memory does not grow with the length of the crawl.

What this module adds:

- workers are forked from a ``forkserver`` that has already imported and
  warmed up the worker modules (:mod:`pipelines.warmup`), so a replacement
  starts in milliseconds and the crawl process, which runs threads, is never
  forked itself;
- the pool starts in a thread of its own with the crawl's first page, so
  that neither a crawl that finds nothing new nor the reactor pays for the
  forkserver's warm-up;
- workers leave the crawl's process group (the runner's SIGTERM to the
  group asks the crawl to finish its pages, which the workers must go on
  reading) and die with the forkserver, which lives exactly as long as the
  crawl (Linux: ``PR_SET_PDEATHSIG``), so they never outlive a crawl killed
  with SIGKILL;
- pebble's outcomes become our exceptions, and the pipelines' API:
  ``await CpuPool.of(crawler).run(function, *args)``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pebble
from scrapy import signals

from core.components import extension_of

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Modules the forkserver imports once, so that forked workers start warm
# (trafilatura and langdetect, warmed up on one page; not Scrapy, not datasketch:
# workers need neither).
PRELOAD = ["pipelines.warmup"]
_PR_SET_PDEATHSIG = 1


class WorkerCrashed(Exception):
    """The worker process died while it held the task (its exit code is in the message)."""


class WorkerTimeout(Exception):
    """The task took longer than the pool's timeout; its worker was stopped."""


class TaskError(Exception):
    """The task raised in the worker; the message names the original exception."""


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _worker_init() -> None:
    """Run by pebble in every worker before its first task."""
    # SIGINT/SIGTERM to the crawl's group are the crawl's to handle: it finishes the pages in
    # flight, so their workers must live on. pebble stops a worker by its pid, which still works.
    os.setpgid(0, 0)
    if sys.platform == "linux":  # out of the group, a SIGKILL to it no longer reaches us: follow the forkserver
        parent = os.getppid()
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # it died before prctl took effect
            os._exit(1)
    if not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
        logging.getLogger().addHandler(handler)
        logging.getLogger().setLevel(logging.WARNING)


class ProcessPool:
    """``size`` pebble workers forked from a warm forkserver; futures that fail with our exceptions."""

    def __init__(self, size: int, *, timeout: float, preload: list[str] | None = None, max_tasks: int = 0):
        self.size = max(1, size)
        self.timeout = timeout
        self.max_tasks = max_tasks  # a worker is replaced after this many tasks (0: never)
        self.preload = PRELOAD if preload is None else preload
        self.crashes = 0
        self.timeouts = 0
        self._lock = threading.Lock()
        self._pool: pebble.ProcessPool | None = None  # set once it has started
        self._starter: threading.Thread | None = None
        self._waiting: list[tuple[concurrent.futures.Future[Any], Callable[..., Any], tuple[Any, ...],
                                  dict[str, Any]]] = []
        self._closed = False

    def start(self) -> None:
        """Start the workers, in a thread of their own (tasks submitted meanwhile wait for them)."""
        with self._lock:
            if self._starter is None and not self._closed:
                self._starter = threading.Thread(target=self._start, name="cpu-pool-start", daemon=True)
                self._starter.start()

    def _start(self) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(self.preload)  # only before the process's forkserver starts
        pool = pebble.ProcessPool(max_workers=self.size, max_tasks=self.max_tasks, initializer=_worker_init,
                                  context=context)
        logger.info("cpu pool: %d worker process(es), %.0f s per task at most", self.size, self.timeout)
        while True:  # the first submission starts pebble's workers, here rather than in the reactor
            with self._lock:
                waiting, self._waiting = self._waiting, []
                if not waiting:
                    self._pool = pool
                    return
            for future, function, args, kwargs in waiting:
                self._hand_over(pool, future, function, args, kwargs)

    def submit(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        if self._closed:
            raise RuntimeError("the cpu pool is closed")
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        with self._lock:
            pool = self._pool
            if pool is None:
                self._waiting.append((future, function, args, kwargs))
        if pool is None:
            self.start()
        else:
            self._hand_over(pool, future, function, args, kwargs)
        return future

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``function(*args, **kwargs)`` in a worker; raise WorkerCrashed/WorkerTimeout/TaskError."""
        return await asyncio.wrap_future(self.submit(function, *args, **kwargs))

    def _hand_over(self, pool: pebble.ProcessPool, future: concurrent.futures.Future[Any],
                   function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            task = pool.submit(function, self.timeout, *args, **kwargs)
        except Exception as exc:  # the pool is broken or closed
            future.set_exception(TaskError(f"{type(exc).__name__}: {exc}"))
            return
        task.add_done_callback(lambda done: self._settle(done, future))
        # Cancelled by its awaiter (the crawl stops): pebble drops it, or stops the worker running it.
        future.add_done_callback(lambda mine: task.cancel() if mine.cancelled() else None)

    def _settle(self, task: concurrent.futures.Future[Any], future: concurrent.futures.Future[Any]) -> None:
        if future.done():
            return
        if task.cancelled():
            future.cancel()
            return
        error = task.exception()
        if error is None:
            future.set_result(task.result())
        elif isinstance(error, pebble.ProcessExpired):
            self.crashes += 1
            future.set_exception(WorkerCrashed(f"worker process exited with code {error.exitcode}"))
        elif isinstance(error, concurrent.futures.TimeoutError):
            self.timeouts += 1
            future.set_exception(WorkerTimeout(f"no answer within {self.timeout:g} s"))
        else:
            future.set_exception(TaskError(f"{type(error).__name__}: {error}"[:1000]))

    def close(self) -> None:
        """Finish the queued tasks, then stop every worker."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            starter = self._starter
        if starter is not None:
            starter.join()
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
        logger.info("cpu pool closed (%d crash(es), %d timeout(s))", self.crashes, self.timeouts)


class CpuPool:
    """The crawl's worker pool, shared by the pipelines (an extension).

    Its workers start with the crawl's first page to read, not when the spider
    opens: a crawl that finds nothing new (the usual case for a monitor) pays
    no worker start-up.
    """

    def __init__(self, size: int, timeout: float, max_tasks: int = 0):
        self.pool = ProcessPool(size, timeout=timeout, max_tasks=max_tasks)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CpuPool:
        size = crawler.settings.getint("MONITOR_WORKERS") or usable_cores()
        extension = cls(size, crawler.settings.getfloat("MONITOR_WORKER_TIMEOUT"),
                        crawler.settings.getint("MONITOR_WORKER_MAX_TASKS"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @classmethod
    def of(cls, crawler: Crawler) -> CpuPool:
        return extension_of(crawler, cls)

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await self.pool.run(function, *args, **kwargs)

    def spider_opened(self, spider: Any) -> None:
        logger.debug("cpu pool: %d worker(s), started with the first page", self.pool.size)

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.pool.close()
