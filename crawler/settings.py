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

# --- The scheduler (scheduler.py) ------------------------------------------------

# Program a scheduled crawl runs instead of `python -m scrapy crawl`; it gets the
# same arguments (spider, -s settings, -a source=). Empty: Scrapy. Tests use it
# to stand in a crawl that sleeps, fails or hangs.
MONITOR_CRAWL_COMMAND = os.environ.get("MONITOR_CRAWL_COMMAND", "")
# Seconds a crawl stopped by the scheduler (timeout, shutdown) gets between
# SIGTERM and SIGKILL; also how long past its timeout a crawl may take to close.
MONITOR_KILL_GRACE = int(os.environ.get("MONITOR_KILL_GRACE", "30"))
# Seconds a stopping scheduler (SIGTERM, Ctrl-C) lets running crawls finish
# before it stops them.
MONITOR_SHUTDOWN_GRACE = int(os.environ.get("MONITOR_SHUTDOWN_GRACE", "120"))
# Most crawls the scheduler runs at the same time (each is a process).
MONITOR_PARALLEL_CRAWLS = int(os.environ.get("MONITOR_PARALLEL_CRAWLS", "2"))
# A new job first runs at a random moment within this many seconds (or within
# its interval, if shorter), so that many new sources do not all start at once.
MONITOR_FIRST_RUN_SPREAD = int(os.environ.get("MONITOR_FIRST_RUN_SPREAD", "60"))

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
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}

# --- Components ------------------------------------------------------------------

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.PrivateAddressGuard": 50,
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
