"""Browsing the demo store under another name (mystory.db): its canned queries, feed, chart and article
pages in process; `make browse` as a real server on a live store; and one smoke test in a real headless
Chromium (Debian's chromium + chromedriver, via Selenium) that saves the screenshots of docs/."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from datasette.app import Datasette

from storage import coverage, open_db, writes
from tests.conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PARAMS = {"since": "2025-02-01", "term": "Liang Wenfeng", "story": ""}


def browse_command(db: Path, port: int) -> list[str]:
    """The command `make browse` runs (read from the Makefile, so the test serves what users serve)."""
    out = subprocess.run(["make", "-s", "-n", "--no-print-directory", "browse", f"DB={db}", f"PORT={port}"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if "datasette serve" in line)
    argv = shlex.split(line)
    assert "-i" not in argv and "--immutable" not in argv  # never immutable on a live store
    return [sys.executable, "-m", "datasette", *argv[1:]]


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8", "replace")


def serve(db: Path, tmp_path: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(tmp_path / f"datasette-{db.stem}.log", "w")  # noqa: SIM115 (closed by the fixture)
    process = subprocess.Popen(browse_command(db, port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2).close()
            return process, base, log
        except OSError:
            time.sleep(0.1)
    process.kill()
    log.close()
    raise AssertionError((tmp_path / f"datasette-{db.stem}.log").read_text())


@pytest.fixture(scope="module")
def desk(desk_store, tmp_path_factory):
    """`make browse DB=…/mystory.db`, a real server, for the live-store test and the browser."""
    process, base, log = serve(desk_store["path"], tmp_path_factory.mktemp("browse"))
    yield base + "/mystory", desk_store["path"]
    process.terminate()
    process.wait(timeout=30)
    log.close()


def query_json(url: str) -> list[dict]:
    status, _, body = get(url)
    assert status == 200, body[:2000]
    return json.loads(body)


def fetch(path: Path, *urls: str) -> list:
    """GET ``urls`` in process from a Datasette serving ``path`` with the plugin (as `make browse` does)."""
    ds = Datasette([str(path)], metadata=json.loads((ROOT / "desk" / "metadata.json").read_text(encoding="utf-8")))

    async def run() -> list:
        return [await ds.client.get(url) for url in urls]

    return asyncio.run(run())


def canned_urls(database: str, fmt: str = "json") -> dict[str, str]:
    out = {}
    for name, query in coverage.CANNED_QUERIES.items():
        params = "&".join(f"{p}={urllib.request.quote(PARAMS[p])}" for p in dict.fromkeys(re.findall(r":(\w+)", query["sql"])))
        out[name] = f"/{database}/{name}.{fmt}?_shape=array&{params}"
    return out


def test_every_canned_query_runs_on_the_demo_store_named_mystory(desk_store):
    urls = canned_urls("mystory")
    responses = fetch(desk_store["path"], *urls.values())
    assert all(r.status_code == 200 for r in responses), [(n, r.text[:300]) for n, r in zip(urls, responses, strict=False)]
    results = {name: r.json() for name, r in zip(urls, responses, strict=False)}
    assert len(results["followups"]) == 29 and len(results["found_since"]) == 29
    assert sum(r["followups"] for r in results["coverage_by_outlet"]) == 29 and len(results["coverage_by_outlet"]) == 8
    assert all(r["published"] >= "2025-02-01" for r in results["new_since"]) and results["new_since"]
    assert len(results["new_since"]) < 29  # by publication date, not by when the crawler found them
    assert sum(r["followups"] for r in results["coverage_per_day"]) == 29
    assert {r["language"] for r in results["coverage_per_day"]} == {"en", "zh", "fr", "de", "es", "ja", "vi"}
    assert len(results["source_copies"]) == 3
    groups = results["duplicate_groups"]
    assert len({r["group_id"] for r in groups}) == 2 and [r["role"] for r in groups].count("copy") == 4
    assert all(r["role"] == "original" for r in groups if r["id"] == r["group_id"])
    assert results["followups_matching"] and all("[" in r["passage"] for r in results["followups_matching"])
    assert len(results["followups_feed"]) == 29
    assert [(r["spider"], r["errors"]) for r in results["runs_with_errors"]] == [("feeds", 1)]  # the 404 page
    assert results["unhealthy_sources"] == []
    assert len(results["failed_alerts"]) == 1  # the dead webhook of the fixture (one alert per job)
    assert results["failed_digests"] == []


def test_every_canned_query_and_the_chart_answer_on_a_freshly_migrated_store(tmp_path):
    path = tmp_path / "fresh.db"
    open_db(path).close()
    urls = canned_urls("fresh")
    *answers, chart, feed = fetch(path, *urls.values(), "/fresh/-/coverage", "/fresh/followups_feed.atom")
    for name, response in zip(urls, answers, strict=False):
        assert response.status_code == 200 and response.json() == [], name
    assert chart.status_code == 200 and "No follow-up yet" in chart.text
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    assert ET.fromstring(feed.text).findall(f"{ATOM}entry") == []


def test_the_atom_feed_has_title_link_date_and_summary_per_entry(desk_store):
    response, = fetch(desk_store["path"], "/mystory/followups_feed.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.text)
    assert feed.findtext(f"{ATOM}title") == "New follow-ups (mystory)"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 29
    for entry in entries:
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}id")
        assert entry.find(f"{ATOM}link").get("href").startswith("http://127.0.0.")
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$", entry.findtext(f"{ATOM}updated"))
        assert entry.findtext(f"{ATOM}summary").startswith("[")


def test_csv_and_json_exports_and_facets_count_followups_once(desk_store):
    csv_page, data = fetch(desk_store["path"], "/mystory/articles.csv?kind=followup&_size=max",
                           "/mystory/articles.json?_facet_date=published&_search=DeepSeek")
    rows = list(csv.DictReader(io.StringIO(csv_page.text)))
    assert len(rows) == 29 and {"title", "url", "language"} <= set(rows[0])  # wire copies apart
    facets = data.json()["facet_results"]
    assert {"kind", "language", "source", "published"} <= set(facets)
    kinds = {f["value"]: f["count"] for f in fetch(desk_store["path"], "/mystory/articles.json?_size=0")[0]
             .json()["facet_results"]["kind"]["results"]}
    assert kinds == {"followup": 29, "duplicate": 4, "source_copy": 3, "mention": 2}
    days = {f["value"] for f in facets["published"]["results"]}
    assert days and all(re.match(r"\d{4}-\d\d-\d\d$", d) for d in days)


def test_the_article_page_reads_like_an_article(desk_store):
    db = open_db(desk_store["path"], readonly=True)
    dup = next(iter(db.query("select * from articles where duplicate_of is not null order by id limit 1")))
    db.close()
    page, original, home = fetch(desk_store["path"], f"/mystory/articles/{dup['id']}",
                                 f"/mystory/articles/{dup['duplicate_of']}", "/mystory")
    assert page.status_code == 200
    assert 'class="side article-reader followup"' in page.text
    assert f'/mystory/sources/{dup["source"]}"' in page.text
    assert f'href="/mystory/articles/{dup["duplicate_of"]}"' in page.text
    assert re.search(rf'href="/mystory/articles\?duplicate_of={dup["duplicate_of"]}">\d wire cop', original.text)
    assert 'type="application/atom+xml"' in home.text and "Who covered it" in home.text


def test_unhealthy_sources_finds_broken_feeds_and_marked_sources(tmp_path):
    sql = coverage.CANNED_QUERIES["unhealthy_sources"]["sql"]
    db = open_db(tmp_path / "coverage.db")
    writes.upsert_sources(db, [{"name": n, "language": "en"} for n in ("fine", "broken", "marked")])
    writes.record_url(db, url="https://broken.example/feed", status="error", reason="http_404", source="broken",
                      run_id=None, found_via="config")
    writes.record_url(db, url="https://fine.example/feed", status="stored", reason="followup", source="fine",
                      run_id=None, found_via="config")
    with db.atomic():  # the discovery checks (issue 3) write these columns
        db["sources"].update("marked", {"unhealthy": 1, "unhealthy_reason": "feed gone for 7 days"})
    rows = {r["source"]: r for r in db.query(sql)}
    db.close()
    assert set(rows) == {"broken", "marked"}
    assert rows["broken"]["broken_config_urls"] == "https://broken.example/feed (http_404)"
    assert rows["marked"]["unhealthy_reason"] == "feed gone for 7 days"


def test_browsing_is_live_not_immutable(tmp_path):
    """A crawl writing while Datasette serves: the new row shows up (an immutable open would not see it)."""
    path = tmp_path / "coverage.db"
    db = open_db(path)
    process, base, log = serve(path, tmp_path)
    try:
        assert query_json(base + "/coverage/articles.json?_shape=array") == []
        writes.store_article(db, {"url": "https://news.example/live", "canonical_url": "https://news.example/live",
                                  "source": "ex", "story": "s", "title": "Written during browsing", "text": "t",
                                  "language": "en", "label": "followup", "published": "2025-02-04"},
                             run_id=None, ledger_urls=[], signature=None, bands=[])
        titles = [r["title"] for r in query_json(base + "/coverage/articles.json?_shape=array")]
        assert titles == ["Written during browsing"]
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        db.close()


def test_export_command_writes_every_followup_of_the_story(desk_store):
    run = subprocess.run([sys.executable, "-m", "storage.export", "--story", "deepseek-demo",
                          "--db", str(desk_store["path"])], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(lines) == 33
    assert run.stderr.strip() == "export: 29 follow-up(s) of deepseek-demo, and 4 wire copies of them"
    assert sum(1 for r in lines if r["duplicate_of"] is None) == 29
    assert all(r["text"] and isinstance(r["matched"], list) for r in lines)
    assert sum(len(r["copies"]) for r in lines) == 4
    bad = subprocess.run([sys.executable, "-m", "storage.export", "--story", "nope", "--db", str(desk_store["path"])],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "no story 'nope' (stories: deepseek-demo)" in bad.stderr
    assert "Traceback" not in bad.stderr


# --- In a real browser ------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        if os.environ.get("REQUIRE_BROWSER_TEST"):
            pytest.fail(f"{', '.join(missing)} missing but REQUIRE_BROWSER_TEST is set (.ci/run installs them)")
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install chromium chromium-driver; .ci/run does)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1280,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def visit(driver, url: str, shot: Path) -> str:
    driver.get(url)
    for _ in range(100):
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    driver.save_screenshot(str(shot))
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, (url, errors)
    return driver.find_element("tag name", "body").text


def test_the_desk_in_headless_chromium(desk, browser, tmp_path):
    """The smoke test: what a journalist sees first, an article beside its source, the chart, the feed."""
    base, path = desk
    db = open_db(path, readonly=True)
    newest = next(iter(db.query("select title from articles where kind = 'followup' "
                                "order by datetime(published) desc limit 1")))["title"]
    copy = next(iter(db.query("select id, title, source, url from articles where label = 'source_copy' "
                              "and language = 'fr' order by id limit 1")))
    db.close()
    root = base.rsplit("/", 1)[0]

    text = visit(browser, root + "/", tmp_path / "home.png")
    assert "Follow-up coverage monitor" in text
    browser.find_element("link text", "mystory: coverage of the story").click()

    text = visit(browser, base + "/-/coverage", tmp_path / "coverage.png")
    assert re.search(r"29 follow-ups by 8 outlets in 7 languages", text)
    outlets = browser.find_elements("css selector", "table.outlets tbody tr")
    assert len(outlets) == 8 and outlets[0].text.split()[0] == "dongfang"  # the first to cover it
    assert browser.find_elements("css selector", "table.followups a.article-link")[0].text == newest
    bars = browser.find_elements("css selector", "svg.coverage-chart rect.bar")
    assert sum(int(b.get_attribute("data-count")) for b in bars) == 29
    assert browser.find_element("css selector", "svg.coverage-chart").size["height"] > 200
    assert "offline" not in text  # the local web the store links to runs for the whole session
    shutil.copy(tmp_path / "coverage.png", tmp_path / "desk-coverage.png")  # the first screen

    text = visit(browser, f"{base}/articles/{copy['id']}", tmp_path / "desk-article.png")
    follow, source = browser.find_elements("css selector", "article.side")
    assert copy["title"] in follow.text and source.text.upper().startswith("THE SOURCE")
    assert len(follow.find_elements("tag name", "mark")) >= 10 and source.find_elements("tag name", "mark")
    assert "a republication of the source" in text
    browser.find_element("css selector", "a.article-source").click()
    assert browser.current_url.endswith(f"/mystory/sources/{copy['source']}")

    visit(browser, base + "/followups_feed.atom", tmp_path / "feed.png")
    assert newest in browser.page_source or newest.replace("'", "&apos;") in browser.page_source

    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):
        for name in ("desk-coverage", "desk-article"):
            shutil.copy(tmp_path / f"{name}.png", ROOT / "docs" / f"{name}.png")
    for name in ("home", "coverage", "desk-article", "feed"):
        assert (tmp_path / f"{name}.png").stat().st_size > 1000
