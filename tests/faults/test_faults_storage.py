"""Storage failures close the crawl with ``storage_error``; nothing is lost, the next run catches up."""

from __future__ import annotations

import sqlite3

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
