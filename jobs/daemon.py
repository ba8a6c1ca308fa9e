#!/usr/bin/env python
"""Run the monitor's crawls on a schedule, unattended.

    python scheduler.py            # daemon in the foreground: every source at its `every`
    python scheduler.py --once     # every spider once over every source, a summary table, then exit
    python scheduler.py --status   # every job: next run, last run, its outcome and counts

One job per source, id ``source:<name>``, at the source's ``every`` interval
plus a random jitter (up to 10% of the interval, at most 5 minutes); a job
runs the spiders that have something to crawl for the source (``feeds``,
``sitemaps``, then ``sections``) one after the other in ONE subprocess,
``scrapy job feeds,sitemaps,sections -a source=<name>`` (jobs/runner.py,
crawler/commands/job.py); each spider gets its own ``crawl_runs`` row.
Jobs live in a SQLite job store next to the database (``<db>-jobs.sqlite``):
after a restart each job keeps its next run time, runs missed while the
scheduler was down are coalesced into one catch-up run, and changes in the
sources config (added, removed, re-timed sources) take effect. A job whose
last run is still going when its next run is due skips that run (logged, and
counted in ``--status``). Only one scheduler runs per database (a lock file
next to it). SIGTERM or Ctrl-C: no new crawls (a running job finishes the spider it
runs and starts no other), running crawls get ``MONITOR_SHUTDOWN_GRACE``
seconds to finish, then they are stopped; a second Ctrl-C stops them at once.

Distributed mode (``MONITOR_REDIS_URL`` set, distributed/frontier.py): a job, or
``--once``, puts the source's feeds, sitemaps and sections into the shared
Redis frontier instead of starting crawls; ``scrapy crawl`` workers on any
machine fetch them and ``python -m distributed.ingest`` stores the results.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from core.errors import ConfigError
from core.processes import pid_alive
from core.sources import Config, Source
from crawler import settings as defaults
from distributed import enqueue, frontier
from jobs import alerts, digest, runner, settle
from jobs.apscheduler_compat import RunningOnlyScheduler
from jobs.lock import job_store_path
from jobs.runner import SPIDERS, CrawlResult, CrawlSettings, run_crawl
from jobs.status import job_id
from storage import StorageError, open_db, queries, writes

if TYPE_CHECKING:
    from apscheduler.events import JobExecutionEvent, JobSubmissionEvent

logger = logging.getLogger("scheduler")

JITTER_SHARE = 0.1  # jitter: up to 10% of the interval...
MAX_JITTER = 300  # ...and at most 5 minutes
JOB_FUNC = "jobs.daemon:run_job"  # what the job store keeps: a name, found again after a restart


def spiders_for(source: Source) -> list[str]:
    """The spiders with something to crawl for ``source``.

    ``feeds`` and ``sitemaps`` always run: without configured URLs they discover
    them (home page links, robots.txt); ``sections`` needs configured pages.
    """
    return [spider for spider in SPIDERS if spider != "sections" or source.sections]


def jitter_for(every: int) -> float:
    return min(MAX_JITTER, every * JITTER_SHARE)


# --- One crawl, recorded ---------------------------------------------------------------


def after_crawl(db: str, run_ids: list[int]) -> None:
    """The hook point: called once after every job (its spiders' runs), daemon or ``--once``, with their run ids.

    Whatever must happen after a crawl (pushing its new follow-ups to
    webhooks, say) starts here. Runs in the crawl's job thread; an exception
    is logged and never stops the scheduler.
    """
    alerts.notify(db, [{"id": run_id} for run_id in run_ids])  # webhooks, in the background (jobs/alerts.py)


def crawl(spiders: Sequence[str], source: str | None,
          settings: CrawlSettings) -> tuple[CrawlResult, list[dict[str, Any]]]:
    """Run one job (``spiders`` in one process), record how each spider ended in ``crawl_runs``, log each run."""
    with store_errors(settings.db):
        store = open_db(settings.db)
        try:
            before = queries.last_run_id(store)
        finally:
            store.close()
    result = run_crawl(spiders, source, settings)
    with store_errors(settings.db):
        run_ids, runs = _settle(spiders, source, settings, result, before)
    log_runs(result, runs)
    try:
        after_crawl(settings.db, run_ids)
    except Exception:
        logger.exception("after_crawl hook failed for run(s) %s", run_ids)
    return result, runs


@contextlib.contextmanager
def store_errors(db: str) -> Iterator[None]:
    """A store that cannot be written (read-only file or folder, disk full) is one StorageError, not a traceback."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(f"{db}: cannot write to the store: {exc} (is the file or its folder read-only?)") from None


def _settle(spiders: Sequence[str], source: str | None, settings: CrawlSettings, result: CrawlResult,
            before: int) -> tuple[list[int], list[dict[str, Any]]]:
    store = open_db(settings.db)
    try:
        run_ids = settle.settle_crawl(store, spiders=list(spiders), source=source, after_id=before,
                                      returncode=result.returncode, stopped=result.stopped,
                                      log_tail=result.log_tail, pid=result.pid, started=result.started,
                                      started_spiders=result.started_spiders, drained=result.drained)
        return run_ids, queries.runs_by_id(store, run_ids)
    finally:
        store.close()


def log_runs(result: CrawlResult, runs: list[dict[str, Any]]) -> None:
    for run in runs:
        good = run["status"] == "finished"
        logger.log(
            logging.INFO if good else logging.ERROR,
            "%s %s: %s (%s) in %.1fs: %s follow-ups, %s source copies, %s duplicates, %s skipped, %s errors, "
            "%s already known",
            run["spider"], result.source or "*", run["status"], run["finish_reason"],
            result.spider_seconds.get(run["spider"], 0.0), run["followups"] or 0,
            run["source_copies"] or 0, run["duplicates"] or 0, run["skipped"] or 0, run["errors"] or 0,
            run["already_known"] or 0)
    if not result.ok or any(run["status"] != "finished" for run in runs):
        logger.error("%s: exit status %s%s; last log lines:\n%s", result.label, result.returncode,
                     f" (stopped: {result.stopped})" if result.stopped else "", result.log_tail[-3000:])


# --- The daemon ------------------------------------------------------------------------


@dataclass
class _Context:
    """What the running daemon's jobs share. Jobs find it as ``scheduler._context``."""

    config: Config
    settings: CrawlSettings
    started_at: dt.datetime
    stopping: threading.Event = field(default_factory=threading.Event)
    catch_up: dict[str, int] = field(default_factory=dict)  # job id → runs missed while down
    overlaps: dict[str, int] = field(default_factory=dict)  # job id → runs skipped since start


_context: _Context | None = None


def run_job(source: str) -> bool:
    """One scheduled run of a source's job: its spiders in turn, in one process. True if all finished."""
    ctx = _context
    if ctx is None:
        logger.error("%s: no running scheduler to run it in", job_id(source))
        return False
    try:
        config_source = ctx.config.source(source)
    except ConfigError:
        logger.error("%s: source %r is not in %s", job_id(source), source, ctx.config.path)
        return False
    if frontier.redis_url():  # distributed mode: the workers crawl, we only queue the listings
        return queue_discovery(spiders_for(config_source), [config_source], ctx.settings)
    spiders = spiders_for(config_source)
    label = f"{','.join(spiders)} {source}"
    if ctx.stopping.is_set():
        logger.info("%s: not started, the scheduler is stopping", label)
        return False
    try:
        result, runs = crawl(spiders, source, ctx.settings)
    except runner.ShuttingDown:
        logger.info("%s: not started, the scheduler is stopping", label)
        return False
    except StorageError as exc:
        logger.error("%s: %s", label, exc)
        return False
    except Exception:  # never let one job's surprise stop the others
        logger.exception("%s: the scheduler could not run or record this job", label)
        return False
    return result.ok and all(run["status"] == "finished" for run in runs)


def queue_discovery(spiders: list[str], sources: list[Source], settings: CrawlSettings,
                    out: TextIO | None = None) -> bool:
    """Distributed mode (``MONITOR_REDIS_URL``): put the sources' listings in the workers' frontier."""
    queued: dict[str, int] = {}
    try:
        for spider in spiders:
            queued[spider] = enqueue.scheduled_discovery(
                spider, [s for s in sources if spider in spiders_for(s)], settings.db)
    except Exception:  # Redis down, store unreadable: logged, the next run tries again
        logger.exception("could not queue the listings of %s for the workers", ", ".join(s.name for s in sources))
        return False
    line = f"queued for the workers: {', '.join(f'{s} {n}' for s, n in queued.items())}"
    logger.info("%s (%s)", line, ", ".join(s.name for s in sources))
    if out is not None:
        print(line, file=out)
    return True


def _event(db: str, job: str, event: str, detail: str) -> None:
    try:
        store = open_db(db)
        try:
            writes.record_job_event(store, job=job, event=event, detail=detail)
        finally:
            store.close()
    except Exception as exc:  # a listener must not fail: the event is logged anyway
        logger.error("%s: cannot record %s: %s", job, event, exc)


def _listen(scheduler: BackgroundScheduler, ctx: _Context) -> None:
    def overlap(event: JobSubmissionEvent) -> None:
        ctx.overlaps[event.job_id] = ctx.overlaps.get(event.job_id, 0) + 1
        logger.warning("%s: its previous run has not finished (running, or waiting for a crawl slot); "
                       "this run is skipped (%d skipped since start)", event.job_id, ctx.overlaps[event.job_id])
        due = ", ".join(t.isoformat(timespec="seconds") for t in event.scheduled_run_times)
        _event(ctx.settings.db, event.job_id, "overlap_skipped", f"due {due}; the last run was still going")

    def missed(event: JobExecutionEvent) -> None:
        logger.warning("%s: run due at %s started too late and was dropped", event.job_id,
                       event.scheduled_run_time.isoformat(timespec="seconds"))
        _event(ctx.settings.db, event.job_id, "missed",
               f"due {event.scheduled_run_time.isoformat(timespec='seconds')}")

    def ran(event: JobExecutionEvent) -> None:
        if event.job_id in ctx.catch_up and event.scheduled_run_time <= ctx.started_at:
            count = ctx.catch_up.pop(event.job_id)
            _event(ctx.settings.db, event.job_id, "catch_up",
                   f"one run for {count} run(s) missed while the scheduler was down")

    scheduler.add_listener(overlap, EVENT_JOB_MAX_INSTANCES)
    scheduler.add_listener(missed, EVENT_JOB_MISSED)
    scheduler.add_listener(ran, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)


def sync_jobs(scheduler: BackgroundScheduler, ctx: _Context) -> int:
    """Make the stored jobs match the config: add, re-time, remove. Unchanged jobs keep their next run."""
    now = ctx.started_at
    existing = {job.id: job for job in scheduler.get_jobs()}
    wanted: set[str] = set()
    for source in ctx.config.select(None):
        if not spiders_for(source):
            continue
        jid = job_id(source.name)
        wanted.add(jid)
        every = source.every_seconds
        jitter = jitter_for(every)
        old = existing.get(jid)
        interval = getattr(old.trigger, "interval", None) if old else None
        if old is not None and interval == dt.timedelta(seconds=every):
            if old.next_run_time is not None and old.next_run_time < now:
                missed = 1 + int((now - old.next_run_time).total_seconds() // every)
                ctx.catch_up[jid] = missed
                logger.info("%s: %d run(s) due while the scheduler was down; one catch-up run now", jid, missed)
                # Due now, whatever the downtime: a run older than the misfire grace would be dropped.
                scheduler.modify_job(jid, next_run_time=now)
            if old.kwargs != {"source": source.name} or old.func_ref != JOB_FUNC:
                scheduler.modify_job(jid, func=JOB_FUNC, kwargs={"source": source.name})
            continue
        first = now + dt.timedelta(seconds=random.uniform(0, min(defaults.MONITOR_FIRST_RUN_SPREAD, every)))
        if old is not None and old.next_run_time is not None:
            first = max(min(old.next_run_time, now + dt.timedelta(seconds=every)), now)
        scheduler.add_job(
            JOB_FUNC, IntervalTrigger(seconds=every, jitter=jitter), id=jid, name=jid,
            kwargs={"source": source.name}, replace_existing=True, next_run_time=first,
            misfire_grace_time=int(every + jitter) + 1, coalesce=True, max_instances=1,
        )
        logger.info("%s job %s: every %s, next run %s", "re-timed" if old else "added", jid, source.every,
                    first.isoformat(timespec="seconds"))
    for jid in sorted(j for j in set(existing) - wanted if j.startswith("source:")):  # not the digest's
        logger.info("removed job %s (its source is no longer in the config)", jid)
        scheduler.remove_job(jid)
    return len(wanted)


def serve(config: Config, settings: CrawlSettings, *, parallel: int, shutdown_grace: float) -> int:
    """The daemon: every source's job at its interval, until SIGTERM or Ctrl-C."""
    global _context
    store = open_db(settings.db)
    try:
        stale = writes.close_stale_runs(store, pid_alive=pid_alive)
        alive = queries.running_runs(store)
    finally:
        store.close()
    if stale:
        logger.warning("%d crawl run(s) left 'running' by a crash are now marked 'crashed'", stale)
    for run in alive:  # e.g. a crawl of a scheduler that was killed with SIGKILL
        logger.warning("crawl run %s (%s %s, pid %s, started %s) is still running outside this scheduler",
                       run["id"], run["spider"], run["source"], run["pid"], run["started"])

    ctx = _Context(config=config, settings=settings, started_at=dt.datetime.now(dt.UTC))
    _context = ctx
    scheduler = RunningOnlyScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{job_store_path(settings.db)}")},
        executors={"default": ThreadPoolExecutor(max_workers=max(1, parallel))},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=dt.UTC,
    )
    _listen(scheduler, ctx)
    scheduler.start(paused=True)
    try:
        count = sync_jobs(scheduler, ctx)
        digest.schedule(scheduler, settings.db)  # the daily digest, at MONITOR_DIGEST_HOUR (jobs/digest.py)
    except Exception:
        scheduler.shutdown(wait=False)
        raise

    stop = threading.Event()
    hurry = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        if stop.is_set():
            hurry.set()
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    runner.prepare(settings)
    scheduler.resume()
    logger.info("scheduler started: %d job(s), store %s, job store %s; Ctrl-C or SIGTERM to stop",
                count, settings.db, job_store_path(settings.db))
    while not stop.wait(1):
        pass

    logger.info("stopping: no new crawls")
    ctx.stopping.set()
    scheduler.pause()
    runner.drain_all()  # running jobs finish the spider they run, and start no other
    deadline = time.monotonic() + shutdown_grace
    waiting = runner.running_crawls()
    if waiting:
        logger.info("waiting up to %ss for %d running crawl(s) to finish: %s (Ctrl-C again: stop them now)",
                    shutdown_grace, len(waiting), ", ".join(waiting))
    while runner.running_crawls() and time.monotonic() < deadline and not hurry.is_set():
        time.sleep(0.2)
    stopped = runner.stop_all(settings.grace)
    if stopped:
        logger.warning("stopped %d crawl(s) still running: %s", len(stopped), ", ".join(stopped))
    scheduler.shutdown(wait=True)
    _context = None
    logger.info("scheduler stopped")
    return 0
