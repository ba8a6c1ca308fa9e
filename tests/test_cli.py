"""The installed ``monitor`` command, run as a user runs it: init, crawl, status, report, export, browse."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED, crawl_env, need

MONITOR = Path(sys.executable).with_name("monitor")


def monitor(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
            timeout: int = 300) -> subprocess.CompletedProcess[str]:
    if not MONITOR.exists():
        pytest.fail(f"{MONITOR} is not installed: run `make install` (pyproject.toml [project.scripts])")
    return subprocess.run([str(MONITOR), *args], cwd=cwd, env=env or crawl_env(), capture_output=True, text=True,
                          timeout=timeout)


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends: nothing listens there


@pytest.fixture(scope="module")
def crawled(localweb, localweb_sources, tmp_path_factory):
    """``monitor init`` on the local web's source article, then ``monitor crawl`` into a store of that name."""
    from localweb.site import story_page

    folder = tmp_path_factory.mktemp("cli")
    init = monitor("init", localweb.url(story_page()), "--sources", str(localweb_sources), "--out",
                   "mystory.toml", "--name", "mystory", cwd=folder)
    assert init.returncode == 0, init.stderr
    crawl = monitor("crawl", "--sources", "mystory.toml", "--db", "mystory.db", cwd=folder)
    return {"folder": folder, "init": init, "crawl": crawl}


def test_help_lists_every_subcommand():
    result = monitor("--help")
    assert result.returncode == 0
    for name in ("init", "crawl", "run", "status", "browse", "report", "export", "digest"):
        assert re.search(rf"^  {name}\b", result.stdout, re.M), name


