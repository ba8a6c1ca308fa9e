"""Mistakes and failures are said in one line, with the cause and the fix, and a non-zero exit status."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadConnectionRefusedError
from scrapy.http import Response

from crawler.middlewares.host_health import HostHealth
from tests.conftest import ROOT, crawl_env
from tests.test_cli import monitor

STORY = ('[[story]]\nname = "s"\nurl = "https://example.com/s"\ntitle = "T"\nlanguage = "en"\n'
         'since = 2025-01-20\n{terms}\n\n[[source]]\nname = "p"\nlanguage = "en"\nfeeds = ["https://example.com/f"]\n')


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=crawl_env(), capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("terms", ["", "terms = []"])
def test_a_story_without_terms_is_refused_with_exit_2(tmp_path, terms):
    (tmp_path / "s.toml").write_text(STORY.format(terms=terms), encoding="utf-8")
    for command in (["crawl"], ["status", "--db", "x.db"]):
        if command[0] == "status":
            (tmp_path / "x.db").touch()
        result = monitor(*command, "--sources", "s.toml", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        line = result.stderr.strip()
        assert "\n" not in line and "Traceback" not in line
        assert "[[story]] #1 's': no 'terms'" in line and "monitor init" in line and "(line " in line


def test_scrapy_crawl_of_a_config_with_a_mistake_exits_2_naming_it(tmp_path):
    (tmp_path / "s.toml").write_text(STORY.format(terms=""), encoding="utf-8")
    result = scrapy("crawl", "feeds", "-s", f"MONITOR_SOURCES={tmp_path / 's.toml'}", "-s",
                    f"MONITOR_DB={tmp_path / 's.db'}", "-s", "LOG_LEVEL=WARNING")
    assert result.returncode == 2, result.stderr
    assert "[[story]] #1 's': no 'terms'" in result.stderr and "Traceback" not in result.stderr


def test_scrapy_crawl_where_no_source_answered_exits_3_saying_why(tmp_path):
    with socket.socket() as probe:  # a loopback port nothing listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    story = STORY.format(terms='terms = ["T"]').replace("https://example.com/f", f"http://127.0.0.1:{port}/feed.xml")
    (tmp_path / "s.toml").write_text(story, encoding="utf-8")
    result = scrapy("crawl", "feeds", "-s", f"MONITOR_SOURCES={tmp_path / 's.toml'}", "-s",
                    f"MONITOR_DB={tmp_path / 's.db'}", "-s", "MONITOR_ALLOWED_HOSTS=127.0.0.0/8", "-s", "LOG_LEVEL=CRITICAL",
                    "-s", "RETRY_ENABLED=False")
    assert result.returncode == 3, result.stderr
    assert result.stderr.strip().splitlines() == [
        "scrapy crawl: every source failed: no feed, sitemap or section page answered (connection_refused 1)"]


def test_scrapy_crawl_exit_status_follows_how_the_crawl_closed():
    from crawler.commands.crawl import exit_status

    assert exit_status("finished") == 0 and exit_status(None) == 0
    assert exit_status("config_error") == 2 and exit_status("storage_error") == 2
    assert exit_status("closespider_timeout") == 1 and exit_status("shutdown") == 1


def test_scrapy_crawl_with_a_misspelt_spider_is_one_line():
    result = scrapy("crawl", "feed")
    assert result.returncode == 2
    assert result.stderr.strip() == "scrapy crawl: unknown spider(s) 'feed' (known: feeds, sections, sitemaps)"


@pytest.mark.parametrize("command", [["crawl", "feeds"], ["job", "feeds,sitemaps"]])
def test_unknown_spider_arguments_are_refused_with_the_known_ones(command):
    result = scrapy(*command, "-a", "sources=lemonde")
    assert result.returncode == 2
    assert "unknown spider argument(s) -a sources=" in result.stderr and "known: -a source=" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_spider_built_with_an_unknown_argument_refuses_it():
    from crawler.spiders.feeds import FeedsSpider

    with pytest.raises(ValueError, match="-a sourcez="):
        FeedsSpider(sourcez="x")
    assert FeedsSpider(source="x").source == "x"


def test_a_host_paused_after_refused_connections_keeps_that_cause():
    health = HostHealth(failures=2, pause=60, retry_after_max=5)
    url = "http://127.0.0.1:9/feed.xml"
    for _ in range(2):
        health.observe_exception(Request(url), DownloadConnectionRefusedError("refused"))
    assert health.wait_for(url)[1] == "connection_refused"
    other = "http://down.example/"
    health.observe_response(Request(other), Response(other, status=503))
    health.observe_response(Request(other), Response(other, status=500))
    assert health.wait_for(other)[1] == "host_paused"  # a storm of server errors is the breaker's own cause


def test_a_listing_that_answers_again_clears_its_stale_error(db):
    from storage import writes

    db["sources"].insert({"name": "p", "language": "en"}, pk="name")
    url = "http://127.0.0.2/feed.xml"
    writes.record_url(db, url=url, status="error", reason="blocked_address", source="p", run_id=None,
                      found_via="config", detail="refused")
    writes.record_listing(db, url=url, source="p", kind="feed", status=None, error="blocked_address")
    assert db["sources"].get("p")["last_error"].endswith("blocked_address")
    writes.record_listing(db, url=url, source="p", kind="feed", status=200, entries=3)
    assert db["urls"].count == 0
    assert db["sources"].get("p")["last_error"] is None and db["sources"].get("p")["last_success"]


def test_transient_discovery_failures_are_retried():
    from crawler.discovery import transient

    assert all(transient(r) for r in ("timeout", "connection_refused", "dns_error", "host_paused", "http_503"))
    assert not any(transient(r) for r in ("http_404", "robots_txt", "blocked_address"))


def test_a_lock_that_cannot_be_written_is_exit_2_and_one_line(tmp_path, localweb_sources):
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = subprocess.run([sys.executable, "scheduler.py", "--once", "--sources", str(localweb_sources), "--db",
                             str(tmp_path / "file" / "coverage.db")], cwd=ROOT, env=crawl_env(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "cannot write the scheduler's lock" in result.stderr and "must be writable" in result.stderr


SETTLE_FAILS = """
import sqlite3, sys
from jobs import daemon
from jobs.command import main
from jobs.runner import CrawlResult

