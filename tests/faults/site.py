"""The sources config of a crawl over the fault web, and what each URL must end as."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.faults.server import (
    ALLOWED,
    ARTICLE_FAULTS,
    STORY_TEXT,
    FaultWeb,
    billion_laughs,
    rss,
    sitemap_gzip_bomb,
    sitemap_index,
    urlset,
    xxe_feed,
    xxe_sitemap,
)

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Site:
    sources: Path
    good: list[str] = field(default_factory=list)  # URLs that must end stored
    faults: dict[str, list[str]] = field(default_factory=dict)  # fault name -> its URLs
    listings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # listing URL -> acceptable reasons


def _toml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_config(folder: Path, sources: list[dict[str, object]]) -> Path:
    story = folder / "story.txt"
    story.write_text(STORY_TEXT, encoding="utf-8")
    lines = [
        "[[story]]", 'name = "deepseek"', 'url = "https://story.nx.test/deepseek"', f"file = {_toml(str(story))}",
        'title = "Que disent les plus grands esprits de l\'IA à propos de DeepSeek ?"', 'language = "fr"',
        "published = 2025-02-03", "since = 2025-01-20", 'terms = ["DeepSeek", "Liang Wenfeng"]',
    ]
    for source in sources:
        lines += ["", "[[source]]"] + [f"{key} = {_toml(value)}" for key, value in source.items()]
    path = folder / "sources.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def catalogue_site(web: FaultWeb, folder: Path, *, good: int = 24) -> Site:
    """Every fault class once, next to ``good`` good pages (and a few on the slow host)."""
    site = Site(sources=folder / "sources.toml")
    site.good = [web.good_url(f"g{i}") for i in range(good)] + [web.good_url(f"s{i}", "slow") for i in range(3)]
    feed = list(site.good)
    for name in ARTICLE_FAULTS:
        urls = [web.fault_url(name, "1")]
        if name == "canary-literal":
            urls = web.canary_urls()
        site.faults[name] = urls
        feed += urls
    # The same page under tracking parameters, a fragment and a reordered query: one row.
    feed += [site.good[0] + "?utm_source=x&utm_medium=y", site.good[0] + "#comments", site.good[0] + "?fbclid=abc",
             web.good_url("query") + "?b=2&a=1", web.good_url("query") + "?a=1&b=2"]
    feed += web.rebind_urls()
    main_feed = web.publish("/feeds/articles.xml", rss(feed))
    listings = {
        web.publish("/feeds/billion-laughs.xml", billion_laughs()): ("not_a_feed", "*"),
        web.publish("/feeds/xxe.xml", xxe_feed(web.canary_file, web.good_url("xxe"))): ("not_a_feed", "*"),
        web.publish("/feeds/html.xml", "<html><body><h1>Oops</h1></body></html>", "text/html"): ("not_a_feed",),
        web.publish("/feeds/empty.xml", ""): ("not_a_feed",),
        web.publish("/sitemaps/bomb.xml.gz", sitemap_gzip_bomb(), "application/octet-stream"):
            ("decompression_bomb",),
        web.publish("/sitemaps/empty.xml", ""): ("not_a_sitemap",),
        web.publish("/sitemaps/not-xml.xml", "this is { not xml", "text/plain"): ("not_a_sitemap",),
        web.publish("/sitemaps/xxe.xml", xxe_sitemap(web.canary_file)): ("*",),
        web.publish("/sitemaps/huge.xml", urlset([web.good_url(f"old{i}") for i in range(300)],
                                                 lastmod="2020-01-01")): ("sitemap_limit",),
    }
    # URLs a feed parser would already drop (http://[::1) reach the spider through a sitemap.
    odd = [u for name in ("too-long-url", "userinfo-url", "invalid-url", "trap-url", "file-url")
           for u in site.faults[name]]
    listings[web.publish("/sitemaps/odd-urls.xml", urlset(odd))] = ("*",)
    self_index = web.base("main") + "/sitemaps/self-index.xml"
    web.publish("/sitemaps/self-index.xml", sitemap_index([self_index]))
    listings[self_index] = ("*",)  # read once; the duplicate filter stops it pointing at itself
    nested = [web.base("main") + f"/sitemaps/nested-{i}.xml" for i in range(10)]
    for i in range(10):
        web.publish(f"/sitemaps/nested-{i}.xml", sitemap_index([nested[i + 1]]) if i < 9 else urlset([]))
    listings[nested[3]] = ("sitemap_too_deep",)
    site.listings = listings
    feeds = [u for u in listings if "/feeds/" in u]
    sitemaps = [u for u in listings if "/sitemaps/" in u and u != nested[3]] + [nested[0]]
    write_config(folder, [
        {"name": "faults", "language": "en", "feeds": [main_feed], "sitemaps": [], "every": "1h"},
        {"name": "badlistings", "language": "en", "feeds": feeds, "sitemaps": sitemaps, "every": "1h"},
    ])
    return site


def crawl_settings(web: FaultWeb, **extra: object) -> dict[str, str]:
    settings = {
        "MONITOR_ALLOWED_HOSTS": ALLOWED,
        "MONITOR_TEST_HOSTS": web.test_hosts(),
        "MONITOR_BREAKER_FAILURES": "0",
        "MONITOR_RETRY_AFTER_MAX": "2",
        "MONITOR_SITEMAP_MAX_URLS": "200",
        "DOWNLOAD_TIMEOUT": "3",
        "DOWNLOAD_MAXSIZE": str(1024 * 1024),
        "DOWNLOAD_WARNSIZE": str(512 * 1024),
        "RETRY_TIMES": "1",
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS": "32",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
        "DNS_TIMEOUT": "3",
        "LOG_LEVEL": "INFO",
    }
    settings.update({k: str(v) for k, v in extra.items()})
    return settings


def crawl_command(spider: str, *, sources: Path, db: Path, settings: dict[str, str]) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"MONITOR_SOURCES={sources}",
               "-s", f"MONITOR_DB={db}"]
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    return command


def crawl_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_crawl(spider: str, *, sources: Path, db: Path, settings: dict[str, str],
              timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(crawl_command(spider, sources=sources, db=db, settings=settings), cwd=ROOT,
                          env=crawl_env(), capture_output=True, text=True, timeout=timeout)


def simple_site(web: FaultWeb, folder: Path, *, good: int, prefix: str, faults: int = 0) -> Site:
    """``good`` good pages and ``faults`` ordinary faulty ones (404, empty, off-topic), in one feed."""
    site = Site(sources=folder / "sources.toml")
    site.good = [web.good_url(f"{prefix}{i}") for i in range(good)]
    bad = [web.fault_url(name, f"{prefix}{i}") for i in range(faults) for name in ("gone-404", "empty", "off-topic")]
    site.faults = {"mixed": bad}
    feed = web.publish(f"/feeds/{prefix}.xml", rss(site.good + bad))
    write_config(folder, [{"name": prefix, "language": "en", "feeds": [feed], "sitemaps": [], "every": "1h"}])
    return site
