"""Tests of the bundled local news web (localweb): ground truth, and what it serves."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from localweb.config import sources_toml
from localweb.model import ARTICLE_KINDS, BROKEN_KINDS, EXPECT_KINDS, Page
from localweb.pages import ArticleError, load_pages
from localweb.server import LocalWeb, start
from localweb.site import OUTLETS, PAGES, STORY, get_outlet, is_tech, story_page

REPO = Path(__file__).resolve().parents[1]

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "rss1": "http://purl.org/rss/1.0/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


# --------------------------------------------------------------------------- helpers


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``; return status, headers (lower-cased names) and body. Never raises on 4xx/3xx."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, _headers(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _headers(error.headers.items()), error.read()


def _headers(items: list[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


def word_count(text: str) -> int:
    return sum(1 for token in text.split() if re.search(r"\w", token))


def cjk_count(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def when(page: Page) -> datetime:
    return datetime.fromisoformat(page.published)


class MetaParser(HTMLParser):
    """Collects <html lang>, <title>, meta tags, canonical links, JSON-LD and <p> texts."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.title = ""
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.json_ld: list[str] = []
        self.paragraphs: list[str] = []
        self._in: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "meta":
            key = values.get("property") or values.get("name")
            if key and "content" in values:
                self.meta[key] = values["content"]
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._start("ld")
        elif tag in ("title", "p"):
            self._start(tag)

    def _start(self, what: str) -> None:
        self._in = what
        self._buffer = []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._buffer)
        if self._in == "ld" and tag == "script":
            self.json_ld.append(text)
        elif self._in == "title" and tag == "title":
            self.title = text
        elif self._in == "p" and tag == "p":
            self.paragraphs.append(text)
        else:
            return
        self._in = None


def parse_html(body: bytes) -> MetaParser:
    parser = MetaParser()
    parser.feed(body.decode("utf-8"))
    parser.close()
    return parser


def feed_entries(outlet_key: str, body: bytes) -> list[tuple[str, str]]:
    """(link, date string) of every feed entry, in document order."""
    feed_format = get_outlet(outlet_key).feed_format
    if feed_format == "jsonfeed":
        data = json.loads(body)
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        return [(item["url"], item["date_published"]) for item in data["items"]]
    root = ET.fromstring(body)
    entries: list[tuple[str, str]] = []
    if feed_format == "rss2":
        assert root.tag == "rss" and root.get("version") == "2.0"
        for item in root.findall("channel/item"):
            assert item.findtext("title") and item.findtext("description")
            entries.append((item.findtext("link") or "", item.findtext("pubDate") or ""))
    elif feed_format == "atom":
        assert root.tag == f"{{{NS['atom']}}}feed"
        for entry in root.findall("atom:entry", NS):
            link = entry.find("atom:link", NS)
            assert link is not None and entry.findtext("atom:summary", namespaces=NS)
            entries.append((link.get("href") or "", entry.findtext("atom:updated", namespaces=NS) or ""))
    elif feed_format == "rdf":
        assert root.tag == f"{{{NS['rdf']}}}RDF"
        for item in root.findall("rss1:item", NS):
            assert item.findtext("rss1:description", namespaces=NS)
            entries.append(
                (item.findtext("rss1:link", namespaces=NS) or "", item.findtext("dc:date", namespaces=NS) or "")
            )
    else:  # pragma: no cover - every format is listed above
        raise AssertionError(feed_format)
    return entries


def parse_feed_date(value: str) -> datetime:
    if re.match(r"^\d{4}-", value):
        return datetime.fromisoformat(value)
    return parsedate_to_datetime(value)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def web() -> Iterator[LocalWeb]:
    running = start(port=0)
    try:
        yield running
    finally:
        running.stop()


# --------------------------------------------------------------------------- ground truth


def test_outlets_are_distinct_and_cover_every_feed_format() -> None:
    assert len(OUTLETS) == 8
    assert len({outlet.key for outlet in OUTLETS}) == 8
    assert [outlet.address for outlet in OUTLETS] == [f"127.0.0.{n}" for n in range(2, 10)]
    formats = Counter(outlet.feed_format for outlet in OUTLETS)
    assert formats["rss2"] >= 3 and formats["atom"] == 2 and formats["rdf"] == 1
    assert 1 <= formats["jsonfeed"] <= 2
    expected_paths = {"rss2": "/feed.xml", "atom": "/atom.xml", "rdf": "/rss.rdf", "jsonfeed": "/feed.json"}
    for outlet in OUTLETS:
        assert outlet.feed_path == expected_paths[outlet.feed_format]


