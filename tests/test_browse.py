"""Browsing: `make browse` on the demo store, its canned queries, feed, chart and article pages,
then the same pages in a real headless Chromium (Debian's chromium + chromedriver, via Selenium)."""

from __future__ import annotations

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

from storage import open_db, writes
from tests.conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PARAMS = {"since": "2025-01-01", "term": "Liang Wenfeng"}


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
    process, base, log = serve(desk_store["path"], tmp_path_factory.mktemp("browse"))
    yield base + "/demo", desk_store["path"]
    process.terminate()
    process.wait(timeout=30)
    log.close()


def query_json(url: str) -> list[dict]:
    status, _, body = get(url)
    assert status == 200, body[:2000]
    return json.loads(body)


def canned(base: str, name: str, sql: str) -> list[dict]:
    params = "&".join(f"{p}={urllib.request.quote(PARAMS[p])}" for p in re.findall(r":(\w+)", sql))
    return query_json(f"{base}/{name}.json?_shape=array&{params}")


def test_every_canned_query_runs_on_the_demo_store(desk):
    base, _ = desk
    meta = json.loads((ROOT / "desk" / "metadata.json").read_text(encoding="utf-8"))
    results = {name: canned(base, name, q["sql"]) for name, q in meta["databases"]["demo"]["queries"].items()}
    assert len(results["new_followups"]) == 29
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


def test_every_canned_query_runs_on_a_freshly_migrated_store(tmp_path):
    path = tmp_path / "coverage.db"
    open_db(path).close()
    process, base, log = serve(path, tmp_path)
    try:
        meta = json.loads((ROOT / "desk" / "metadata.json").read_text(encoding="utf-8"))
        for name, q in meta["databases"]["coverage"]["queries"].items():
            assert canned(base + "/coverage", name, q["sql"]) == [], name
        status, _, body = get(base + "/coverage/-/coverage")
        assert status == 200 and "No follow-ups with a publication date yet" in body
        status, ctype, body = get(base + "/coverage/followups_feed.atom")
        assert status == 200 and ctype.startswith("application/atom+xml")
        assert ET.fromstring(body).findall(f"{ATOM}entry") == []
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_the_atom_feed_has_title_link_date_and_summary_per_entry(desk):
    base, _ = desk
    status, ctype, body = get(base + "/followups_feed.atom")
    assert status == 200 and ctype.startswith("application/atom+xml")
    feed = ET.fromstring(body)
    assert feed.findtext(f"{ATOM}title") == "New follow-ups"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 29
    for entry in entries:
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}id")
        assert entry.find(f"{ATOM}link").get("href").startswith("http://127.0.0.")
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$", entry.findtext(f"{ATOM}updated"))
        assert entry.findtext(f"{ATOM}summary").startswith("[")


def test_csv_and_json_exports_and_facets(desk):
    base, _ = desk
    status, _, body = get(base + "/articles.csv?label=followup&_size=max")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert status == 200 and len(rows) == 33 and {"title", "url", "language"} <= set(rows[0])  # 29 + 4 copies
    data = query_json(base + "/articles.json?_facet_date=published&_search=DeepSeek")
    assert {"label", "language", "source", "published"} <= set(data["facet_results"])
    days = {f["value"] for f in data["facet_results"]["published"]["results"]}
    assert days and all(re.match(r"\d{4}-\d\d-\d\d$", d) for d in days)


def test_the_article_page_reads_like_an_article(desk):
    base, path = desk
    db = open_db(path)
    dup = next(iter(db.query("select * from articles where duplicate_of is not null order by id limit 1")))
    db.close()
    status, _, body = get(f"{base}/articles/{dup['id']}")
    assert status == 200
    assert 'class="article-reader"' in body
    assert f'href="{dup["url"]}"' in body
    assert f'href="/demo/sources/{dup["source"]}"' in body
    assert f'href="/demo/articles/{dup["duplicate_of"]}"' in body
    assert body.count("<p>") >= 3  # the text in paragraphs
    status, _, original = get(f"{base}/articles/{dup['duplicate_of']}")
    assert re.search(rf'href="/demo/articles\?duplicate_of={dup["duplicate_of"]}">\d near-cop', original)
    status, _, home = get(base)
    assert 'type="application/atom+xml"' in home and "/demo/-/coverage" in home


def test_unhealthy_sources_finds_broken_feeds_and_marked_sources(tmp_path):
    meta = json.loads((ROOT / "desk" / "metadata.json").read_text(encoding="utf-8"))
    sql = meta["databases"]["coverage"]["queries"]["unhealthy_sources"]["sql"]
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


def test_browsing_is_live_not_immutable(desk, tmp_path):
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
    assert len(lines) == 33 and run.stderr.strip() == "export: 33 follow-up(s) of deepseek-demo"
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
    base, path = desk
    db = open_db(path)
    followups = [r["title"] for r in db.query(
        "select title from articles where label = 'followup' and duplicate_of is null order by published desc")]
    article = next(iter(db.query("select id, title, source, url from articles where label = 'followup' "
                                 "and duplicate_of is null and language = 'en' order by id limit 1")))
    db.close()
    root = base.rsplit("/", 1)[0]

    text = visit(browser, root + "/", tmp_path / "home.png")
    assert "Follow-up coverage monitor" in text and "demo" in text

    text = visit(browser, base + "/articles?label=followup", tmp_path / "articles.png")
    assert re.search(r"33 rows\s+where label = .followup. sorted by published descending", text)
    facets = {e.get_attribute("data-column") for e in browser.find_elements("css selector", ".facet-info")}
    assert {"label", "language", "source", "published"} <= facets
    assert followups[0] in text  # newest first

    text = visit(browser, base + "/articles?_search=Liang+Wenfeng", tmp_path / "search.png")
    assert re.search(r"\d+ rows? where search matches \"Liang Wenfeng\"", text)

    text = visit(browser, f"{base}/articles/{article['id']}", tmp_path / "article.png")
    reader = browser.find_element("css selector", "article.article-reader")
    assert article["title"] in reader.text
    assert browser.find_element("css selector", "a.article-url").get_attribute("href") == article["url"]
    browser.find_element("css selector", "a.article-source").click()
    assert browser.current_url.endswith(f"/demo/sources/{article['source']}")

    text = visit(browser, base + "/-/coverage", tmp_path / "chart.png")
    bars = browser.find_elements("css selector", "svg.coverage-chart rect.bar")
    assert sum(int(b.get_attribute("data-count")) for b in bars) == 29
    assert {b.get_attribute("data-series") for b in bars} == {"en", "zh", "fr", "de", "es", "ja", "vi"}
    assert browser.find_element("css selector", "svg.coverage-chart").size["height"] > 200
    browser.find_element("id", "coverage").screenshot(str(tmp_path / "chart-only.png"))
    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):
        shutil.copy(tmp_path / "chart-only.png", ROOT / "docs" / "coverage-chart.png")

    visit(browser, base + "/followups_feed.atom", tmp_path / "feed.png")
    assert "<entry>" in browser.page_source or "&lt;entry&gt;" in browser.page_source
    assert followups[0] in browser.page_source

    for name in ("home", "articles", "search", "article", "chart", "feed"):
        assert (tmp_path / f"{name}.png").stat().st_size > 1000
