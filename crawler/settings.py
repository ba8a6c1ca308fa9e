"""Every setting of the monitor, in one place.

Scrapy reads this module (``scrapy.cfg`` points at it). Our own settings carry
the ``MONITOR_`` prefix; each can be given on the command line
(``scrapy crawl feeds -s MONITOR_DB=data/x.db``) or as an environment variable
of the same name (``MONITOR_DB=data/x.db scrapy crawl feeds``). The command
line wins over the environment, the environment over the defaults below.
"""

from __future__ import annotations

import os

from scrapy.settings import default_settings as _scrapy_defaults


def _flag(name: str, default: bool) -> bool:
    """A true/false setting from the environment: 1, true, yes or on (any case) are true."""
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


BOT_NAME = "followup-monitor"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# Our own Scrapy commands: `scrapy job feeds,sitemaps,sections -a source=<name>`
# runs a scheduler job's spiders one after the other in one process.
COMMANDS_MODULE = "crawler.commands"

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
# Ask trafilatura for a second opinion (readability, jusText) when its own
# pass finds little text: 0.9217 text F1 instead of 0.9164 on the 990 pages of
# bench/extraction.py, for about a third more CPU per page. Off by default.
MONITOR_EXTRACT_FALLBACK = _flag("MONITOR_EXTRACT_FALLBACK", False)
# Relevance and deduplication thresholds. Measured on the local news web
# (bench/relevance.py): follow-ups score 0.53-1.0 and unrelated news 0.0-0.02,
# so 0.4 leaves room on both sides; on real feed entries of the DeepSeek week
# (title + description only) it gives precision and recall above 0.95.
# Relevance score (0..1) from which an article is a follow-up of the story.
MONITOR_FOLLOWUP_SCORE = float(os.environ.get("MONITOR_FOLLOWUP_SCORE", "0.4"))
# Below that, an article that still names the story (a tracked term in its
# text) is a ``mention``: stored, shown, but not counted as coverage.
MONITOR_MENTION_MIN_TERMS = int(os.environ.get("MONITOR_MENTION_MIN_TERMS", "1"))
# Estimated Jaccard similarity (word 3-shingles) from which two texts in the
# same language are near-duplicates (wire copies, republications). Copies of
# one text measure 0.95-1.0, different articles on the same story below 0.05;
# 0.6 still catches a copy with a new headline, byline and closing line.
MONITOR_DEDUP_SIMILARITY = float(os.environ.get("MONITOR_DEDUP_SIMILARITY", "0.6"))
# Copies of the source (pipelines/dedup, pipelines/containment) are found by
# its address (source_address), the same text (MinHash, above), one text mostly
# inside the other (part_in_source, source_in_part: teasers, pages holding the
# source), or, in another language, by what survives translation: this share
# of the source's numbers and Latin-script names in the source's order
# (translation_cover; a translated first part by translation_prefix), or its
# paragraphs aligned one by one (aligned_paragraphs). The local web's whole
# translations carry 0.84-1.0 of the ordered anchors, its follow-ups at most
# 0.16; on the real pages of bench/data/relevance no follow-up or other page
# passes 0.22 (partial and rewritten translations are caught by
# translation_prefix or aligned_paragraphs, below this share). Relevance
# itself (title, lead, spread, salience, anchors) is scored in
# pipelines/relevance against MONITOR_FOLLOWUP_SCORE.
MONITOR_TRANSLATION_ANCHORS = float(os.environ.get("MONITOR_TRANSLATION_ANCHORS", "0.6"))
# Worker processes that read pages (extraction, dates, bylines) while the
# crawl goes on downloading; 0 = one per usable CPU core. Started once per crawl.
MONITOR_WORKERS = int(os.environ.get("MONITOR_WORKERS", "0"))
# Seconds a worker may spend on one page before it is killed and replaced
# (the page gets reason extract_timeout; a crashed worker gives extract_crash).
MONITOR_WORKER_TIMEOUT = float(os.environ.get("MONITOR_WORKER_TIMEOUT", "60"))
# A worker is replaced by a fresh one (forked in milliseconds) after this many
# tasks, so memory it copied or fragmented is given back; 0 = never.
MONITOR_WORKER_MAX_TASKS = int(os.environ.get("MONITOR_WORKER_MAX_TASKS", "200"))
# Writes (articles, ledger rows, run counts) are queued and written in one
# transaction when this many are waiting...
MONITOR_STORE_BATCH = int(os.environ.get("MONITOR_STORE_BATCH", "200"))
# ...or when the oldest has waited this many seconds, and when the crawl closes.
# A crash loses at most one unwritten batch; those pages are fetched again.
MONITOR_STORE_BATCH_SECONDS = float(os.environ.get("MONITOR_STORE_BATCH_SECONDS", "2"))

