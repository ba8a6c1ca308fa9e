"""End to end: `scrapy crawl` against the local news web, then the rows in SQLite.

Every page of the local web carries its expected outcome (localweb.site.Page.expect);
after both spiders ran, each must be found where the ground truth says.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from storage import open_db
from tests.conftest import scrapy_crawl

STORED = {"followup", "mention", "source_copy", "duplicate"}
LEDGER = {  # expect → (status, reason) in urls
    "off_topic": ("skipped", "off_topic"),
    "too_old": ("skipped", "too_old"),
    "story_source": ("skipped", "story_source"),
    "not_article": ("skipped", "not_article"),
    "empty_body": ("skipped", "empty_body"),
    "no_text": ("skipped", "no_text"),
    "http_404": ("error", "http_404"),
}


@pytest.fixture(scope="module")
def crawled(localweb, localweb_sources, tmp_path_factory):
    db_path = tmp_path_factory.mktemp("e2e") / "coverage.db"
    logs = []
    for spider in ("feeds", "sitemaps"):
        result = scrapy_crawl(spider, sources=localweb_sources, db=db_path)
        logs.append(result.stderr)
        assert result.returncode == 0, result.stderr[-3000:]
    db = open_db(db_path)
    yield db, logs, db_path
    db.close()


def test_no_traceback_and_no_deprecation(crawled):
    _, logs, _ = crawled
    for log in logs:
        assert "Traceback" not in log, log[-3000:]
        assert "Deprecat" not in log, [line for line in log.splitlines() if "Deprecat" in line]
        assert "ERROR" not in log, [line for line in log.splitlines() if "ERROR" in line]


def test_every_page_ends_where_the_ground_truth_says(crawled, localweb):
    from localweb.site import PAGES

    db, _, _ = crawled
    articles = {r["url"]: r for r in db.query("select * from articles")}
    ledger = {r["url"]: r for r in db.query("select * from urls")}
    wrong = []
    for page in PAGES:
        url = localweb.url(page)
        row, entry = articles.get(url), ledger.get(url)
        if page.expect in STORED:
            if row is None:
                wrong.append((page.expect, url, entry and (entry["status"], entry["reason"], entry["detail"])))
                continue
            label = "duplicate" if row["duplicate_of"] else row["label"]
            if label != page.expect and not (page.expect == "followup" and page.dup_group and label == "duplicate"):
                wrong.append((page.expect, url, label, row["score"], row["signals"]))
            elif row["language"] != page.language:
                wrong.append(("language", url, row["language"], page.language))
        else:
            got = entry and (entry["status"], entry["reason"])
            if row is not None or got != LEDGER[page.expect]:
                wrong.append((page.expect, url, got, entry and entry["detail"]))
    assert not wrong, "\n".join(map(str, wrong))


def test_followups_cover_the_languages(crawled):
    from localweb.site import PAGES

    db, _, _ = crawled
    expected = {p.language for p in PAGES if p.expect == "followup"}
    found = {r["language"] for r in db.query(
        "select distinct language from articles where label = 'followup' and duplicate_of is null")}
    assert found == expected


def test_syndicated_copies_are_grouped(crawled, localweb):
    from localweb.site import PAGES

    db, _, _ = crawled
    by_url = {r["url"]: r for r in db.query("select id, url, duplicate_of from articles")}
    groups = defaultdict(list)
    for page in PAGES:
        if page.dup_group:
            groups[page.dup_group].append(by_url[localweb.url(page)])
    assert groups
    for name, rows in groups.items():
        roots = [r for r in rows if r["duplicate_of"] is None]
        assert len(roots) == 1, (name, rows)
        assert all(r["duplicate_of"] == roots[0]["id"] for r in rows if r is not roots[0]), (name, rows)


def test_every_url_has_a_reason_and_runs_are_recorded(crawled):
    db, _, _ = crawled
    assert not list(db.query("select url from urls where reason is null or reason = ''"))
    runs = list(db.query("select * from crawl_runs order by id"))
    assert [(r["spider"], r["status"], r["finish_reason"]) for r in runs] == [
        ("feeds", "finished", "finished"), ("sitemaps", "finished", "finished")]
    counts = json.loads(runs[0]["counts"])
    assert counts.get("stored/followup", 0) == runs[0]["followups"] > 0
    story = db["stories"].get("deepseek-demo")
    assert story["text_from"] == "fetched" and "DeepSeek" in story["text"]
    hits = list(db.query("select a.id from articles_fts f join articles a on a.id = f.rowid "
                         "where articles_fts match 'DeepSeek'"))
    assert len(hits) >= 20


def test_second_run_fetches_nothing_new(crawled, localweb, localweb_sources):
    db, _, db_path = crawled
    before = db["articles"].count
    result = scrapy_crawl("feeds", sources=localweb_sources, db=db_path)
    assert result.returncode == 0, result.stderr[-2000:]
    run = list(db.query("select * from crawl_runs order by id desc limit 1"))[0]
    # The feeds did not change: each answers 304 to the conditional GET, nothing else is fetched.
    assert json.loads(run["counts"])["not_modified"] == len(localweb.outlets)
    assert run["followups"] == 0
    assert db["articles"].count == before
    fetched = [line for line in result.stderr.splitlines() if "Crawled (200)" in line and ".html" in line]
    assert fetched == [], fetched


def test_one_source_only(localweb_sources, tmp_path):
    from localweb.site import OUTLETS

    db_path = tmp_path / "one.db"
    name = OUTLETS[1].key
    result = scrapy_crawl("feeds", sources=localweb_sources, db=db_path, args=("-a", f"source={name}"))
    assert result.returncode == 0, result.stderr[-2000:]
    db = open_db(db_path)
    sources = {r["source"] for r in db.query("select distinct source from urls")}
    assert sources == {name}
    assert list(db.query("select source from crawl_runs"))[0]["source"] == name
    db.close()


def test_bad_config_is_one_clear_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[story]]\nname = "x"\n', encoding="utf-8")
    result = scrapy_crawl("feeds", sources=bad, db=tmp_path / "x.db")
    assert f"{bad}: [[story]] #1 'x': 'url' is missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert "config_error" in result.stderr
