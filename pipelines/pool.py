"""CPU work off the reactor: a pool of worker processes, one per core, started once per crawl.

Extraction (trafilatura) and language detection cost tens of milliseconds of
CPU per page. Run in the reactor thread, they would stall downloads and use
one core; here they run in ``MONITOR_WORKERS`` processes (default: one per
usable core), and the pipelines ``await`` the answer, so the crawl keeps
downloading while pages are parsed.

How it works: every worker process has its own pipe and its own feeder
thread in the crawl process. A feeder takes the next task from a shared
queue, sends it down its pipe and waits for the answer, then completes the
task's :class:`concurrent.futures.Future` (which the pipeline awaits through
:func:`asyncio.wrap_future`). Because a feeder knows which task its worker
holds, a worker that dies (segfault, out of memory, ``os._exit``) fails
exactly that task with :class:`WorkerCrashed`, and one that takes longer
than ``MONITOR_WORKER_TIMEOUT`` seconds is killed and fails it with
:class:`WorkerTimeout`; the feeder then starts a fresh worker and goes on.
No other page is affected. A worker is also replaced, between two tasks,
after ``MONITOR_WORKER_MAX_TASKS`` tasks: what it has copied from the
forkserver and what its allocator keeps go with it, so the pool's memory does
not grow with the length of the crawl.

Workers are forked from a ``forkserver`` that has already imported the
worker modules (trafilatura, langdetect), so a replacement
starts in milliseconds and the crawl process, which runs threads, is never
forked itself. Workers ignore SIGINT and SIGTERM (the crawl decides when to
stop: Ctrl-C and the scheduler's timeout close it gracefully) and exit when
their pipe closes, so they never outlive the crawl.

Why ours and not ``pebble.ProcessPool`` (which does timeouts, crash isolation and
renewal too, and was tried): when every worker dies as it starts (seen when a
module beside the parent's script shadowed a library the workers import),
pebble's pool stopped for good: its manager threads had ended and its scheduler
thread sat in ``Channel.send`` with no worker left to read (py-spy dump of the
crawl process), so the crawl waited for its timeout; this pool fails each page
with ``extract_crash`` and the run goes on. Nor was pebble's cheaper (30.5-31.8 ms
of CPU per page against 29.8-31.1 with this pool, bench/throughput.py, same runs).

The pool is a Scrapy extension (``EXTENSIONS``) so that every pipeline shares
the same workers: ``await CpuPool.of(crawler).run(function, *args)``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scrapy import signals

from core.components import extension_of
from pipelines.poolworker import worker_main

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Modules the forkserver imports once, so that forked workers start warm
# (the worker's loop; trafilatura and langdetect, warmed up on one page; not
# Scrapy: workers do not need it).
PRELOAD = ["pipelines.poolworker", "pipelines.warmup"]


class WorkerCrashed(Exception):
    """The worker process died while it held the task (its exit code is in the message)."""


class WorkerTimeout(Exception):
    """The task took longer than the pool's timeout; its worker was killed."""


class TaskError(Exception):
    """The task raised in the worker; the message names the original exception."""


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class _Task:
    __slots__ = ("future", "function", "args", "kwargs")

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]):
        self.future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.function, self.args, self.kwargs = function, args, kwargs