def test_init_drafts_the_seed_story_with_terms(tmp_path):
    result = monitor("init", str(need(SEED)), "--out", "story.toml", "--sources", str(ROOT / "sources.toml"),
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    from core.sources import load_config

    config = load_config(tmp_path / "story.toml")  # the draft is a config the crawl accepts
    story = config.stories[0]
    assert story.language == "fr" and "DeepSeek" in story.terms
    assert story.file is not None and story.file.resolve() == SEED.resolve()
    assert len(config.sources) >= 30  # the outlets of --sources, copied
    assert "terms      DeepSeek" in result.stdout and "Check before crawling:" in result.stdout
    assert "published: set the day" in result.stdout  # a text file says no date: the user is told


def test_init_on_a_file_that_is_not_there_is_one_line(tmp_path):
    result = monitor("init", "nope.html", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "nope.html: cannot read it" in result.stderr


def test_init_then_crawl_shows_each_storys_finds(crawled):
    assert "published  2025-02-03 (from the page's metadata)" in crawled["init"].stdout
    result = crawled["crawl"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Story mystory:" in result.stdout and "followup" in result.stdout
    header = next(line for line in result.stdout.splitlines() if line.strip().startswith("outlet"))
    assert header.split() == ["outlet", "published", "lang", "label", "title"]


def test_status_after_crawl_shows_each_source(crawled, localweb_sources):
    result = monitor("status", "--sources", "mystory.toml", "--db", "mystory.db", cwd=crawled["folder"])
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("source:")}
    assert len(rows) == 8
    assert all(" finished " in row for row in rows.values()), rows
    assert any(int(row.split()[-7]) > 0 for row in rows.values())  # follow-ups counted per source


def test_report_one_row_per_outlet_in_every_format(crawled):
    folder = crawled["folder"]
    text = monitor("report", "--db", "mystory.db", cwd=folder)
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[0].split()[:3] == ["outlet", "first", "follow-up"]
    assert "copies of the source" in text.stdout.splitlines()[-1]
    rows = list(csv.DictReader(io.StringIO(monitor("report", "--db", "mystory.db", "--format", "csv",
                                                   cwd=folder).stdout)))
    outlets = [row["outlet"] for row in rows]
    assert len(outlets) == len(set(outlets)) >= 6
    assert sum(int(row["source_copies"]) for row in rows) == 3
    assert all(row["links"].startswith("http://127.0.0.") for row in rows if int(row["followups"]))
    first = [row["first_followup"] for row in rows if row["first_followup"]]
    assert first == sorted(first)
    later = list(csv.DictReader(io.StringIO(monitor("report", "--db", "mystory.db", "--format", "csv", "--since",
                                                    "2025-02-15", cwd=folder).stdout)))
    assert 0 < sum(int(r["followups"]) for r in later) < sum(int(r["followups"]) for r in rows)
    assert monitor("report", "--db", "mystory.db", "--format", "md", cwd=folder).stdout.startswith("| outlet |")
    assert "<table>" in monitor("report", "--db", "mystory.db", "--format", "html", cwd=folder).stdout


def test_export_writes_the_storys_followups(crawled):
    result = monitor("export", "--db", "mystory.db", cwd=crawled["folder"])
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and {line["story"] for line in lines} == {"mystory"}
    assert "follow-up(s) of mystory" in result.stderr


def test_browse_serves_the_store(crawled):
    process = subprocess.Popen([str(MONITOR), "browse", "--db", "mystory.db", "--port", "0"],
                               cwd=crawled["folder"], env=crawl_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            match = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
            if match:
                break
        else:
            pytest.fail("datasette did not start")
        with urllib.request.urlopen(f"{match.group(1)}/mystory/articles.json?_shape=array&_size=1",
                                    timeout=30) as response:
            assert response.status == 200 and json.loads(response.read())
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
    # Stopping `monitor browse` stops the server: nothing is left listening (a child would have outlived it).
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{match.group(1)}/", timeout=5)


def test_commands_on_a_store_that_is_not_there_say_so(tmp_path):
    for command in (["status", "--sources", str(ROOT / "sources.toml")], ["report"], ["export"], ["browse"]):
        result = monitor(*command, "--db", "nothing.db", cwd=tmp_path)
        assert result.returncode == 2, command
        assert result.stderr.strip().endswith("creates it (or give --db / $MONITOR_DB)"), result.stderr
        assert not (tmp_path / "nothing.db").exists()


def test_digest_is_wired_or_says_what_is_missing(tmp_path):
    result = monitor("digest", "--since", "2025-02-01", "--db", "nothing.db", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    try:
        import jobs.digest  # noqa: F401
    except ModuleNotFoundError:
        assert "jobs/digest.py" in result.stderr
    else:
        assert "no such store" in result.stderr


def test_crawl_against_a_closed_port_exits_3_and_says_connection_refused(tmp_path):
    port = closed_port()
    (tmp_path / "closed.toml").write_text(
        '[[story]]\nname = "s"\nurl = "https://example.com/s"\ntitle = "DeepSeek"\nlanguage = "en"\n'
        'since = 2025-01-20\nterms = ["DeepSeek"]\n\n'
        f'[[source]]\nname = "closed"\nlanguage = "en"\nfeeds = ["http://127.0.0.1:{port}/feed.xml"]\n',
        encoding="utf-8")
    result = monitor("crawl", "--sources", "closed.toml", "--db", "closed.db", cwd=tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr[-2000:]
    assert "Every source failed" in result.stdout and "connection_refused" in result.stdout
    assert "Traceback" not in result.stderr
    from storage import open_db

    db = open_db(tmp_path / "closed.db")
    reasons = {r["reason"] for r in db.query("SELECT reason FROM urls WHERE status = 'error'")}
    assert reasons == {"connection_refused"}  # not host_paused: the host keeps the cause that paused it
    source = next(iter(db.query("SELECT discovered_at, last_error FROM sources WHERE name = 'closed'")))
    assert source["discovered_at"] is None  # robots.txt refused: sitemaps looked for again next run
    assert "connection_refused" in source["last_error"]
    db.close()
    status = monitor("status", "--sources", "closed.toml", "--db", "closed.db", cwd=tmp_path)
    assert "connection_refused" in next(line for line in status.stdout.splitlines() if line.startswith("source:"))


def test_crawl_of_loopback_feeds_without_the_setting_names_it(localweb_sources, tmp_path):
    env = crawl_env()
    env.pop("MONITOR_ALLOWED_HOSTS")
    result = monitor("crawl", "--sources", str(localweb_sources), "--db", "blocked.db", "--source", "lecourrier",
                     cwd=tmp_path, env=env)
    assert result.returncode == 3, result.stdout
    assert "blocked_address" in result.stdout and "MONITOR_ALLOWED_HOSTS" in result.stdout
    from storage import open_db

    db = open_db(tmp_path / "blocked.db")
    details = [r["detail"] for r in db.query("SELECT detail FROM urls WHERE reason = 'blocked_address'")]
    assert details and all("MONITOR_ALLOWED_HOSTS" in d for d in details)
    db.close()
