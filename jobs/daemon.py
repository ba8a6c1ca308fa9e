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

import argparse
import dataclasses
import datetime as dt
import fcntl
import logging
import logging.handlers
import os
import random
import signal
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from core.errors import ConfigError
from core.processes import pid_alive
from core.sources import Config, Source, load_config
from crawler import settings as defaults
from distributed import enqueue, frontier
from jobs import alerts, digest, runner
from jobs.apscheduler_compat import RunningOnlyScheduler
from jobs.runner import SPIDERS, CrawlResult, CrawlSettings, run_crawl
from storage import StorageError, open_db, queries, writes

if TYPE_CHECKING:
    from apscheduler.events import JobExecutionEvent, JobSubmissionEvent

logger = logging.getLogger("scheduler")

JITTER_SHARE = 0.1  # jitter: up to 10% of the interval...
MAX_JITTER = 300  # ...and at most 5 minutes
JOB_FUNC = "jobs.daemon:run_job"  # what the job store keeps: a name, found again after a restart


def job_store_path(db: str) -> Path:
    path = Path(db)
    return path.with_name(f"{path.stem}-jobs.sqlite")


def lock_path(db: str) -> Path:
    return Path(db).with_name(Path(db).name + ".scheduler.lock")


def job_id(source: str) -> str:
    return f"source:{source}"


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
    """The hook point: called once after every job (its spiders' runs), daemon or ``--once``, with the ``crawl_runs`` ids.

    Whatever must happen after a crawl (pushing its new follow-ups to
    webhooks, say) starts here. Runs in the crawl's job thread; an exception
    is logged and never stops the scheduler.
    """
    alerts.notify(db, [{"id": run_id} for run_id in run_ids])  # webhooks, in the background (jobs/alerts.py)


def crawl(spiders: Sequence[str], source: str | None,
          settings: CrawlSettings) -> tuple[CrawlResult, list[dict[str, Any]]]:
    """Run one job (``spiders`` in one process), record how each spider ended in ``crawl_runs``, log one line per run."""
    store = open_db(settings.db)
    try:
        before = queries.last_run_id(store)
    finally:
        store.close()
    result = run_crawl(spiders, source, settings)
    store = open_db(settings.db)
    try:
        run_ids = writes.settle_crawl(store, spiders=list(spiders), source=source, after_id=before,
                                      returncode=result.returncode, stopped=result.stopped,
                                      log_tail=result.log_tail, pid=result.pid, started=result.started,
                                      started_spiders=result.started_spiders, drained=result.drained)
        runs = queries.runs_by_id(store, run_ids)
    finally:
        store.close()
    log_runs(result, runs)
    try:
        after_crawl(settings.db, run_ids)
    except Exception:
        logger.exception("after_crawl hook failed for run(s) %s", run_ids)
    return result, runs


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


# --- --once ----------------------------------------------------------------------------


def run_once(config: Config, settings: CrawlSettings, out: TextIO) -> int:
    """Every spider once over every source; a summary table; 0 if every crawl finished."""
    if frontier.redis_url():
        return 0 if queue_discovery(list(SPIDERS), config.select(None), settings, out) else 1
    logger.info("running %s over %d source(s), in one process", ", ".join(SPIDERS), len(config.select(None)))
    # One job: a warm launcher (MONITOR_CRAWL_PRELOAD) would only add its own start-up.
    result, runs = crawl(SPIDERS, None, dataclasses.replace(settings, preload=False))
    rows = [(run, result.spider_seconds.get(run["spider"], 0.0)) for run in runs]
    failed = not (result.ok and runs and all(r["status"] == "finished" for r in runs))
    print_run_table(rows, out)
    print_summary(settings.db, out)
    return 1 if failed else 0


def print_run_table(rows: list[tuple[dict[str, Any], float]], out: TextIO) -> None:
    print(f"\n{'run':>5} {'spider':10} {'source':14} {'status':12} {'new':>4} {'copies':>6} {'dup':>4} "
          f"{'skip':>5} {'err':>4} {'known':>6} {'time':>7}", file=out)
    for run, seconds in rows:
        print(f"{run['id']:>5} {run['spider']:10} {run['source']:14} {run['status']:12} {run['followups'] or 0:>4} "
              f"{run['source_copies'] or 0:>6} {run['duplicates'] or 0:>4} {run['skipped'] or 0:>5} "
              f"{run['errors'] or 0:>4} {run['already_known'] or 0:>6} {seconds:>6.1f}s", file=out)


def print_summary(db: str, out: TextIO) -> None:
    store = open_db(db)
    try:
        s = queries.summary(store)
    finally:
        store.close()

    def line(label: str, counts: dict[str, int]) -> str:
        return f"  {label}: {sum(counts.values())}" + (
            f" ({', '.join(f'{k} {v}' for k, v in counts.items())})" if counts else "")

    print(f"\nStore: {db}", file=out)
    print(line("follow-ups", s["followups_by_language"]), file=out)
    print(line("mentions (not counted)", s["mentions"]), file=out)
    print(line("copies of the source", s["source_copies"]), file=out)
    print(f"  duplicates: {s['duplicates']} in {s['duplicate_groups']} group(s)", file=out)
    print(line("skipped", s["skipped_by_reason"]), file=out)
    print(line("errors", s["errors_by_reason"]), file=out)


# --- --status --------------------------------------------------------------------------


def _next_runs(db: str) -> dict[str, dt.datetime | None]:
    path = job_store_path(db)
    if not path.exists():
        return {}
    jobstore = SQLAlchemyJobStore(url=f"sqlite:///{path}")
    try:
        return {job.id: job.next_run_time for job in jobstore.get_all_jobs()}
    except Exception as exc:  # an unreadable job store shows as "not scheduled"
        logger.warning("cannot read the job store %s: %s", path, exc)
        return {}
    finally:
        jobstore.shutdown()


