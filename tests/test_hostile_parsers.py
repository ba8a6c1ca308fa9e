"""Generated hostile HTML, XML, JSON and URLs thrown at every parser (Hypothesis, derandomized).

For each: no exception escapes but the parser's own refusal (which carries
its reason), a reason is recorded, and every example finishes within
Hypothesis's deadline. Listing callbacks are also run on a spider: whatever
the body, the listing gets its ledger row.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

from core.boundedjson import loads
from core.items import UrlRecord
from crawler.discovery import feed_links, read_page
from crawler.feeds import NotAFeed, read_feed
from crawler.middlewares.host_health import retry_after_seconds
from crawler.sitemaps import NotASitemap, parse_sitemap, robots_sitemaps
from crawler.spiders.feeds import FeedsSpider
from crawler.spiders.sections import SectionsSpider
from crawler.spiders.sitemaps import SitemapsSpider
from crawler.urls import join_url, url_problem
from pipelines.canonical import canonical_claim
from storage import open_db

HOSTILE = settings(derandomize=True, max_examples=60, deadline=dt.timedelta(seconds=3),
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])

BAD_URLS = ["http://[::1", "http://[::1/x", "http://[", "http://a:99999999/", "http://a:-1/", "javascript:alert(1)",
            "JavaScript:alert(1)", "//x", "http://user:pw@host/", "file:///etc/passwd", "\x00", "http://\u2028/",
            "http://" + "a" * 3000, "data:text/html,<p>x</p>", "http://[::ffff:127.0.0.1]/", "https://ex.com/%zz"]
urls = st.one_of(st.sampled_from(BAD_URLS), st.text(max_size=60),
                 st.builds(lambda p: f"https://ex.com/{p}", st.text(max_size=40)))
words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["a", "nest", "ld", "meta", "link", "time", "junk", "entity"]))
        if kind == "a":
            parts.append(f'<a href="{draw(urls)}">{draw(words)}</a>')
        elif kind == "nest":
            depth = draw(st.integers(1, 400))
            parts.append("<div>" * depth + f'<a href="/2025/02/0{draw(st.integers(1, 9))}/x">{draw(words)}</a>')
        elif kind == "ld":
            body = draw(st.sampled_from(["[" * 5000, "[" * 3000 + "]" * 3000, '{"@type": ["NewsArticle", 1]}',
                                         '{"@graph": {"@graph": []}}', "{", '"\\ud800"']))
            parts.append(f'<script type="application/ld+json">{body}</script>')
        elif kind == "meta":
            parts.append(f'<meta property="og:type" content="{draw(words)}">')
        elif kind == "link":
            parts.append(f'<link rel="alternate" type="application/rss+xml" href="{draw(urls)}">')
        elif kind == "time":
            parts.append(f'<li><a href="{draw(urls)}">x</a><time datetime="{draw(words)}"></time></li>')
        elif kind == "entity":
            parts.append('<!DOCTYPE html [<!ENTITY a "&#x110000;&#0;">]>&a;&#xD800;')
        else:
            parts.append(draw(st.text(max_size=80)))
    return "<html><body>" + "".join(parts) + "</body></html>"


@st.composite
def xml_bodies(draw: st.DrawFn) -> bytes:
    root = draw(st.sampled_from(["rss", "feed", "urlset", "sitemapindex", "rdf:RDF", "html", "x"]))
    children = "".join(
        draw(st.sampled_from([
            f"<item><title>{draw(words)}</title><link>{draw(urls)}</link></item>",
            f"<entry><link href='{draw(urls)}'/></entry>",
            f"<url><loc>{draw(urls)}</loc><lastmod>{draw(words)}</lastmod></url>",
            f"<sitemap><loc>{draw(urls)}</loc></sitemap>",
            "<!-- " + "c" * draw(st.integers(0, 120_000)) + " -->",
            "<a>" * draw(st.integers(1, 400)),
            "&undefined;", "<![CDATA[", "\x00",
        ]))
        for _ in range(draw(st.integers(0, 12))))
    dtd = draw(st.sampled_from(["", '<!DOCTYPE r [<!ENTITY e "e">]>', '<!DOCTYPE r SYSTEM "file:///etc/passwd">']))
    text = f'<?xml version="1.0"?>{dtd}<{root} version="2.0">{children}</{root.split(":")[0]}>'
    codec = draw(st.sampled_from(["utf-8", "utf-16", "utf-32", "latin-1"]))
    return text.encode(codec, "replace")


json_docs = st.one_of(
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=5),
                 max_leaves=30).map(lambda v: json.dumps({"items": v})),
    st.integers(1, 200_000).map(lambda n: '{"items": ' + "[" * n + "]" * n + "}"),
    st.text(max_size=50),
)


@HOSTILE
@given(html_pages(), urls)
def test_page_readers_never_raise_and_give_a_reason(html, page_url):
    facts, scan = read_page(html, url=page_url, limit=50)
    assert facts.kind in ("article", "listing", "unknown") and facts.reason
    assert len(scan.entries) <= 50 and scan.total >= len(scan.entries)
    assert isinstance(feed_links(html, base_url=page_url), list)


@HOSTILE
@given(xml_bodies(), st.sampled_from(["", "application/xml", "application/rss+xml; charset=utf-16", "text/html"]))
def test_feed_and_sitemap_readers_refuse_with_a_reason_or_read(body, content_type):
    try:
        feed = read_feed(body, url="https://ex.com/feed", content_type=content_type)
        assert feed.total >= len(feed.entries)
    except NotAFeed as exc:
        assert str(exc).startswith("not a")
    try:
        sitemap = parse_sitemap(body)
        assert sitemap.kind in ("index", "urlset")
    except NotASitemap as exc:
        assert exc.reason in ("not_a_sitemap", "decompression_bomb") and str(exc)
    assert isinstance(robots_sitemaps(body.decode("utf-8", "replace")), list)


@HOSTILE
@given(json_docs)
def test_json_readers_refuse_with_a_value_error_or_read(doc):
    try:
        loads(doc)
    except ValueError:
        pass
    try:
        read_feed(doc.encode("utf-8", "replace"), url="https://ex.com/f.json", content_type="application/json")
    except NotAFeed as exc:
        assert str(exc).startswith("not a JSON Feed")


@HOSTILE
@given(urls, urls, st.text(max_size=30))
def test_url_helpers_never_raise(base, href, retry_after):
    joined = join_url(base, href)
    problem = url_problem(joined if joined is not None else href)
    assert problem is None or problem[0]
    stored, refused = canonical_claim(base, href)
    assert stored == base or refused is None
    retry_after_seconds(retry_after)


@pytest.fixture
def spiders(tmp_path):
    def make(cls):
        crawler = get_crawler(cls, {"MONITOR_DB": str(tmp_path / "h.db")})
        spider = cls.from_crawler(crawler)
        crawler.spider = spider
        spider.since = dt.date(2025, 1, 20)
        spider.ledger = open_db(tmp_path / "h.db")
        spider.setup()
        return spider
    return make


def _listing_row(spider, url):
    return spider.ledger.db.execute("SELECT last_error, note FROM listings WHERE url = ?", [url]).fetchone()


@HOSTILE
@given(body=st.one_of(xml_bodies(), json_docs.map(str.encode), html_pages().map(str.encode)))
def test_every_listing_gets_its_row_whatever_the_body(spiders, body):
    feeds, sitemaps, sections = spiders(FeedsSpider), spiders(SitemapsSpider), spiders(SectionsSpider)
    url = "https://ex.com/listing"
    cases = [
        (feeds.parse_feed, TextResponse, {"listing_kind": "feed"}),
        (sitemaps.parse_sitemap, TextResponse, {"listing_kind": "sitemap", "depth": 0}),
        (sitemaps.parse_robots, TextResponse, {"listing_kind": "robots", "depth": 0}),
        (sections.parse_section, HtmlResponse, {"listing_kind": "section", "depth": 0}),
    ]
    for callback, kind, meta in cases:
        request = Request(url, meta={"source": "ex", **meta})
        out = list(callback(kind(url, body=body, request=request, encoding="utf-8")))
        assert _listing_row(callback.__self__, url) is not None, callback.__name__
        assert all(r.reason for r in out if isinstance(r, UrlRecord))


def test_a_parser_crash_leaves_a_parser_error_row(spiders, monkeypatch):
    feeds = spiders(FeedsSpider)

    def crash(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("crawler.spiders.feeds.read_feed", crash)
    request = Request("https://ex.com/feed.xml", meta={"source": "ex", "listing_kind": "feed"})
    [record] = list(feeds.parse_feed(TextResponse("https://ex.com/feed.xml", body=b"<rss/>", request=request)))
    assert record.reason == "parser_error" and "RecursionError" in record.detail
    assert _listing_row(feeds, "https://ex.com/feed.xml")[0].startswith("parser_error")
