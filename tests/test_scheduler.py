"""scheduler.py as users run it.

A real ``--once`` against the local news web; the daemon with intervals of
seconds and a stand-in crawl (tests/fake_crawl.py, through
``MONITOR_CRAWL_COMMAND``) that finishes, sleeps, fails or hangs, depending on
the source's name.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from storage import open_db
from tests.conftest import ROOT, crawl_env

FAKE = f"{sys.executable} -m tests.fake_crawl"
STORY = ('[[story]]\nname = "x"\nurl = "http://127.0.0.1:9/source"\ntitle = "t"\nlanguage = "fr"\n'
         'since = 2025-01-01\nterms = ["x"]\n')


def scheduler(*args: str, env: dict[str, str] | None = None,
              timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "scheduler.py", *args], cwd=ROOT, env=env or crawl_env(),
                          capture_output=True, text=True, timeout=timeout)


def write_sources(path: Path, **every: str) -> Path:
    """A config whose sources (named for what the fake crawl does) poll at ``every``."""
    blocks = [f'[[source]]\nname = "{name}"\nlanguage = "en"\nfeeds = ["http://127.0.0.1:9/{name}.xml"]\n'
              f'every = "{interval}"\n' for name, interval in every.items()]
    path.write_text(STORY + "\n".join(blocks), encoding="utf-8")
    return path


def wait_for(check: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


@dataclass
class Daemon:
    """``python scheduler.py`` in the background, its stderr in a file."""

    process: subprocess.Popen[str]
    log: Path

    @property
    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 60) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=timeout)


class Session:
    """One test's store, config and fake-crawl log, and the daemons it starts."""

    def __init__(self, tmp_path: Path, **env: str):
        self.tmp = tmp_path
        self.db = tmp_path / "sched.db"
        self.sources = tmp_path / "sources.toml"
        self.crawl_log = tmp_path / "crawls.jsonl"
        self.env = crawl_env(MONITOR_CRAWL_COMMAND=FAKE, MONITOR_KILL_GRACE="1", MONITOR_SHUTDOWN_GRACE="10",
                             MONITOR_PARALLEL_CRAWLS="4", FAKE_CRAWL_LOG=str(self.crawl_log), **env)
        self.daemons: list[Daemon] = []

    def start(self, *args: str) -> Daemon:
        log = self.tmp / f"daemon-{len(self.daemons)}.log"
        with open(log, "w", encoding="utf-8") as err:
            process = subprocess.Popen(
                [sys.executable, "scheduler.py", "--sources", str(self.sources), "--db", str(self.db), *args],
                cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=err, text=True)
        daemon = Daemon(process, log)
        self.daemons.append(daemon)
        wait_for(lambda: "scheduler started" in daemon.stderr or process.poll() is not None, "the daemon to start")
        assert process.poll() is None, daemon.stderr
        return daemon

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return scheduler("--sources", str(self.sources), "--db", str(self.db), *args, env=self.env)

    def crawls(self, source: str | None = None) -> list[dict[str, Any]]:
        """Starts and ends the fake crawl noted, in order."""
        if not self.crawl_log.exists():
            return []
        notes = [json.loads(line) for line in self.crawl_log.read_text(encoding="utf-8").splitlines()]
        return [n for n in notes if source is None or n["source"] == source]

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        db = open_db(self.db)
        try:
            return list(db.query(sql, params or []))
        finally:
            db.close()

    def runs(self, source: str) -> list[dict[str, Any]]:
        return self.rows("select * from crawl_runs where source = ? order by id", [source])

    def close(self) -> None:
        for daemon in self.daemons:
            if daemon.process.poll() is None:
                daemon.process.kill()
                daemon.process.wait()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    s = Session(tmp_path, MONITOR_FIRST_RUN_SPREAD="3600")
    yield s
    s.close()


# --- --once, the real thing -----------------------------------------------------------------