# Webhook URLs (comma separated) that receive a JSON POST with the new
# follow-ups after each crawl run (jobs/alerts.py). Empty: no alerts.
MONITOR_ALERT_WEBHOOKS = os.environ.get("MONITOR_ALERT_WEBHOOKS", "")
# Retries of an alert after a connection error, timeout, HTTP 429 or 5xx.
MONITOR_ALERT_RETRIES = int(os.environ.get("MONITOR_ALERT_RETRIES", "3"))
# Seconds before the first retry of an alert; doubled at each further retry.
MONITOR_ALERT_BACKOFF = float(os.environ.get("MONITOR_ALERT_BACKOFF", "2"))
# Seconds to wait for a webhook's answer.
MONITOR_ALERT_TIMEOUT = float(os.environ.get("MONITOR_ALERT_TIMEOUT", "10"))

# --- The daily digest (jobs/digest.py): the day's new follow-ups, per story -------

# Hour (0-23, in MONITOR_DIGEST_TIMEZONE) at which the scheduler sends the digest
# of the follow-ups found since the last one; empty: no scheduled digest. It is
# sent only to the channels configured below, and only when there is news.
MONITOR_DIGEST_HOUR = os.environ.get("MONITOR_DIGEST_HOUR", "7")
# Time zone of MONITOR_DIGEST_HOUR (an IANA name such as Europe/Paris).
MONITOR_DIGEST_TIMEZONE = os.environ.get("MONITOR_DIGEST_TIMEZONE", "UTC")
# E-mail recipients of the digest (comma separated); empty: no e-mail.
MONITOR_DIGEST_TO = os.environ.get("MONITOR_DIGEST_TO", "")
# The digest's sender address (From:).
MONITOR_DIGEST_FROM = os.environ.get("MONITOR_DIGEST_FROM", "followup-monitor@localhost")
# Webhooks (comma separated) that receive the digest as chat-ready text (Slack-
# and Matrix-style JSON, like the alerts); by default the alerts' webhooks.
MONITOR_DIGEST_WEBHOOKS = os.environ.get("MONITOR_DIGEST_WEBHOOKS", MONITOR_ALERT_WEBHOOKS)
# The mail server that sends the digest (smtplib); empty: no e-mail.
MONITOR_SMTP_HOST = os.environ.get("MONITOR_SMTP_HOST", "")
# Its port: 587 for submission with STARTTLS, 465 with MONITOR_SMTP_SSL, 25 plain.
MONITOR_SMTP_PORT = int(os.environ.get("MONITOR_SMTP_PORT", "587"))
# Upgrade the connection with STARTTLS before logging in (certificate checked).
MONITOR_SMTP_STARTTLS = _flag("MONITOR_SMTP_STARTTLS", True)
# Connect with TLS from the start (SMTPS, port 465) instead of STARTTLS.
MONITOR_SMTP_SSL = _flag("MONITOR_SMTP_SSL", False)
# Login to the mail server; empty: no login.
MONITOR_SMTP_USER = os.environ.get("MONITOR_SMTP_USER", "")
# Its password (read from the environment; never stored in the database).
MONITOR_SMTP_PASSWORD = os.environ.get("MONITOR_SMTP_PASSWORD", "")
# Seconds to wait for the mail server at each step.
MONITOR_SMTP_TIMEOUT = float(os.environ.get("MONITOR_SMTP_TIMEOUT", "30"))
# A digest that fails (server down, timeout, 4xx answer) is retried
# MONITOR_ALERT_RETRIES times, MONITOR_ALERT_BACKOFF seconds apart, doubling.

# --- Discovery (sections spider, feed discovery, incremental crawling) ----------