def print_status(config: Config, db: str, out: TextIO) -> None:
    next_runs = _next_runs(db)
    store = open_db(db)
    try:
        last = queries.last_runs(store)
        stats = queries.source_run_stats(store)
        events = queries.job_event_counts(store)
    finally:
        store.close()
    print(f"{'job':24} {'every':>6} {'next run (UTC)':19} {'last run (UTC)':19} {'outcome':11} {'new':>4} "
          f"{'dup':>4} {'skip':>5} {'err':>4} {'runs':>5} {'bad':>4} {'overlap':>7}", file=out)
    rows: list[tuple[str, str, str, str]] = [
        (job_id(s.name), s.name, s.every, _when(next_runs.get(job_id(s.name)))) for s in config.sources]
    if any(source == "*" for _, source in last):
        rows.append(("all sources (--once)", "*", "-", "-"))
    for jid, source, every, nxt in rows:
        latest = [run for (spider, src), run in sorted(last.items()) if src == source]
        started = max((run["started"] or "" for run in latest), default="")
        outcome = next((run["status"] for run in latest if run["status"] != "finished"),
                       "finished" if latest else "-")
        total = stats.get(source, {"runs": 0, "bad": 0})

        def count(key: str, runs: list[dict[str, Any]] = latest) -> int:
            return sum(run[key] or 0 for run in runs)

        print(f"{jid:24} {every:>6} {nxt:19} {started[:19].replace('T', ' ') or '-':19} {outcome:11} "
              f"{count('followups'):>4} {count('duplicates'):>4} {count('skipped'):>5} {count('errors'):>4} "
              f"{total['runs']:>5} {total['bad']:>4} {events.get((jid, 'overlap_skipped'), 0):>7}", file=out)
    holder = lock_holder(db)
    print(f"\nscheduler: {'running, pid ' + holder if holder else 'not running'} (database {db})", file=out)


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


# --- One scheduler per database --------------------------------------------------------


def acquire_lock(db: str) -> TextIO:
    """One scheduler per database: an exclusive lock the kernel frees even after a crash."""
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 (held for the process's life)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip()
        handle.close()
        raise SystemExit(f"scheduler.py: another scheduler is already running on {db}"
                         f"{f' (pid {pid})' if pid else ''}; lock {path}") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def lock_holder(db: str) -> str | None:
    """The pid of the scheduler running on ``db``, or None."""
    path = lock_path(db)
    if not path.exists():
        return None
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return handle.read().strip() or "?"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


# --- Command line ----------------------------------------------------------------------


def setup_logging(db: str, *, to_file: bool) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if to_file:
        log_path = Path(db).with_name(f"{Path(db).stem}-scheduler.log")
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(log_path, maxBytes=5_000_000, backupCount=5,
                                                             encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        handlers=handlers, force=True)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # we log skips and misfires ourselves


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scheduler.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Settings (environment variables, see README.md): MONITOR_SOURCES, MONITOR_DB, "
               "MONITOR_ALLOWED_HOSTS, MONITOR_CRAWL_TIMEOUT, MONITOR_KILL_GRACE, MONITOR_SHUTDOWN_GRACE, "
               "MONITOR_PARALLEL_CRAWLS, MONITOR_FIRST_RUN_SPREAD, MONITOR_CRAWL_COMMAND, MONITOR_CRAWL_PRELOAD.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="run every spider once over every source, then exit "
                      "(exit status 1 if a crawl did not finish)")
    mode.add_argument("--status", action="store_true", help="show every job's next and last run, then exit")
    parser.add_argument("--sources", default=defaults.MONITOR_SOURCES,
                        help="sources config (default: $MONITOR_SOURCES or sources.toml)")
    parser.add_argument("--db", default=defaults.MONITOR_DB,
                        help="SQLite store (default: $MONITOR_DB or data/coverage.db)")
    parser.add_argument("--timeout", type=int, default=defaults.CLOSESPIDER_TIMEOUT,
                        help="seconds a crawl may run before it is stopped (default: $MONITOR_CRAWL_TIMEOUT or 3600)")
    args = parser.parse_args(argv)

    setup_logging(args.db, to_file=not (args.once or args.status))
    if args.once:  # SIGTERM stops --once like Ctrl-C does: its crawls are stopped too
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        config = load_config(args.sources)
        settings = CrawlSettings(sources=str(Path(args.sources).resolve()), db=str(Path(args.db).resolve()),
                                 allowed_hosts=defaults.MONITOR_ALLOWED_HOSTS, timeout=args.timeout,
                                 grace=defaults.MONITOR_KILL_GRACE, command=defaults.MONITOR_CRAWL_COMMAND,
                                 preload=defaults.MONITOR_CRAWL_PRELOAD)
        if args.status:
            print_status(config, settings.db, sys.stdout)
            return 0
        lock = acquire_lock(settings.db)
        try:
            if args.once:
                return run_once(config, settings, sys.stdout)
            return serve(config, settings, parallel=defaults.MONITOR_PARALLEL_CRAWLS,
                         shutdown_grace=defaults.MONITOR_SHUTDOWN_GRACE)
        finally:
            lock.close()
    except ConfigError as exc:
        print(f"scheduler.py: {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"scheduler.py: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        stopped = runner.stop_all(defaults.MONITOR_KILL_GRACE)
        logger.info("stopped%s", f"; stopped crawl(s): {', '.join(stopped)}" if stopped else "")
        return 130


def _interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt

