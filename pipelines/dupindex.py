"""Where dedup looks for earlier copies: an index of text hashes and LSH bands.

Three of them: the store's persistent one (:class:`StoreIndex`), an in-memory
one (the JSONL tool, and the articles a write batch still holds), and the
two together (:class:`PendingAwareIndex`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Protocol

from sqlite_utils import Database

from pipelines import textsig
from storage import queries


@dataclass(frozen=True)
class Candidate:
    id: Any  # article id in the store, or line id in the JSONL tool
    signature: tuple[int, ...]
    root: Any  # the first article of its duplicate group (itself if none)


class Index(Protocol):
    def by_hash(self, text_hash: str) -> Candidate | None: ...

    def candidates(self, bands: list[tuple[int, int]], language: str | None) -> list[Candidate]: ...


class MemoryIndex:
    """An in-memory index, for the JSONL tool (one run, no store)."""

    def __init__(self) -> None:
        self.hashes: dict[str, Candidate] = {}
        self.bands: dict[tuple[int, int], list[Candidate]] = defaultdict(list)
        self.languages: dict[Any, str | None] = {}

    def by_hash(self, text_hash: str) -> Candidate | None:
        return self.hashes.get(text_hash)

    def candidates(self, bands: list[tuple[int, int]], language: str | None) -> list[Candidate]:
        seen: dict[Any, Candidate] = {}
        for key in bands:
            for cand in self.bands.get(key, []):
                if self.languages[cand.id] == language:
                    seen[cand.id] = cand
        return list(seen.values())

    def add(self, item_id: Any, *, text_hash: str, signature: tuple[int, ...], language: str | None,
            root: Any) -> None:
        cand = Candidate(item_id, signature, root)
        self.hashes.setdefault(text_hash, cand)
        self.languages[item_id] = language
        for key in textsig.bands(signature):
            self.bands[key].append(cand)


class StoreIndex:
    """The store's persistent LSH index (storage/), shared by every run."""

    def __init__(self, db: Database):
        self.db = db

    def by_hash(self, text_hash: str) -> Candidate | None:
        row = queries.article_by_text_hash(self.db, text_hash)
        if row is None:
            return None
        return Candidate(row["id"], (), row["duplicate_of"] or row["id"])

    def candidates(self, bands: list[tuple[int, int]], language: str | None) -> list[Candidate]:
        return [Candidate(r["article_id"], textsig.unpack(r["signature"]), r["duplicate_of"] or r["article_id"])
                for r in queries.lsh_candidates(self.db, bands, language)]


class PendingAwareIndex:
    """The store's index, then the queue: what dedup would see if every queued write were done."""

    def __init__(self, stored: Index, batch: Any):  # a WriteBatch (pipelines/batch.py)
        self.stored = stored
        self.batch = batch

    def by_hash(self, text_hash: str) -> Candidate | None:
        return self.stored.by_hash(text_hash) or self.batch.index.by_hash(text_hash)

    def candidates(self, bands: list[tuple[int, int]], language: str | None) -> list[Candidate]:
        return self.stored.candidates(bands, language) + self.batch.index.candidates(bands, language)
