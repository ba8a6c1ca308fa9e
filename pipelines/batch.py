"""Writes waiting for the next transaction, and what dedup must see of them.

The store pipeline does not open one transaction per page: articles, ledger
rows and the run's counts queue here and are written together
(``storage.writes.write_batch``) when ``MONITOR_STORE_BATCH`` writes are
waiting, when the oldest has waited ``MONITOR_STORE_BATCH_SECONDS``, and when
the crawl closes. A crash loses at most the writes of one unfinished batch,
and those pages were never marked settled, so the next run fetches them again.

Until then, a queued article must count as stored for every later page:
its URL and canonical URL (``duplicate_url``), its text hash and LSH bands
(near-duplicates). Queued articles get negative provisional ids, rewritten to
real ids in the transaction; :class:`PendingAwareIndex` gives dedup the store
and the queue as one index. Everything here is bounded by the batch size.

The batch is an extension (``EXTENSIONS``) because two pipelines share it:
dedup reads it, the store pipeline fills and flushes it. A distributed mode
can reuse it as is: ``add_article``/``add_ledger`` to queue, ``take`` to get
one transaction's worth of operations.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from core.components import extension_of
from pipelines.dupindex import MemoryIndex

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

Operation = tuple[str, dict[str, Any]]


class WriteBatch:
    def __init__(self, max_items: int = 200, max_seconds: float = 2.0):
        self.max_items = max(1, max_items)
        self.max_seconds = max_seconds
        self._reset()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WriteBatch:
        return cls(crawler.settings.getint("MONITOR_STORE_BATCH"),
                   crawler.settings.getfloat("MONITOR_STORE_BATCH_SECONDS"))

    @classmethod
    def of(cls, crawler: Crawler) -> WriteBatch:
        return extension_of(crawler, cls)

    def _reset(self) -> None:
        self.operations: list[Operation] = []
        self.by_url: dict[str, int] = {}
        self.published: dict[int, str | None] = {}
        self.index = MemoryIndex()
        self.oldest: float | None = None
        self._next_key = getattr(self, "_next_key", -1)

    def __len__(self) -> int:
        return len(self.operations)

    # -- queueing ---------------------------------------------------------------------

    def add_ledger(self, *, url: str, status: str, reason: str, source: str, found_via: str = "",
                   detail: str | None = None, article_id: int | None = None) -> None:
        self._queue(("ledger", {"url": url, "status": status, "reason": reason, "source": source,
                                "found_via": found_via, "detail": detail, "article_id": article_id}))

    def add_article(self, row: dict[str, Any], *, ledger_urls: list[str], signature: tuple[int, ...] | None,
                    packed: bytes | None, bands: list[tuple[int, int]]) -> int:
        """Queue an article; return its provisional (negative) id."""
        key = self._next_key
        self._next_key -= 1
        self._queue(("article", {"key": key, "row": row, "ledger_urls": ledger_urls,
                                 "signature": packed, "bands": bands}))
        for url in (row.get("url"), row.get("canonical_url")):
            if url:
                self.by_url.setdefault(url, key)
        self.published[key] = row.get("published")
        if signature and row.get("text_hash"):
            self.index.add(key, text_hash=row["text_hash"], signature=signature, language=row.get("language"),
                           root=row.get("duplicate_of") or key)
        return key

    def _queue(self, operation: Operation) -> None:
        if self.oldest is None:
            self.oldest = time.monotonic()
        self.operations.append(operation)

    # -- what later pages must see ----------------------------------------------------------

    def article_by_url(self, url: str) -> dict[str, Any] | None:
        key = self.by_url.get(url)
        return {"id": key} if key is not None else None

    def published_of(self, key: int) -> str | None:
        return self.published.get(key)

    # -- flushing -------------------------------------------------------------------

    def due(self) -> bool:
        if not self.operations:
            return False
        full = len(self.operations) >= self.max_items
        return full or (self.oldest is not None and time.monotonic() - self.oldest >= self.max_seconds)

    def take(self) -> list[Operation]:
        """The queued operations, oldest first; the batch is empty afterwards."""
        operations = self.operations
        self._reset()
        return operations
