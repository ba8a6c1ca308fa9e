"""scheduler.py as users run it: --once against the local news web, --status, errors."""

from __future__ import annotations

import fcntl
import subprocess
import sys

from storage import open_db
from tests.conftest import ROOT, crawl_env


def scheduler(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "scheduler.py", *args], cwd=ROOT, env=crawl_env(),
                          capture_output=True, text=True, timeout=timeout)


def test_once_runs_every_spider_and_prints_a_summary(localweb_sources, tmp_path):
    db_path = tmp_path / "once.db"
    result = scheduler("--once", "--sources", str(localweb_sources), "--db", str(db_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "follow-ups:" in result.stdout and "copies of the source:" in result.stdout
    assert "skipped:" in result.stdout and "too_old" in result.stdout
    assert "feeds *: finished" in result.stderr and "sitemaps *: finished" in result.stderr
    db = open_db(db_path)
    assert [r["spider"] for r in db.query("select spider from crawl_runs order by id")] == ["feeds", "sitemaps", "sections"]
    db.close()

    status = scheduler("--status", "--sources", str(localweb_sources), "--db", str(db_path))
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0].split()[:3] == ["job", "every", "next"]
    assert any(line.startswith("feeds:") and "finished" in line for line in lines[1:])


def test_bad_config_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[story]]\nname = "x"\nurl = "https://ex.com/"\ntitle = "t"\nlanguage = "fr"\n'
                   'since = 2025-01-01\n[[source]]\nname = "p"\nlanguage = "fr"\nfeeds = ["https://ex.com/f"]\n'
                   'every = "often"\n', encoding="utf-8")
    result = scheduler("--once", "--sources", str(bad), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"scheduler.py: {bad}: [[source]] #1 'p': 'every': 'often' is not a "
                                     "duration like '15m', '2h' or '1d'")


def test_a_second_scheduler_on_the_same_database_is_refused(localweb_sources, tmp_path):
    db_path = tmp_path / "locked.db"
    with open(tmp_path / "locked.db.scheduler.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = scheduler("--once", "--sources", str(localweb_sources), "--db", str(db_path))
    assert result.returncode != 0
    assert "another scheduler is already running" in result.stderr
    assert "Traceback" not in result.stderr
