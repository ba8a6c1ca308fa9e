"""The only code that touches SQLite.

``open_db(path)`` opens (and creates, and migrates) the store; ``writes``
holds every statement that changes it, ``queries`` every read the crawler,
the scheduler and the command line need, ``lsh`` the near-duplicate band
index. Nothing outside this package writes SQL.
"""

from __future__ import annotations

from storage.db import StorageError, limit_size, open_crawl_store, open_db, transaction

__all__ = ["StorageError", "limit_size", "open_crawl_store", "open_db", "transaction"]
