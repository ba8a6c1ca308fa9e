"""What the spiders read and write about URLs, listings and sources, over the SQLite store.

The spiders never call storage functions themselves; they call their
``self.ledger``, which is a :class:`SqliteLedger` in a single-machine crawl
or, in a distributed worker, ``distributed.ledger.RedisLedger`` (same
methods: :class:`Ledger`), which sends what it learns to the one writer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from sqlite_utils import Database

from storage import queries, writes

logger = logging.getLogger(__name__)

NOTHING_DISCOVERED: dict[str, Any] = {"feeds": None, "sitemaps": None, "at": None}


class Ledger(Protocol):
    conditional_get: bool

    def settled(self, urls: Iterable[str]) -> set[str]: ...

    def changed_entries(self, dates: dict[str, str]) -> set[str]: ...

    def remember_entry_dates(self, dates: Mapping[str, str]) -> None: ...

    def listing_validators(self, url: str) -> tuple[str | None, str | None]: ...

    def record_listing(self, **fields: Any) -> None: ...

    def discovered(self, source: str) -> dict[str, Any]: ...

    def record_discovery(self, source: str, *, feeds: list[str] | None = None,
                         sitemaps: list[str] | None = None) -> None: ...

    def close(self) -> None: ...


class SqliteLedger:
    """The ledger of a single-machine crawl: the SQLite store."""

    conditional_get = True

    def __init__(self, db: Database):
        self.db = db

    def __getitem__(self, table: str) -> Any:
        return self.db[table]

    def __getattr__(self, name: str) -> Any:
        """Anything else is the store's: a SqliteLedger can be passed where the Database is expected."""
        if name == "db":  # not set yet (during __init__): no recursion
            raise AttributeError(name)
        return getattr(self.db, name)

    def settled(self, urls: Iterable[str]) -> set[str]:
        return queries.settled_urls(self.db, urls)

    def changed_entries(self, dates: dict[str, str]) -> set[str]:
        return queries.changed_entries(self.db, dates)

    def remember_entry_dates(self, dates: Mapping[str, str]) -> None:
        writes.remember_entry_dates(self.db, dates)

    def listing_validators(self, url: str) -> tuple[str | None, str | None]:
        return queries.listing_validators(self.db, url)

    def record_listing(self, **fields: Any) -> None:
        writes.record_listing(self.db, **fields)

    def discovered(self, source: str) -> dict[str, Any]:
        return queries.discovered(self.db, source)

    def record_discovery(self, source: str, *, feeds: list[str] | None = None,
                         sitemaps: list[str] | None = None) -> None:
        writes.record_discovery(self.db, source, feeds=feeds, sitemaps=sitemaps)

    def close(self) -> None:
        self.db.close()


def as_ledger(value: Any) -> Any:
    """A ledger; a bare sqlite-utils Database (as tests give it) becomes a :class:`SqliteLedger`."""
    return SqliteLedger(value) if isinstance(value, Database) else value
