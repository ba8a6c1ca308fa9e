"""Politeness under failure: a failing host is paused, not hammered; Retry-After is honoured."""

from __future__ import annotations

import sqlite3

from tests.faults.server import rss
from tests.faults.site import Site, crawl_settings, run_crawl, write_config


def test_breaker_parks_a_failing_host_while_the_others_are_crawled(faultweb, tmp_path):
    site = Site(sources=tmp_path / "sources.toml")
    site.good = [faultweb.good_url(f"polite{i}") for i in range(20)]
    failing = [faultweb.fault_url("plain-500", f"p{i}") for i in range(30)]
    patient = [faultweb.fault_url("retry-after-once", f"p{i}") for i in range(2)]
    mixed = [u for pair in zip(failing, site.good, strict=False) for u in pair] + failing[len(site.good):] + patient
    feed = faultweb.publish("/feeds/polite.xml", rss(mixed))
    write_config(tmp_path, [{"name": "polite", "language": "en", "feeds": [feed], "sitemaps": [], "every": "1h"}])
    storm = faultweb.servers["storm"].hits
    before = sum(n for path, n in storm.items() if path.startswith("/f/plain-500/"))
    db = tmp_path / "polite.db"
    result = run_crawl("feeds", sources=site.sources, db=db, settings=crawl_settings(
        faultweb, MONITOR_BREAKER_FAILURES=5, RETRY_TIMES=2, CONCURRENT_REQUESTS_PER_DOMAIN=2,
        # With no delay at all, Scrapy 2.19 (asyncio reactor) starts a whole burst of queued requests to
        # one host at once, past CONCURRENT_REQUESTS_PER_DOMAIN; any delay (the default is 0.5 s) paces them.
        DOWNLOAD_DELAY=0.01))
    assert "'finish_reason': 'finished'" in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    hits = sum(n for path, n in storm.items() if path.startswith("/f/plain-500/")) - before
    # Without the breaker: 30 URLs x (1 + 2 retries) = 90 requests. With it: the 5 failures that
    # open it, plus what was already in flight.
    assert 5 <= hits <= 10, (hits, result.stderr[-4000:])
    assert "'monitor/breaker_opened': 1" in result.stderr
    conn = sqlite3.connect(db)
    reasons = dict(conn.execute("SELECT reason, count(*) FROM urls WHERE url LIKE '%/f/plain-500/%' GROUP BY reason"))
    stored = {r[0] for r in conn.execute("SELECT url FROM articles")}
    conn.close()
    assert set(reasons) <= {"http_500", "host_paused"} and reasons["host_paused"] >= 20
    assert sum(reasons.values()) == 30
    assert set(site.good) <= stored
    # 429 with Retry-After: 1 the first time: the request waited, was retried, and the page is stored.
    assert set(patient) <= stored
    assert all(faultweb.servers["main"].hits[urlpath] == 2 for urlpath in
               ["/" + u.split("/", 3)[3] for u in patient])


def test_robots_txt_503_disallows_the_site_garbage_allows_and_huge_is_bounded(faultweb, tmp_path):
    pages = {role: [faultweb.good_url(f"robots-{role}-{i}", role) for i in range(2)]
             for role in ("robots503", "robotsjunk", "robotshuge")}
    feed = faultweb.publish("/feeds/robots.xml", rss([u for urls in pages.values() for u in urls]))
    write_config(tmp_path, [{"name": "robots", "language": "en", "feeds": [feed], "sitemaps": [], "every": "1h"}])
    db = tmp_path / "robots.db"
    result = run_crawl("feeds", sources=tmp_path / "sources.toml", db=db, settings=crawl_settings(faultweb))
    assert "'finish_reason': 'finished'" in result.stderr and "Traceback" not in result.stderr
    assert "'robotstxt/response_status_count/503'" in result.stderr
    conn = sqlite3.connect(db)
    reasons = {u: conn.execute("SELECT reason FROM urls WHERE url = ?", [u]).fetchone()[0]
               for urls in pages.values() for u in urls}
    conn.close()
    assert {reasons[u] for u in pages["robots503"]} == {"robots_txt"}
    assert {reasons[u] for u in pages["robotsjunk"]} == {"followup"}
    # 5 MiB robots.txt is over DOWNLOAD_MAXSIZE (1 MiB here): not read, so the site is allowed.
    assert {reasons[u] for u in pages["robotshuge"]} == {"followup"}