def test_page_counts_per_kind_language_and_outlet() -> None:
    assert len(PAGES) >= 64
    assert len({(page.outlet, page.path) for page in PAGES}) == len(PAGES)
    kinds = Counter(page.expect for page in PAGES)
    assert set(kinds) <= set(EXPECT_KINDS)
    assert kinds["story_source"] == 1
    assert kinds["source_copy"] == 3
    assert kinds["followup"] >= 26
    assert kinds["duplicate"] >= 4
    assert kinds["off_topic"] >= 14
    assert kinds["mention"] >= 2
    assert kinds["too_old"] >= 5
    assert kinds["not_article"] == 1
    assert kinds["http_404"] == kinds["empty_body"] == kinds["no_text"] == 1
    assert len({page.language for page in PAGES}) >= 6
    followups = Counter(page.language for page in PAGES if page.expect == "followup")
    for language in ("fr", "en", "de", "es", "zh", "vi"):
        assert followups[language] >= 3, language
    per_outlet = Counter(page.outlet for page in PAGES)
    assert set(per_outlet) == {outlet.key for outlet in OUTLETS}
    assert all(6 <= count <= 12 for count in per_outlet.values()), per_outlet
    broken_outlets = [page.outlet for page in PAGES if page.expect in BROKEN_KINDS]
    assert len(set(broken_outlets)) == len(broken_outlets)


_FRONT = """+++
title = "T"
author = "A"
published = 2025-02-03T09:15:00+01:00
language = "fr"
path = "/2025/02/03/{slug}.html"
section = "{section}"
expect = "{expect}"
{extra}+++
"""


def _article(root: Path, outlet: str, slug: str, body: str = "", *, section: str = "tech",
             expect: str = "followup", extra: str = "") -> None:
    (root / outlet).mkdir(exist_ok=True)
    front = _FRONT.format(slug=slug, section=section, expect=expect, extra=extra)
    (root / outlet / f"{slug}.md").write_text(front + body, encoding="utf-8")


def test_article_files_read_back_as_written(tmp_path: Path) -> None:
    _article(tmp_path, "a", "orig", "\nOne line\nwrapped.\n\n  \n深度求索发布 R1。\n", section="general")
    _article(tmp_path, "b", "copy", "\nAdded.\n", expect="duplicate",
             extra='copy_of = "a/orig"\nin_feed = false\ndup_group = "w"\n')
    pages, general = load_pages(tmp_path)
    assert [page.paragraphs for page in pages] == [
        ("One line wrapped.", "深度求索发布 R1。"),
        ("One line wrapped.", "深度求索发布 R1。", "Added."),
    ]
    assert pages[0].published == "2025-02-03T09:15:00+01:00" and pages[0].outlet == "a"
    assert (pages[1].in_feed, pages[1].in_sitemap, pages[1].dup_group) == (False, True, "w")
    assert general == {("a", "/2025/02/03/orig.html")}


@pytest.mark.parametrize(
    "slug, kwargs, message",
    [
        ("x", {"extra": "colour = 1\n"}, "unknown keys ['colour']"),
        ("x", {"expect": "great"}, "expect must be one of"),
        ("x", {"section": "sport"}, "section must be one of"),
        ("x", {"extra": 'copy_of = "a/none"\n'}, "copy_of names no original"),
    ],
)
def test_article_files_are_checked(tmp_path: Path, slug: str, kwargs: dict, message: str) -> None:
    _article(tmp_path, "a", slug, **kwargs)
    with pytest.raises(ArticleError, match=re.escape(message)):
        load_pages(tmp_path)


def test_article_file_named_after_its_path(tmp_path: Path) -> None:
    _article(tmp_path, "a", "x")
    (tmp_path / "a" / "x.md").rename(tmp_path / "a" / "y.md")
    with pytest.raises(ArticleError, match="named after its path"):
        load_pages(tmp_path)


def test_feed_and_sitemap_flags_are_mixed() -> None:
    assert any(page.in_feed and not page.in_sitemap for page in PAGES)
    assert any(page.in_sitemap and not page.in_feed for page in PAGES)
    assert sum(page.in_feed and page.in_sitemap for page in PAGES) > len(PAGES) / 2
    for page in PAGES:
        assert page.in_feed or page.in_sitemap
        if page.expect in BROKEN_KINDS:
            assert page.in_feed
        if page.expect == "not_article":
            assert page.in_feed and page.in_sitemap


