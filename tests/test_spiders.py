"""Spider callbacks on hand-built responses: discovery gates and failure reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from core.items import ArticleItem, UrlRecord
from crawler.addresses import BlockedAddress
from crawler.spiders.feeds import FeedsSpider
from crawler.spiders.sitemaps import SitemapsSpider
from storage import open_db, writes

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>New</title><link>https://ex.com/2025/02/05/new.html?utm_source=rss</link><pubDate>Wed, 05 Feb 2025 10:00:00 GMT</pubDate></item>
<item><title>Old</title><link>https://ex.com/2024/05/01/old.html</link><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>
<item><title>Known</title><link>https://ex.com/2025/02/04/known.html</link><pubDate>Tue, 04 Feb 2025 10:00:00 GMT</pubDate></item>
<item><title>Undated</title><link>/2025/02/06/undated.html</link></item>
</channel></rss>"""


@pytest.fixture
def spider(tmp_path):
    def make(cls):
        crawler = get_crawler(cls, {"MONITOR_DB": str(tmp_path / "s.db")})
        spider = cls.from_crawler(crawler)
        crawler.spider = spider
        spider.since = dt.date(2025, 1, 20)
        spider.ledger = open_db(tmp_path / "s.db")
        writes.record_url(spider.ledger, url="https://ex.com/2025/02/04/known.html", status="stored",
                          reason="followup", source="ex", run_id=None)
        return spider
    return make


def feed_response(body: bytes = FEED) -> Response:
    request = Request("https://ex.com/feed.xml", meta={"source": "ex"})
    return TextResponse("https://ex.com/feed.xml", body=body, request=request,
                        headers={"Content-Type": "application/rss+xml"})


def test_feed_gates_before_fetching(spider):
    feeds = spider(FeedsSpider)
    out = list(feeds.parse_feed(feed_response()))
    requests = [o for o in out if isinstance(o, Request)]
    records = [o for o in out if isinstance(o, UrlRecord)]
    assert [r.url for r in requests] == ["https://ex.com/2025/02/05/new.html", "https://ex.com/2025/02/06/undated.html"]
    assert requests[0].meta["entry"].title == "New"
    assert [(r.url, r.reason) for r in records] == [("https://ex.com/2024/05/01/old.html", "too_old")]
    assert "before 2025-01-20" in records[0].detail
    assert feeds.crawler.stats.get_value("monitor/already_known") == 1


def test_html_served_as_feed_is_recorded(spider):
    [record] = list(spider(FeedsSpider).parse_feed(feed_response(b"<html><body>Oops</body></html>")))
    assert (record.status, record.reason, record.found_via) == ("error", "not_a_feed", "config")


def test_article_response_becomes_item(spider):
    feeds = spider(FeedsSpider)
    request = next(o for o in feeds.parse_feed(feed_response()) if isinstance(o, Request))
    response = HtmlResponse(request.url + "?fbclid=1", body=b"<html><body><p>x</p></body></html>",
                            request=request, encoding="utf-8")
    item = feeds.parse_article(response)
    assert isinstance(item, ArticleItem)
    assert (item.url, item.source, item.found_via, item.entry_title) == (
        "https://ex.com/2025/02/05/new.html", "ex", "feed", "New")
    assert item.entry_published == "2025-02-05T10:00:00+00:00"
    binary = Response(request.url, body=b"%PDF", request=request, headers={"Content-Type": "application/pdf"})
    assert feeds.parse_article(binary).reason == "not_html"


@pytest.mark.parametrize("exception, reason", [
    (lambda r: HttpError(HtmlResponse(r.url, status=404, request=r)), "http_404"),
    (lambda r: DNSLookupError("no such host"), "dns_error"),
    (lambda r: BlockedAddress("refused"), "blocked_address"),
])
def test_failed_article_gets_reason(spider, exception, reason):
    feeds = spider(FeedsSpider)
    request = Request("https://ex.com/a.html", meta={"source": "ex", "discovered_url": "https://ex.com/a.html"})
    failure = Failure(exception(request))
    failure.request = request
    record = feeds.article_failed(failure)
    assert (record.url, record.status, record.reason) == ("https://ex.com/a.html", "error", reason)


def test_sitemap_spider_follows_robots_and_indexes(spider):
    sitemaps = spider(SitemapsSpider)
    robots = TextResponse("https://ex.com/robots.txt", body=b"Sitemap: /news.xml\n",
                          request=Request("https://ex.com/robots.txt", meta={"source": "ex", "depth": 0}))
    [request] = list(sitemaps.parse_robots(robots))
    assert request.url == "https://ex.com/news.xml" and request.meta["depth"] == 1
    index = b'<sitemapindex><sitemap><loc>https://ex.com/news.xml</loc></sitemap></sitemapindex>'
    deep = Response("https://ex.com/news.xml", body=index,
                    request=Request("https://ex.com/news.xml", meta={"source": "ex", "depth": 3}))
    [record] = list(sitemaps.parse_sitemap(deep))
    assert record.reason == "sitemap_too_deep"


def test_no_spider_callback_is_a_generator_that_returns_a_value():
    """What Scrapy's WARN_ON_GENERATOR_RETURN_VALUE checked at every response (off in crawler/settings.py)."""
    import inspect

    from scrapy.utils.misc import is_generator_with_return_value

    from crawler.spiders.feeds import FeedsSpider
    from crawler.spiders.sections import SectionsSpider
    from crawler.spiders.sitemaps import SitemapsSpider

    checked = []
    for spider in (FeedsSpider, SitemapsSpider, SectionsSpider):
        for name, method in inspect.getmembers(spider, inspect.isfunction):
            if inspect.isgeneratorfunction(method):
                assert not is_generator_with_return_value(method), f"{spider.__name__}.{name} returns a value"
                checked.append(name)
    assert {"parse_feed", "parse_sitemap", "parse_section"} <= set(checked)
