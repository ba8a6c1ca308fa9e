"""Open the store: pragmas for safe concurrent use, then pending migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from storage.schema import migrations

BUSY_TIMEOUT_MS = 30_000


class StorageError(Exception):
    """The store cannot be opened or written (bad path, read-only, locked, full)."""


def open_db(path: str | Path, *, readonly: bool = False) -> Database:
    """Open the SQLite store at ``path``, creating and migrating it if needed.

    WAL mode lets Datasette read while a crawl writes; ``synchronous=FULL``
    makes every committed transaction survive a power cut; the busy timeout
    lets two writers (a crawl and a manual run) take turns instead of failing.
    """
    path = Path(path)
    try:
        if readonly:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            db = Database(conn)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            return db
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(path)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.enable_wal()
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        migrations.apply(db)
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(f"{path}: cannot open the store: {exc}") from exc
    return db


def limit_size(db: Database, max_pages: int) -> None:
    """Cap the store at ``max_pages`` pages (``PRAGMA max_page_count``); writes past it fail with SQLITE_FULL."""
    if max_pages > 0:
        db.execute(f"PRAGMA max_page_count = {int(max_pages)}")
