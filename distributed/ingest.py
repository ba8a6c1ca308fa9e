"""The single writer of distributed mode: Redis items → dedup → SQLite.

    python -m distributed.ingest [--db PATH] [--redis URL] [--batch 200] [--until-empty]

Workers (``scrapy crawl`` with ``MONITOR_REDIS_URL``) push finished items on
``monitor:items`` (distributed/push.py). This process takes them in batches with
the reliable-queue pattern: ``BLMOVE``/``LMOVE`` moves each message to
``monitor:items:processing``; the batch runs through the same dedup and store
code as a crawl (:func:`~pipelines.dedup.deduplicate` and
:class:`~pipelines.store.ArticleStore`, which the crawl's pipelines wrap) on
one SQLite connection; the store queues its writes in a
:class:`~pipelines.batch.WriteBatch` that only the ingest flushes, once per
popped batch, in one transaction that also records the message ids
(``ingested_messages``) and applies what the workers' ledgers sent (listing
results and health, discoveries, entry dates: distributed/ledger.py); only
after the commit are the messages removed from the processing list. A crash
at any point loses nothing: at start, messages left in the processing list
are processed first, and those already committed are recognised by their id
and skipped, so nothing is stored twice either.

After each commit the ingest adds the URLs now settled to ``monitor:settled``
(the workers' ledger), and forgets the seen-set fingerprint of articles that
failed for a transient reason (timeout, 5xx...), so a later round tries them
again, as a single-machine crawl would. At start it loads the whole ledger
into ``monitor:settled``. One ingest per Redis frontier (a lock in Redis).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from core.items import ArticleItem, UrlRecord
from core.processes import pid_alive
from distributed import codec, frontier
from distributed.ledger import apply_message
from distributed.scheduler import article_fingerprint
from pipelines.batch import WriteBatch
from pipelines.dedup import deduplicate_detecting
from pipelines.drops import Skipped
from pipelines.dupindex import PendingAwareIndex, StoreIndex
from pipelines.profile import StoryProfile
from pipelines.store import ArticleStore, begin_run, describe
from storage import StorageError, open_crawl_store, queries, writes

logger = logging.getLogger(__name__)

LOCK_KEY = "monitor:ingest:lock"
LOCK_SECONDS = 30


def _remote_error(detail: str) -> str:
    """A worker's ``Type: message`` as the ledger records it (``PipelineError`` when the type is unreadable)."""
    name, _, message = detail.partition(": ")
    return f"{name if name.isidentifier() else 'PipelineError'}: {message}"


