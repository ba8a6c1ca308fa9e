"""Write articles and ledger rows; keep the ``crawl_runs`` row of this crawl.

Every page ends here or in ``item_dropped``/``item_error``, and either way
its URL gets a row in ``urls`` with a status and a reason: "why is this
article missing?" always has an answer. Writes are queued in the crawl's
:class:`~pipelines.batch.WriteBatch` and written in one transaction per batch
(with the run's counts so far) when it is full or old enough, and when the
spider closes; the run is then finished with Scrapy's finish reason.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections import Counter, deque
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from twisted.internet import task

from crawler.items import ArticleItem, UrlRecord
from pipelines import textsig
from pipelines.batch import WriteBatch
from pipelines.drops import Skipped
from storage import StorageError, open_db, queries, writes

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from sqlite_utils import Database

logger = logging.getLogger(__name__)

ARTICLE_COLUMNS = (
    "url", "canonical_url", "source", "story", "title", "author", "text", "language", "language_reason",
    "published", "published_from", "label", "score", "matched", "signals", "duplicate_of",
    "duplicate_similarity", "text_hash", "found_via", "sitename",
)


def trusted_canonical(url: str, canonical: str | None) -> str:
    """The page's canonical URL when it names another page of the same site, else ``url``.

    Some sites point every page's canonical at their home page, or at another
    domain; those claims are ignored.
    """
    if not canonical:
        return url
    page, claim = urlsplit(url), urlsplit(canonical)
    if claim.scheme not in ("http", "https") or not claim.hostname or claim.path in ("", "/"):
        return url
    def host(h: str | None) -> str:
        return (h or "").removeprefix("www.")
    return canonical if host(page.hostname) == host(claim.hostname) else url


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db: Database | None = None
        self.run_id: int | None = None
        self.counts: Counter[str] = Counter()
        self.errors: deque[str] = deque(maxlen=50)
        self.batch: WriteBatch = WriteBatch.of(crawler)
        self.timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        path = self.crawler.settings.get("MONITOR_DB")
        self.db = open_db(path)
        spider = self.crawler.spider
        writes.close_stale_runs(self.db, pid_alive=_pid_alive)
        self.run_id = writes.start_run(self.db, spider=spider.name if spider else "?",
                                       source=getattr(spider, "source", None), pid=os.getpid())
        logger.info("run %s: storing into %s", self.run_id, path)
        self.timer = task.LoopingCall(self._flush_if_due)
        self.timer.start(max(0.05, self.batch.max_seconds / 2), now=False)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, UrlRecord):
            self._ledger(item.url, status=item.status, reason=item.reason, source=item.source,
                         found_via=item.found_via, detail=item.detail)
        elif isinstance(item, ArticleItem):
            self._store(item)
        return item

    def _store(self, item: ArticleItem) -> None:
        assert self.db is not None
        canonical = trusted_canonical(item.url, item.canonical_url)
        known = self._article_by_url(canonical) or self._article_by_url(item.url)
        ledger = [item.url, item.discovered_url or item.url]
        if known is not None:
            for url in dict.fromkeys(ledger):
                self._ledger(url, status="skipped", reason="duplicate_url", source=item.source,
                             found_via=item.found_via, detail=f"same page as article {known['id']}",
                             article_id=known["id"])
            return
        row = {key: getattr(item, key) for key in ARTICLE_COLUMNS}
        row["canonical_url"] = canonical
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
        return bool(original) and _date_key(item.published) < _date_key(original)

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
        if self.batch.due():
            self.flush()

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
        if not isinstance(item, ArticleItem) or self.db is None:
            return
        if isinstance(exception, Skipped):
            status, reason, detail = exception.status, exception.reason, exception.detail
        else:
            status, reason, detail = "skipped", "dropped", str(exception)
        for url in dict.fromkeys([item.url, item.discovered_url or item.url]):
            self._ledger(url, status=status, reason=reason, source=item.source, found_via=item.found_via,
                         detail=detail)

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        if not isinstance(item, ArticleItem) or self.db is None:
            return
        message = f"{type(failure.value).__name__}: {failure.value}"
        self._ledger(item.url, status="error", reason="pipeline_error", source=item.source,
                     found_via=item.found_via, detail=message[:500])

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.db is None or self.run_id is None:
            return
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        stats = self.crawler.stats
        if stats is not None:
            self.counts["already_known"] += int(stats.get_value("monitor/already_known", 0))
        try:
            self.flush()
            writes.finish_run(self.db, self.run_id, finish_reason=reason, counts=+self.counts,
                              error_messages=list(self.errors))
            logger.info("run %s finished (%s): %s", self.run_id, reason, dict(sorted(self.counts.items())))
        finally:
            self.db.close()
            self.db = None


def _date_key(value: str) -> str:
    """Comparable form of an ISO date or datetime, in UTC when it has an offset."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value[:10]
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat()


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
