"""The desk on a store named as its user likes: every canned query, the feeds, the chart, the
coverage page and the article page, in process with Datasette's test client (no server, no browser)."""

from __future__ import annotations

import asyncio
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from storage import coverage, open_db
from tests.deskstore import build_store

ATOM = "{http://www.w3.org/2005/Atom}"
PARAMS = {"since": "2025-02-05", "term": "DeepSeek", "story": ""}


@pytest.fixture(scope="module")
def kestrel(tmp_path_factory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("kestrel") / "kestrel.db"
    return {"path": path, "ids": build_store(path)}


def fetch(path: Path, *urls: str) -> list[Any]:
    """GET every URL of ``urls`` from one Datasette serving ``path`` (as `make browse` does: the plugin, no metadata keyed by name)."""
    ds = Datasette([str(path)], metadata={"title": "Follow-up coverage monitor"})

    async def run() -> list[Any]:
        return [await ds.client.get(url) for url in urls]

    return asyncio.run(run())


def canned_url(name: str, sql: str, fmt: str = "json") -> str:
    params = "&".join(f"{p}={PARAMS[p]}" for p in dict.fromkeys(re.findall(r":(\w+)", sql)))
    return f"/kestrel/{name}.{fmt}?_shape=array&{params}"


def test_every_canned_query_answers_on_a_store_named_kestrel(kestrel):
    names = list(coverage.CANNED_QUERIES)
    responses = fetch(kestrel["path"], "/kestrel.json",
                      *(canned_url(n, q["sql"]) for n, q in coverage.CANNED_QUERIES.items()))
    listed = {q["name"] for q in responses[0].json()["queries"]}
    assert listed == set(names)
    results = {}
    for name, response in zip(names, responses[1:], strict=False):
        assert response.status_code == 200, (name, response.text[:500])
        results[name] = response.json()
    ids = kestrel["ids"]
    assert [r["outlet"] for r in results["coverage_by_outlet"]] == ["kaihin", "meridian", "lecourrier"]
    assert results["coverage_by_outlet"][0]["first_published"].startswith("2025-01-27 22:00")  # UTC
    assert [r["id"] for r in results["followups"]] == [ids["fr"], ids["en"], ids["ja"]]
    assert "text" not in results["followups"][0]
    # New since: by publication (the fr one, published 02-06 07:00 UTC, and the en one of 02-05)...
    assert {r["id"] for r in results["new_since"]} == {ids["en"], ids["fr"]}
    # ...found since: by first_seen, so the ja follow-up published in January but found on 02-06 is in.
    assert {r["id"] for r in results["found_since"]} == {ids["en"], ids["fr"], ids["ja"]}
    assert sum(r["followups"] for r in results["coverage_per_day"]) == 3
    assert len(results["followups_feed"]) == 3
    assert {r["id"] for r in results["followups_matching"]} == {ids["en"], ids["fr"]}
    assert [r["id"] for r in results["source_copies"]] == [ids["copy"]]
    assert [(r["id"], r["role"]) for r in results["duplicate_groups"]] == [(ids["en"], "original"),
                                                                           (ids["dup"], "copy")]
    assert results["failed_alerts"] == [] and results["failed_digests"] == []


def test_one_count_of_followups_everywhere(kestrel):
    db = open_db(kestrel["path"], readonly=True)
    counted = coverage.counts(db)
    db.close()
    assert counted["followups"] == 3 and counted["duplicates"] == 1 and counted["source_copies"] == 1
    facets, feed, page = fetch(kestrel["path"], "/kestrel/articles.json?_size=0",
                               "/kestrel/followups_feed.atom", "/kestrel/-/coverage")
    kind = {r["value"]: r["count"] for r in facets.json()["facet_results"]["kind"]["results"]}
    assert kind == {"followup": 3, "duplicate": 1, "source_copy": 1, "mention": 1}
    assert len(ET.fromstring(feed.text).findall(f"{ATOM}entry")) == 3
    assert re.search(r'class="followup-count">3 follow-ups</strong>\s+by 3 outlets in 3 languages', page.text)


def test_metadata_comes_from_the_plugin_whatever_the_name(kestrel):
    db_page, = fetch(kestrel["path"], "/kestrel.json")
    hidden = {t["name"] for t in db_page.json()["tables"] if t["hidden"]}
    assert {"_sqlite_migrations", "job_events", "ingested_messages", "signatures", "lsh", "entry_dates"} <= hidden
    assert "articles" not in hidden and "digests" not in hidden
    articles, = [t for t in db_page.json()["tables"] if t["name"] == "articles"]
    assert articles["fts_table"] == "articles_fts"
    page, = fetch(kestrel["path"], "/kestrel/articles")
    assert "Every stored page: follow-ups of the story" in page.text
    assert "What it counts as: followup (counted)" in page.text  # a column description


def test_the_feed_and_the_chart(kestrel):
    feed, chart = fetch(kestrel["path"], "/kestrel/followups_feed.atom", "/kestrel/-/coverage")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.text).findall(f"{ATOM}entry")
    assert {e.findtext(f"{ATOM}title") for e in entries} >= {"DeepSeek rattles Wall Street"}
    assert all(e.find(f"{ATOM}link").get("href").startswith("https://") for e in entries)
    assert chart.status_code == 200
    bars = re.findall(r'<rect class="bar" data-day="([\d-]+)" data-series="(\w+)" data-count="(\d+)"', chart.text)
    assert sum(int(n) for _, _, n in bars) == 3 and {s for _, s, _ in bars} == {"en", "fr", "ja"}


