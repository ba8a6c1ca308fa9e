"""Storage failures close the crawl with ``storage_error``; nothing is lost, the next run catches up."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from core.items import ArticleItem
from pipelines.batch import WriteBatch
from pipelines.drops import OffTopic, StorageUnavailable
from pipelines.store import ArticleStore, begin_run
from storage import open_db
from tests.faults.site import crawl_settings, run_crawl, simple_site


def test_disk_full_closes_the_crawl_with_storage_error_then_a_run_catches_up(faultweb, tmp_path):
    site = simple_site(faultweb, tmp_path, good=60, prefix="full", faults=3)
    path = tmp_path / "full.db"
    db = open_db(path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.close()
    # Room for the run's bookkeeping and a few articles, not for sixty.
    settings = crawl_settings(faultweb, MONITOR_DB_MAX_PAGES=pages + 12)
    result = run_crawl("feeds", sources=site.sources, db=path, settings=settings)
    log = result.stderr
    assert "Traceback" not in log, log[log.index("Traceback") - 1500:][:5000]
    assert "'finish_reason': 'storage_error'" in log, log[-3000:]
    assert log.count("the store cannot be written, closing the crawl") == 1
    assert "database or disk is full" in log
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored_first = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    assert stored_first < len(site.good)

    result = run_crawl("feeds", sources=site.sources, db=path, settings=crawl_settings(faultweb))
    assert "'finish_reason': 'finished'" in result.stderr
    conn = sqlite3.connect(path)
    urls = {r[0] for r in conn.execute("SELECT url FROM articles")}
    ledger = {r[0] for r in conn.execute("SELECT url FROM urls")}
    conn.close()
    assert set(site.good) <= urls
    assert set(site.faults["mixed"]) <= ledger


def test_a_store_that_cannot_be_opened_closes_the_crawl_with_storage_error(faultweb, tmp_path):
    site = simple_site(faultweb, tmp_path, good=2, prefix="nodb")
    not_a_db = tmp_path / "not-a-db.db"
    not_a_db.write_bytes(b"this is not an SQLite file" * 100)
    result = run_crawl("feeds", sources=site.sources, db=not_a_db, settings=crawl_settings(faultweb))
    assert "Traceback" not in result.stderr, result.stderr[-5000:]
    assert "'finish_reason': 'storage_error'" in result.stderr, result.stderr[-3000:]
    assert "cannot open the store" in result.stderr


# Another process: waits until the crawl has stored ``min_articles`` articles,
# then holds the write lock (BEGIN EXCLUSIVE) until its stdin is closed.
LOCKER = r"""
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
while conn.execute("SELECT count(*) FROM articles").fetchone()[0] < int(sys.argv[2]):
    time.sleep(0.02)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
print("released", flush=True)
"""


def test_a_database_locked_past_the_busy_timeout_closes_the_crawl_with_storage_error(faultweb, tmp_path):
    site = simple_site(faultweb, tmp_path, good=40, prefix="locked", faults=2)
    path = tmp_path / "locked.db"
    open_db(path).close()
    # Small batches, one page at a time: articles are stored while the crawl still has pages to fetch.
    settings = crawl_settings(faultweb, MONITOR_BUSY_TIMEOUT=1, MONITOR_STORE_BATCH=4, MONITOR_STORE_BATCH_SECONDS=0.2,
                              CONCURRENT_REQUESTS_PER_DOMAIN=1, DOWNLOAD_DELAY=0.05)
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), "4"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        result = run_crawl("feeds", sources=site.sources, db=path, settings=settings)
        assert locker.poll() is None, "the lock holder exited early"
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    finally:
        locker.communicate("", timeout=30)
    log = result.stderr
    assert "Traceback" not in log, log[log.index("Traceback") - 1500:][:5000]
    assert "'finish_reason': 'storage_error'" in log, log[-3000:]
    assert log.count("the store cannot be written, closing the crawl") == 1
    closing = next(line for line in log.splitlines() if "the store cannot be written, closing the crawl" in line)
    assert str(path) in closing and "database is locked" in closing and "MONITOR_BUSY_TIMEOUT" in closing, closing

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    articles = {r[0] for r in conn.execute("SELECT url FROM articles")}
    marked = {r[0] for r in conn.execute("SELECT url FROM urls WHERE status = 'stored'")}
    conn.close()
    assert 4 <= len(articles) < len(site.good)
    assert marked <= articles  # no page marked stored without its article

    result = run_crawl("feeds", sources=site.sources, db=path, settings=crawl_settings(faultweb))
    assert "'finish_reason': 'finished'" in result.stderr, result.stderr[-3000:]
    conn = sqlite3.connect(path)
    urls = [r[0] for r in conn.execute("SELECT url FROM articles")]
    ledger = {r[0]: r[1] for r in conn.execute("SELECT url, status FROM urls")}
    conn.close()
    assert sorted(urls) == sorted(site.good)  # every page stored once
    assert {ledger[u] for u in site.good} == {"stored"}
    assert set(site.faults["mixed"]) <= set(ledger)


def test_a_database_locked_when_the_crawl_starts_closes_it_at_once(faultweb, tmp_path):
    site = simple_site(faultweb, tmp_path, good=3, prefix="lockstart")
    path = tmp_path / "lockstart.db"
    open_db(path).close()
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), "0"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        result = run_crawl("feeds", sources=site.sources, db=path,
                           settings=crawl_settings(faultweb, MONITOR_BUSY_TIMEOUT=1))
    finally:
        locker.communicate("", timeout=30)
    log = result.stderr
    assert "Traceback" not in log, log[log.index("Traceback") - 1500:][:5000]
    assert "'finish_reason': 'storage_error'" in log, log[-3000:]
    assert f"{path}: database is locked" in log
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM urls").fetchone()[0] == 0  # nothing fetched, nothing settled
    conn.close()


def test_the_plain_store_records_the_first_failure_once_and_refuses_later_items(tmp_path):
    """ArticleStore, outside any crawl (as the distributed ingest drives it): a full disk fails the
    flush, the failure is handed over once, and later items are refused instead of queued."""
    path = tmp_path / "small.db"
    db = open_db(path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    failures: list[str] = []
    store = ArticleStore(db, WriteBatch(max_items=1000), run_id=begin_run(db, spider="t", source=None,
                                                                          max_pages=pages + 4),
                         path=str(path), busy_timeout=1, on_failure=failures.append)

    def article(n: int) -> ArticleItem:
        return ArticleItem(url=f"https://ex.com/2025/02/05/{n}.html", source="ex", found_via="feed", title=f"A{n}",
                           text=f"Article {n} about DeepSeek. " * 400, label="followup", language="en", score=0.9)

    for n in range(20):
        store.write(article(n))
    store.try_flush()
    assert len(failures) == 1 and str(path) in failures[0] and "full" in failures[0]
    with pytest.raises(StorageUnavailable):
        store.write(article(99))
    store.dropped(article(98), OffTopic("off topic", detail="score=0.00"))
    assert len(store.batch) == 0 and len(failures) == 1
    store.finish("storage_error")
    db.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT finish_reason FROM crawl_runs").fetchone()[0] == "storage_error"
    conn.close()
