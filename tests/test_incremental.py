"""Discovery building blocks: link finding, page kinds, conditional GET state, health, refetch, real feeds."""

from __future__ import annotations

import datetime as dt

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from core.dates import utc_key
from core.items import ArticleItem
from core.sources import Source
from crawler.discovery import article_links, feed_links, headline_like, is_dated_url, page_kind
from crawler.feeds import parse_feed
from crawler.sitemaps import parse_sitemap
from crawler.spiders.feeds import FeedsSpider, home_url
from pipelines.batch import WriteBatch
from pipelines.store import ArticleStore, begin_run
from storage import open_db, queries, writes
from tests.conftest import DATA, need

HOME = """<html><head>
<link rel="alternate" type="application/rss+xml" title="Top" href="/rss/top.xml">
<link rel="alternate" type="application/atom+xml" href="https://ex.com/atom.xml">
<link rel="alternate" type="application/feed+json" href="/feed.json">
<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments.xml">
<link rel="alternate" hreflang="de" href="/de/">
</head><body>
<nav><a href="/2025/02/01/nav-story.html">A dated link in the menu is navigation</a></nav>
<ul>
<li><h3><a href="/2025/02/05/deepseek-shakes-markets.html?utm_source=home#top">DeepSeek shakes markets</a></h3>
    <time datetime="2025-02-05T08:00:00+01:00">5 Feb</time></li>
<li><a href="/politics/the-long-slug-of-an-article-here">Short</a></li>
<li><a href="/world/">World</a> <a href="/about">About us</a> <a href="https://other.com/2025/02/05/x.html">Elsewhere story of the day</a>
    <a href="https://ex.com/2025/02/06/same-site-without-www.html">Same site</a></li>
<li><a href="/tech/why-open-models-matter">Why open models matter to every company now</a></li>
<li><a href="/zh/news">深度求索发布新的推理模型引发关注</a></li>
<li><a href="/feed.xml">The feed of all our stories right here</a></li>
</ul></body></html>"""


def test_feed_links_in_page_order_without_comment_feeds():
    assert feed_links(HOME, base_url="https://ex.com/") == [
        "https://ex.com/rss/top.xml", "https://ex.com/atom.xml", "https://ex.com/feed.json"]
    assert feed_links("", base_url="https://ex.com/") == []


def test_article_links_keep_same_site_article_looking_links():
    entries, total = article_links(HOME, page_url="https://www.ex.com/", limit=100)
    urls = [e.url for e in entries]
    assert urls == [
        "https://www.ex.com/2025/02/05/deepseek-shakes-markets.html",
        "https://www.ex.com/politics/the-long-slug-of-an-article-here",
        "https://ex.com/2025/02/06/same-site-without-www.html",
        "https://www.ex.com/tech/why-open-models-matter",
        "https://www.ex.com/zh/news",
    ]
    assert total == 5
    assert entries[0].published == "2025-02-05T08:00:00+01:00" and entries[0].title == "DeepSeek shakes markets"
    assert entries[1].published is None  # its teaser has no date


def test_article_links_are_bounded():
    page = "".join(f'<a href="/2025/01/{1 + i % 28:02d}/n{i}.html">x</a>' for i in range(10_000))
    entries, total = article_links(page, page_url="https://ex.com/", limit=50)
    assert (len(entries), total) == (50, 10_000)


@pytest.mark.parametrize("text, expected", [
    ("DeepSeek shakes the markets today", True), ("Read more", False), ("Next month »", False),
    ("深度求索发布新的推理模型", True), ("ホーム", False),
])
def test_headline_like(text, expected):
    assert headline_like(text) is expected


def test_dated_urls():
    assert is_dated_url("https://ex.com/2025/02/05/a.html")
    assert is_dated_url("https://ex.com/news/2025-02-05-a")
    assert is_dated_url("https://ex.com/a-20250205.html")
    assert not is_dated_url("https://ex.com/2025/")
    assert not is_dated_url("https://ex.com/calendar/?m=2025-03")


def test_page_kind():
    article = '<html><head><meta property="og:type" content="article"></head><body><p>x</p></body></html>'
    assert page_kind(article, url="https://ex.com/a").kind == "article"
    ld = ('<html><head><meta property="og:type" content="website"><script type="application/ld+json">'
          '{"@graph": [{"@type": ["NewsArticle"]}]}</script></head><body></body></html>')
    assert page_kind(ld, url="https://ex.com/a").kind == "article"
    home = HOME.replace("<head>", '<head><meta property="og:type" content="website">')
    facts = page_kind(home, url="https://ex.com/")
    assert (facts.kind, facts.og_type) == ("listing", "website")
    many = "<html><body>" + "".join(f'<a href="/2025/01/0{i}/s.html">x</a>' for i in range(1, 10)) + "</body></html>"
    assert page_kind(many, url="https://ex.com/hub").kind == "listing"
    assert page_kind("<html><body><p>Plain</p></body></html>", url="https://ex.com/p").kind == "unknown"


