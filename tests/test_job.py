"""``scrapy job``: a scheduler job's spiders, one after the other, in one process.

End to end against the local news web: one process, one ``crawl_runs`` row
per spider; and a job stopped or killed in the middle, settled by the
scheduler's own code (``scheduler.crawl``: jobs/runner.py then
``writes.settle_crawl``), gives every spider a correct row.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from jobs import runner
from jobs.runner import SPIDERS, CrawlSettings
from storage import open_db
from tests.conftest import ROOT, crawl_env

SOURCE = "lecourrier"  # has feeds, a sitemap index and a section page


def job(*args: str, sources: Path, db: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scrapy", "job", *args, "-s", f"MONITOR_SOURCES={sources}",
               "-s", f"MONITOR_DB={db}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
    return subprocess.run(command, cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=timeout)


def rows(db_path: Path, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    db = open_db(db_path)
    try:
        return list(db.query(sql, params or []))
    finally:
        db.close()


def test_a_job_runs_every_spider_in_one_process_with_a_row_each(localweb_sources, tmp_path):
    db = tmp_path / "job.db"
    result = job(",".join(SPIDERS), "-a", f"source={SOURCE}", sources=localweb_sources, db=db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert [line for line in result.stdout.splitlines() if line.startswith("job: ")] == [
        "job: feeds starting (1/3)", "job: sitemaps starting (2/3)", "job: sections starting (3/3)"]
    runs = rows(db, "select * from crawl_runs order by id")
    assert [(r["spider"], r["source"], r["status"], r["finish_reason"]) for r in runs] == [
        (spider, SOURCE, "finished", "finished") for spider in SPIDERS]
    assert len({r["pid"] for r in runs}) == 1  # one process
    assert runs[0]["followups"] > 0  # the feeds spider stored follow-ups...
    assert runs[1]["already_known"] > 0  # ...which the sitemaps spider then knew
    assert result.stderr.count("Dumping Scrapy stats") == 3  # each spider its own stats
    stored = rows(db, "select count(*) as n from articles where source = ?", [SOURCE])[0]["n"]
    assert stored >= runs[0]["followups"]

    again = job(",".join(SPIDERS), "-a", f"source={SOURCE}", sources=localweb_sources, db=db)
    assert again.returncode == 0, again.stderr[-3000:]
    second = rows(db, "select * from crawl_runs where id > ? order by id", [runs[-1]["id"]])
    assert [(r["spider"], r["status"], r["followups"]) for r in second] == [
        (spider, "finished", 0) for spider in SPIDERS]


def test_bad_spider_names_are_refused_in_one_line(localweb_sources, tmp_path):
    result = job("feeds,nope", sources=localweb_sources, db=tmp_path / "x.db")
    assert result.returncode == 2
    assert "unknown spider(s): nope (known: feeds, sections, sitemaps)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_scrapy_crawl_by_hand_still_runs_one_spider(localweb_sources, tmp_path):
    from tests.conftest import scrapy_crawl

    result = scrapy_crawl("sections", sources=localweb_sources, db=tmp_path / "one.db",
                          args=("-a", f"source={SOURCE}"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "job: " not in result.stdout
    assert [r["spider"] for r in rows(tmp_path / "one.db", "select spider from crawl_runs")] == ["sections"]


def _run_job_in_background(settings: CrawlSettings) -> tuple[threading.Thread, dict[str, Any]]:
    from jobs import daemon as scheduler

    out: dict[str, Any] = {}

    def target() -> None:
        out["result"], out["runs"] = scheduler.crawl(SPIDERS, SOURCE, settings)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, out


def _wait_for_run_row(db: str, spider: str) -> None:
    """Until the spider's crawl_runs row is written (when it opens)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if Path(db).exists() and rows(Path(db), "select 1 from crawl_runs where spider = ? and status = 'running'",
                                      [spider]):
            return
        time.sleep(0.02)
    raise AssertionError(f"{spider} never opened")