def test_paths_and_dates() -> None:
    since = datetime.fromisoformat(STORY["since"] + "T00:00:00+00:00")
    for page in PAGES:
        published = when(page)
        assert published.tzinfo is not None, page.path
        if page.expect != "not_article":
            assert page.path.startswith(published.strftime("/%Y/%m/%d/")), page.path
            assert page.path.endswith(".html")
        if page.expect == "too_old":
            assert published.date() < date(2025, 1, 20), page.path
        elif page.expect in ("followup", "duplicate", "source_copy"):
            assert date(2025, 1, 21) <= published.date() <= date(2025, 3, 15), page.path
        elif page.expect in ("off_topic", "mention"):
            assert date(2025, 1, 25) <= published.date() <= date(2025, 3, 10), page.path
        else:
            assert published > since, page.path


def test_article_lengths() -> None:
    for page in PAGES:
        if page.expect not in ARTICLE_KINDS:
            continue
        text = " ".join(page.paragraphs)
        if page.language in ("zh", "ja"):
            assert 300 <= cjk_count(text) <= 700, page.path
        else:
            assert 150 <= word_count(text) <= 400, page.path


def test_story_source() -> None:
    source = story_page()
    assert source.expect == "story_source"
    assert source.language == "fr" and source.published.startswith("2025-02-03")
    assert source.title == STORY["title"]
    assert 6 <= len(source.paragraphs) <= 9
    assert 350 <= word_count(" ".join(source.paragraphs)) <= 450
    assert STORY["name"] == "deepseek-demo"
    assert STORY["since"] == "2025-01-20" and STORY["published"] == "2025-02-03"
    for term in ("DeepSeek", "深度求索", "ディープシーク", "딥시크", "Дипсик", "DeepSeek-R1", "Liang Wenfeng", "梁文锋"):
        assert term in STORY["terms"]


def test_source_copies_keep_names_and_numbers() -> None:
    source = story_page()
    copies = [page for page in PAGES if page.expect == "source_copy"]
    languages = {page.language for page in copies}
    assert "fr" in languages and "en" in languages and languages & {"de", "es"}
    for page in copies:
        assert page.outlet != source.outlet
        text = " ".join(page.paragraphs)
        if page.language == "fr":
            assert page.paragraphs[: len(source.paragraphs)] == source.paragraphs
            assert "Source" in page.paragraphs[-1]
        assert len(page.paragraphs) >= len(source.paragraphs)
        assert "5,6" in text or "5.6" in text
        for number in ("20", "27", "2025", "17", "590", "2023"):
            assert number in text, (page.path, number)
        for name in (
            "DeepSeek", "DeepSeek-R1", "DeepSeek-V3", "Hangzhou", "Sam Altman", "OpenAI",
            "Andrew Ng", "Yann LeCun", "Meta", "Nvidia", "Liang Wenfeng", "High-Flyer",
        ):
            assert name in text, (page.path, name)


def test_duplicate_groups() -> None:
    groups: dict[str, list[Page]] = {}
    for page in PAGES:
        if page.dup_group is not None:
            groups.setdefault(page.dup_group, []).append(page)
        if page.expect == "duplicate":
            assert page.dup_group is not None
    assert set(groups) == {"wire-1", "wire-2"}
    for name, members in groups.items():
        members.sort(key=when)
        first, rest = members[0], members[1:]
        assert first.expect == "followup", name
        assert len(rest) >= 2 and all(page.expect == "duplicate" for page in rest), name
        assert len({page.outlet for page in members}) == len(members), name
        assert len({page.language for page in members}) == 1, name
        assert len({page.title for page in members}) == len(members), name
        for page in rest:
            assert page.paragraphs == first.paragraphs, page.path
            assert when(page) > when(first)


def test_story_terms_mark_followups_and_spare_off_topic() -> None:
    terms = [term.lower() for term in STORY["terms"]]

    def mentions(text: str) -> int:
        lowered = text.lower()
        return sum(lowered.count(term) for term in terms if term in ("deepseek", "深度求索", "ディープシーク"))

    for page in PAGES:
        text = " ".join(page.paragraphs).lower()
        if page.expect == "followup":
            lead = (page.title + " " + page.paragraphs[0]).lower()
            assert "deepseek" in lead or "深度求索" in lead or "ディープシーク" in lead, page.path
            assert mentions(" ".join(page.paragraphs)) >= 3, page.path
        if page.expect == "off_topic":
            assert not any(term in text or term in page.title.lower() for term in terms), page.path
    ai_off_topic = [
        page
        for page in PAGES
        if page.expect == "off_topic" and re.search(r"\bAI\b|オープンAI|intelligence", " ".join(page.paragraphs))
    ]
    assert len(ai_off_topic) >= 2
    assert any("DeepSeek-V2" in page.title for page in PAGES if page.expect == "too_old")