class ProcessPool:
    """``size`` worker processes, each driven by one feeder thread of this process."""

    def __init__(self, size: int, *, timeout: float, preload: list[str] | None = None, max_tasks: int = 0):
        self.size = max(1, size)
        self.timeout = timeout
        self.max_tasks = max_tasks  # a worker is replaced after this many tasks (0: never)
        self.recycled = 0
        self.preload = PRELOAD if preload is None else preload
        self.crashes = 0
        self.timeouts = 0
        self._tasks: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._feeders: list[threading.Thread] = []
        self._processes: dict[int, BaseProcess] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._context = multiprocessing.get_context("forkserver")

    def start(self) -> None:
        if self._feeders:
            return
        self._context.set_forkserver_preload(self.preload)
        for number in range(self.size):
            thread = threading.Thread(target=self._feed, args=(number,), name=f"cpu-pool-{number}", daemon=True)
            thread.start()
            self._feeders.append(thread)
        logger.info("cpu pool: %d worker process(es), %.0f s per task at most", self.size, self.timeout)

    def submit(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        if self._closed:
            raise RuntimeError("the cpu pool is closed")
        self.start()
        task = _Task(function, args, kwargs)
        self._tasks.put(task)
        return task.future

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``function(*args, **kwargs)`` in a worker; raise WorkerCrashed/WorkerTimeout/TaskError."""
        return await asyncio.wrap_future(self.submit(function, *args, **kwargs))

    def close(self) -> None:
        """Finish the queued tasks, then stop every worker."""
        if self._closed:
            return
        self._closed = True
        for _ in self._feeders:
            self._tasks.put(None)
        for thread in self._feeders:
            thread.join(timeout=self.timeout + 5)
        with self._lock:
            leftover = list(self._processes.values())
        for process in leftover:  # a feeder that did not finish in time
            process.kill()
            process.join(timeout=5)
        logger.info("cpu pool closed (%d crash(es), %d timeout(s), %d worker(s) renewed)", self.crashes, self.timeouts,
                    self.recycled)

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in self._processes.values() if p.pid is not None]

    # -- one feeder thread per worker --------------------------------------------------

    def _spawn(self, number: int) -> tuple[BaseProcess, Connection]:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=worker_main, args=(child,), name=f"monitor-worker-{number}",
                                        daemon=True)
        process.start()
        child.close()
        with self._lock:
            self._processes[number] = process
        return process, parent

    def _replace(self, number: int) -> tuple[BaseProcess, Connection] | None:
        """A fresh worker, or None (tried again with the next task) when it cannot start."""
        try:
            return self._spawn(number)
        except Exception as exc:
            logger.error("cpu pool: cannot start worker %d: %s", number, exc)
            return None

    def _retire(self, number: int, process: BaseProcess, conn: Connection, *, kill: bool) -> int | None:
        if kill:
            process.kill()
        try:
            conn.close()
        except OSError:
            pass
        process.join(timeout=5)
        with self._lock:
            self._processes.pop(number, None)
        return process.exitcode

    def _feed(self, number: int) -> None:
        worker = self._replace(number)  # started with the crawl, not with its first page
        done = 0  # tasks answered by this worker
        while True:
            task = self._tasks.get()
            if task is None:
                break
            if not task.future.set_running_or_notify_cancel():
                continue
            try:
                if worker is None:
                    worker = self._spawn(number)
                process, conn = worker
                conn.send((task.function, task.args, task.kwargs))
                task.args, task.kwargs = (), {}  # the page's HTML is in the worker now
                if not conn.poll(self.timeout):
                    self._retire(number, process, conn, kill=True)
                    self.timeouts += 1
                    task.future.set_exception(WorkerTimeout(f"no answer within {self.timeout:g} s"))
                    worker, done = self._replace(number), 0
                    continue
                ok, value = conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                code = self._retire(number, *worker, kill=False) if worker else None
                self.crashes += 1
                task.future.set_exception(WorkerCrashed(f"worker process exited with code {code}"))
                worker, done = self._replace(number), 0
                continue
            except Exception as exc:  # a worker that cannot start, or a task that cannot be pickled
                task.future.set_exception(TaskError(f"{type(exc).__name__}: {exc}"))
                continue
            if ok:
                task.future.set_result(value)
            else:
                task.future.set_exception(TaskError(value))
            done += 1
            if self.max_tasks and done >= self.max_tasks:  # what it copied from the forkserver goes with it
                self._stop_worker(number, *worker)
                self.recycled += 1
                worker, done = self._replace(number), 0
        if worker is not None:
            self._stop_worker(number, *worker)

    def _stop_worker(self, number: int, process: BaseProcess, conn: Connection) -> None:
        """Ask an idle worker to exit (it does when its pipe says so), kill it if it does not."""
        try:
            conn.send(None)
        except OSError:
            pass
        process.join(timeout=5)
        self._retire(number, process, conn, kill=process.is_alive())


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
