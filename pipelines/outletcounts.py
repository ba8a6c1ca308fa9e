"""Per-outlet counts of what recurs across an outlet's pages: lines of text, parts of titles.

A monitor fetches many pages of the same outlet, so it can learn what every
page of it repeats. :class:`OutletCounts` keeps, per outlet, how many pages
were seen and how many of them had each key; what counts as a key, and how
the counts are bounded, is the subclass's. The whole state round-trips as
JSON (:meth:`to_json` / :meth:`from_json`), and so does one outlet's
(:meth:`source_state` / :meth:`restore`: the store keeps one row per outlet).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Self


class OutletCounts:
    """Pages seen and key counts per outlet, for at most ``max_sources`` outlets."""

    KEY = "counts"  # the name of the per-outlet counts in JSON

    def __init__(self, *, min_pages: int, share: float, max_sources: int):
        self.min_pages = min_pages
        self.share = share
        self.max_sources = max_sources
        self.pages: Counter[str] = Counter()
        self.counts: dict[str, Counter[str]] = {}

    def _bound(self, counts: Counter[str]) -> None:
        """Keep one outlet's counts within the subclass's bound."""
        raise NotImplementedError

    def _full(self, source: str) -> bool:
        """Whether ``source`` is new and there is no room for another outlet."""
        return source not in self.pages and len(self.pages) >= self.max_sources

    def recurs(self, source: str, key: str) -> bool:
        """Whether ``key`` is on at least ``min_pages`` of ``source``'s pages and on ``share`` of them."""
        counts = self.counts.get(source)
        seen = counts[key] if counts is not None else 0
        return seen >= self.min_pages and seen >= self.share * self.pages[source]

    def source_state(self, source: str) -> dict[str, Any]:
        """What is known of one source, as JSON (a row of the store's per-outlet memory)."""
        return {"pages": self.pages.get(source, 0), self.KEY: dict(self.counts.get(source) or {})}

    def restore(self, source: str, state: dict[str, Any] | None) -> None:
        """Take up what an earlier crawl learned of ``source`` (what this one learned so far is added to it)."""
        if not state or self._full(source):
            return
        counts = Counter({k: int(v) for k, v in (state.get(self.KEY) or {}).items()})
        counts.update(self.counts.get(source) or {})
        self.counts[source] = counts
        self.pages[source] += int(state.get("pages") or 0)
        self._bound(counts)

    def to_json(self) -> dict[str, Any]:
        return {"pages": dict(self.pages), self.KEY: {s: dict(c) for s, c in self.counts.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any], **options: Any) -> Self:
        learned = cls(**options)
        learned.pages = Counter({k: int(v) for k, v in (data.get("pages") or {}).items()})
        learned.counts = {s: Counter({k: int(v) for k, v in c.items()}) for s, c in (data.get(cls.KEY) or {}).items()}
        return learned
