"""How the scheduler settles a crawl's row in crawl_runs, whatever the crawl wrote itself."""

from __future__ import annotations

from storage import queries, writes


def settle(db, **kwargs):
    args = {"spider": "feeds", "source": "paper", "after_id": 0, "returncode": 0, "stopped": None,
            "log_tail": "last lines", "pid": 42, "started": "2025-02-03T10:00:00+00:00"}
    return writes.settle_crawl(db, **(args | kwargs))


def statuses(db, ids):
    return [(r["status"], r["finish_reason"], r["log_tail"]) for r in queries.runs_by_id(db, ids)]


def test_a_crawl_killed_before_writing_its_row_gets_one(db):
    ids = settle(db, returncode=-9, stopped="timeout")
    assert statuses(db, ids) == [("timeout", "killed by signal 9", "last lines")]
    row = queries.runs_by_id(db, ids)[0]
    assert (row["spider"], row["source"], row["pid"], row["followups"]) == ("feeds", "paper", 42, 0)
    assert row["finished"]


def test_a_crawl_that_crashed_on_start_is_failed_with_its_log(db):
    assert statuses(db, settle(db, source=None, returncode=1)) == [("failed", "exit status 1", "last lines")]


def test_a_hung_crawl_row_left_running_becomes_timeout(db):
    run = writes.start_run(db, spider="feeds", source="paper", pid=42)
    assert settle(db, returncode=-9, stopped="timeout") == [run]
    assert statuses(db, [run]) == [("timeout", "killed by signal 9", "last lines")]


def test_a_finished_crawl_stays_finished_and_keeps_no_log(db):
    run = writes.start_run(db, spider="feeds", source="paper", pid=42)
    writes.finish_run(db, run, finish_reason="finished", counts={"stored/followup": 2}, error_messages=[])
    assert settle(db) == [run]
    assert statuses(db, [run]) == [("finished", "finished", None)]
    assert settle(db, returncode=-15, stopped="shutdown") == [run]  # done before it was stopped
    assert statuses(db, [run])[0][0] == "finished"


def test_scrapy_closing_at_its_own_timeout_is_a_timeout(db):
    run = writes.start_run(db, spider="feeds", source="paper", pid=42)
    writes.finish_run(db, run, finish_reason="closespider_timeout", counts={}, error_messages=[])
    settle(db)
    assert statuses(db, [run])[0][:2] == ("timeout", "closespider_timeout")


def test_a_crawl_stopped_at_shutdown_is_interrupted(db):
    run = writes.start_run(db, spider="feeds", source="paper", pid=42)
    writes.finish_run(db, run, finish_reason="shutdown", counts={}, error_messages=[])
    settle(db, stopped="shutdown")
    assert statuses(db, [run])[0][:2] == ("interrupted", "shutdown")


def test_other_crawls_rows_are_left_alone(db):
    other = writes.start_run(db, spider="sitemaps", source="paper", pid=7)
    older = writes.start_run(db, spider="feeds", source="paper", pid=8)
    ids = settle(db, after_id=older, returncode=1)
    assert other not in ids and older not in ids
    assert [r["status"] for r in queries.runs_by_id(db, [other, older])] == ["running", "running"]


def test_job_events_are_counted_per_job(db):
    writes.record_job_event(db, job="source:paper", event="overlap_skipped", detail="due …")
    writes.record_job_event(db, job="source:paper", event="overlap_skipped")
    writes.record_job_event(db, job="source:other", event="catch_up")
    assert queries.job_event_counts(db) == {("source:paper", "overlap_skipped"): 2,
                                            ("source:other", "catch_up"): 1}