def test_once_runs_every_spider_and_prints_a_summary(localweb_sources, tmp_path):
    db_path = tmp_path / "once.db"
    result = scheduler("--once", "--sources", str(localweb_sources), "--db", str(db_path))
    assert result.returncode == 0, result.stderr[-3000:]
    table = [line.split() for line in result.stdout.splitlines()]
    header = table.index(["run", "spider", "source", "status", "new", "copies", "dup", "skip", "err", "known",
                          "time"])
    assert [row[1:4] for row in table[header + 1:header + 3]] == [["feeds", "*", "finished"],
                                                                  ["sitemaps", "*", "finished"]]
    assert int(table[header + 1][4]) > 0  # new follow-ups
    assert "follow-ups:" in result.stdout and "copies of the source:" in result.stdout
    assert "skipped:" in result.stdout and "too_old" in result.stdout
    assert "feeds *: finished" in result.stderr and "sitemaps *: finished" in result.stderr
    db = open_db(db_path)
    assert [r["spider"] for r in db.query("select spider from crawl_runs order by id")] == ["feeds", "sitemaps", "sections"]
    db.close()

    status = scheduler("--status", "--sources", str(localweb_sources), "--db", str(db_path))
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0].split()[:4] == ["job", "every", "next", "run"]
    assert any(line.startswith("source:") for line in lines[1:])
    once = next(line for line in lines if line.startswith("all sources (--once)"))
    assert "finished" in once
    assert lines[-1].startswith("scheduler: not running")


def test_once_exits_1_and_shows_the_failed_crawl(session):
    write_sources(session.sources, ok="1h")
    session.env["FAKE_FAIL_SPIDER"] = "sitemaps"
    result = session.run("--once")
    assert result.returncode == 1, result.stderr
    rows = {line.split()[1]: line.split() for line in result.stdout.splitlines()
            if line.split()[1:2] in (["feeds"], ["sitemaps"])}
    assert rows["feeds"][3] == "finished" and rows["sitemaps"][3] == "failed"
    assert "RuntimeError: the feed exploded" in result.stderr
    failed = session.rows("select * from crawl_runs where spider = 'sitemaps'")
    assert [(r["status"], r["finish_reason"]) for r in failed] == [("failed", "exit status 1")]
    assert "RuntimeError: the feed exploded" in failed[0]["log_tail"]


def test_bad_config_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[story]]\nname = "x"\nurl = "https://ex.com/"\ntitle = "t"\nlanguage = "fr"\n'
                   'since = 2025-01-01\nterms = ["x"]\n[[source]]\nname = "p"\nlanguage = "fr"\n'
                   'feeds = ["https://ex.com/f"]\nevery = "often"\n', encoding="utf-8")
    result = scheduler("--once", "--sources", str(bad), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"scheduler.py: {bad}: [[source]] #1 'p': 'every': 'often' is not a "
                                     "duration like '15m', '2h' or '1d' (line 12)")


def test_help_names_every_mode_and_setting():
    result = scheduler("--help")
    assert result.returncode == 0
    for word in ("--once", "--status", "--timeout", "MONITOR_CRAWL_COMMAND", "MONITOR_SHUTDOWN_GRACE"):
        assert word in result.stdout


# --- The daemon -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def busy(tmp_path_factory) -> Iterator[Session]:
    """One daemon, every second: a slow crawl, a failing one, a hanging one and a quick one.

    Runs until the hanging and the failing crawls each ran twice, then gets SIGTERM.
    """
    s = Session(tmp_path_factory.mktemp("busy"), FAKE_SLOW_SECONDS="2")
    write_sources(s.sources, slow="1s", fail="1s", hang="1s", ok="1s")
    daemon = s.start("--timeout", "2")  # a crawl is stopped after 2 s + 1 s grace: SIGTERM, then SIGKILL
    wait_for(lambda: len([r for r in s.runs("hang") if r["spider"] == "feeds" and r["status"] != "running"]) >= 2
             and len([r for r in s.runs("fail") if r["status"] == "failed"]) >= 4  # feeds and sitemaps, twice
             and len([n for n in s.crawls("slow") if n["event"] == "end"]) >= 2,
             "two runs of each job")
    s.returncode = daemon.stop()  # type: ignore[attr-defined]
    s.stderr = daemon.stderr  # type: ignore[attr-defined]
    yield s
    s.close()


def test_a_crawl_still_running_is_not_started_again_and_the_skip_is_counted(busy):
    notes = busy.crawls("slow")
    starts = [n["t"] for n in notes if n["event"] == "start"]
    ends = [n["t"] for n in notes if n["event"] == "end"]
    assert len(starts) >= 2
    for later_start, earlier_end in zip(starts[1:], ends, strict=False):
        assert later_start >= earlier_end  # never two at once
    skips = busy.rows("select * from job_events where job = 'source:slow' and event = 'overlap_skipped'")
    assert skips and "the last run was still going" in skips[0]["detail"]
    assert "source:slow: its previous run has not finished" in busy.stderr
    status = busy.run("--status").stdout.splitlines()
    slow = next(line.split() for line in status if line.startswith("source:slow "))
    assert int(slow[-1]) == len(skips)  # the overlap column


