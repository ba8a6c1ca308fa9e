"""How a crawl job ended: every spider's ``crawl_runs`` row gets its final status and reason.

The policy of what an exit status, a timeout or a shutdown means for each
spider of a job lives here, with the scheduler; storage/ only reads and writes
the rows.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from storage import queries, transaction, writes


def settle_crawl(
    db: Database,
    *,
    spiders: list[str] | tuple[str, ...],
    source: str | None,
    after_id: int,
    returncode: int,
    stopped: str | None,
    log_tail: str,
    pid: int,
    started: str,
    started_spiders: list[str] | None = None,
    drained: bool = False,
) -> list[int]:
    """Record how a job (its ``spiders``, one after the other in one process) ended, whatever it wrote itself.

    Each spider's own rows (``spider``, ``source``, id above ``after_id``) get
    their final status: ``timeout`` when the scheduler stopped the job at a
    spider's timeout (or Scrapy closed it with ``closespider_timeout``),
    ``interrupted`` when the scheduler stopped it at shutdown, ``failed`` when
    the process exited with an error or died without closing the row. A
    spider without a row gets one: a spider the job started
    (``started_spiders``; None: all of them) but that wrote nothing failed
    (or timed out, was interrupted) with the exit status; one it never got to
    gets reason ``not_started`` (``interrupted`` when the job was ``drained``:
    asked to start no other spider because the scheduler is stopping). A non-zero exit status is the fault of a
    spider left running or without a row; when there is none, of the last
    spider that ran. Rows that did not end well keep ``log_tail``. Returns
    the run ids, in the order of ``spiders``.
    """
    source = source or "*"
    began = set(spiders if started_spiders is None else started_spiders)
    with transaction(db):  # the rows cannot change under us
        rows: dict[str, list[dict[str, Any]]] = {spider: [] for spider in spiders}
        for row in queries.job_runs(db, after_id=after_id, source=source, spiders=spiders):
            rows[row["spider"]].append(row)
        ran = [spider for spider in spiders if rows[spider]]
        at_fault = any(r["status"] == "running" for spider in ran for r in rows[spider]) or any(
            not rows[spider] and spider in began for spider in spiders)
        ids: list[int] = []
        for spider in spiders:
            if not rows[spider]:
                ids.append(_missing_run(db, spider=spider, source=source, began=spider in began,
                                        returncode=returncode, stopped=stopped, drained=drained,
                                        log_tail=log_tail, pid=pid, started=started))
                continue
            blamed = returncode if not at_fault and spider == ran[-1] else 0
            for row in rows[spider]:
                code = returncode if row["status"] == "running" else blamed
                status, reason = _crawl_outcome(row["status"], row["finish_reason"], code, stopped)
                update: dict[str, Any] = {"status": status, "finish_reason": reason}
                if row["status"] == "running":
                    update["finished"] = writes.now()
                if status != "finished":
                    update["log_tail"] = log_tail
                writes.update_run(db, int(row["id"]), update)
                ids.append(int(row["id"]))
        return ids


def _missing_run(db: Database, *, spider: str, source: str, began: bool, returncode: int, stopped: str | None,
                 drained: bool, log_tail: str, pid: int, started: str) -> int:
    """The row of a spider that wrote none: it died starting (``began``), or the job never got to it."""
    status, reason = _crawl_outcome(None, None, returncode, stopped or (None if began or not drained else "shutdown"))
    if status == "finished":
        status, reason = "failed", "no_run_recorded"
    if not began:
        reason = "not_started"
    return writes.insert_run(db, {
        "spider": spider, "source": source, "started": started, "finished": writes.now(),
        "finish_reason": reason, "status": status, "followups": 0, "source_copies": 0,
        "duplicates": 0, "skipped": 0, "errors": 0, "already_known": 0, "pid": pid,
        "log_tail": log_tail,
    })


def _crawl_outcome(status: str | None, reason: str | None, returncode: int,
                   stopped: str | None) -> tuple[str, str]:
    exit_reason = f"killed by signal {-returncode}" if returncode < 0 else f"exit status {returncode}"
    if stopped and status == "finished" and reason == "finished":
        return status, reason  # its work was done and recorded before it was stopped
    if stopped == "timeout":
        return "timeout", reason or exit_reason
    if stopped == "shutdown":
        return "interrupted", reason or exit_reason
    if status in (None, "running"):
        return ("failed", exit_reason) if returncode or status == "running" else ("finished", "finished")
    if reason == "closespider_timeout":
        return "timeout", reason
    if returncode and status == "finished":
        return "failed", exit_reason if reason == "finished" else (reason or exit_reason)
    return status, reason or exit_reason