# --------------------------------------------------------------------------- serving


def test_start_gives_one_base_url_per_outlet(web: LocalWeb) -> None:
    assert set(web.base_urls) == {outlet.key for outlet in OUTLETS}
    for outlet in OUTLETS:
        parts = urlsplit(web.base_urls[outlet.key])
        assert parts.scheme == "http" and parts.hostname == outlet.address and parts.port
    page = story_page()
    assert web.url(page) == web.base_urls[page.outlet] + page.path


@pytest.mark.parametrize("outlet_key", [outlet.key for outlet in OUTLETS])
def test_robots_txt(web: LocalWeb, outlet_key: str) -> None:
    base = web.base_urls[outlet_key]
    status, headers, body = fetch(base + "/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    text = body.decode("utf-8")
    assert "User-agent: *" in text and "Disallow: /" not in text
    assert f"Sitemap: {base}/sitemap_index.xml" in text


@pytest.mark.parametrize("outlet_key", [outlet.key for outlet in OUTLETS])
def test_feed_lists_in_feed_pages_newest_first(web: LocalWeb, outlet_key: str) -> None:
    outlet = get_outlet(outlet_key)
    status, headers, body = fetch(web.base_urls[outlet_key] + outlet.feed_path)
    assert status == 200
    expected_type = {
        "rss2": "application/rss+xml",
        "atom": "application/atom+xml",
        "rdf": "application/rdf+xml",
        "jsonfeed": "application/feed+json",
    }[outlet.feed_format]
    assert headers["content-type"].startswith(expected_type)
    assert "charset=utf-8" in headers["content-type"]
    assert headers["etag"] and headers["last-modified"]
    entries = feed_entries(outlet_key, body)
    expected = {web.url(page) for page in PAGES if page.outlet == outlet_key and page.in_feed}
    links = [link for link, _ in entries]
    assert len(links) == len(expected) and set(links) == expected
    dates = [parse_feed_date(value) for _, value in entries]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("outlet_key", [outlet.key for outlet in OUTLETS])
def test_sitemaps_list_in_sitemap_pages(web: LocalWeb, outlet_key: str) -> None:
    base = web.base_urls[outlet_key]
    status, headers, body = fetch(base + "/sitemap_index.xml")
    assert status == 200 and headers["content-type"].startswith("application/xml")
    index = ET.fromstring(body)
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert locations == [base + "/sitemap-news.xml"]

    status, headers, body = fetch(base + "/sitemap-news.xml")
    assert status == 200 and headers["etag"]
    urlset = ET.fromstring(body)
    found: dict[str, str] = {}
    for url in urlset.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS) or ""
        assert url.findtext("sm:lastmod", namespaces=NS)
        news = url.find("news:news", NS)
        assert news is not None
        assert news.findtext("news:publication/news:name", namespaces=NS) == get_outlet(outlet_key).name
        assert news.findtext("news:publication/news:language", namespaces=NS)
        assert news.findtext("news:title", namespaces=NS)
        found[loc] = news.findtext("news:publication_date", namespaces=NS) or ""
    expected = {web.url(page): page for page in PAGES if page.outlet == outlet_key and page.in_sitemap}
    assert set(found) == set(expected)
    for loc, published in found.items():
        assert datetime.fromisoformat(published) == when(expected[loc])


@pytest.mark.parametrize("outlet_key", [outlet.key for outlet in OUTLETS])
def test_home_and_section_pages(web: LocalWeb, outlet_key: str) -> None:
    base = web.base_urls[outlet_key]
    for path in ("/", "/tech/"):
        status, headers, body = fetch(base + path)
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
        parsed = parse_html(body)
        assert parsed.meta["og:type"] == "website"
        text = body.decode("utf-8")
        for page in PAGES:
            if page.outlet == outlet_key and (path == "/" or is_tech(page)):
                assert f'href="{page.path}"' in text, (path, page.path)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: f"{page.outlet}{page.path}")