def test_a_hanging_crawl_is_stopped_at_its_timeout_and_recorded(busy):
    hung = busy.runs("hang")
    assert len(hung) >= 4  # and the next run still fired
    # The job hangs in its first spider; the one after it never started.
    assert {(r["spider"], r["status"], r["finish_reason"]) for r in hung} == {
        ("feeds", "timeout", "killed by signal 9"), ("sitemaps", "timeout", "not_started")}, hung
    assert all(r["finished"] and "hanging" in r["log_tail"] for r in hung)
    for note in busy.crawls("hang"):  # no hung crawl left behind
        with pytest.raises(ProcessLookupError):
            os.kill(note["pid"], 0)
    assert "feeds hang: still running after 3s, stopping it" in busy.stderr
    assert "feeds hang: timeout (killed by signal 9)" in busy.stderr


def test_a_failing_crawl_is_recorded_with_its_log_and_the_next_run_still_fires(busy):
    # (The job running at SIGTERM is drained: a spider it did not start is interrupted, not_started.)
    failed = [r for r in busy.runs("fail") if r["finish_reason"] != "not_started"]
    assert len(failed) >= 4 and {r["spider"] for r in failed} == {"feeds", "sitemaps"}
    assert all(r["status"] == "failed" and r["finish_reason"] == "exit status 1" for r in failed), \
        [(r["spider"], r["status"], r["finish_reason"]) for r in failed
         if (r["status"], r["finish_reason"]) != ("failed", "exit status 1")]
    assert all("RuntimeError: the feed exploded" in r["log_tail"] for r in failed)
    assert "feeds fail: failed (exit status 1)" in busy.stderr


def test_each_run_logs_one_line_and_status_shows_every_job(busy):
    ok_lines = [line for line in busy.stderr.splitlines() if "scheduler: feeds ok: finished" in line]
    assert ok_lines and "1 follow-ups, 0 source copies, 0 duplicates, 2 skipped, 0 errors" in ok_lines[0]
    assert busy.returncode == 0
    assert not busy.rows("select * from crawl_runs where status = 'running'")
    status = busy.run("--status")
    assert status.returncode == 0, status.stderr
    outcome = {line.split()[0]: line.split() for line in status.stdout.splitlines()[1:] if line.strip()}
    # columns from the right: outcome new dup skip err runs bad overlap
    # new follow-ups: one per crawl of the last run, feeds and sitemaps (which runs to discover sitemaps)
    drained = busy.runs("ok")[-1]["finish_reason"] == "not_started"  # its last job was running at SIGTERM
    assert outcome["source:ok"][-8] == ("interrupted" if drained else "finished")
    assert outcome["source:ok"][-7] == ("1" if drained else "2")
    assert outcome["source:fail"][-8] == "failed"
    assert outcome["source:hang"][-8] == "timeout"
    assert int(outcome["source:fail"][-2]) == len(busy.runs("fail"))  # every run went wrong


def test_sigterm_lets_running_crawls_finish_then_stops_the_rest(session):
    session.env.update(FAKE_SLOW_SECONDS="3", FAKE_LONG_SECONDS="60", MONITOR_SHUTDOWN_GRACE="5")
    write_sources(session.sources, slow="2s", long="2s")
    daemon = session.start("--timeout", "120")
    wait_for(lambda: {n["source"] for n in session.crawls()} == {"slow", "long"}, "both crawls to start")
    sigterm_at = time.time()
    assert daemon.stop() == 0
    slow = session.runs("slow")
    # The running spider of the slow job was let finish; the job started no other spider after SIGTERM.
    assert slow and [(r["status"], r["finish_reason"]) for r in slow if r["spider"] == "feeds"] == \
        [("finished", "finished")] * len([r for r in slow if r["spider"] == "feeds"])
    assert [n for n in session.crawls("slow") if n["event"] == "end" and n["t"] > sigterm_at]  # let finish
    assert not [n for n in session.crawls("slow") if n["event"] == "start" and n["t"] > sigterm_at]
    last = [r for r in slow if r["spider"] == "sitemaps"][-1]
    assert (last["status"], last["finish_reason"]) == ("interrupted", "not_started")
    assert [(r["spider"], r["status"], r["finish_reason"]) for r in session.runs("long")] == [
        ("feeds", "interrupted", "shutdown"), ("sitemaps", "interrupted", "not_started")]
    assert not session.rows("select * from crawl_runs where status = 'running'")
    assert "stopping: no new crawls" in daemon.stderr
    assert "stopped 1 crawl(s) still running: feeds long" in daemon.stderr
    assert "scheduler stopped" in daemon.stderr
    assert session.run("--status").stdout.splitlines()[-1].startswith("scheduler: not running")


