"""Why a page is not stored: one DropItem subclass per reason code.

Scrapy counts dropped items per exception class
(``item_dropped_reasons_count/<Class>``), so each reason gets its own
counter; the store pipeline writes ``reason`` into the ``urls`` ledger.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem


class Skipped(DropItem):
    """A page that is not stored as an article, for a normal reason."""

    reason = "skipped"
    status = "skipped"

    def __init__(self, message: str, *, detail: str | None = None):
        super().__init__(message, log_level="INFO")
        self.detail = detail


class EmptyBody(Skipped):
    reason = "empty_body"


class NoText(Skipped):
    reason = "no_text"


class NotArticle(Skipped):
    reason = "not_article"


class StorySource(Skipped):
    reason = "story_source"


class TooOld(Skipped):
    """Published before the story's coverage window (date read from the page)."""

    reason = "too_old"


class OffTopic(Skipped):
    reason = "off_topic"


class KnownArticle(Skipped):
    """The page's canonical URL is an article already stored."""

    reason = "duplicate_url"


class StorageUnavailable(DropItem):
    """The store cannot be written; the crawl is closing with ``storage_error``.

    Not a :class:`Skipped`: nothing is written for it, so the URL stays
    unsettled and the next run fetches it again.
    """

    def __init__(self, message: str):
        super().__init__(message, log_level="DEBUG")

class ExtractCrash(Skipped):
    """The worker process reading the page died (or failed) on it; it was replaced.

    An error, not a settled skip: the page is tried again by the next run.
    """

    reason = "extract_crash"
    status = "error"


class ExtractTimeout(Skipped):
    """Reading the page took longer than ``MONITOR_WORKER_TIMEOUT``; its worker was killed."""

    reason = "extract_timeout"
    status = "error"
