"""What the spiders read and write about URLs, listings and sources: one small interface, two stores.

The spiders never call storage functions themselves; they call their
``self.ledger``:

* :class:`SqliteLedger` — a single-machine crawl: the SQLite store itself
  (``urls``, ``listings``, ``entry_dates``, ``sources``).
* :class:`RedisLedger` — a distributed worker (``MONITOR_REDIS_URL``, see
  distributed/frontier.py), which has no SQLite file. Settled URLs come from the
  Redis set the ingest keeps (``monitor:settled``); what the spider learns
  (listing results and so the sources' health, discovered feeds and
  sitemaps, listing dates of entries) travels as messages to the one writer,
  ``python -m distributed.ingest``, which applies them with ``storage.writes``.
  Two things are not available to a worker, and say so: the validators of
  a conditional GET (a worker sends none for listings it finds itself; the
  listings queued by scheduler.py carry them, read from SQLite there), and
  ``MONITOR_REFETCH_CHANGED`` (a settled URL is never fetched again).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

logger = logging.getLogger(__name__)

NOTHING_DISCOVERED: dict[str, Any] = {"feeds": None, "sitemaps": None, "at": None}


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
        from storage import queries

        return queries.settled_urls(self.db, urls)

    def changed_entries(self, dates: dict[str, str]) -> set[str]:
        from storage import queries

        return queries.changed_entries(self.db, dates)

    def remember_entry_dates(self, dates: Mapping[str, str]) -> None:
        from storage import writes

        writes.remember_entry_dates(self.db, dates)

    def listing_validators(self, url: str) -> tuple[str | None, str | None]:
        from storage import queries

        return queries.listing_validators(self.db, url)

    def record_listing(self, **fields: Any) -> None:
        from storage import writes

        writes.record_listing(self.db, **fields)

    def discovered(self, source: str) -> dict[str, Any]:
        from storage import queries

        return queries.discovered(self.db, source)

    def record_discovery(self, source: str, *, feeds: list[str] | None = None,
                         sitemaps: list[str] | None = None) -> None:
        from storage import writes

        writes.record_discovery(self.db, source, feeds=feeds, sitemaps=sitemaps)

    def close(self) -> None:
        self.db.close()


class RedisLedger:
    """The ledger as a distributed worker sees it: a Redis set, and messages to the ingest."""

    conditional_get = False

    def __init__(self, url: str):
        from distributed import frontier

        self.server = frontier.connect(url)

    def settled(self, urls: Iterable[str]) -> set[str]:
        from distributed.frontier import SETTLED_KEY

        urls = list(dict.fromkeys(urls))
        found: set[str] = set()
        for start in range(0, len(urls), 1000):
            chunk = urls[start:start + 1000]
            flags = self.server.smismember(SETTLED_KEY, chunk)
            found.update(u for u, flag in zip(chunk, flags, strict=True) if flag)
        return found

    def changed_entries(self, dates: dict[str, str]) -> set[str]:
        return set()  # MONITOR_REFETCH_CHANGED is not available in distributed mode

    def remember_entry_dates(self, dates: Mapping[str, str]) -> None:
        if dates:
            self._tell("entry_dates", dates=dict(dates))

    def listing_validators(self, url: str) -> tuple[str | None, str | None]:
        return None, None  # no conditional GET for listings a worker finds itself

    def record_listing(self, **fields: Any) -> None:
        self._tell("listing", listing=fields)

    def discovered(self, source: str) -> dict[str, Any]:
        return dict(NOTHING_DISCOVERED)  # read in scheduler.py (SQLite) when it queues the listings

    def record_discovery(self, source: str, *, feeds: list[str] | None = None,
                         sitemaps: list[str] | None = None) -> None:
        self._tell("discovery", source=source, feeds=feeds, sitemaps=sitemaps)

    def _tell(self, kind: str, **fields: Any) -> None:
        from distributed import frontier

        frontier.push_message(self.server, {"kind": kind, **fields})

    def close(self) -> None:
        self.server.close()


Ledger = SqliteLedger | RedisLedger


def as_ledger(value: Any) -> Any:
    """A ledger; a bare sqlite-utils Database (as tests give it) becomes a :class:`SqliteLedger`."""
    from sqlite_utils import Database

    return SqliteLedger(value) if isinstance(value, Database) else value


def apply_message(db: Database, message: dict[str, Any]) -> bool:
    """The ingest's side of :class:`RedisLedger`: write one ledger message; False if it is not one."""
    from storage import writes

    kind = message.get("kind")
    if kind == "entry_dates":
        writes.remember_entry_dates(db, message["dates"])
    elif kind == "listing":
        writes.record_listing(db, **message["listing"])
    elif kind == "discovery":
        writes.record_discovery(db, message["source"], feeds=message.get("feeds"), sitemaps=message.get("sitemaps"))
    else:
        return False
    return True
