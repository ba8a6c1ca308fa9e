"""Write articles and ledger rows; keep the ``crawl_runs`` row of this crawl.

Every page ends here or in ``item_dropped``/``item_error``, and either way
its URL gets a row in ``urls`` with a status and a reason: "why is this
article missing?" always has an answer. Writes are queued in the crawl's
:class:`~pipelines.batch.WriteBatch` and written in one transaction per batch
(with the run's counts so far) when it is full or old enough, and when the
spider closes; the run is then finished with Scrapy's finish reason.

When the store cannot be written (disk full, read-only file, database
locked past the busy timeout), the crawl is closed with reason
``storage_error`` at the first failure, instead of fetching pages only to
drop them one by one. Nothing is lost: an unwritten batch leaves its pages
without a ``stored`` row, so the next run fetches them again.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections import Counter, deque
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from core.dates import utc_key
from core.items import ArticleItem, UrlRecord
from core.processes import pid_alive
from pipelines import textsig
from pipelines.batch import WriteBatch
from pipelines.canonical import canonical_claim
from pipelines.drops import Skipped, StorageUnavailable
from storage import StorageError, limit_size, open_crawl_store, queries, writes
from storage.vocabulary import Reason, Status

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from sqlite_utils import Database
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

ARTICLE_COLUMNS = (
    "url", "canonical_url", "source", "story", "title", "author", "text", "language", "language_reason",
    "published", "published_from", "label", "score", "matched", "signals", "duplicate_of",
    "duplicate_similarity", "text_hash", "found_via", "sitename",
    "charset", "charset_suspect", "replacement_ratio",
)


def describe(exc: BaseException) -> str:
    """An exception as the ledger records a pipeline error: ``Type: message``."""
    return f"{type(exc).__name__}: {exc}"


def begin_run(db: Database, *, spider: str, source: str | None, max_pages: int) -> int:
    """Cap the store's size, mark the runs of dead crawls crashed, and open this run's ``crawl_runs`` row."""
    limit_size(db, max_pages)
    writes.close_stale_runs(db, pid_alive=pid_alive)
    return writes.start_run(db, spider=spider, source=source, pid=os.getpid())


class ArticleStore:
    """Articles, ledger rows and one run's counts, queued in ``batch`` and written to ``db`` through storage/.

    Plain Python, so the crawl (:class:`StorePipeline`) and the distributed
    ingest drive the same code. The first write failure is kept in
    ``failure`` (naming ``path``, and for a lock the busy timeout) and
    handed once to ``on_failure``; from then on nothing more is written and
    items are refused with :class:`~pipelines.drops.StorageUnavailable`.
    """

    def __init__(self, db: Database, batch: WriteBatch, *, run_id: int, path: str, busy_timeout: float,
                 on_failure: Callable[[str], None] | None = None):
        self.db = db
        self.batch = batch
        self.run_id = run_id
        self.path = path
        self.busy_timeout = busy_timeout
        self.on_failure = on_failure
        self.counts: Counter[str] = Counter()
        self.errors: deque[str] = deque(maxlen=50)
        self.failure: str | None = None

    def write(self, item: Any) -> Any:
        """Queue an article (or a :class:`~core.items.UrlRecord`'s ledger row); other items pass through."""
        if self.failure is not None:
            raise StorageUnavailable(f"not stored, the store failed ({self.failure}): {_url_of(item)}")
        try:
            if isinstance(item, UrlRecord):
                self._ledger(item.url, status=item.status, reason=item.reason, source=item.source,
                             found_via=item.found_via, detail=item.detail)
            elif isinstance(item, ArticleItem):
                self._store(item)
        except (StorageError, sqlite3.Error) as exc:
            self.fail(exc)
            raise StorageUnavailable(f"not stored ({self.failure}): {_url_of(item)}") from None
        return item

    def dropped(self, item: Any, exception: BaseException) -> None:
        """The ledger rows of a page that is not stored, with the drop's reason."""
        if not isinstance(item, ArticleItem) or self.failure is not None:
            return
        if isinstance(exception, Skipped):
            status, reason, detail = str(exception.status), str(exception.reason), exception.detail
        else:
            status, reason, detail = Status.SKIPPED, "dropped", str(exception)
        for url in dict.fromkeys([item.url, item.discovered_url or item.url]):
            self._ledger(url, status=status, reason=reason, source=item.source, found_via=item.found_via,
                         detail=detail)

    def error(self, item: Any, detail: str) -> None:
        """The ledger row of a page a pipeline failed on; ``detail`` is ``Type: message`` (:func:`describe`)."""
        if not isinstance(item, ArticleItem) or self.failure is not None:
            return
        self._ledger(item.url, status=Status.ERROR, reason=Reason.PIPELINE_ERROR, source=item.source,
                     found_via=item.found_via, detail=detail[:500])

    def fail(self, exc: BaseException) -> None:
        """Record the first write failure; later items are left for the next run."""
        if self.failure is not None:
            return
        self.failure = failure_message(exc, path=self.path, busy_timeout=self.busy_timeout)
        if self.on_failure is not None:
            self.on_failure(self.failure)

    def finish(self, reason: str, *, more: Mapping[str, int] | None = None) -> None:
        """Write what is queued (unless the store failed); close the run's row with its counts and ``more``
        (counted elsewhere: pages already known, not modified...)."""
        self.counts.update(more or {})
        try:
            if self.failure is None:
                self.flush()
            writes.finish_run(self.db, self.run_id, finish_reason=reason, counts=+self.counts,
                              error_messages=list(self.errors))
            logger.info("run %s finished (%s): %s", self.run_id, reason, dict(sorted(self.counts.items())))
        except (StorageError, sqlite3.Error) as exc:
            logger.error("run %s (%s): cannot record the end of the run: %s", self.run_id, reason, exc)

    def _store(self, item: ArticleItem) -> None:
        canonical, refused = canonical_claim(item.url, item.canonical_url)
        known = self._article_by_url(canonical) or self._article_by_url(item.url)
        ledger = [item.url, item.discovered_url or item.url]
        if known is not None and known["url"] == item.url and known["id"] > 0:
            self._refresh(item, known)
            return
        if known is not None:
            for url in dict.fromkeys(ledger):
                self._ledger(url, status=Status.SKIPPED, reason=Reason.DUPLICATE_URL, source=item.source,
                             found_via=item.found_via, detail=f"same page as article {known['id']}",
                             article_id=known["id"])
            return
        row = {key: getattr(item, key) for key in ARTICLE_COLUMNS}
        row["canonical_url"] = canonical
        if refused:  # kept as what the page claimed, not acted on
            row["signals"] = {**(row.get("signals") or {}), "canonical_claim": (item.canonical_url or "")[:2000],
                              "canonical_refused": refused}
        older_copy = self._is_older_than_its_original(item)
        if older_copy:
            row["duplicate_of"] = row["duplicate_similarity"] = None
        signature = tuple(item.signature) if item.signature else None
        packed = textsig.pack(signature) if signature else None
        bands = textsig.bands(signature) if signature else []
        if older_copy:
            self._store_older_copy(item, row, ledger, packed, bands)
        else:
            self.batch.add_article(row, ledger_urls=list(dict.fromkeys(ledger)), signature=signature,
                                   packed=packed, bands=bands)
        kind = "duplicate" if item.duplicate_of else (item.label or "unknown")
        self.counts[f"stored/{kind}"] += 1
        logger.info("stored %s %s [%s, %.2f]", kind, item.url, item.language, item.score or 0)
        self.flush_if_due()

    def _store_older_copy(self, item: ArticleItem, row: dict[str, Any], ledger: list[str], packed: bytes | None,
                          bands: list[tuple[int, int]]) -> None:
        """A copy older than its group's original becomes the original: rare, so written at once."""
        assert item.duplicate_of is not None
        group_root = self.flush().get(item.duplicate_of, item.duplicate_of)
        try:
            article_id = writes.store_article(self.db, row, run_id=self.run_id, ledger_urls=ledger,
                                              signature=packed, bands=bands)
            writes.promote_original(self.db, group_root=group_root, new_root=article_id,
                                    similarity=item.duplicate_similarity)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot store {item.url}: {exc}") from exc
        self.counts[f"stored/{item.label}"] -= 1  # the former original now counts as a copy
        self.counts["stored/duplicate"] += 1
        item.duplicate_of = None

    def _refresh(self, item: ArticleItem, known: dict[str, Any]) -> None:
        """The same page fetched again (its feed or sitemap date changed): update it in place."""
        fields = {key: getattr(item, key) for key in ("title", "author", "text", "published", "published_from",
                                                        "sitename", "score", "text_hash")}
        writes.refresh_article(self.db, known["id"], {k: v for k, v in fields.items() if v is not None})
        if item.discovered_url and item.discovered_url != item.url:
            self._ledger(item.discovered_url, status=Status.STORED, reason=str(known["label"]), source=item.source,
                         found_via=item.found_via, article_id=known["id"])
        self.counts["refreshed"] += 1
        logger.info("refreshed article %s %s", known["id"], item.url)

    def _article_by_url(self, url: str) -> dict[str, Any] | None:
        return queries.article_by_url(self.db, url) or self.batch.article_by_url(url)

    def _is_older_than_its_original(self, item: ArticleItem) -> bool:
        """A copy published before the article it was matched to is the group's real original."""
        if not item.duplicate_of or not item.published:
            return False
        if item.duplicate_of < 0:  # still queued in the batch
            original = self.batch.published_of(item.duplicate_of)
        else:
            original = queries.published_of(self.db, item.duplicate_of)
        if not original:
            return False
        return (utc_key(item.published) or item.published) < (utc_key(original) or original)

    def _ledger(self, url: str, *, status: str, reason: str, source: str, found_via: str = "",
                detail: str | None = None, article_id: int | None = None) -> None:
        self.batch.add_ledger(url=url, status=status, reason=reason, source=source, found_via=found_via,
                              detail=detail, article_id=article_id)
        self.counts[f"{status}/{reason}"] += 1
        if status == "error":
            self.errors.append(f"{reason}: {url}" + (f" ({detail})" if detail else ""))
        self.flush_if_due()

    # -- batched writes ------------------------------------------------------------------

    def flush_if_due(self) -> None:
        """Write the queue when it is full or old enough (``MONITOR_STORE_BATCH``, ``_SECONDS``)."""
        if self.batch.due():
            self.try_flush()

    def try_flush(self) -> None:
        """Write the queue unless the store already failed; a failure is recorded, never raised
        (this also runs from the crawl's timer, where nothing may escape)."""
        if self.failure is None:
            try:
                self.flush()
            except StorageError as exc:
                self.fail(exc)

    def flush(self) -> dict[int, int]:
        """Write every queued operation in one transaction; provisional → real article ids."""
        if not len(self.batch):
            return {}
        operations = self.batch.take()
        try:
            return writes.write_batch(self.db, operations, run_id=self.run_id, counts=+self.counts)
        except sqlite3.IntegrityError:
            # Another crawl stored one of these pages meanwhile: write them one by one.
            return self._write_one_by_one(operations)
        except sqlite3.Error as exc:
            logger.error("cannot write %d queued row(s) to the store: %s", len(operations), exc)
            raise StorageError(f"cannot write to the store: {exc}") from exc

    def _write_one_by_one(self, operations: list[tuple[str, dict[str, Any]]]) -> dict[int, int]:
        ids: dict[int, int] = {}
        for kind, op in operations:
            if kind == "article":
                op = dict(op, row=dict(op["row"], duplicate_of=ids.get(op["row"].get("duplicate_of") or 0,
                                                                         op["row"].get("duplicate_of"))))
            elif (op.get("article_id") or 0) < 0:
                op = dict(op, article_id=ids.get(op["article_id"]))
            try:
                ids.update(writes.write_batch(self.db, [(kind, op)], run_id=self.run_id))
            except sqlite3.IntegrityError as exc:
                if kind != "article":
                    raise
                row = op["row"]
                self.counts[f"stored/{'duplicate' if row.get('duplicate_of') else row.get('label')}"] -= 1
                self.counts["skipped/duplicate_url"] += len(op["ledger_urls"])
                writes.write_batch(self.db, [("ledger", {
                    "url": url, "status": "skipped", "reason": "duplicate_url", "source": row.get("source"),
                    "found_via": row.get("found_via") or "", "detail": f"stored by another crawl ({exc})",
                    "article_id": None}) for url in op["ledger_urls"]], run_id=self.run_id)
        return ids



class StorePipeline:
    """The Scrapy side of :class:`ArticleStore`.

    Opens it when the spider opens, flushes it on a timer and when the crawl
    is idle, records dropped and failed items from their signals, and closes
    the crawl with ``storage_error`` at the first write failure.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.batch: WriteBatch = WriteBatch.of(crawler)
        self.store: ArticleStore | None = None
        self.timer: task.LoopingCall | None = None
        self.storage_failure: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        settings = self.crawler.settings
        path, busy_timeout = str(settings.get("MONITOR_DB")), settings.getfloat("MONITOR_BUSY_TIMEOUT")
        spider = self.crawler.spider
        db: Database | None = None
        try:
            db = open_crawl_store(settings)
            run_id = begin_run(db, spider=spider.name if spider else "?", source=getattr(spider, "source", None),
                               max_pages=settings.getint("MONITOR_DB_MAX_PAGES"))
        except (StorageError, sqlite3.Error) as exc:
            if db is not None:
                db.close()
            self._storage_failed(failure_message(exc, path=path, busy_timeout=busy_timeout))
            return
        self.store = ArticleStore(db, self.batch, run_id=run_id, path=path, busy_timeout=busy_timeout,
                                  on_failure=self._storage_failed)
        logger.info("run %s: storing into %s", run_id, path)
        self.timer = task.LoopingCall(self._flush_if_due)
        self.timer.start(max(0.05, self.batch.max_seconds / 2), now=False)

    def process_item(self, item: Any) -> Any:
        if self.store is None:
            raise StorageUnavailable(f"not stored, the store failed ({self.storage_failure}): {_url_of(item)}")
        return self.store.write(item)

    def _storage_failed(self, message: str) -> None:
        """The first write failure closes the crawl with ``storage_error``; later items are left for the next run."""
        self.storage_failure = message
        logger.error("the store cannot be written, closing the crawl: %s", message)
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("monitor/storage_error", message)
        engine = self.crawler.engine
        if engine is not None:
            closing = deferred_from_coro(engine.close_spider_async(reason="storage_error"))
            closing.addErrback(lambda failure: logger.error("cannot close the crawl: %s", failure.value))

    def _flush_if_due(self) -> None:
        if self.store is not None:
            self.store.flush_if_due()

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Spider) -> None:
        if self.store is not None:
            self.store.dropped(item, exception)

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Failure) -> None:
        if self.store is not None:
            self.store.error(item, describe(failure.value))

    def spider_idle(self, spider: Spider) -> None:
        """Write what is queued before the crawl closes, so a failing store still closes it as ``storage_error``."""
        if self.store is not None:
            self.store.try_flush()
        if self.storage_failure is not None:
            raise CloseSpider("storage_error")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.store is None:
            return
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        stats = self.crawler.stats
        more = {key: int(stats.get_value(f"monitor/{key}", 0))
                for key in ("already_known", "not_modified", "refetch_changed", "feeds_discovered")} if stats else {}
        try:
            self.store.finish(reason, more=more)
        finally:
            self.store.db.close()
            self.store = None


def failure_message(exc: BaseException, *, path: str, busy_timeout: float) -> str:
    """What went wrong, naming the store, and for a lock the setting that bounds the wait."""
    message = str(exc)
    if path not in message:
        message = f"{path}: {message}"
    if _locked(exc):
        message += (f" (another process held the write lock longer than MONITOR_BUSY_TIMEOUT={busy_timeout:g}s;"
                    " the unwritten pages are fetched again by the next run)")
    return message[:500]


def _locked(exc: BaseException) -> bool:
    """SQLite's lock error, or a StorageError raised for one (it carries the sqlite3 error as its cause)."""
    return any(getattr(e, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
               for e in (exc, exc.__cause__))


def _url_of(item: Any) -> str:
    return str(getattr(item, "url", "?"))