def test_every_page_serves_what_it_expects(web: LocalWeb, page: Page) -> None:
    status, headers, body = fetch(web.url(page))
    if page.expect == "http_404":
        assert status == 404
        return
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert int(headers["content-length"]) == len(body)
    if page.expect == "empty_body":
        assert body == b""
        return
    if page.expect == "no_text":
        visible = re.sub(r"<[^>]*>?", " ", body.decode("utf-8", "replace"))
        words = re.findall(r"[^\W\d_]{2,}", visible)
        assert len(words) < 60
        assert not re.search(r"(?:[^\W\d_]{2,}[ ,.]+){4}", visible)  # no run of four words
        return
    parsed = parse_html(body)
    assert parsed.lang == page.language
    assert '<meta charset="utf-8">' in body.decode("utf-8")
    if page.expect == "not_article":
        assert parsed.meta["og:type"] == "website"
        assert body.count(b"<li class=\"teaser\">") >= 5
        return
    url = web.url(page)
    assert parsed.meta["og:type"] == "article"
    assert parsed.meta["og:title"] == page.title
    assert parsed.meta["og:url"] == url and parsed.canonical == url
    assert parsed.meta["author"] == page.author
    assert datetime.fromisoformat(parsed.meta["article:published_time"]) == when(page)
    assert page.title in parsed.title
    ld = [json.loads(block) for block in parsed.json_ld]
    article = next(block for block in ld if block.get("@type") == "NewsArticle")
    assert article["headline"] == page.title
    assert datetime.fromisoformat(article["datePublished"]) == when(page)
    for paragraph in page.paragraphs:
        assert paragraph in parsed.paragraphs
    assert b'class="cookie-banner"' in body and b'class="related"' in body and b"<footer" in body


@pytest.mark.parametrize("outlet_key", [outlet.key for outlet in OUTLETS])
def test_conditional_get(web: LocalWeb, outlet_key: str) -> None:
    base = web.base_urls[outlet_key]
    for path in (get_outlet(outlet_key).feed_path, "/sitemap_index.xml", "/sitemap-news.xml"):
        status, headers, body = fetch(base + path)
        assert status == 200 and body
        etag, last_modified = headers["etag"], headers["last-modified"]
        status, headers, body = fetch(base + path, {"If-None-Match": etag})
        assert status == 304 and body == b"" and headers["etag"] == etag
        status, _, body = fetch(base + path, {"If-Modified-Since": last_modified})
        assert status == 304 and body == b""
        status, _, body = fetch(base + path, {"If-None-Match": '"stale"'})
        assert status == 200 and body
        status, _, body = fetch(base + path, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
        assert status == 200 and body


def test_unknown_paths_are_404(web: LocalWeb) -> None:
    base = web.base_urls["lecourrier"]
    for path in ("/nope", "/tech", "/2025/02/03/unknown.html", "/feed.json", "/static/site.css"):
        status, _, _ = fetch(base + path)
        assert status == 404, path


def test_head_request(web: LocalWeb) -> None:
    page = story_page()
    request = urllib.request.Request(web.url(page), method="HEAD")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert int(response.headers["Content-Length"]) > 1000
        assert response.read() == b""


# --------------------------------------------------------------------------- config and CLI


def test_sources_toml(web: LocalWeb) -> None:
    config = tomllib.loads(sources_toml(web))
    (story,) = config["story"]
    assert story["name"] == "deepseek-demo"
    assert story["url"] == web.url(story_page())
    assert "file" not in story
    assert story["title"] == STORY["title"] and story["language"] == "fr"
    assert story["published"] == date(2025, 2, 3) and story["since"] == date(2025, 1, 20)
    assert story["terms"] == STORY["terms"]
    sources = config["source"]
    assert len(sources) == 8
    for source, outlet in zip(sources, OUTLETS, strict=True):
        base = web.base_urls[outlet.key]
        assert source == {
            "name": outlet.key,
            "language": outlet.language,
            "feeds": [base + outlet.feed_path],
            "sitemaps": [base + "/sitemap_index.xml"],
            "sections": [base + "/tech/"],
            "every": "30m",
        }


def test_cli_serves_writes_sources_and_stops_on_sigterm(tmp_path: Path) -> None:
    sources_path = tmp_path / "sources.toml"
    command = [sys.executable, "-m", "localweb", "--sources-out", str(sources_path)]
    with subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        try:
            line = process.stdout.readline()
            announced = json.loads(line)
            assert announced["sources"] == str(sources_path)
            assert set(announced["outlets"]) == {outlet.key for outlet in OUTLETS}
            config = tomllib.loads(sources_path.read_text(encoding="utf-8"))
            status, _, _ = fetch(config["story"][0]["url"])
            assert status == 200
        finally:
            process.send_signal(signal.SIGTERM)
            stdout, stderr = process.communicate(timeout=15)
    assert process.returncode == 0, stderr
    assert stdout == "" and "Traceback" not in stderr and stderr == ""


def test_cli_reports_bind_errors(web: LocalWeb) -> None:
    busy_port = urlsplit(web.base_urls["lecourrier"]).port
    assert busy_port is not None
    completed = subprocess.run(
        [sys.executable, "-m", "localweb", "--port", str(busy_port)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1
    assert "127.0.0.2" in completed.stderr
