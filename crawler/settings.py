"""Every setting of the monitor, in one place.

Scrapy reads this module (``scrapy.cfg`` points at it). Our own settings carry
the ``MONITOR_`` prefix; each can be given on the command line
(``scrapy crawl feeds -s MONITOR_DB=data/x.db``) or as an environment variable
of the same name (``MONITOR_DB=data/x.db scrapy crawl feeds``). The command
line wins over the environment, the environment over the defaults below.
"""

from __future__ import annotations

import os

BOT_NAME = "followup-monitor"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- The monitor's own settings ------------------------------------------------

# Path of the sources config (stories to follow and outlets to watch).
MONITOR_SOURCES = os.environ.get("MONITOR_SOURCES", "sources.toml")
# Path of the SQLite store (created and migrated on first use).
MONITOR_DB = os.environ.get("MONITOR_DB", "data/coverage.db")
# Hosts exempt from the private-address guard: host names, IP addresses or
# CIDR networks, comma separated. Empty by default; the demo and the tests
# set it to 127.0.0.0/8 so the crawler may reach the local news web.
MONITOR_ALLOWED_HOSTS = os.environ.get("MONITOR_ALLOWED_HOSTS", "")
# Shortest extracted text (characters) kept as an article; shorter → no_text.
MONITOR_MIN_TEXT_CHARS = int(os.environ.get("MONITOR_MIN_TEXT_CHARS", "150"))
# Relevance score (0..1) from which an article is a follow-up of the story.
MONITOR_FOLLOWUP_SCORE = float(os.environ.get("MONITOR_FOLLOWUP_SCORE", "0.4"))
# Estimated Jaccard similarity (word 3-shingles) from which two texts in the
# same language are near-duplicates (wire copies, republications).
MONITOR_DEDUP_SIMILARITY = float(os.environ.get("MONITOR_DEDUP_SIMILARITY", "0.6"))
# Share of the source article's language-neutral anchors (names, numbers,
# model names) that a text in another language must carry to be taken for
# a translation of the source.
MONITOR_TRANSLATION_ANCHORS = float(os.environ.get("MONITOR_TRANSLATION_ANCHORS", "0.6"))

# --- Reliability and security (see "Surviving the hostile web" in README.md) ---

# Fixed DNS answers, for tests only (the resolver checks them like real ones):
# "name=address[|address...]" entries, comma separated; "*.domain" matches a
# whole domain; successive lookups walk the list (DNS rebinding); "fail"
# fails the lookup. Empty: every name goes to the system resolver.
MONITOR_TEST_HOSTS = os.environ.get("MONITOR_TEST_HOSTS", "")
# Consecutive failures (5xx, 429, timeouts, refused or lost connections) after
# which a host is paused by the circuit breaker; 0 turns the breaker off.
MONITOR_BREAKER_FAILURES = int(os.environ.get("MONITOR_BREAKER_FAILURES", "5"))
# Seconds a host stays paused once the breaker opens.
MONITOR_BREAKER_PAUSE = float(os.environ.get("MONITOR_BREAKER_PAUSE", "600"))
# Longest Retry-After (seconds) the crawl waits out; a longer one leaves the
# host's URLs for the next run (reason rate_limited).
MONITOR_RETRY_AFTER_MAX = float(os.environ.get("MONITOR_RETRY_AFTER_MAX", "30"))
# Largest size of the store in SQLite pages (PRAGMA max_page_count; 4 KiB
# each); a write past it closes the crawl with storage_error. 0: no limit.
MONITOR_DB_MAX_PAGES = int(os.environ.get("MONITOR_DB_MAX_PAGES", "0"))
# Most URLs read from one sitemap (the sitemaps.org protocol allows 50,000);
# the rest are left out and the sitemap gets reason sitemap_limit.
MONITOR_SITEMAP_MAX_URLS = int(os.environ.get("MONITOR_SITEMAP_MAX_URLS", "50000"))
# Every name lookup is checked against the address guard (DNS rebinding).
TWISTED_DNS_RESOLVER = "crawler.middlewares.GuardedResolver"

# --- Politeness and limits -----------------------------------------------------

USER_AGENT = "followup-monitor/0.1 (+https://github.com/followup-monitor; news coverage research)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
METAREFRESH_MAXDELAY = 5
RETRY_TIMES = 2
# A crawl never runs for ever, even when a site misbehaves.
CLOSESPIDER_TIMEOUT = int(os.environ.get("MONITOR_CRAWL_TIMEOUT", "3600"))
# Only HTTP(S): pages we read may link to file:, data:, ftp: or s3: URLs.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None,
                     # HTTP/1.1 that honours the circuit breaker and Retry-After per host.
                     "http": "crawler.middlewares.GuardedHTTPDownloadHandler",
                     "https": "crawler.middlewares.GuardedHTTPDownloadHandler"}

# --- Components ------------------------------------------------------------------

# Redirect chains pass the duplicate filter, so a redirect loop ends at
# REDIRECT_MAX_TIMES with a reason (redirect_loop) instead of vanishing.
DUPEFILTER_CLASS = "crawler.middlewares.RedirectAwareDupeFilter"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.PrivateAddressGuard": 50,
    # robots.txt answering 5xx disallows the site (RFC 9309); fetch errors without tracebacks.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxtPolicy": 100,
    # After RetryMiddleware (550): they see failures before a retry is scheduled.
    "crawler.middlewares.HostHealth": 560,
    "crawler.middlewares.ResolvedAddressGuard": 570,
}
EXTENSIONS = {
    "crawler.context.MonitorContext": 10,
}
# Mirrored in the docstring of pipelines/__init__.py (a test keeps them equal).
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.language.LanguagePipeline": 200,
    "pipelines.relevance.RelevancePipeline": 300,
    "pipelines.dedup.DedupPipeline": 400,
    "pipelines.store.StorePipeline": 500,
}
# Dropped pages are normal (off-topic news): log them at INFO, not WARNING.
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"

LOG_LEVEL = os.environ.get("MONITOR_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
