"""Open the store: pragmas for safe concurrent use, then pending migrations."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import Table

from storage.schema import migrations, rename_recorded

BUSY_TIMEOUT_MS = 30_000
# Reads through a memory map of the file (no copy per page) and a 64 MiB page
# cache: with a million articles the LSH lookup touches ~20 random leaves of a
# large B-tree per article, and copying pages in was most of its cost
# (bench/dedup.py: 3.3 ms per lookup without, 0.4 ms with).
MMAP_BYTES = 256 << 20
CACHE_KIB = 65536
# Checkpoint after 4,000 WAL pages (16 MiB) instead of SQLite's 1,000. A checkpoint
# costs two fsyncs whatever it copies, and in a large store each article's LSH bands
# land on ~20 leaves of their own, so at a million articles a checkpoint copied ~500
# scattered pages and cost ~20 ms every ~20 articles (bench/dedup.py: 0.8-1.2 ms per
# article at 1M, 0.4-0.6 at 1k; 0.4 and 0.2 with 4,000). Commits stay synchronous=FULL.
WAL_AUTOCHECKPOINT_PAGES = 4000
# A WAL file keeps the size of the largest transaction it held (a migration, a bulk
# load: hundreds of MiB); after a checkpoint it is cut back to this.
JOURNAL_SIZE_LIMIT = 64 << 20


class StorageError(Exception):
    """The store cannot be opened or written (bad path, read-only, locked, full)."""


class _Store(Database):
    """A ``Database`` whose outermost ``atomic()`` takes the write lock first (``BEGIN IMMEDIATE``).

    With a plain ``BEGIN`` a transaction that reads before it writes (sqlite-utils
    reads the table's columns before an insert) holds a WAL snapshot; when
    another process commits in between, the first write fails at once with
    "database is locked", whatever the busy timeout. Parallel crawls and the
    scheduler write at the same time, so writers wait their turn instead.
    """

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


def open_db(path: str | Path, *, readonly: bool = False, busy_timeout: float | None = None) -> Database:
    """Open the SQLite store at ``path``, creating and migrating it if needed.

    WAL mode lets Datasette read while a crawl writes; ``synchronous=FULL``
    makes every committed transaction survive a power cut; the busy timeout
    (``busy_timeout`` seconds, default 30) lets two writers (a crawl and a
    manual run) take turns instead of failing: a write waits that long for
    the lock, then fails with "database is locked".
    """
    path = Path(path)
    timeout_ms = BUSY_TIMEOUT_MS if busy_timeout is None else max(0, int(busy_timeout * 1000))
    try:
        if readonly:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            db = Database(conn)
            db.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            return db
        path.parent.mkdir(parents=True, exist_ok=True)
        db = _Store(path)
        db.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        db.enable_wal()
        db.execute("PRAGMA synchronous = FULL")
        db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        db.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
        db.execute("PRAGMA foreign_keys = ON")
        rename_recorded(db)
        migrations.apply(db)
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(f"{path}: cannot open the store: {exc}") from exc
    return db



def open_crawl_store(settings: Any) -> Database:
    """The store a crawl writes (its ``MONITOR_DB``), waiting ``MONITOR_BUSY_TIMEOUT`` seconds for a write lock."""
    return open_db(settings.get("MONITOR_DB"), busy_timeout=settings.getfloat("MONITOR_BUSY_TIMEOUT"))

def limit_size(db: Database, max_pages: int) -> None:
    """Cap the store at ``max_pages`` pages (``PRAGMA max_page_count``); writes past it fail with SQLITE_FULL."""
    if max_pages > 0:
        db.execute(f"PRAGMA max_page_count = {int(max_pages)}")


def inserted_id(table: Table) -> int:
    """The integer primary key of the row ``table`` just inserted."""
    if not isinstance(table.last_pk, int):
        raise StorageError(f"{table.name}: the insert gave no integer id ({table.last_pk!r})")
    return table.last_pk


def transaction(db: Database) -> contextlib.AbstractContextManager[Database]:
    """One write transaction (``BEGIN IMMEDIATE``): what is read in it cannot change under the writer."""
    return db.atomic()
