"""What the scheduler and ``monitor`` print: a crawl's runs and outcome, the store, every job's state.

Printing only: the numbers come from ``storage.queries``; nothing here
starts a crawl or writes the store.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

from jobs.lock import job_store_path, lock_holder
from storage import open_db, queries

if TYPE_CHECKING:
    from core.sources import Config

logger = logging.getLogger("scheduler")

# Exit status of a crawl whose every source failed: it ran, and found out nothing.
EVERY_SOURCE_FAILED = 3
# What to check first, by the cause that failed the sources.
HINTS = {
    "connection_refused": "nothing listens there: is the host up, the port right?",
    "dns_error": "the name does not resolve: is the network up?",
    "timeout": "no answer in time: is the network up?",
    "host_paused": "the host failed again and again and was paused for this run",
    "blocked_address": "a private or loopback address: MONITOR_ALLOWED_HOSTS=<host or network> allows it",
    "robots_txt": "the site's robots.txt forbids it",
}


def job_id(source: str) -> str:
    return f"source:{source}"


# --- One crawl ---------------------------------------------------------------------------


def print_run_table(rows: list[tuple[dict[str, Any], float]], out: TextIO) -> None:
    print(f"\n{'run':>5} {'spider':10} {'source':14} {'status':12} {'new':>4} {'copies':>6} {'dup':>4} "
          f"{'skip':>5} {'err':>4} {'known':>6} {'time':>7}", file=out)
    for run, seconds in rows:
        print(f"{run['id']:>5} {run['spider']:10} {run['source']:14} {run['status']:12} {run['followups'] or 0:>4} "
              f"{run['source_copies'] or 0:>6} {run['duplicates'] or 0:>4} {run['skipped'] or 0:>5} "
              f"{run['errors'] or 0:>4} {run['already_known'] or 0:>6} {seconds:>6.1f}s", file=out)


def crawl_outcome(db: str, since: str) -> dict[str, dict[str, Any]]:
    """Per source, the listings fetched since ``since`` that answered, and the causes of the others."""
    store = open_db(db)
    try:
        return queries.listing_outcomes(store, since)
    finally:
        store.close()


def print_outcome(outcome: dict[str, dict[str, Any]], out: TextIO) -> bool:
    """Say which sources failed and why; True when at least one listing answered."""
    failed, causes = queries.failure_causes(outcome)
    counted = queries.causes_text(causes)
    hints = "; ".join(f"{cause}: {HINTS[cause]}" for cause, _ in causes.most_common() if cause in HINTS)
    if len(failed) == len(outcome):
        print(f"\nEvery source failed: no feed, sitemap or section page answered ({counted})."
              + (f"\n  {hints}" if hints else ""), file=out)
        return False
    if failed:
        names = ", ".join(failed[:10]) + (" …" if len(failed) > 10 else "")
        print(f"\n{len(failed)} of {len(outcome)} source(s) failed ({counted}): {names}"
              + (f"\n  {hints}" if hints else ""), file=out)
    return True


def print_found(db: str, run_ids: list[int], out: TextIO) -> None:
    """What the runs stored, one table per story: outlet, published, language, label, title."""
    store = open_db(db)
    try:
        rows = queries.articles_of_runs(store, run_ids)
    finally:
        store.close()
    if not rows:
        print("\nNothing new was stored by this crawl.", file=out)
    stories: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        stories.setdefault(row["story"] or "-", []).append(row)
    for story, articles in stories.items():
        labels = Counter("duplicate" if a["duplicate_of"] else a["label"] for a in articles)
        print(f"\nStory {story}: " + ", ".join(f"{n} {label}" for label, n in labels.most_common()), file=out)
        print(f"  {'outlet':16} {'published':10} {'lang':4} {'label':11} title", file=out)
        for a in articles:
            label = "duplicate" if a["duplicate_of"] else a["label"]
            title = " ".join((a["title"] or a["url"]).split())
            print(f"  {a['source'][:16]:16} {(a['published'] or '-')[:10]:10} {(a['language'] or '-')[:4]:4} "
                  f"{label[:11]:11} {title[:70]}", file=out)


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


# --- Every job ---------------------------------------------------------------------------


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
    """Every job: next run, last run, outcome and counts.

    A source last crawled by ``--once`` (all sources in one run, source
    ``*``) shows that run, its own counts from the ledger, and as outcome
    the cause that failed it when none of its listings answered.
    """
    next_runs = _next_runs(db)
    store = open_db(db)
    try:
        last = queries.last_runs(store)
        stats = queries.source_run_stats(store)
        events = queries.job_event_counts(store)
        batch = [run for (_, src), run in last.items() if src == "*"]
        batch_started = min((run["started"] or "" for run in batch), default="")
        batch_counts = queries.source_counts(store, [run["id"] for run in batch])
        batch_outcome = queries.listing_outcomes(store, batch_started) if batch_started else {}
    finally:
        store.close()
    print(f"{'job':24} {'every':>6} {'next run (UTC)':19} {'last run (UTC)':19} {'outcome':18} {'new':>4} "
          f"{'dup':>4} {'skip':>5} {'err':>4} {'runs':>5} {'bad':>4} {'overlap':>7}", file=out)
    rows: list[tuple[str, str, str, str]] = [
        (job_id(s.name), s.name, s.every, _when(next_runs.get(job_id(s.name)))) for s in config.sources]
    if batch:
        rows.append(("all sources (--once)", "*", "-", "-"))
    for jid, source, every, nxt in rows:
        latest = [run for (spider, src), run in sorted(last.items()) if src == source]
        started = max((run["started"] or "" for run in latest), default="")
        outcome = next((run["status"] for run in latest if run["status"] != "finished"),
                       "finished" if latest else "-")
        counts = {key: sum(run[key] or 0 for run in latest)
                  for key in ("followups", "duplicates", "skipped", "errors")}
        if source != "*" and batch_started > started:  # its latest crawl was the --once one
            started = batch_started
            counts = batch_counts.get(source, dict.fromkeys(counts, 0))
            listings = batch_outcome.get(source)
            outcome = "-" if listings is None else "finished" if listings["fetched"] else (
                max(listings["failed"], key=listings["failed"].get) if listings["failed"] else "failed")
        total = stats.get(source, {"runs": 0, "bad": 0})
        print(f"{jid:24} {every:>6} {nxt:19} {started[:19].replace('T', ' ') or '-':19} {outcome[:18]:18} "
              f"{counts['followups']:>4} {counts['duplicates']:>4} {counts['skipped']:>5} {counts['errors']:>4} "
              f"{total['runs']:>5} {total['bad']:>4} {events.get((jid, 'overlap_skipped'), 0):>7}", file=out)
    holder = lock_holder(db)
    print(f"\nscheduler: {'running, pid ' + holder if holder else 'not running'} (database {db})", file=out)


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"
