"""Discovery end to end: bad inputs end bounded and explained, feeds found from a home page, health.

The hostile web of tests/trapweb.py is served from this process, so each
test can count the requests a path received.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from storage import open_db
from tests.conftest import scrapy_crawl
from tests.trapweb import STORY_TEXT, TrapWeb

LIMITS = ("-s", "MONITOR_SECTIONS_MAX_LINKS=25", "-s", "MONITOR_SECTIONS_DEPTH=4")


@pytest.fixture(scope="module")
def trap_crawl(tmp_path_factory):
    web = TrapWeb()
    folder = tmp_path_factory.mktemp("traps")
    (folder / "story.txt").write_text(STORY_TEXT, encoding="utf-8")
    sources = folder / "sources.toml"
    sources.write_text(web.sources_toml(str(folder / "story.txt")), encoding="utf-8")
    db_path = folder / "traps.db"
    logs, hits = [], {}
    try:
        for run, spider in enumerate(("feeds", "feeds", "feeds", "sitemaps", "sections")):
            result = scrapy_crawl(spider, sources=sources, db=db_path, args=LIMITS)
            assert result.returncode == 0, result.stderr[-3000:]
            logs.append(result.stderr)
            hits[f"{spider}{run}"] = {name: Counter(server.hits) for name, server in
                                      (("traps", web.traps), ("home", web.home_only), ("usual", web.usual))}
        db = open_db(db_path)
        yield db, logs, hits
        db.close()
    finally:
        web.stop()


def ledger(db, url_part):
    return [r for r in db.query("select * from urls where url like ?", [f"%{url_part}%"])]


def test_no_traceback(trap_crawl):
    _, logs, _ = trap_crawl
    for log in logs:
        assert "Traceback" not in log, log[-3000:]
        assert " ERROR: " not in log, [line for line in log.splitlines() if " ERROR: " in line]


def test_html_feed_and_empty_feed_cost_one_request_each_and_are_explained(trap_crawl):
    db, _, hits = trap_crawl
    first = hits["feeds0"]["traps"]
    assert first["/feed-html.xml"] == 1 and first["/feed-empty.xml"] == 1
    [row] = ledger(db, "/feed-html.xml")
    assert (row["status"], row["reason"]) == ("error", "not_a_feed")
    listing = db["listings"].get(row["url"])
    assert listing["consecutive_failures"] == 3 and "not_a_feed" in listing["last_error"]
    empty = next(r for r in db.query("select * from listings where url like '%feed-empty.xml'"))
    assert empty["entries"] == 0 and empty["last_error"].startswith("empty")


def test_broken_source_is_flagged_unhealthy_after_three_runs(trap_crawl):
    db, _, _ = trap_crawl
    health = {r["name"]: r for r in db.query("select * from sources")}
    traps = health["traps"]
    assert traps["unhealthy"] == 1 and traps["consecutive_failures"] >= 3
    assert "runs in a row" in traps["unhealthy_reason"] and "feed" in traps["unhealthy_reason"]
    assert traps["last_error"] and traps["last_error_at"]
    for name in ("homeonly", "usualpath"):
        assert health[name]["unhealthy"] == 0 and health[name]["last_success"], health[name]


def test_self_referencing_index_and_non_xml_sitemap(trap_crawl):
    db, _, hits = trap_crawl
    assert hits["sitemaps3"]["traps"]["/sitemap-self.xml"] == 1
    assert hits["sitemaps3"]["traps"]["/sitemap-html.xml"] == 1
    [loop] = ledger(db, "/sitemap-self.xml")
    assert (loop["status"], loop["reason"]) == ("error", "sitemap_loop")
    [bad] = ledger(db, "/sitemap-html.xml")
    assert bad["reason"] == "not_a_sitemap"


def test_section_with_ten_thousand_links_is_bounded(trap_crawl):
    db, _, hits = trap_crawl
    traps = hits["sections4"]["traps"]
    assert traps["/huge/"] == 1
    stories = sum(n for path, n in traps.items() if "story-number" in path)
    assert stories == 25
    assert len(ledger(db, "story-number")) == 25  # each with its reason (http_404 here)
    huge = next(r for r in db.query("select * from listings where url like '%/huge/'"))
    assert huge["entries"] == 10_000 and "first 25 followed" in huge["note"]


def test_calendar_trap_stops_at_the_depth_limit(trap_crawl):
    db, _, hits = trap_crawl
    assert hits["sections4"]["traps"]["/calendar/"] == 1 + 4  # the configured page, then depth 1..4
    pages = ledger(db, "/calendar/")
    assert len(pages) == 4 and {r["reason"] for r in pages} == {"not_article"}
    assert sum("depth 4 reached" in r["detail"] for r in pages) == 1
    assert not list(db.query("select url from articles where url like '%calendar%'"))


def test_feeds_found_from_the_home_page_and_reused(trap_crawl):
    db, _, hits = trap_crawl
    source = db["sources"].get("homeonly")
    [feed] = json.loads(source["discovered_feeds"])
    assert feed.endswith("/news/rss")  # the comments feed is left out
    assert json.loads(source["discovered_sitemaps"])[0].endswith("/map.xml")
    after_feeds = hits["feeds2"]["home"]
    assert after_feeds["/"] == 1 and after_feeds["/news/rss"] == 3  # home read once, the feed every run


def test_feed_found_at_a_usual_path(trap_crawl):
    db, _, hits = trap_crawl
    assert json.loads(db["sources"].get("usualpath")["discovered_feeds"])[0].endswith("/rss.xml")
    first = hits["feeds0"]["usual"]
    assert first["/feed"] == first["/rss"] == first["/feed.xml"] == first["/rss.xml"] == 1
    [old] = ledger(db, "old-news")
    assert old["reason"] == "too_old"
    # No robots.txt, so no sitemap: a note, not a failure.
    assert json.loads(db["sources"].get("usualpath")["discovered_sitemaps"]) == []
    robots = next(db.query("select * from listings where source = 'usualpath' and kind = 'robots'"))
    assert robots["note"].startswith("no_sitemap_found") and robots["consecutive_failures"] == 0


def test_undated_article_is_kept_and_flagged(trap_crawl):
    db, _, _ = trap_crawl
    [row] = db.query("select url, published, published_from, undated, first_seen, label from articles "
                     "where url like '%deepseek-keeps-regulators-busy'")
    assert row["published"] is None and row["published_from"] == "none" and row["undated"] == 1
    assert row["first_seen"] and row["label"] == "followup"
