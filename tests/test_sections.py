"""The sections spider on the local news web: every /tech/ page ends where the ground truth says.

Each outlet's /tech/ section page links to its technology articles (and to
one archive page, a list page): the spider must reach the same verdicts as
the feed crawl, never store a list page, gate old articles by their teaser
date before fetching them, and on a second run fetch no article at all.
"""

from __future__ import annotations

import pytest

from storage import open_db
from tests.conftest import scrapy_crawl
from tests.test_e2e import LEDGER, STORED


@pytest.fixture(scope="module")
def sections(localweb, localweb_sources, tmp_path_factory):
    db_path = tmp_path_factory.mktemp("sections") / "sections.db"
    first = scrapy_crawl("sections", sources=localweb_sources, db=db_path)
    assert first.returncode == 0, first.stderr[-3000:]
    second = scrapy_crawl("sections", sources=localweb_sources, db=db_path)
    assert second.returncode == 0, second.stderr[-3000:]
    db = open_db(db_path)
    yield db, first.stderr, second.stderr
    db.close()


def test_tech_pages_end_where_the_ground_truth_says(sections, localweb):
    from localweb.site import PAGES, is_tech

    db, log, _ = sections
    assert "Traceback" not in log
    articles = {r["url"]: r for r in db.query("select * from articles")}
    ledger = {r["url"]: r for r in db.query("select * from urls")}
    wrong, checked = [], 0
    for page in PAGES:
        if not is_tech(page):
            continue
        checked += 1
        url = localweb.url(page)
        row, entry = articles.get(url), ledger.get(url)
        if page.expect in STORED:
            label = row and ("duplicate" if row["duplicate_of"] else row["label"])
            ok = label == page.expect or (label == "duplicate" and page.expect == "followup" and page.dup_group) \
                or (label == "followup" and page.expect == "duplicate")
            if not ok:
                wrong.append((page.expect, url, label, entry and entry["reason"]))
            elif row["found_via"] != "section" or row["published_from"] not in ("html", "url"):
                wrong.append(("found_via/published_from", url, row["found_via"], row["published_from"]))
        else:
            got = entry and (entry["status"], entry["reason"])
            if row is not None or got != LEDGER[page.expect]:
                wrong.append((page.expect, url, got))
    assert checked > 40 and not wrong, "\n".join(map(str, wrong))


def test_list_pages_are_never_stored(sections, localweb):
    db, _, _ = sections
    assert not list(db.query("select url from articles where url like '%/tech/%' or url like '%archives%'"))
    [archive] = list(db.query("select * from urls where url like '%/tech/archives.html'"))
    assert (archive["status"], archive["reason"]) == ("skipped", "not_article")
    assert "og:type=website" in archive["detail"]
    sections = list(db.query("select * from listings where kind = 'section'"))
    assert len(sections) == len(localweb.outlets) and all(r["entries"] > 0 for r in sections)
    assert not list(db.query("select url from urls where url like '%/tech/'"))


def test_old_articles_are_gated_by_their_teaser_date(sections):
    db, log, _ = sections
    old = list(db.query("select * from urls where reason = 'too_old'"))
    assert old and all("before 2025-01-20" in r["detail"] for r in old)
    fetched = [line for line in log.splitlines() if "Crawled (200)" in line and "/2024/" in line]
    assert fetched == []


def test_second_run_fetches_no_article(sections):
    db, _, second = sections
    fetched = [line for line in second.splitlines() if "Crawled (" in line and ".html" in line]
    assert fetched == [], fetched
    run = list(db.query("select * from crawl_runs order by id desc limit 1"))[0]
    assert run["already_known"] > 0 and run["followups"] == 0
