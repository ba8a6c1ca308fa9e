"""The words the store records: an article's label, a URL's status and the reason for it.

One vocabulary for every module that writes or reads them (spiders, pipelines,
the store, the desk, the CLI). The members are strings (``StrEnum``): they are
written to SQLite, JSON and logs as their values, and compare equal to them.
"""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    """What an article is to the story (``articles.label``)."""

    FOLLOWUP = "followup"  # the story is its subject
    MENTION = "mention"  # named in passing: stored, not counted
    SOURCE_COPY = "source_copy"  # the source again: republished, syndicated, translated
    OFF_TOPIC = "off_topic"  # not about the story: not stored as an article


class Status(StrEnum):
    """Where a URL stands in the ``urls`` ledger."""

    STORED = "stored"
    SKIPPED = "skipped"  # settled: not fetched again
    ERROR = "error"  # tried again by a later run


class Reason(StrEnum):
    """Why a URL is stored, skipped or failed (``urls.reason``); HTTP statuses are :func:`http_reason`."""

    # stored
    FOLLOWUP = "followup"
    MENTION = "mention"
    SOURCE_COPY = "source_copy"
    DUPLICATE = "duplicate"
    # skipped by the pipelines
    SKIPPED = "skipped"
    OFF_TOPIC = "off_topic"
    TOO_OLD = "too_old"
    DUPLICATE_URL = "duplicate_url"
    STORY_SOURCE = "story_source"
    NOT_ARTICLE = "not_article"
    NO_TEXT = "no_text"
    EMPTY_BODY = "empty_body"
    NOT_HTML = "not_html"
    # refused before fetching
    INVALID_URL = "invalid_url"
    URL_TOO_LONG = "url_too_long"
    URL_USERINFO = "url_userinfo"
    BLOCKED_SCHEME = "blocked_scheme"
    BLOCKED_ADDRESS = "blocked_address"
    SPIDER_TRAP = "spider_trap"
    ROBOTS_TXT = "robots_txt"
    HOST_PAUSED = "host_paused"
    RATE_LIMITED = "rate_limited"
    # the fetch failed
    TIMEOUT = "timeout"
    DNS_ERROR = "dns_error"
    CONNECTION_REFUSED = "connection_refused"
    DATA_LOSS = "data_loss"
    TOO_LARGE = "too_large"
    DECOMPRESSION_BOMB = "decompression_bomb"
    HEADERS_TOO_LARGE = "headers_too_large"
    REDIRECT_LOOP = "redirect_loop"
    BAD_REDIRECT_SCHEME = "bad_redirect_scheme"
    FETCH_ERROR = "fetch_error"
    IGNORED = "ignored"
    # listings
    NOT_A_FEED = "not_a_feed"
    NOT_A_SITEMAP = "not_a_sitemap"
    SITEMAP_TOO_DEEP = "sitemap_too_deep"
    SITEMAP_LOOP = "sitemap_loop"
    SITEMAP_LIMIT = "sitemap_limit"
    FEED_LIMIT = "feed_limit"
    TOO_MANY_LINKS = "too_many_links"
    PARSER_ERROR = "parser_error"
    # our own failures
    EXTRACT_CRASH = "extract_crash"
    EXTRACT_TIMEOUT = "extract_timeout"
    PIPELINE_ERROR = "pipeline_error"


def http_reason(status: int) -> str:
    """The reason of a URL that answered with an HTTP error status (``http_404``)."""
    return f"http_{status}"