def test_a_second_scheduler_is_refused_and_a_crash_frees_the_lock(session):
    write_sources(session.sources, ok="1h")
    first = session.start()
    second = session.run()
    assert second.returncode != 0
    assert f"another scheduler is already running on {session.db} (pid {first.process.pid})" in second.stderr
    assert "Traceback" not in second.stderr
    assert session.run("--once").returncode != 0
    assert f"scheduler: running, pid {first.process.pid}" in session.run("--status").stdout
    first.process.kill()  # a crash: the kernel drops the lock
    first.process.wait()
    third = session.start()
    assert third.stop() == 0


def test_a_held_lock_refuses_once(localweb_sources, tmp_path):
    db_path = tmp_path / "locked.db"
    with open(tmp_path / "locked.db.scheduler.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = scheduler("--once", "--sources", str(localweb_sources), "--db", str(db_path))
    assert result.returncode != 0
    assert "another scheduler is already running" in result.stderr
    assert "Traceback" not in result.stderr


def _jobs(db: Path) -> dict[str, Any]:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    store = SQLAlchemyJobStore(url=f"sqlite:///{db.with_name(db.stem + '-jobs.sqlite')}")
    try:
        return {job.id: job for job in store.get_all_jobs()}
    finally:
        store.shutdown()


def test_a_restart_keeps_next_run_times_and_applies_config_changes(session):
    write_sources(session.sources, ok="1h", ok2="1h", ok3="1h")
    assert session.start().stop() == 0
    before = _jobs(session.db)
    assert set(before) == {"source:ok", "source:ok2", "source:ok3"}
    assert all(job.max_instances == 1 and job.coalesce for job in before.values())

    assert session.start().stop() == 0  # same config: nothing moves (unless a job ran meanwhile)
    ran = {f"source:{n['source']}" for n in session.crawls()}
    assert {k: j.next_run_time for k, j in _jobs(session.db).items() if k not in ran} == \
        {k: j.next_run_time for k, j in before.items() if k not in ran}

    write_sources(session.sources, ok="1h", ok2="2h", ok4="1h")  # re-time ok2, drop ok3, add ok4
    daemon = session.start()
    assert daemon.stop() == 0
    after = _jobs(session.db)
    assert set(after) == {"source:ok", "source:ok2", "source:ok4"}
    if not session.crawls("ok"):
        assert after["source:ok"].next_run_time == before["source:ok"].next_run_time
    assert after["source:ok2"].trigger.interval.total_seconds() == 7200
    assert after["source:ok2"].next_run_time <= before["source:ok2"].next_run_time
    assert "re-timed job source:ok2" in daemon.stderr and "added job source:ok4" in daemon.stderr
    assert "removed job source:ok3" in daemon.stderr


def test_runs_missed_while_down_are_coalesced_into_one_catch_up_run(session):
    write_sources(session.sources, ok="2s")
    first = session.start()
    wait_for(lambda: session.runs("ok"), "a first run")
    assert first.stop() == 0
    down_at = time.time()
    time.sleep(5)  # two intervals or more go by
    second = session.start()
    wait_for(lambda: session.rows("select * from job_events where event = 'catch_up'"), "the catch-up run")
    assert second.stop() == 0
    catch_up = session.rows("select * from job_events where event = 'catch_up'")
    assert len(catch_up) == 1 and catch_up[0]["job"] == "source:ok"
    missed = int(catch_up[0]["detail"].split("one run for ")[1].split()[0])
    assert missed >= 2
    assert f"source:ok: {missed} run(s) due while the scheduler was down; one catch-up run now" in second.stderr
    assert not session.rows("select * from job_events where event = 'missed'")
    assert [n for n in session.crawls("ok") if n["event"] == "start" and n["t"] > down_at]


def test_after_crawl_hook_gets_the_run_ids(session, monkeypatch):
    from jobs import daemon as scheduler_module
    from jobs.runner import CrawlSettings

    write_sources(session.sources, ok="1h")
    seen: list[tuple[str, list[int]]] = []
    monkeypatch.setattr(scheduler_module, "after_crawl", lambda db, run_ids: seen.append((db, run_ids)))
    settings = CrawlSettings(sources=str(session.sources), db=str(session.db), command=FAKE)
    result, runs = scheduler_module.crawl(["feeds", "sitemaps"], "ok", settings)
    assert result.ok and [(r["spider"], r["status"]) for r in runs] == [("feeds", "finished"),
                                                                         ("sitemaps", "finished")]
    assert seen == [(str(session.db), [runs[0]["id"], runs[1]["id"]])]
    assert len({r["pid"] for r in runs}) == 1  # one process for the job
