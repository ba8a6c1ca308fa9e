"""The launcher (jobs/launcher.py): jobs forked from the warm forkserver behave as new processes would.

What the runner relies on: the job's environment, working directory, arguments
and exit status are its own; it has its own session (the runner signals its
process group); ``crawler.settings`` is read with the job's environment; no
Twisted reactor comes from the launcher; a dead launcher is replaced, and a
launcher that cannot start leaves the jobs to start as new processes.
"""

from __future__ import annotations

import logging
import multiprocessing.spawn
import os
import re
import signal
import subprocess
import time

import pytest

from jobs import launcher as launcher_module
from jobs import runner
from jobs.launcher import Launcher, LaunchError
from jobs.runner import CrawlSettings
from storage import open_db
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def warm():
    launcher = Launcher()
    launcher.start()
    yield launcher
    launcher.close()


def run(launcher: Launcher, code: str, env: dict[str, str] | None = None, cwd: str = str(ROOT),
        *args: str) -> tuple[str, int]:
    job = launcher.launch(["-c", code, *args], cwd, env if env is not None else dict(os.environ))
    with job.stdout:
        out = job.stdout.read()
    return out, job.wait(timeout=30)


def test_a_job_has_its_own_environment_directory_arguments_and_exit_status(warm, tmp_path):
    code = ("import os, sys\n"
            "print(os.environ['JOB_ONLY'], os.getcwd(), sys.argv[1:])\n"
            "print('oops', file=sys.stderr)\n"
            "sys.exit(3)\n")
    env = dict(os.environ, JOB_ONLY="given")
    out, status = run(warm, code, env, str(tmp_path), "a", "b c")
    assert status == 3
    assert out.splitlines() == [f"given {tmp_path} ['a', 'b c']", "oops"]  # stderr on the same pipe


def test_a_job_reads_the_settings_with_its_own_environment_and_has_no_reactor(warm):
    code = ("import sys\n"
            "print('reactor' if 'twisted.internet.reactor' in sys.modules else 'no reactor')\n"
            "print('scrapy warm' if 'scrapy.crawler' in sys.modules else 'scrapy cold')\n"
            "import crawler.settings\n"
            "print(crawler.settings.MONITOR_DB)\n")
    out, status = run(warm, code, dict(os.environ, MONITOR_DB="/somewhere/job.db"))
    assert status == 0
    assert out.splitlines() == ["no reactor", "scrapy warm", "/somewhere/job.db"]
    out, _ = run(warm, code, dict(os.environ, MONITOR_DB="/elsewhere/other.db"))
    assert out.splitlines()[-1] == "/elsewhere/other.db"


def test_a_job_has_its_own_session_and_the_runners_signals_reach_it(warm):
    job = warm.launch(["-c", "import time\nprint('up', flush=True)\ntime.sleep(60)\n"], ROOT, dict(os.environ))
    assert job.stdout.readline() == "up\n"
    assert os.getsid(job.pid) == job.pid and os.getpgid(job.pid) == job.pid
    with pytest.raises(subprocess.TimeoutExpired):
        job.wait(timeout=0.2)
    os.killpg(job.pid, signal.SIGTERM)  # what runner._signal does
    assert job.wait(timeout=30) == -signal.SIGTERM
    job.stdout.close()


def test_a_python_exception_in_a_job_is_its_exit_status_1_with_the_traceback(warm):
    out, status = run(warm, "raise ValueError('broken job')")
    assert status == 1
    assert "ValueError: broken job" in out


def test_a_dead_launcher_is_replaced_and_its_running_job_still_ends():
    launcher = Launcher()
    try:
        launcher.start()
        first = launcher.pid
        assert first is not None
        job = launcher.launch(["-c", "import time\nprint('up', flush=True)\ntime.sleep(60)\n"], ROOT,
                              dict(os.environ))
        assert job.stdout.readline() == "up\n"
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while launcher.pid is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert launcher.pid is None  # seen dead
        os.killpg(job.pid, signal.SIGKILL)
        assert job.wait(timeout=30) == 1  # its status died with the launcher: "failed"
        job.stdout.close()
        out, status = run(launcher, "print('again')")
        assert (out, status) == ("again\n", 0)
        assert launcher.pid not in (None, first)
    finally:
        launcher.close()


def test_a_request_that_is_not_python_is_refused(warm):
    with pytest.raises(LaunchError, match="argv"):
        warm.launch(["scrapy", "job"], ROOT, dict(os.environ))
    assert run(warm, "print('still serving')") == ("still serving\n", 0)