def test_home_url():
    assert home_url(Source("s", "en", sections=("https://ex.com/tech/", "https://ex.com/"))) == "https://ex.com/"
    assert home_url(Source("s", "en", sitemaps=("https://ex.com/s.xml",))) == "https://ex.com/"


def test_utc_key_compares_across_offsets():
    assert utc_key("2025-02-05T08:00:00+01:00") == "2025-02-05T07:00:00"
    assert utc_key("2025-02-05") == "2025-02-05T00:00:00"
    assert utc_key("Tue, garbage") is None


def test_listing_health_and_validators(db):
    db["sources"].insert({"name": "s"})
    for run in range(3):
        writes.record_listing(db, url="https://ex.com/f", source="s", kind="feed", status=200,
                              error="not_a_feed: html", unhealthy_after=3)
        writes.record_listing(db, url="https://ex.com/s.xml", source="s", kind="sitemap", status=200,
                              entries=5, etag='"a"', last_modified="Wed, 05 Feb 2025 10:00:00 GMT")
        source = db["sources"].get("s")
        assert source["unhealthy"] == (1 if run == 2 else 0)
    assert source["consecutive_failures"] == 3 and "feed https://ex.com/f: not_a_feed" in source["unhealthy_reason"]
    assert source["last_success"] and source["last_error"].startswith("feed https://ex.com/f")
    assert queries.listing_validators(db, "https://ex.com/s.xml") == ('"a"', "Wed, 05 Feb 2025 10:00:00 GMT")
    writes.record_listing(db, url="https://ex.com/s.xml", source="s", kind="sitemap", status=304)
    assert queries.listing_validators(db, "https://ex.com/s.xml") == ('"a"', "Wed, 05 Feb 2025 10:00:00 GMT")
    writes.record_listing(db, url="https://ex.com/f", source="s", kind="feed", status=304)
    source = db["sources"].get("s")
    assert (source["unhealthy"], source["consecutive_failures"], source["unhealthy_reason"]) == (0, 0, None)


FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>A</title><link>https://ex.com/2025/02/05/a.html</link><pubDate>Thu, 06 Feb 2025 10:00:00 GMT</pubDate></item>
<item><title>B</title><link>https://ex.com/2025/02/05/b.html</link><pubDate>Wed, 05 Feb 2025 10:00:00 GMT</pubDate></item>
</channel></rss>"""


@pytest.mark.parametrize("refetch, expected", [(False, []), (True, ["https://ex.com/2025/02/05/a.html"])])
def test_changed_lastmod_refetch_is_configurable(tmp_path, refetch, expected):
    crawler = get_crawler(FeedsSpider, {"MONITOR_DB": str(tmp_path / "r.db")})
    spider = FeedsSpider.from_crawler(crawler)
    crawler.spider = spider
    spider.since, spider.refetch_changed = dt.date(2025, 1, 20), refetch
    spider.ledger = open_db(tmp_path / "r.db")
    for name in ("a", "b"):
        url = f"https://ex.com/2025/02/05/{name}.html"
        writes.record_url(spider.ledger, url=url, status="stored", reason="followup", source="ex", run_id=None)
        writes.remember_entry_dates(spider.ledger, {url: "2025-02-05T10:00:00"})
    request = Request("https://ex.com/feed.xml", meta={"source": "ex", "listing_kind": "feed"})
    response = TextResponse(request.url, body=FEED, request=request, headers={"Content-Type": "application/rss+xml"})
    fetched = [r.url for r in spider.parse_feed(response) if isinstance(r, Request)]
    assert fetched == expected
    spider.ledger.close()


def test_not_modified_feed_yields_nothing(tmp_path):
    crawler = get_crawler(FeedsSpider, {"MONITOR_DB": str(tmp_path / "n.db")})
    spider = FeedsSpider.from_crawler(crawler)
    crawler.spider = spider
    spider.since, spider.ledger = dt.date(2025, 1, 20), open_db(tmp_path / "n.db")
    spider.ledger["sources"].insert({"name": "ex"})
    request = spider.listing_request("https://ex.com/feed.xml", "ex", kind="feed", callback=spider.parse_feed)
    assert "If-None-Match" not in request.headers
    ok = HtmlResponse(request.url, body=FEED, request=request, headers={"ETag": '"v1"'})
    list(spider.parse_feed(ok))
    again = spider.listing_request("https://ex.com/feed.xml", "ex", kind="feed", callback=spider.parse_feed)
    assert again.headers["If-None-Match"] == b'"v1"' and 304 in again.meta["handle_httpstatus_list"]
    assert list(spider.parse_feed(HtmlResponse(again.url, status=304, body=b"", request=again))) == []
    assert crawler.stats.get_value("monitor/not_modified") == 1
    spider.ledger.close()


REAL_COUNTS = {
    # feeds: entries with a link
    "prof18-atom-feed-reddit.xml": 1, "prof18-atom-feed-youtube.xml": 1, "trafilatura-feed1.atom": 2,
    "newspaper4k-sample_rss.html": 3, "prof18-feed-google-blog.xml": 2, "prof18-feed-test-greek.xml": 1,
    "prof18-feed-test-hindi.xml": 1, "prof18-feed-test-ru.xml": 1, "prof18-feed-test-source-googlenews-fr.xml": 1,
    "prof18-feed-test.xml": 1, "prof18-rdf-feed-test.xml": 1, "trafilatura-feed.json": 25,
    "trafilatura-feed2.rss": 1,
    # sitemaps: URLs (or child sitemaps of an index)
    "trafilatura-sitemap-hreflang.xml": 3, "trafilatura-sitemap.xml": 84, "trafilatura-sitemap.xml.gz": 84,
    "trafilatura-sitemap2.xml": 2, "washingtonpost-news-sitemap-2017-11-23.xml": 4,
}


def test_every_real_feed_and_sitemap_parses_with_the_right_count():
    folder = need(DATA / "feeds-real")
    counts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "sitemap" in path.name:
            sitemap = parse_sitemap(path.read_bytes())
            counts[path.name] = len(sitemap.entries) + len(sitemap.sitemaps)
        else:
            counts[path.name] = len(parse_feed(path.read_bytes(), url="https://example.org/feed"))
    assert counts == REAL_COUNTS


def test_real_inputs_keep_their_text():
    folder = need(DATA / "feeds-real")
    [greek] = parse_feed((folder / "rss" / "prof18-feed-test-greek.xml").read_bytes(), url="u")
    assert greek.title.startswith("«Πορτραίτα καραντίνας»") and greek.language == "el"
    news = parse_sitemap((folder / "sitemaps" / "washingtonpost-news-sitemap-2017-11-23.xml").read_bytes())
    assert all(e.url.startswith("https://www.washingtonpost.com/") and " " not in e.url and e.title
               for e in news.entries)
    assert news.entries[0].published == "2017-11-23T02:05:12Z" and news.entries[0].language == "en"
    [rdf] = parse_feed((folder / "rss" / "prof18-rdf-feed-test.xml").read_bytes(), url="u")
    assert rdf.url == "https://orf.at/stories/3380633/" and rdf.published
    items = parse_feed((folder / "rss" / "trafilatura-feed.json").read_bytes(), url="u")
    assert all(i.url.startswith("https://www.npr.org/") and i.published for i in items)


def test_refetched_article_is_updated_in_place(tmp_path):
    db = open_db(tmp_path / "u.db")
    store = ArticleStore(db, WriteBatch(max_items=200), run_id=begin_run(db, spider="feeds", source=None, max_pages=0),
                         path=str(tmp_path / "u.db"), busy_timeout=5)

    def item(text: str, published: str) -> ArticleItem:
        return ArticleItem(url="https://ex.com/2025/02/05/a.html", discovered_url="https://ex.com/2025/02/05/a.html",
                           source="ex", found_via="feed", title="A", text=text, published=published,
                           published_from="feed", label="followup", language="en", score=0.9)

    store.write(item("First version about DeepSeek.", "2025-02-05"))
    store.flush()  # a later run re-fetches it: by then the first version is written
    store.write(item("Second, corrected version about DeepSeek.", "2025-02-06"))
    store.flush()
    [row] = db.query("select text, published from articles")
    assert row == {"text": "Second, corrected version about DeepSeek.", "published": "2025-02-06"}
    [entry] = db.query("select status, reason from urls")
    assert entry == {"status": "stored", "reason": "followup"}
    assert store.counts["refreshed"] == 1
    store.finish("finished")
    [run] = db.query("select status, finish_reason from crawl_runs")
    assert run == {"status": "finished", "finish_reason": "finished"}
    db.close()