def test_the_coverage_page_lists_outlets_followups_copies_and_groups_apart(kestrel):
    ids = kestrel["ids"]
    page, home, index = fetch(kestrel["path"], "/kestrel/-/coverage", "/kestrel", "/")
    text = page.text
    outlets = re.search(r'<table class="rows-and-columns outlets">(.*?)</table>', text, re.S).group(1)
    assert [m for m in re.findall(r">(\w+)</a></td>", outlets)] == ["kaihin", "meridian", "lecourrier"]
    followups = re.search(r'<table class="rows-and-columns followups">(.*?)</table>', text, re.S).group(1)
    assert re.findall(r'href="/kestrel/articles/(\d+)"', followups) == [str(ids[k]) for k in ("fr", "en", "ja")]
    assert "wiped billions" not in text  # no full text in lists
    copies = re.search(r'<ul class="copies">(.*?)</ul>', text, re.S).group(1)
    assert f'/kestrel/articles/{ids["copy"]}"' in copies
    group = re.search(r'<ul class="group" data-group="(\d+)">(.*?)</ul>', text, re.S)
    assert group.group(1) == str(ids["en"]) and "94% alike" in group.group(2)
    assert "svg" in text and 'type="application/atom+xml"' in text
    # The database page opens with the same coverage; the index links to it.
    assert text.count('class="followup-count"') == home.text.count('class="followup-count"') == 1
    assert home.text.index("Who covered it") < home.text.index("Custom SQL query")
    assert "/kestrel/-/coverage" in index.text
    # The source article's page is on a loopback address where nothing listens: said offline, not linked.
    assert "offline" in text and 'href="http://127.0.0.1:9/source.html"' not in text


def test_the_article_page_sets_the_followup_beside_the_source(kestrel):
    ids = kestrel["ids"]
    fr, en, dup, copy = fetch(kestrel["path"], *(f"/kestrel/articles/{ids[k]}" for k in ("fr", "en", "dup", "copy")))
    assert fr.status_code == 200
    assert '<article class="side article-reader followup"' in fr.text and '<article class="side source"' in fr.text
    marks = re.findall(r"<mark>(.*?)</mark>", fr.text)
    assert marks.count("Sam Altman a qualifié le modèle d&#39;impressionnant au regard de son coût.") == 2
    assert "2 sentences of 4 repeat the source" in fr.text and "it adds 2 sentences of its own" in fr.text
    adds = re.search(r'<ul class="adds">(.*?)</ul>', fr.text, re.S).group(1)
    assert "Mistral prépare sa réponse pour le printemps." in adds and "Sam Altman" not in adds
    verdict = re.search(r'<section class="verdict">(.*?)</section>', fr.text, re.S).group(1)
    assert "<li>names DeepSeek in the headline</li>" in verdict and "anchor" not in verdict
    assert "carries 2 of the 6 names and figures of the source: Altman, LeCun" in verdict
    assert "names DeepSeek in the headline and 3 times in the text" in en.text
    assert "None of its 4 sentences repeats the source" in en.text
    assert f'href="/kestrel/articles/{ids["en"]}"' in dup.text and "not counted again" in dup.text
    assert "a republication of the source" in copy.text


def test_a_database_the_monitor_did_not_write_gets_nothing_from_the_desk(tmp_path):
    """A database without the monitor's tables gets nothing from the desk; its pages still work."""
    other = tmp_path / "other.db"
    import sqlite_utils

    sqlite_utils.Database(other)["things"].insert({"a": 1})
    page, queries, chart = fetch(other, "/other", "/other.json", "/other/-/coverage")
    assert page.status_code == 200 and queries.json()["queries"] == []
    assert chart.status_code == 404
