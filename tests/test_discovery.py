"""Feed, sitemap and URL parsing: hand-written inputs and the real files in ../shared/data."""

from __future__ import annotations

import gzip
import json

import pytest

from crawler.feeds import NotAFeed, parse_feed
from crawler.sitemaps import NotASitemap, parse_sitemap, robots_sitemaps
from crawler.urls import clean_url
from tests.conftest import DATA, need

RSS2 = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><language>fr</language>
<item><title>Un</title><link>https://ex.com/a</link><description>Resume</description>
<pubDate>Tue, 04 Feb 2025 09:30:00 +0100</pubDate></item>
<item><title>Sans lien</title></item></channel></rss>"""
RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://ex.com/"><title>t</title><link>https://ex.com/</link></channel>
<item rdf:about="https://ex.com/b"><title>B</title><link>https://ex.com/b</link><dc:date>2025-02-05T10:00:00Z</dc:date></item>
</rdf:RDF>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>C</title><link href="https://ex.com/c"/><id>c</id><updated>2025-02-06T08:00:00Z</updated>
<summary>S</summary></entry></feed>"""
JSONFEED = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "t", "language": "de",
                       "items": [{"id": "1", "url": "https://ex.com/d", "title": "D",
                                  "date_published": "2025-02-07T12:00:00+01:00"}, {"id": "2"}]}).encode()


def test_rss2():
    [entry] = parse_feed(RSS2, url="https://ex.com/feed")
    assert (entry.url, entry.title, entry.summary, entry.language) == ("https://ex.com/a", "Un", "Resume", "fr")
    assert entry.published == "2025-02-04T08:30:00+00:00"


def test_rdf_atom_jsonfeed():
    assert parse_feed(RDF, url="u")[0].published == "2025-02-05T10:00:00+00:00"
    atom = parse_feed(ATOM, url="u")[0]
    assert (atom.url, atom.summary) == ("https://ex.com/c", "S")
    [item] = parse_feed(JSONFEED, url="u", content_type="application/feed+json")
    assert (item.url, item.language, str(item.published_date())) == ("https://ex.com/d", "de", "2025-02-07")


@pytest.mark.parametrize("body", [b"<html><body><p>Hello</p></body></html>", b"", b"{not json", b"[]"])
def test_not_a_feed(body):
    with pytest.raises(NotAFeed):
        parse_feed(body, url="u")


NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>
  https://ex.com/2025/02/05/a.html </loc><n:news><n:publication><n:name>Ex</n:name><n:language>es</n:language>
  </n:publication><n:publication_date>2025-02-05T07:00:00+01:00</n:publication_date><n:title>Titulo</n:title></n:news></url>
<url><loc>https://ex.com/b.html</loc><lastmod>2024-05-01</lastmod></url>
</urlset>"""


def test_news_sitemap_fields_are_read_with_any_prefix():
    sitemap = parse_sitemap(NEWS)
    first, second = sitemap.entries
    assert (first.url, first.title, first.language) == ("https://ex.com/2025/02/05/a.html", "Titulo", "es")
    assert first.published == "2025-02-05T07:00:00+01:00"
    assert second.published == "2024-05-01"


def test_sitemap_index_gzip_and_robots():
    index = b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://ex.com/s1.xml</loc></sitemap></sitemapindex>'
    assert parse_sitemap(gzip.compress(index)).sitemaps == ["https://ex.com/s1.xml"]
    assert robots_sitemaps("User-agent: *\nDisallow: /x\nSitemap: https://ex.com/a.xml\nsitemap:https://ex.com/b.xml") == [
        "https://ex.com/a.xml", "https://ex.com/b.xml"]
    robots = (b"Sitemap: /news.xml\nSitemap:\n  SITEMAP: https://cdn.ex.com/s.xml.gz\n"
              b"User-agent: *\nDisallow: /sitemap:x\n")
    assert robots_sitemaps(robots, "https://ex.com/robots.txt") == ["https://ex.com/news.xml",
                                                                   "https://cdn.ex.com/s.xml.gz"]


def test_sitemap_refusals():
    with pytest.raises(NotASitemap, match="neither"):
        parse_sitemap(b"<html><body>no</body></html>")
    with pytest.raises(NotASitemap, match="inflates past"):
        from crawler.sitemaps import gunzip

        gunzip(gzip.compress(b"<" * 3_000_000), limit=1_000_000)
    assert gunzip(gzip.compress(b"<" * 1_000_000), limit=1_000_000) == b"<" * 1_000_000  # at the limit: kept
    with pytest.raises(NotASitemap, match="broken gzip"):
        gunzip(b"\x1f\x8b" + b"not gzip at all")
    urlset = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              + b"".join(b"<url><loc>https://ex.com/%d.html</loc></url>" % n for n in range(2000)) + b"</urlset>")
    cut = gzip.compress(urlset)[:-2000]  # a download cut short: the entries inflated before the cut
    entries = parse_sitemap(cut).entries
    assert 0 < len(entries) < 2000 and entries[0].url == "https://ex.com/0.html"
    entity = b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]><urlset><url><loc>&x;</loc></url></urlset>'
    assert all("root:" not in (e.url or "") for e in parse_sitemap(entity).entries)


def test_clean_url():
    assert clean_url("HTTPS://Ex.COM/a?utm_source=x&id=3&fbclid=y#top") == "https://ex.com/a?id=3"
    assert clean_url("https://ex.com") == "https://ex.com/"


def test_real_feeds_and_sitemaps_parse():
    folder = need(DATA / "feeds-real")
    counts = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        body = path.read_bytes()
        if "sitemap" in path.name:
            sitemap = parse_sitemap(body)
            counts[path.name] = len(sitemap.entries) + len(sitemap.sitemaps)
        else:
            counts[path.name] = len(parse_feed(body, url="https://example.org/feed"))
    assert counts and all(n > 0 for n in counts.values()), counts
    assert counts["washingtonpost-news-sitemap-2017-11-23.xml"] == 4
    assert counts["trafilatura-sitemap.xml.gz"] == counts["trafilatura-sitemap.xml"] == 84