@pytest.fixture
def one_spider(localweb_sources, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "_accepting", True)
    return CrawlSettings(sources=str(localweb_sources), db=str(tmp_path / "l.db"), allowed_hosts="127.0.0.0/8",
                         timeout=300, grace=10, log_level="INFO",
                         extra=("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False"))


def test_a_scheduler_job_runs_forked_from_the_launcher(one_spider, monkeypatch):
    fresh = Launcher()
    monkeypatch.setattr(launcher_module, "_launcher", fresh)
    monkeypatch.setattr(runner, "launcher", lambda: fresh)
    try:
        result = runner.run_crawl(("feeds",), "lecourrier", one_spider)
        assert result.ok, result.log_tail
        assert fresh.pid is not None  # started, and it forked the job
        assert list(result.spider_seconds) == ["feeds"]  # its "job: feeds starting" line came through
        db = open_db(one_spider.db)
        try:
            run_row = next(db.query("select * from crawl_runs"))
        finally:
            db.close()
        assert (run_row["spider"], run_row["status"], run_row["pid"]) == ("feeds", "finished", result.pid)
        assert run_row["followups"] > 0
    finally:
        fresh.close()


def test_without_a_launcher_jobs_start_as_new_processes(one_spider, monkeypatch, caplog):
    class Broken(Launcher):
        def launch(self, *args, **kwargs):
            raise LaunchError("the launcher did not start: no Scrapy here")

    monkeypatch.setattr(runner, "launcher", lambda: Broken())
    with caplog.at_level(logging.WARNING, logger="jobs.runner"):
        result = runner.run_crawl(("feeds",), "lecourrier", one_spider)
    assert result.ok, result.log_tail
    assert "no Scrapy here; starting the job as a new process" in caplog.text


def test_a_launcher_that_cannot_start_is_not_retried_at_every_job(monkeypatch):
    launcher = Launcher()
    launcher.start()  # the process has one forkserver: stop it, so that a new one must start
    os.kill(launcher.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while launcher.pid is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    # The executable the forkserver is started with, as the standard library keeps it (bytes).
    attempts: list[int] = []

    def missing_python() -> bytes:
        attempts.append(1)
        return os.fsencode("/nonexistent/python")

    monkeypatch.setattr(multiprocessing.spawn, "get_executable", missing_python)
    with pytest.raises(LaunchError, match="cannot start the launcher"):
        launcher.start()
    tried = len(attempts)
    assert tried >= 1
    with pytest.raises(LaunchError, match="cannot start the launcher"):  # the same reason, not a new attempt
        launcher.launch(["-c", "pass"], ROOT, dict(os.environ))
    assert len(attempts) == tried
    monkeypatch.undo()
    launcher._failed = None  # ten minutes later
    assert run(launcher, "print('up')") == ("up\n", 0)


def test_the_daemon_forks_its_jobs_from_the_launcher_and_closes_it_at_exit(localweb, tmp_path):
    """``python scheduler.py`` end to end: one real job over one outlet, then SIGTERM."""
    from localweb.config import sources_toml
    from tests.test_scheduler import Session, wait_for

    session = Session(tmp_path, MONITOR_FIRST_RUN_SPREAD="1")
    del session.env["MONITOR_CRAWL_COMMAND"]  # the real `scrapy job`, not the stand-in
    blocks = sources_toml(localweb, every="1h").split("[[source]]")
    session.sources.write_text(
        blocks[0] + "".join("[[source]]" + b for b in blocks[1:] if 'name = "lecourrier"' in b), encoding="utf-8")
    try:
        daemon = session.start()
        def finished() -> list[dict]:
            return [r for r in session.runs("lecourrier") if r["status"] == "finished"]

        runs = wait_for(lambda: len(finished()) == 3 and finished(), "the job's three spiders", 240)
        assert daemon.stop() == 0
    finally:
        session.close()
    text = daemon.stderr
    ready = re.search(r"launcher (\d+) ready in [\d.]+s", text)
    assert ready, text[-3000:]
    assert [r["spider"] for r in runs] == ["feeds", "sitemaps", "sections"]
    assert len({r["pid"] for r in runs}) == 1 and runs[0]["pid"] not in (daemon.process.pid, int(ready.group(1)))
    assert sum(r["followups"] for r in runs) > 0
    assert "starting the job as a new process" not in text
    wait_for(lambda: not launcher_module._runs(int(ready.group(1))), "the launcher to end with the daemon", 10)
