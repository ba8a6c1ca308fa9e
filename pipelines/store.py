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
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from core.dates import utc_key
from core.items import ArticleItem, UrlRecord
from core.processes import pid_alive
from pipelines import textsig
from pipelines.batch import WriteBatch
from pipelines.drops import Skipped, StorageUnavailable
from storage import StorageError, limit_size, open_crawl_store, queries, writes
from storage.vocabulary import Reason, Status

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from sqlite_utils import Database

logger = logging.getLogger(__name__)

ARTICLE_COLUMNS = (
    "url", "canonical_url", "source", "story", "title", "author", "text", "language", "language_reason",
    "published", "published_from", "label", "score", "matched", "signals", "duplicate_of",
    "duplicate_similarity", "text_hash", "found_via", "sitename",
    "charset", "charset_suspect", "replacement_ratio",
)


def trusted_canonical(url: str, canonical: str | None) -> str:
    """The URL an article is stored under: its canonical only when believed (see :func:`canonical_claim`)."""
    return canonical_claim(url, canonical)[0]


def _family(path: str) -> str:
    """A path without what only spells the same page differently: case, trailing slash, AMP, index page."""
    path = path.lower().rstrip("/")
    for suffix in ("/amp", ".amp", "/index.html", "/index.htm", "/index.php"):
        path = path.removesuffix(suffix)
    return path.replace("/amp/", "/", 1).replace(".amp.", ".", 1)