def _wait_for_spider(spider: str, thread: threading.Thread) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and thread.is_alive():
        pids = runner.running_pids()
        if f"{spider} {SOURCE}" in pids:
            return pids[f"{spider} {SOURCE}"]
        time.sleep(0.02)
    raise AssertionError(f"the job never got to {spider}")


@pytest.fixture
def job_settings(localweb_sources, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_ALLOWED_HOSTS", "127.0.0.0/8")
    monkeypatch.setattr(runner, "_accepting", True)  # stop_all() below must not outlive this test
    # The crawl's own politeness delays (0.5 s per request) keep the sitemaps spider busy long
    # enough to be caught in the middle.
    return CrawlSettings(sources=str(localweb_sources), db=str(tmp_path / "stopped.db"),
                         allowed_hosts="127.0.0.0/8", timeout=600, grace=10)


def test_a_job_stopped_at_shutdown_settles_every_spider(job_settings):
    thread, out = _run_job_in_background(job_settings)
    _wait_for_spider("sitemaps", thread)
    _wait_for_run_row(job_settings.db, "sitemaps")  # open and crawling (it makes requests 0.5 s apart)
    assert runner.stop_all(10) == [f"sitemaps {SOURCE}"]  # SIGTERM, as the scheduler does at shutdown
    thread.join(timeout=120)
    runs = {r["spider"]: r for r in out["runs"]}
    assert [r["spider"] for r in out["runs"]] == list(SPIDERS)
    assert (runs["feeds"]["status"], runs["feeds"]["finish_reason"]) == ("finished", "finished")
    assert (runs["sitemaps"]["status"], runs["sitemaps"]["finish_reason"]) == ("interrupted", "shutdown")
    assert (runs["sections"]["status"], runs["sections"]["finish_reason"]) == ("interrupted", "not_started")
    assert "job: sections" not in out["result"].log_tail  # it never started
    assert not rows(Path(job_settings.db), "select * from crawl_runs where status = 'running'")


def test_a_job_killed_in_the_middle_settles_every_spider(job_settings):
    thread, out = _run_job_in_background(job_settings)
    pid = _wait_for_spider("sitemaps", thread)
    _wait_for_run_row(job_settings.db, "sitemaps")
    os.killpg(pid, signal.SIGKILL)  # the kernel's OOM killer, say: nobody closes anything
    thread.join(timeout=120)
    assert out["result"].returncode == -9 and out["result"].stopped is None
    runs = {r["spider"]: r for r in out["runs"]}
    assert (runs["feeds"]["status"], runs["feeds"]["finish_reason"]) == ("finished", "finished")
    assert (runs["sitemaps"]["status"], runs["sitemaps"]["finish_reason"]) == ("failed", "killed by signal 9")
    assert runs["sitemaps"]["finished"] and runs["sitemaps"]["log_tail"]
    assert (runs["sections"]["status"], runs["sections"]["finish_reason"]) == ("failed", "not_started")
    assert runs["feeds"]["pid"] == runs["sitemaps"]["pid"] == runs["sections"]["pid"] == pid


def test_a_job_asks_each_host_for_its_robots_txt_once(tmp_path):
    """Scrapy reads robots.txt once per crawler; the spiders of a job share what the first one read."""
    from tests.trapweb import STORY_TEXT, TrapWeb

    web = TrapWeb()
    try:
        (tmp_path / "story.txt").write_text(STORY_TEXT, encoding="utf-8")
        sources = tmp_path / "sources.toml"
        sources.write_text(web.sources_toml(str(tmp_path / "story.txt")), encoding="utf-8")
        result = job(",".join(SPIDERS), "-a", "source=traps", "-s", "MONITOR_SECTIONS_MAX_LINKS=5",
                     sources=sources, db=tmp_path / "robots.db")
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.stdout.count("job: ") == 3
        assert web.traps.hits["/robots.txt"] == 1  # was 3: once per spider
        assert web.traps.hits["*"] > 5  # every spider did crawl the host
    finally:
        web.stop()
