"""Why a page is not stored: one DropItem subclass per reason code.

Scrapy counts dropped items per exception class
(``item_dropped_reasons_count/<Class>``), so each reason gets its own
counter; the store pipeline writes ``reason`` into the ``urls`` ledger.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from storage.vocabulary import Reason, Status


class Skipped(DropItem):
    """A page that is not stored as an article, for a normal reason."""

    reason = Reason.SKIPPED
    status = Status.SKIPPED

    def __init__(self, message: str, *, detail: str | None = None):
        super().__init__(message, log_level="INFO")
        self.detail = detail


class EmptyBody(Skipped):
    reason = Reason.EMPTY_BODY


class NoText(Skipped):
    reason = Reason.NO_TEXT


class NotArticle(Skipped):
    reason = Reason.NOT_ARTICLE


class StorySource(Skipped):
    reason = Reason.STORY_SOURCE


class TooOld(Skipped):
    """Published before the story's coverage window (date read from the page)."""

    reason = Reason.TOO_OLD


class OffTopic(Skipped):
    reason = Reason.OFF_TOPIC


class KnownArticle(Skipped):
    """The page's canonical URL is an article already stored."""

    reason = Reason.DUPLICATE_URL


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

    reason = Reason.EXTRACT_CRASH
    status = Status.ERROR


class ExtractTimeout(Skipped):
    """Reading the page took longer than ``MONITOR_WORKER_TIMEOUT``; its worker was killed."""

    reason = Reason.EXTRACT_TIMEOUT
    status = Status.ERROR