class Ingest:
    def __init__(self, *, db_path: str, url: str, batch: int = 200):
        settings = Settings()
        settings.setmodule("crawler.settings", priority="project")
        settings.set("MONITOR_DB", db_path, priority="cmdline")
        self.settings = settings
        self.url = url
        self.batch = batch
        self.server = frontier.connect(url, settings)
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self.stopping = False
        self.committed = 0
        self.pending: set[str] = set()  # article URLs handled in the batch being committed
        self.profiles: dict[str, StoryProfile] = {}
        # What the workers' runs counted before their items reached us (added to this run's row at the end).
        self.run_counts: Counter[str] = Counter()
        # The store queues its writes here; the ingest alone flushes them, once
        # per popped batch (never on size or age).
        self.write_batch = WriteBatch(max_items=sys.maxsize, max_seconds=float("inf"))
        self.same_text = settings.getfloat("MONITOR_DEDUP_SIMILARITY")
        self.translation = settings.getfloat("MONITOR_TRANSLATION_ANCHORS")

    # --- lifecycle -------------------------------------------------------------

    def open(self) -> None:
        """Take the lock, open the store and this run's row, load the stories, share the ledger."""
        self._lock()
        try:
            self.db = open_crawl_store(self.settings)
            try:
                run_id = begin_run(self.db, spider="ingest", source=None,
                                   max_pages=self.settings.getint("MONITOR_DB_MAX_PAGES"))
            except sqlite3.Error as exc:
                self.db.close()
                raise StorageError(f"{self.settings.get('MONITOR_DB')}: {exc}") from exc
        except BaseException:
            self._unlock()
            raise
        # One connection for dedup and store, so a batch is one transaction and
        # dedup sees the articles stored earlier in the same batch.
        self.store = ArticleStore(self.db, self.write_batch, run_id=run_id, path=str(self.settings.get("MONITOR_DB")),
                                  busy_timeout=self.settings.getfloat("MONITOR_BUSY_TIMEOUT"))
        self.index = PendingAwareIndex(StoreIndex(self.db), self.write_batch)
        self._load_profiles()
        self._publish_ledger()

    def close(self, reason: str = "finished") -> None:
        try:
            self.store.finish(reason, more=self.run_counts)
        finally:
            self.db.close()
            self._unlock()
            self.server.close()

    def _lock(self) -> None:
        if self.server.set(LOCK_KEY, self.owner, nx=True, ex=LOCK_SECONDS):
            return
        holder = frontier.as_text(self.server.get(LOCK_KEY) or b"")
        host, _, pid = holder.rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not pid_alive(int(pid)):
            logger.warning("taking over from ingest %s, which is no longer running", holder)
            self.server.set(LOCK_KEY, self.owner, ex=LOCK_SECONDS)
            return
        raise StorageError(f"another ingest ({holder}) is consuming {self.url}; only one may write")

    def _unlock(self) -> None:
        if self.server.get(LOCK_KEY) == self.owner.encode():
            self.server.delete(LOCK_KEY)

    def _load_profiles(self) -> None:
        self.profiles.clear()
        for row in queries.stories(self.db):
            self.profiles[row["name"]] = StoryProfile.build(
                name=row["name"], url=row["url"], language=row["language"],
                terms=tuple(json.loads(row["terms"] or "[]")), since=row["since"], text=row["text"])

    def _publish_ledger(self) -> None:
        chunk: list[str] = []
        total = 0
        for url in queries.all_settled_urls(self.db):
            chunk.append(url)
            if len(chunk) == 5000:
                total += self.server.sadd(frontier.SETTLED_KEY, *chunk)
                chunk.clear()
        if chunk:
            total += self.server.sadd(frontier.SETTLED_KEY, *chunk)
        logger.info("ledger: %d settled URL(s) newly shared with the workers", total)

    # --- the loop ------------------------------------------------------------------

    def run(self, *, until_empty: bool = False) -> int:
        left = self.server.lrange(frontier.PROCESSING_KEY, 0, -1)
        if left:
            logger.warning("%d message(s) left by an interrupted ingest: processing them first", len(left))
            self.commit(list(reversed(left)))  # the list grows on the left: oldest last
        while not self.stopping:
            self.server.set(LOCK_KEY, self.owner, ex=LOCK_SECONDS)
            first = self.server.blmove(frontier.ITEMS_KEY, frontier.PROCESSING_KEY, 1, "RIGHT", "LEFT")
            if first is None:
                if until_empty:
                    break
                continue
            batch = [first]
            while len(batch) < self.batch:
                more = self.server.lmove(frontier.ITEMS_KEY, frontier.PROCESSING_KEY, "RIGHT", "LEFT")
                if more is None:
                    break
                batch.append(more)
            self.commit(batch)
        return self.committed

    def commit(self, raws: list[Any]) -> None:  # Redis answers bytes
        """Process one batch in one transaction; then, and only then, let go of its messages."""
        messages: list[dict[str, Any]] = []
        for raw in raws:
            try:
                message = codec.loads(raw)
                if not isinstance(message, dict) or "id" not in message or "kind" not in message:
                    raise codec.UnsafePayload("not a message")
                messages.append(message)
            except codec.UnsafePayload as exc:
                logger.error("discarding an unreadable message (%s): %r", exc, raw[:200])
        done = queries.ingested(self.db, [m["id"] for m in messages])
        touched: list[tuple[str, str]] = []  # (url, found_via)
        self.pending.clear()
        try:
            with self.db.atomic():
                for message in messages:
                    if message["id"] in done:
                        continue
                    touched += self.handle(message)
                # The store's queued writes (pipelines/batch.py), in this same transaction.
                self.store.flush()
                if self.store.failure is not None:
                    raise StorageError(f"cannot write to the store: {self.store.failure}")
                writes.mark_ingested(self.db, [m["id"] for m in messages])
        except BaseException:
            self.write_batch.take()  # rolled back: the messages stay in Redis, and are read again
            raise
        self.committed += len(messages) - len(done)
        self._share_ledger(touched)
        pipe = self.server.pipeline(transaction=False)
        for raw in raws:
            pipe.lrem(frontier.PROCESSING_KEY, 1, raw)
        pipe.execute()

    def handle(self, message: dict[str, Any]) -> list[tuple[str, str]]:
        """One message through dedup and store; the URLs whose ledger rows it wrote."""
        kind = message["kind"]
        if kind == "config":
            writes.upsert_sources(self.db, message["sources"])
            for row in message["stories"]:
                writes.upsert_story(self.db, row)
            self._load_profiles()
            return []
        if apply_message(self.db, message):  # what a worker's ledger learned (distributed/ledger.py)
            return []
        if kind == "run":
            for key in ("already_known", "not_modified", "feeds_discovered"):
                self.run_counts[key] += int(message.get(key) or 0)
            logger.info("worker %s: %s %s closed (%s)", message.get("worker"), message.get("spider"),
                        message.get("source") or "*", message.get("finish_reason"))
            return []
        if kind == "url":
            record = UrlRecord(**message["item"])
            self.store.write(record)
            return [(record.url, record.found_via)]
        item = ArticleItem(**message["item"])
        urls = [(u, item.found_via) for u in dict.fromkeys([item.url, item.discovered_url or item.url])]
        if kind == "dropped":
            drop = message["drop"]
            exc = Skipped(drop.get("message") or drop["reason"], detail=drop.get("detail"))
            exc.status, exc.reason = drop["status"], drop["reason"]
            self.store.dropped(item, exc)
        elif kind == "error":
            self.store.error(item, _remote_error(message.get("detail") or ""))
        elif kind == "article":
            first = item.discovered_url or item.url
            if first in self.pending or queries.settled_urls(self.db, [first]):
                # Fetched again after its journey ended (a request given back by a
                # stopped worker that had already pushed it): nothing new to store.
                logger.info("already settled, not stored again: %s", item.url)
                return []
            self.pending.add(first)
            try:
                self.store.write(deduplicate_detecting(item, profiles=self.profiles, index=self.index,
                                                       same_text=self.same_text, translation=self.translation))
            except DropItem as exc:
                self.store.dropped(item, exc)
            except StorageError as exc:
                if isinstance(exc.__cause__, sqlite3.OperationalError):
                    raise  # locked, full, read-only: stop; the batch stays in Redis
                logger.error("%s", exc)
                self.store.error(item, describe(exc))
            except Exception as exc:  # as Scrapy does: the item's error is recorded, the rest goes on
                logger.exception("pipeline error on %s", item.url)
                self.store.error(item, describe(exc))
        else:
            logger.error("unknown message kind %r: ignored", kind)
        return urls

    def _share_ledger(self, touched: list[tuple[str, str]]) -> None:
        if not touched:
            return
        urls = [u for u, _ in touched]
        settled = queries.settled_urls(self.db, urls)
        pipe = self.server.pipeline(transaction=False)
        if settled:
            pipe.sadd(frontier.SETTLED_KEY, *settled)
        retry = [article_fingerprint(u) for u, via in touched if u not in settled and via != "config"]
        if retry:
            pipe.srem(frontier.SEEN_KEY, *retry)
        pipe.execute()


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m distributed.ingest",
                                     description="Write the items of distributed workers into SQLite "
                                                 "(deduplicated, one writer).")
    parser.add_argument("--db", default=os.environ.get("MONITOR_DB", "data/coverage.db"),
                        help="SQLite store (default: $MONITOR_DB or data/coverage.db)")
    parser.add_argument("--redis", default=os.environ.get("MONITOR_REDIS_URL", ""),
                        help="Redis of the frontier (default: $MONITOR_REDIS_URL)")
    parser.add_argument("--batch", type=int, default=200, help="messages per transaction (default 200)")
    parser.add_argument("--until-empty", action="store_true",
                        help="exit once no message arrived for a second (default: run until SIGTERM)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.redis:
        print("distributed.ingest: no Redis: set MONITOR_REDIS_URL or pass --redis redis://host:6379/0",
              file=sys.stderr)
        return 2
    if args.batch < 1:
        print(f"distributed.ingest: --batch must be at least 1, not {args.batch}", file=sys.stderr)
        return 2
    import redis

    ingest = Ingest(db_path=args.db, url=args.redis, batch=args.batch)
    try:
        ingest.open()
    except (StorageError, redis.RedisError) as exc:
        print(f"distributed.ingest: {exc}", file=sys.stderr)
        return 3

    def stop(*_: Any) -> None:
        ingest.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    started = time.monotonic()
    reason = "finished"
    try:
        count = ingest.run(until_empty=args.until_empty)
    except (StorageError, redis.RedisError) as exc:
        logger.error("stopping: %s", exc)
        reason, count = "failed", ingest.committed
    finally:
        ingest.close(reason)
    logger.info("ingested %d message(s) in %.1fs", count, time.monotonic() - started)
    return 0 if reason == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
