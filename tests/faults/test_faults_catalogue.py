"""Every fault class of FAULTS.md, in one crawl: no traceback, the crawl finishes,
good pages are stored, and every faulty URL has its reason in the ``urls`` ledger."""

from __future__ import annotations

import json

import pytest

from crawler.urls import clean_url
from tests.faults.server import ARTICLE_FAULTS, SECRET


def test_no_traceback_and_every_crawl_finishes(catalogue_crawl):
    for spider, log in catalogue_crawl.logs.items():
        assert catalogue_crawl.returncodes[spider] == 0, log[-3000:]
        assert "Traceback" not in log, log[log.index("Traceback") - 2000:][:6000]
        assert "'finish_reason': 'finished'" in log, log[-3000:]
    with catalogue_crawl.db() as db:
        runs = db.execute("SELECT spider, finish_reason, status FROM crawl_runs ORDER BY id").fetchall()
    assert [(r["spider"], r["finish_reason"]) for r in runs] == [("feeds", "finished"), ("sitemaps", "finished")]


def test_every_good_page_is_stored(catalogue_crawl):
    with catalogue_crawl.db() as db:
        stored = {r["url"] for r in db.execute("SELECT url FROM articles")}
    missing = [u for u in catalogue_crawl.site.good if u not in stored]
    assert not missing


def _row(db, url):
    for candidate in (url, clean_url(url)):
        row = db.execute("SELECT status, reason, detail FROM urls WHERE url = ?", [candidate]).fetchone()
        if row is not None:
            return row
    return None


URL_FAULTS = {"too-long-url", "userinfo-url", "invalid-url", "trap-url", "file-url"}


@pytest.mark.parametrize("name", sorted(set(ARTICLE_FAULTS) - URL_FAULTS))
def test_each_fault_ends_with_its_reason(catalogue_crawl, name):
    fault = ARTICLE_FAULTS[name]
    with catalogue_crawl.db() as db:
        for url in catalogue_crawl.site.faults[name]:
            row = _row(db, url)
            assert row is not None, f"{name}: no ledger row for {url}"
            assert row["reason"] in fault.reasons, (name, url, dict(row))
            if fault.status != "*":
                assert row["status"] == fault.status, (name, url, dict(row))


@pytest.mark.parametrize("name", sorted(URL_FAULTS))
def test_bad_urls_are_skipped_with_a_reason_before_any_request(catalogue_crawl, name):
    (reason,) = ARTICLE_FAULTS[name].reasons
    with catalogue_crawl.db() as db:
        rows = db.execute("SELECT status FROM urls WHERE reason = ?", [reason]).fetchall()
    assert rows and {r["status"] for r in rows} == {"skipped"}
    assert f"monitor/url_refused/{reason}" in catalogue_crawl.logs["feeds"] + catalogue_crawl.logs["sitemaps"]


def test_bad_feeds_and_sitemaps_end_with_their_reason(catalogue_crawl):
    with catalogue_crawl.db() as db:
        for url, reasons in catalogue_crawl.site.listings.items():
            row = _row(db, url)
            if reasons == ("*",):
                continue
            assert row is not None, url
            assert row["reason"] in reasons, (url, dict(row))


def test_tracking_parameters_fragments_and_query_order_make_one_row(catalogue_crawl):
    good = catalogue_crawl.site.good[0]
    with catalogue_crawl.db() as db:
        first = db.execute("SELECT count(*) FROM articles WHERE url LIKE ?", [good + "%"]).fetchone()[0]
        query = db.execute("SELECT count(*) FROM articles WHERE url LIKE '%/good/query%'").fetchone()[0]
        ledger = db.execute("SELECT count(*) FROM urls WHERE url LIKE ?", [good + "?%"]).fetchone()[0]
    assert (first, query, ledger) == (1, 1, 0)


def test_mislabelled_charsets_are_decoded(catalogue_crawl):
    with catalogue_crawl.db() as db:
        rows = {r["url"].split("/f/")[1]: r for r in
                db.execute("SELECT url, text, charset, charset_suspect, replacement_ratio FROM articles"
                           " WHERE url LIKE '%/f/%'")}
    text = {key: row["text"] for key, row in rows.items()}
    flags = {key: (row["charset"], row["charset_suspect"]) for key, row in rows.items() if "charset" in key
             or key.startswith(("latin1", "utf8", "utf16", "meta"))}
    # No charset anywhere: Scrapy 2.19 guesses (charset_normalizer) and takes
    # latin-1 for cp1250 or cp1257 (à → ŕ, ą); crawler/charset.py puts it right.
    assert "Réaction à Paris, été." in text["latin1-no-charset/1"]
    assert flags["latin1-no-charset/1"] in (("cp1252", "guess_replaced"), ("cp1252", None))
    # A latin-1 body under "charset=utf-8": windows-1252, not U+FFFD.
    assert "Réaction à Paris." in text["utf8-header-latin1-body/1"]
    assert flags["utf8-header-latin1-body/1"] == ("cp1252", "not_utf8")
    # A UTF-8 body under "charset=iso-8859-1": UTF-8, not "RÃ©action".
    assert "Réaction à Paris, déjà." in text["latin1-header-utf8-body/1"]
    assert flags["latin1-header-utf8-body/1"] == ("utf-8", "utf8_mislabelled")
    # Right in the end, or pure ASCII: left alone.
    assert "Déjà vu." in text["meta-header-conflict/1"]
    assert flags["meta-header-conflict/1"] == ("utf-8", None)
    assert "DeepSeek" in text["utf16-bom/1"]
    assert flags["utf16-bom/1"] == ("utf-16-le", None)
    assert flags["bogus-charset/1"][1] is None
    assert "\ufffd" not in "".join(text.values()) and "\x00" not in "".join(text.values())
    assert {row["replacement_ratio"] for row in rows.values()} == {0.0}


def test_decompression_and_size_limits_are_logged_as_warnings(catalogue_crawl):
    log = catalogue_crawl.logs["feeds"]
    assert "during decompression" in log
    assert "larger than download max size" in log


def test_stats_count_refusals(catalogue_crawl):
    log = catalogue_crawl.logs["feeds"] + catalogue_crawl.logs["sitemaps"]
    for key in ("ssrf/blocked/address", "ssrf/blocked/resolved", "ssrf/blocked/scheme", "retry/max_reached"):
        assert f"'{key}'" in log, key


def test_the_canary_is_never_reached_and_its_secret_never_stored(catalogue_crawl, faultweb):
    assert faultweb.canary_hits == 0, dict(faultweb.servers["canary"].hits)
    for path in catalogue_crawl.db_path.parent.glob(catalogue_crawl.db_path.name + "*"):
        assert SECRET.encode() not in path.read_bytes(), path


def test_dns_rebinding_is_refused_at_the_second_lookup(catalogue_crawl, faultweb):
    with catalogue_crawl.db() as db:
        rows = [_row(db, u) for u in faultweb.rebind_urls()]
    # The first lookup (for robots.txt) answers the allowed address, every later one 127.0.0.1.
    assert [r["reason"] for r in rows] == ["blocked_address", "blocked_address"]
    assert all("rebind.test resolves to 127.0.0.1" in r["detail"] for r in rows)
    assert faultweb.canary_hits == 0


def test_run_counts_are_recorded(catalogue_crawl):
    with catalogue_crawl.db() as db:
        counts = json.loads(db.execute("SELECT counts FROM crawl_runs WHERE spider = 'feeds'").fetchone()[0])
    assert counts["error/timeout"] == 3 and counts["error/data_loss"] == 2