def crawl(spiders, source, settings):
    return CrawlResult(spiders=tuple(spiders), source=source, returncode=0, seconds=0.1, stopped=None,
                       log_tail="", pid=1, started="2025-01-01T00:00:00+00:00")

def settle(*args, **kwargs):
    raise sqlite3.OperationalError("attempt to write a readonly database")

daemon.run_crawl, daemon._settle = crawl, settle
sys.exit(main(sys.argv[1:]))
"""


def test_a_store_that_turns_read_only_is_exit_2_without_a_traceback(tmp_path, localweb_sources):
    result = subprocess.run([sys.executable, "-c", SETTLE_FAILS, "--once", "--sources", str(localweb_sources),
                             "--db", str(tmp_path / "ro.db")], cwd=ROOT, env=crawl_env(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == (f"scheduler.py: {tmp_path / 'ro.db'}: cannot write to the store: attempt to write a readonly "
                    "database (is the file or its folder read-only?)")
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files: the other tests of this module "
                    "make the store fail another way")
def test_a_read_only_store_is_exit_2_without_a_traceback(tmp_path, localweb_sources):
    db = tmp_path / "ro.db"
    first = subprocess.run([sys.executable, "scheduler.py", "--status", "--sources", str(localweb_sources), "--db",
                            str(db)], cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        result = subprocess.run([sys.executable, "scheduler.py", "--once", "--sources", str(localweb_sources),
                                 "--db", str(db)], cwd=ROOT, env=crawl_env(), capture_output=True, text=True,
                                timeout=300)
    finally:
        tmp_path.chmod(0o755)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f"scheduler.py: {db}")


def test_every_path_in_a_message_is_the_users(tmp_path: Path):
    """The loader names the file as the user gave it, so the line can be pasted into an editor."""
    (tmp_path / "s.toml").write_text(STORY.format(terms='terms = ["x"]\nfile = "gone.txt"'), encoding="utf-8")
    result = monitor("crawl", "--sources", "s.toml", "--db", "x.db", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("monitor crawl: s.toml: [[story]] #1 's': 'file' 'gone.txt': no such file")