# How deep the sections spider goes from a configured section or home page:
# 1 fetches the article-looking links of the page; 2 also follows the links
# of list pages found there (sub-sections), and so on.
MONITOR_SECTIONS_DEPTH = int(os.environ.get("MONITOR_SECTIONS_DEPTH", "1"))
# Article-looking links taken from one list page (a page with 10,000 links
# costs at most this many requests); the rest is noted in the ledger.
MONITOR_SECTIONS_MAX_LINKS = int(os.environ.get("MONITOR_SECTIONS_MAX_LINKS", "300"))
# Pages the sections spider fetches per source and run, whatever the depth
# (a calendar that links to the next month for ever ends here).
MONITOR_SECTIONS_MAX_PAGES = int(os.environ.get("MONITOR_SECTIONS_MAX_PAGES", "1000"))
# Fetch an already handled article again when its feed or sitemap date
# (lastmod) is newer than when it was fetched; off: handled once, for good.
MONITOR_REFETCH_CHANGED = _flag("MONITOR_REFETCH_CHANGED", False)
# Runs in a row a feed, sitemap or section page may fail (broken, not a
# feed, empty) before its source is flagged unhealthy.
MONITOR_UNHEALTHY_AFTER = int(os.environ.get("MONITOR_UNHEALTHY_AFTER", "3"))
# Days the feeds and sitemaps found on a home page are trusted before the
# home page and robots.txt are read again (sources without 'feeds'/'sitemaps').
MONITOR_REDISCOVER_DAYS = float(os.environ.get("MONITOR_REDISCOVER_DAYS", "7"))

# --- The scheduler (scheduler.py) ------------------------------------------------

# Program a scheduled crawl runs instead of `python -m scrapy crawl`; it gets the
# same arguments (spider, -s settings, -a source=). Empty: Scrapy. Tests use it
# to stand in a crawl that sleeps, fails or hangs.
MONITOR_CRAWL_COMMAND = os.environ.get("MONITOR_CRAWL_COMMAND", "")
# Fork each job from a forkserver that has Python, Scrapy and our modules
# already imported (jobs/launcher.py), instead of starting a new Python:
# a job that finds nothing new takes a tenth of the time. Each job is still a
# process of its own. False: every job is a new `python -m scrapy job`.
MONITOR_CRAWL_PRELOAD = _flag("MONITOR_CRAWL_PRELOAD", True)
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

# --- Reliability and security (see docs/reliability.md) ---

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
# Seconds a crawl's write waits for another process's write lock on the store
# (SQLite busy timeout); past it the crawl closes with storage_error.
MONITOR_BUSY_TIMEOUT = float(os.environ.get("MONITOR_BUSY_TIMEOUT", "30"))
# Most URLs read from one sitemap (the sitemaps.org protocol allows 50,000);
# the rest are left out and the sitemap gets reason sitemap_limit.
MONITOR_SITEMAP_MAX_URLS = int(os.environ.get("MONITOR_SITEMAP_MAX_URLS", "50000"))
# Longest Retry-After (seconds) a server may ask for: longer asks (a year
# ahead) are cut to this, counted (monitor/retry_after/capped) and said in
# the reason's detail, so one answer cannot pause a host for the whole run.
MONITOR_RETRY_AFTER_CAP = float(os.environ.get("MONITOR_RETRY_AFTER_CAP", "3600"))
# Most entries read from one feed (RSS, Atom, JSON Feed); the rest are left
# out and noted (reason feed_limit). feedparser costs about 0.2 ms an entry,
# on the reactor thread: 1,000 entries take a fifth to half a second.
MONITOR_FEED_MAX_ENTRIES = int(os.environ.get("MONITOR_FEED_MAX_ENTRIES", "1000"))
# Most links (<a>) read from one HTML page (section, home or list page); a
# page with more is noted too_many_links and the rest is not read. A real
# front page has a few hundred; 10,000 take about 0.3 s to classify.
MONITOR_PAGE_MAX_LINKS = int(os.environ.get("MONITOR_PAGE_MAX_LINKS", "10000"))
# Most header lines, and bytes of headers, accepted in one response; past
# either the connection is dropped (reason headers_too_large). Twisted keeps
# every header line otherwise: an endless stream of them fills the memory.
MONITOR_MAX_HEADERS = int(os.environ.get("MONITOR_MAX_HEADERS", "500"))
MONITOR_MAX_HEADER_BYTES = int(os.environ.get("MONITOR_MAX_HEADER_BYTES", str(256 * 1024)))
# Every name lookup is checked against the address guard (DNS rebinding).
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"

# --- Distributed mode (distributed/frontier.py, distributed/ingest.py) ------------------

