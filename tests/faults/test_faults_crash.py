"""Nothing lost on a crash: kill -9 a crawl at random moments, run it again, and check the store."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time

from tests.faults.site import ROOT, crawl_command, crawl_env, crawl_settings, run_crawl, simple_site

KILLS = 5


def _snapshot(path):
    conn = sqlite3.connect(path)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
            return check, [], set()  # killed while the store was being created (migrations are atomic)
        urls = [r[0] for r in conn.execute("SELECT url FROM articles")]
        stored = {r[0] for r in conn.execute("SELECT url FROM urls WHERE status = 'stored'")}
    finally:
        conn.close()
    return check, urls, stored


def _stored_count(path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.OperationalError:
        return 0
    try:
        return conn.execute("SELECT count(*) FROM urls WHERE status = 'stored'").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        conn.close()


def _wait_until_stored(process, db, target: int) -> None:
    """Until the crawl has stored ``target`` pages (or has ended): the moment to kill it."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if db.exists() and _stored_count(db) >= target:
            return
        time.sleep(0.02)


def test_kill_9_at_random_moments_loses_nothing_and_stores_nothing_twice(faultweb, tmp_path):
    site = simple_site(faultweb, tmp_path, good=120, prefix="crash", faults=10)
    db = tmp_path / "crash.db"
    # Slow enough (about 15 pages a second) for every kill to land mid-crawl.
    settings = crawl_settings(faultweb, CONCURRENT_REQUESTS_PER_DOMAIN=1, DOWNLOAD_DELAY=0.05)
    seed = int(os.environ.get("FAULTS_SEED", "20261207"))  # printed in every failure message; set it to replay
    rng = random.Random(seed)
    before: set[str] = set()
    for kill in range(KILLS):
        process = subprocess.Popen(crawl_command("feeds", sources=site.sources, db=db, settings=settings), cwd=ROOT,
                                   env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Kill after a random number of new pages: between two commits, in a commit, or while fetching.
        _wait_until_stored(process, db, len(before) + rng.randint(1, 20))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        if not db.exists():
            continue
        check, urls, stored = _snapshot(db)
        assert check == "ok", f"seed {seed}, kill {kill}"
        assert len(urls) == len(set(urls)), f"seed {seed}, kill {kill}: an article stored twice"
        assert before <= set(urls), f"seed {seed}, kill {kill}: lost {before - set(urls)}"
        assert set(urls) <= stored, f"seed {seed}, kill {kill}: article without its ledger row"
        before = set(urls)
    result = run_crawl("feeds", sources=site.sources, db=db, settings=settings)
    assert "'finish_reason': 'finished'" in result.stderr, result.stderr[-3000:]
    check, urls, _ = _snapshot(db)
    assert check == "ok"
    assert len(urls) == len(set(urls))
    assert before <= set(urls)
    assert set(site.good) <= set(urls), f"seed {seed}: missing {set(site.good) - set(urls)}"
    conn = sqlite3.connect(db)
    ledger = {r[0]: r[1] for r in conn.execute("SELECT url, reason FROM urls")}
    crashed = conn.execute("SELECT count(*) FROM crawl_runs WHERE status = 'crashed'").fetchone()[0]
    conn.close()
    every_url = site.good + site.faults["mixed"]
    assert all(ledger.get(u) for u in every_url), [u for u in every_url if not ledger.get(u)]
    assert crashed >= 1  # the killed runs are marked, not left "running"
