#!/usr/bin/env python
"""Run the monitor's crawls on a schedule, unattended.

    python scheduler.py            # daemon in the foreground: every source at its `every`
    python scheduler.py --once     # every spider once over every source, a summary, then exit
    python scheduler.py --status   # every job: next run, last run and its outcome

One job per (spider, source), at the source's ``every`` interval with a small
random jitter, ids ``<spider>:<source>``. Jobs live in a SQLite job store next
to the database (``<db>-jobs.sqlite``), so after a restart each keeps its
next run time; runs missed while the scheduler was down are coalesced into
one catch-up run. Each crawl is a ``scrapy crawl`` subprocess
(crawler/runner.py). Settings come from the environment (``MONITOR_SOURCES``,
``MONITOR_DB``, ``MONITOR_ALLOWED_HOSTS``) or the options below.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import logging.handlers
import os
import signal
import sys
from pathlib import Path
from typing import Any, TextIO

from crawler import frontier
from crawler.errors import ConfigError
from crawler.runner import SPIDERS, CrawlResult, CrawlSettings, run_crawl
from crawler.sources import Config, load_config
from storage import StorageError, open_db, queries

logger = logging.getLogger("scheduler")

JITTER_SHARE = 0.1  # jitter: up to 10% of the interval, at most 5 minutes
MAX_JITTER = 300


def job_store_path(db: str) -> Path:
    path = Path(db)
    return path.with_name(f"{path.stem}-jobs.sqlite")


def run_job(spider: str, source: str | None, sources: str, db: str, allowed_hosts: str, timeout: int) -> bool:
    """One scheduled crawl: run it, log one line. (A module-level function: the job store keeps its name.)"""
    if frontier.redis_url():  # distributed mode: the workers crawl, we only queue the listings
        return frontier.scheduled_discovery(spider, source, sources) >= 0
    settings = CrawlSettings(sources=sources, db=db, allowed_hosts=allowed_hosts, timeout=timeout)
    first = _last_run_id(db)
    result = run_crawl(spider, source, settings)
    _report(result, db, first)
    return result.ok


def _last_run_id(db: str) -> int:
    store = open_db(db)
    try:
        return queries.last_run_id(store)
    finally:
        store.close()


def _report(result: CrawlResult, db: str, first_run_id: int) -> list[dict[str, Any]]:
    store = open_db(db)
    try:
        runs = queries.runs_since(store, first_run_id + 1)
    finally:
        store.close()
    where = f"{result.spider} {result.source or '*'}"
    if not runs:
        logger.error("%s: crawl exited %s in %.1fs without recording a run; last log lines:\n%s",
                     where, result.returncode, result.seconds, result.log_tail[-3000:])
        return runs
    for run in runs:
        logger.log(
            logging.INFO if result.ok and run["status"] == "finished" else logging.ERROR,
            "%s: %s (%s) in %.1fs: %s follow-ups, %s source copies, %s duplicates, %s skipped, %s errors, "
            "%s already known",
            where, run["status"], run["finish_reason"], result.seconds, run["followups"], run["source_copies"],
            run["duplicates"], run["skipped"], run["errors"], run["already_known"])
    if not result.ok:
        logger.error("%s: exit status %s%s; last log lines:\n%s", where, result.returncode,
                     " (timed out)" if result.timed_out else "", result.log_tail[-3000:])
    return runs


def run_once(config: Config, settings: CrawlSettings, out: TextIO) -> int:
    """Every spider once over every source; print a summary; 0 if all crawls succeeded."""
    if frontier.redis_url():
        queued = {spider: frontier.scheduled_discovery(spider, None, settings.sources) for spider in SPIDERS}
        print(f"queued for the workers: {', '.join(f'{s} {n}' for s, n in queued.items())}", file=out)
        return 0
    first = _last_run_id(settings.db)
    failed = 0
    for spider in SPIDERS:
        logger.info("running %s over %d source(s)", spider, len(config.select(None)))
        result = run_crawl(spider, None, settings)
        runs = _report(result, settings.db, first)
        failed += 0 if (result.ok and runs and all(r["status"] == "finished" for r in runs)) else 1
        first = _last_run_id(settings.db)
    print_summary(settings.db, out)
    return 1 if failed else 0


def print_summary(db: str, out: TextIO) -> None:
    store = open_db(db)
    try:
        s = queries.summary(store)
    finally:
        store.close()
    followups = s["followups_by_language"]
    print(f"\nStore: {db}", file=out)
    print(f"  follow-ups: {sum(followups.values())}"
          + (f" ({', '.join(f'{k} {v}' for k, v in followups.items())})" if followups else ""), file=out)
    copies = s["source_copies"]
    print(f"  copies of the source: {sum(copies.values())}"
          + (f" ({', '.join(f'{k} {v}' for k, v in copies.items())})" if copies else ""), file=out)
    print(f"  duplicates: {s['duplicates']} in {s['duplicate_groups']} group(s)", file=out)
    skipped = s["skipped_by_reason"]
    print(f"  skipped: {sum(skipped.values())}"
          + (f" ({', '.join(f'{k} {v}' for k, v in skipped.items())})" if skipped else ""), file=out)
    errors = s["errors_by_reason"]
    print(f"  errors: {sum(errors.values())}"
          + (f" ({', '.join(f'{k} {v}' for k, v in errors.items())})" if errors else ""), file=out)


def print_status(config: Config, db: str, out: TextIO) -> None:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    next_runs: dict[str, Any] = {}
    store_path = job_store_path(db)
    if store_path.exists():
        jobstore = SQLAlchemyJobStore(url=f"sqlite:///{store_path}")
        try:
            next_runs = {job.id: job.next_run_time for job in jobstore.get_all_jobs()}
        except Exception:  # an unreadable job store is shown as "not scheduled"
            logger.warning("cannot read job store %s", store_path, exc_info=True)
        finally:
            jobstore.shutdown()
    store = open_db(db)
    try:
        last = queries.last_runs(store)
    finally:
        store.close()
    header = f"{'job':32} {'every':>6} {'next run (UTC)':20} {'last run':20} {'outcome':10} {'new':>4} {'dup':>4} {'skip':>5} {'err':>4}"
    print(header, file=out)
    for source in config.sources:
        for spider in SPIDERS:
            job_id = f"{spider}:{source.name}"
            run = last.get((spider, source.name)) or last.get((spider, "*")) or {}
            nxt = next_runs.get(job_id)
            print(f"{job_id:32} {source.every:>6} {nxt.strftime('%Y-%m-%d %H:%M:%S') if nxt else '-':20} "
                  f"{(run.get('started') or '-')[:19]:20} {run.get('status') or '-':10} "
                  f"{run.get('followups') or 0:>4} {run.get('duplicates') or 0:>4} "
                  f"{run.get('skipped') or 0:>5} {run.get('errors') or 0:>4}", file=out)


def serve(config: Config, settings: CrawlSettings) -> int:
    """The daemon: one job per (spider, source), until SIGTERM or Ctrl-C."""
    import datetime as dt
    import random
    import threading

    from apscheduler.events import EVENT_JOB_MAX_INSTANCES
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{job_store_path(settings.db)}")},
        executors={"default": ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone="UTC",
    )
    scheduler.add_listener(lambda event: logger.warning("%s: still running, this run is skipped", event.job_id),
                           EVENT_JOB_MAX_INSTANCES)
    scheduler.start(paused=True)
    existing = {job.id: job for job in scheduler.get_jobs()}
    wanted = set()
    for source in config.select(None):
        every = source.every_seconds
        for spider in SPIDERS:
            job_id = f"{spider}:{source.name}"
            wanted.add(job_id)
            kwargs = {"spider": spider, "source": source.name, "sources": settings.sources, "db": settings.db,
                      "allowed_hosts": settings.allowed_hosts, "timeout": settings.timeout}
            old = existing.get(job_id)
            if old is not None and old.kwargs == kwargs and \
                    getattr(old.trigger, "interval", None) == dt.timedelta(seconds=every):
                continue  # unchanged: keep its next run time across restarts
            scheduler.add_job(
                run_job, IntervalTrigger(seconds=every, jitter=min(MAX_JITTER, int(every * JITTER_SHARE))),
                id=job_id, name=job_id, replace_existing=True, misfire_grace_time=every, kwargs=kwargs,
                next_run_time=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=random.uniform(0, min(60, every))),
            )
            logger.info("%s job %s, every %s", "re-timed" if old else "added", job_id, source.every)
    for job_id in set(existing) - wanted:
        logger.info("removing job %s (its source left the config)", job_id)
        scheduler.remove_job(job_id)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    scheduler.resume()
    logger.info("scheduler started: %d job(s), store %s; Ctrl-C to stop", len(wanted), settings.db)
    stop.wait()
    logger.info("stopping: no new crawls; waiting for running crawls to finish")
    scheduler.shutdown(wait=True)
    return 0


def acquire_lock(db: str) -> TextIO:
    """One scheduler per database: an exclusive lock the kernel frees even after a crash."""
    path = Path(db).with_name(Path(db).name + ".scheduler.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 (held for the process's life)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SystemExit(f"scheduler.py: another scheduler is already running on {db} (lock {path})") from None
    return handle


def setup_logging(db: str, *, to_file: bool) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if to_file:
        log_path = Path(db).with_name(f"{Path(db).stem}-scheduler.log")
        handlers.append(logging.handlers.RotatingFileHandler(log_path, maxBytes=5_000_000, backupCount=5))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        handlers=handlers)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Settings: MONITOR_SOURCES, MONITOR_DB, MONITOR_ALLOWED_HOSTS "
                                            "(environment variables; see README.md).")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="run every spider once over every source, then exit")
    mode.add_argument("--status", action="store_true", help="show every job's next and last run, then exit")
    parser.add_argument("--sources", default=os.environ.get("MONITOR_SOURCES", "sources.toml"),
                        help="sources config (default: $MONITOR_SOURCES or sources.toml)")
    parser.add_argument("--db", default=os.environ.get("MONITOR_DB", "data/coverage.db"),
                        help="SQLite store (default: $MONITOR_DB or data/coverage.db)")
    parser.add_argument("--timeout", type=int, default=int(os.environ.get("MONITOR_CRAWL_TIMEOUT", "3600")),
                        help="seconds a crawl may run before it is stopped (default 3600)")
    args = parser.parse_args(argv)

    setup_logging(args.db, to_file=not (args.once or args.status))
    try:
        config = load_config(args.sources)
        settings = CrawlSettings(sources=str(Path(args.sources).resolve()), db=str(Path(args.db).resolve()),
                                 allowed_hosts=os.environ.get("MONITOR_ALLOWED_HOSTS", ""), timeout=args.timeout)
        if args.status:
            print_status(config, settings.db, sys.stdout)
            return 0
        lock = acquire_lock(settings.db)
        try:
            if args.once:
                return run_once(config, settings, sys.stdout)
            return serve(config, settings)
        finally:
            lock.close()
    except ConfigError as exc:
        print(f"scheduler.py: {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"scheduler.py: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        logger.info("stopped")
        return 130


if __name__ == "__main__":
    sys.exit(main())