def canonical_claim(url: str, canonical: str | None) -> tuple[str, str | None]:
    """The URL to store ``url`` under, and why its ``canonical`` was not believed (None: believed or none).

    A page's canonical link is the page's own word. It is believed only
    when it names the page's own URL family: same host (``www.`` aside) and
    the same path up to spelling (case, trailing slash, AMP, ``index.html``),
    with no query parameter the page does not have. Anything else (another
    article of the outlet, the home page, another domain) would let one page
    take another's place in the store (the other then skipped as a
    ``duplicate_url``), so it stays a claim, kept in ``signals``.
    """
    if not canonical or canonical == url:
        return url, None
    try:
        page, claim = urlsplit(url), urlsplit(canonical)
        page_host, claim_host = page.hostname, claim.hostname
    except ValueError:
        return url, "unparsable"
    if claim.scheme.lower() not in ("http", "https") or not claim_host:
        return url, "not an http(s) URL"
    if (page_host or "").removeprefix("www.") != claim_host.removeprefix("www."):
        return url, "another host"
    if _family(page.path) != _family(claim.path):
        return url, "another page of the site"
    if not set(parse_qsl(claim.query)) <= set(parse_qsl(page.query)):
        return url, "a query the page does not have"
    return canonical, None


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db: Database | None = None
        self.run_id: int | None = None
        self.counts: Counter[str] = Counter()
        self.errors: deque[str] = deque(maxlen=50)
        self.batch: WriteBatch = WriteBatch.of(crawler)
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
        path = self.crawler.settings.get("MONITOR_DB")
        try:
            self.db = open_crawl_store(self.crawler.settings)
            limit_size(self.db, self.crawler.settings.getint("MONITOR_DB_MAX_PAGES"))
            spider = self.crawler.spider
            writes.close_stale_runs(self.db, pid_alive=pid_alive)
            self.run_id = writes.start_run(self.db, spider=spider.name if spider else "?",
                                           source=getattr(spider, "source", None), pid=os.getpid())
        except (StorageError, sqlite3.Error) as exc:
            self._storage_failed(exc)
            return
        logger.info("run %s: storing into %s", self.run_id, path)
        self.timer = task.LoopingCall(self._flush_if_due)
        self.timer.start(max(0.05, self.batch.max_seconds / 2), now=False)

    def process_item(self, item: Any) -> Any:
        if self.storage_failure is not None:
            raise StorageUnavailable(f"not stored, the store failed ({self.storage_failure}): {_url_of(item)}")
        try:
            if isinstance(item, UrlRecord):
                self._ledger(item.url, status=item.status, reason=item.reason, source=item.source,
                             found_via=item.found_via, detail=item.detail)
            elif isinstance(item, ArticleItem):
                self._store(item)
        except (StorageError, sqlite3.Error) as exc:
            self._storage_failed(exc)
            raise StorageUnavailable(f"not stored ({self.storage_failure}): {_url_of(item)}") from None
        return item

    def _storage_failed(self, exc: BaseException) -> None:
        """The first write failure closes the crawl with ``storage_error``; later items are left for the next run."""
        if self.storage_failure is not None:
            return
        self.storage_failure = _failure_message(exc, path=str(self.crawler.settings.get("MONITOR_DB")),
                                                busy_timeout=self.crawler.settings.getfloat("MONITOR_BUSY_TIMEOUT"))
        logger.error("the store cannot be written, closing the crawl: %s", self.storage_failure)
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("monitor/storage_error", self.storage_failure)
        engine = self.crawler.engine
        if engine is not None:
            closing = deferred_from_coro(engine.close_spider_async(reason="storage_error"))
            closing.addErrback(lambda failure: logger.error("cannot close the crawl: %s", failure.value))

    def _store(self, item: ArticleItem) -> None:
        assert self.db is not None
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
        self._flush_if_due()

    def _store_older_copy(self, item: ArticleItem, row: dict[str, Any], ledger: list[str], packed: bytes | None,
                          bands: list[tuple[int, int]]) -> None:
        """A copy older than its group's original becomes the original: rare, so written at once."""
        assert self.db is not None and item.duplicate_of is not None
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
        assert self.db is not None
        fields = {key: getattr(item, key) for key in ("title", "author", "text", "published", "published_from",
                                                        "sitename", "score", "text_hash")}
        writes.refresh_article(self.db, known["id"], {k: v for k, v in fields.items() if v is not None})
        if item.discovered_url and item.discovered_url != item.url:
            self._ledger(item.discovered_url, status=Status.STORED, reason=str(known["label"]), source=item.source,
                         found_via=item.found_via, article_id=known["id"])
        self.counts["refreshed"] += 1
        logger.info("refreshed article %s %s", known["id"], item.url)

    def _article_by_url(self, url: str) -> dict[str, Any] | None:
        assert self.db is not None
        return queries.article_by_url(self.db, url) or self.batch.article_by_url(url)

    def _is_older_than_its_original(self, item: ArticleItem) -> bool:
        """A copy published before the article it was matched to is the group's real original."""
        if not item.duplicate_of or not item.published:
            return False
        assert self.db is not None
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
        self._flush_if_due()

    # -- batched writes ------------------------------------------------------------------

    def _flush_if_due(self) -> None:
        if self.batch.due() and self.storage_failure is None:
            try:
                self.flush()
            except StorageError as exc:  # also called from the timer: never let it escape there
                self._storage_failed(exc)

    def flush(self) -> dict[int, int]:
        """Write every queued operation in one transaction; provisional → real article ids."""
        if self.db is None or not len(self.batch):
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
        assert self.db is not None
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

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Spider) -> None:
        if not isinstance(item, ArticleItem) or self.db is None or self.storage_failure is not None:
            return
        if isinstance(exception, Skipped):
            status, reason, detail = exception.status, exception.reason, exception.detail
        else:
            status, reason, detail = "skipped", "dropped", str(exception)
        for url in dict.fromkeys([item.url, item.discovered_url or item.url]):
            self._ledger(url, status=status, reason=reason, source=item.source, found_via=item.found_via,
                         detail=detail)

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        if not isinstance(item, ArticleItem) or self.db is None or self.storage_failure is not None:
            return
        message = f"{type(failure.value).__name__}: {failure.value}"
        self._ledger(item.url, status=Status.ERROR, reason=Reason.PIPELINE_ERROR, source=item.source,
                     found_via=item.found_via, detail=message[:500])

    def spider_idle(self, spider: Spider) -> None:
        """Write what is queued before the crawl closes, so a failing store still closes it as ``storage_error``."""
        if self.storage_failure is None and self.db is not None:
            try:
                self.flush()
            except StorageError as exc:
                self._storage_failed(exc)
        if self.storage_failure is not None:
            raise CloseSpider("storage_error")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.db is None or self.run_id is None:
            return
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        stats = self.crawler.stats
        if stats is not None:
            self.counts["already_known"] += int(stats.get_value("monitor/already_known", 0))
            for key in ("not_modified", "refetch_changed", "feeds_discovered"):
                self.counts[key] += int(stats.get_value(f"monitor/{key}", 0))
        try:
            if self.storage_failure is None:
                self.flush()
            writes.finish_run(self.db, self.run_id, finish_reason=reason, counts=+self.counts,
                              error_messages=list(self.errors))
            logger.info("run %s finished (%s): %s", self.run_id, reason, dict(sorted(self.counts.items())))
        except (StorageError, sqlite3.Error) as exc:
            logger.error("run %s (%s): cannot record the end of the run: %s", self.run_id, reason, exc)
        finally:
            self.db.close()
            self.db = None


def _failure_message(exc: BaseException, *, path: str, busy_timeout: float) -> str:
    """What went wrong, naming the store, and for a lock the setting that bounds the wait."""
    message = str(exc)
    if path not in message:
        message = f"{path}: {message}"
    if getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or _locked(exc):
        message += (f" (another process held the write lock longer than MONITOR_BUSY_TIMEOUT={busy_timeout:g}s;"
                    " the unwritten pages are fetched again by the next run)")
    return message[:500]


def _locked(exc: BaseException) -> bool:
    """A StorageError raised for a lock carries the sqlite3 error that caused it."""
    cause = exc.__cause__
    return getattr(cause, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _url_of(item: Any) -> str:
    return str(getattr(item, "url", "?"))
