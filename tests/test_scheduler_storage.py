"""How the scheduler settles a crawl's row in crawl_runs, whatever the crawl wrote itself."""

from __future__ import annotations

from jobs.settle import settle_crawl
from storage import queries, writes


def settle(db, **kwargs):
    args = {"spiders": ["feeds"], "source": "paper", "after_id": 0, "returncode": 0, "stopped": None,
            "log_tail": "last lines", "pid": 42, "started": "2025-02-03T10:00:00+00:00"}
    return settle_crawl(db, **(args | kwargs))


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


JOB = ["feeds", "sitemaps", "sections"]


def finished_run(db, spider, reason="finished"):
    run = writes.start_run(db, spider=spider, source="paper", pid=42)
    writes.finish_run(db, run, finish_reason=reason, counts={}, error_messages=[])
    return run


def by_spider(db, ids):
    return {r["spider"]: (r["status"], r["finish_reason"]) for r in queries.runs_by_id(db, ids)}


def test_a_job_gets_one_row_per_spider_in_order(db):
    runs = [finished_run(db, spider) for spider in JOB]
    assert settle(db, spiders=JOB) == runs
    assert by_spider(db, runs) == {spider: ("finished", "finished") for spider in JOB}


def test_a_job_killed_at_a_spiders_timeout_settles_every_spider(db):
    first = finished_run(db, "feeds")
    hung = writes.start_run(db, spider="sitemaps", source="paper", pid=42)
    ids = settle(db, spiders=JOB, returncode=-9, stopped="timeout", started_spiders=["feeds", "sitemaps"])
    assert ids[:2] == [first, hung]
    assert by_spider(db, ids) == {"feeds": ("finished", "finished"), "sitemaps": ("timeout", "killed by signal 9"),
                                  "sections": ("timeout", "not_started")}
    assert [r["log_tail"] for r in queries.runs_by_id(db, ids)] == [None, "last lines", "last lines"]


def test_a_job_stopped_at_shutdown_interrupts_the_spiders_it_did_not_finish(db):
    first = finished_run(db, "feeds")
    second = finished_run(db, "sitemaps", reason="shutdown")
    ids = settle(db, spiders=JOB, returncode=0, stopped="shutdown", started_spiders=["feeds", "sitemaps"])
    assert ids[:2] == [first, second]
    assert by_spider(db, ids) == {"feeds": ("finished", "finished"), "sitemaps": ("interrupted", "shutdown"),
                                  "sections": ("interrupted", "not_started")}


def test_a_spider_that_failed_to_start_takes_the_blame_not_the_others(db):
    first = finished_run(db, "feeds")
    third = finished_run(db, "sections")
    ids = settle(db, spiders=JOB, returncode=1, started_spiders=JOB)
    assert ids == [first, ids[1], third]
    assert by_spider(db, ids) == {"feeds": ("finished", "finished"), "sitemaps": ("failed", "exit status 1"),
                                  "sections": ("finished", "finished")}


def test_a_job_that_died_outside_any_spider_blames_its_last_spider(db):
    runs = [finished_run(db, spider) for spider in JOB]
    settle(db, spiders=JOB, returncode=1)
    assert by_spider(db, runs) == {"feeds": ("finished", "finished"), "sitemaps": ("finished", "finished"),
                                   "sections": ("failed", "exit status 1")}


def test_a_job_that_died_on_start_fails_its_first_spider_and_skips_the_rest(db):
    ids = settle(db, spiders=JOB, returncode=1, started_spiders=["feeds"])
    assert by_spider(db, ids) == {"feeds": ("failed", "exit status 1"), "sitemaps": ("failed", "not_started"),
                                  "sections": ("failed", "not_started")}


def test_job_events_are_counted_per_job(db):
    writes.record_job_event(db, job="source:paper", event="overlap_skipped", detail="due …")
    writes.record_job_event(db, job="source:paper", event="overlap_skipped")
    writes.record_job_event(db, job="source:other", event="catch_up")
    assert queries.job_event_counts(db) == {("source:paper", "overlap_skipped"): 2,
                                            ("source:other", "catch_up"): 1}
