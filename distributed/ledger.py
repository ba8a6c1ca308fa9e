"""The spiders' ledger in a distributed worker, and the ingest's side of it.

A worker has no SQLite file. Settled URLs come from the Redis set the ingest
keeps (``monitor:settled``); what the spider learns (listing results and so
the sources' health, discovered feeds and sitemaps, listing dates of
entries) travels as messages to the one writer, ``python -m
distributed.ingest``, which applies them with :func:`apply_message`. Two
things are not available to a worker, and say so: the validators of a
conditional GET (a worker sends none for listings it finds itself; the
listings queued by the scheduler carry them, read from SQLite there), and
``MONITOR_REFETCH_CHANGED`` (a settled URL is never fetched again).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from distributed import frontier
from storage import writes
from storage.ledger import NOTHING_DISCOVERED

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


class RedisLedger:
    """The ledger as a distributed worker sees it: a Redis set, and messages to the ingest."""

    conditional_get = False

    def __init__(self, url: str, settings: BaseSettings | None = None):
        self.server = frontier.connect(url, settings)

    def settled(self, urls: Iterable[str]) -> set[str]:
        urls = list(dict.fromkeys(urls))
        found: set[str] = set()
        for start in range(0, len(urls), 1000):
            chunk = urls[start:start + 1000]
            flags = self.server.smismember(frontier.SETTLED_KEY, chunk)
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
        frontier.push_message(self.server, {"kind": kind, **fields})

    def close(self) -> None:
        self.server.close()


def apply_message(db: Database, message: dict[str, Any]) -> bool:
    """The ingest's side of :class:`RedisLedger`: write one ledger message; False if it is not one."""
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