# Distributed mode (distributed/frontier.py): the URL of a Redis server, e.g.
# redis://10.0.0.5:6379/0. When set, `scrapy crawl` is a worker of a shared
# frontier (scrapy-redis) and pushes its items to `python -m distributed.ingest`;
# empty (the default): one machine, nothing in Redis.
MONITOR_REDIS_URL = os.environ.get("MONITOR_REDIS_URL", "")
# A worker whose frontier is empty waits for work for ever (0, a service), or
# stops after this many seconds with nothing queued and no other worker busy.
MONITOR_REDIS_IDLE_CLOSE = float(os.environ.get("MONITOR_REDIS_IDLE_CLOSE", "0"))
# Seconds without a heartbeat after which a worker counts as dead, and the
# requests it held go back to the frontier for the others.
MONITOR_REDIS_WORKER_TTL = int(os.environ.get("MONITOR_REDIS_WORKER_TTL", "20"))
# Seconds between two looks at the frontier by a worker with free download
# slots (one ZCARD); Scrapy itself only asks an idle scheduler every 5 s, so
# without this a worker that found the queue empty joins new work late.
MONITOR_REDIS_POLL = float(os.environ.get("MONITOR_REDIS_POLL", "0.2"))
# Requests a worker may hold at once, downloading or being processed (0: twice
# CONCURRENT_REQUESTS). Without a bound a worker downloads far ahead of its
# extraction processes (up to Scrapy's 5 MB of waiting responses, hundreds of
# pages) and the other workers find the queue already taken.
MONITOR_REDIS_MAX_LEASES = int(os.environ.get("MONITOR_REDIS_MAX_LEASES", "0"))

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
                     "http": "crawler.handlers.GuardedHTTPDownloadHandler",
                     "https": "crawler.handlers.GuardedHTTPDownloadHandler"}

# --- Components ------------------------------------------------------------------

# Redirect chains pass the duplicate filter, so a redirect loop ends at
# REDIRECT_MAX_TIMES with a reason (redirect_loop) instead of vanishing.
DUPEFILTER_CLASS = "crawler.dupefilter.RedirectAwareDupeFilter"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.address_guard.PrivateAddressGuard": 50,
    # robots.txt answering 5xx disallows the site (RFC 9309); fetch errors without tracebacks.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.RobotsTxtPolicy": 100,
    # After RetryMiddleware (550): they see failures before a retry is scheduled.
    "crawler.middlewares.host_health.HostHealth": 560,
    "crawler.middlewares.address_guard.ResolvedAddressGuard": 570,
}
# What reads a story's source article and builds its profile for the crawl's context
# (core/context.py): the pipelines' business, named here as ITEM_PIPELINES names them.
MONITOR_STORY_PROFILER = "pipelines.profile.Profiler"

EXTENSIONS = {
    "crawler.memory.AllocatorTuning": 0,
    "core.context.MonitorContext": 10,
    "pipelines.pool.CpuPool": 20,
    "pipelines.batch.WriteBatch": 30,
}
# Switches to the shared Redis frontier when MONITOR_REDIS_URL is set.
ADDONS = {
    "distributed.addon.DistributedMode": 0,
}
# Mirrored in the docstring of pipelines/__init__.py (a test keeps them equal).
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.relevance.RelevancePipeline": 200,
    "pipelines.language.LanguagePipeline": 300,
    "pipelines.dedup.DedupPipeline": 400,
    "pipelines.store.StorePipeline": 500,
}
# Outputs of one response processed at once. An article response yields one
# item, a listing only requests and ledger records; Scrapy's default (100)
# makes it start 101 asyncio tasks per response, a fifth of the crawl
# process's CPU per page (bench/scaleout.py, README "Scale-out").
CONCURRENT_ITEMS = 4
# Dropped pages are normal (off-topic news): log them at INFO, not WARNING,
# with their reason and URL only (not the whole article).
LOG_FORMATTER = "crawler.logformatter.MonitorLogFormatter"
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"

LOG_LEVEL = os.environ.get("MONITOR_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False
# Scrapy's remote control (2.19: an HTTP server in every crawl that runs the
# Python code it is sent) is off, like the telnet console.
REMOTE_CONTROL_ENABLED = False
# No cookies: a monitor fetches each article once, and cookies only feed
# metered paywalls and consent walls (Scrapy's advice for broad crawls too).
COOKIES_ENABLED = False
# Scrapy imports every component listed in its *_BASE settings, even one set
# to None, so the two we switch off are left out of the base lists: their
# imports (aiohttp for the remote control, tldextract and requests for the
# cookies) were a quarter of a crawl's start-up (see "Incremental crawling").
EXTENSIONS_BASE = {path: order for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
                   if path != "scrapy.extensions.remote_control.RemoteControl"}
DOWNLOADER_MIDDLEWARES_BASE = {path: order for path, order in _scrapy_defaults.DOWNLOADER_MIDDLEWARES_BASE.items()
                               if path != "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"}
FEED_EXPORT_ENCODING = "utf-8"
# Scrapy checks every response's callback for a generator that returns a value
# by reading its source and parsing it (its cache keeps no bound method), about
# 1 ms a listing page; tests/test_spiders.py checks our callbacks once instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
