"""Copies of the source and near-duplicates of stored articles.

Two questions, in this order:

1. Is the page the source article again? Its address, the same text (MinHash
   similarity to the source ≥ ``MONITOR_DEDUP_SIMILARITY``), one text mostly
   inside the other, or a translation of it, whole or in part (the source's
   ordered names and numbers, ``MONITOR_TRANSLATION_ANCHORS`` of them for a
   whole one, or its paragraphs aligned one by one): pipelines/containment.
   Label ``source_copy``.
2. Otherwise, an off-topic page stops here (reason ``off_topic`` in the
   ledger). A follow-up or a mention is compared with what is stored: the same text hash,
   or an LSH candidate in the same language with similarity ≥ the threshold,
   makes it ``duplicate_of`` the first article of that group.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from core.context import MonitorContext
from core.items import ArticleItem
from pipelines import containment, textsig
from pipelines.batch import WriteBatch
from pipelines.drops import OffTopic, StorySource
from pipelines.dupindex import (
    Index,
    PendingAwareIndex,
    StoreIndex,
)
from pipelines.language import detect_item
from pipelines.profile import StoryProfile
from storage import StorageError, open_crawl_store
from storage.vocabulary import Label

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlite_utils import Database

logger = logging.getLogger(__name__)


class LanguageNeeded(Exception):  # noqa: N818 (a request, not an error)
    """:func:`deduplicate` cannot answer without the page's language, which nobody has detected yet.

    Most pages a crawl reads are off topic and never need one; the caller
    detects it (:func:`pipelines.language.detect_item`) and asks again.
    """


def source_copy(profile: StoryProfile, *, text: str, language: str | None, same_text: float,
                translation: float, signature: tuple[int, ...] | None = None,
                shingles: frozenset[int] | None = None, urls: tuple[str | None, ...] = (),
                language_known: bool = True) -> dict[str, float] | None:
    """Evidence that the text is the story's source article again, or None.

    The source's own address; the same text (MinHash); one text mostly inside
    the other (a teaser, a page carrying the whole source); or, in another
    language, the source's anchors in the source's order, or its paragraphs
    one by one (a translation, whole or in part).
    ``translation`` is the share of the source's ordered anchors a whole
    translation must carry. Without ``language_known``, a translation's
    evidence raises :class:`LanguageNeeded` (is it in another language?).
    """
    if containment.is_source_address(profile.url, *urls):
        return {"source_address": 1.0}
    if not profile.text:
        return None
    shingles = textsig.shingle_hashes(text) if shingles is None else shingles
    shared = containment.overlap(shingles, profile.shingles)
    # The MinHash estimate, a signature of 120 hashes of every shingle, is computed only where it could reach
    # the threshold: from half of it in exact resemblance (a set intersection), it would be more than seven
    # standard deviations off.
    if signature is not None or shared.resemblance >= same_text / 2:
        signature = textsig.signature(text, hashes=shingles) if signature is None else signature
        sim = textsig.similarity(signature, profile.signature or ())
        if sim >= same_text:
            return {"source_similarity": round(sim, 3)}
    inside = containment.contained_copy(shared)
    if inside:
        return inside
    if language_known and language == profile.language:
        return None
    found = (containment.translated_copy(text, profile.sequence, skip=profile.term_words, cover=translation)
             or containment.structure_copy(text, profile.text, skip=profile.term_words))
    if found and not language_known:
        raise LanguageNeeded
    return found


def _may_share_text(words: list[str], profile: StoryProfile, same_text: float) -> bool:
    """Whether a text could share enough shingles with the source for either same-language test (the
    MinHash estimate at half ``same_text``, containment's ``MIN_SHARED_SHINGLES``): only its shingles whose
    every word is one of the source's can be shared; most pages in another language have a handful."""
    needed = min(containment.MIN_SHARED_SHINGLES, math.ceil(same_text / 2 * len(profile.shingles)))
    return textsig.shingles_within(words, profile.words) >= needed


def find_duplicate(index: Index, *, text_hash: str, signature: tuple[int, ...], language: str | None,
                   threshold: float) -> tuple[Any, float] | None:
    """The group root this text duplicates, with the similarity, or None."""
    exact = index.by_hash(text_hash)
    if exact is not None:
        return exact.root, 1.0
    best: tuple[Any, float] | None = None
    for cand in index.candidates(textsig.bands(signature), language):
        sim = textsig.similarity(signature, cand.signature)
        if sim >= threshold and (best is None or sim > best[1]):
            best = (cand.root, sim)
    return best


def deduplicate(item: ArticleItem, *, profiles: Mapping[str, StoryProfile], index: Index, same_text: float,
                translation: float) -> ArticleItem:
    """``item`` labelled ``source_copy``, or marked ``duplicate_of`` a stored group, or as it was.

    ``profiles`` are the stories by name; ``index`` is where earlier copies
    are looked up (for a crawl, the store and its queued writes:
    :class:`~pipelines.dupindex.PendingAwareIndex`); the thresholds are
    ``MONITOR_DEDUP_SIMILARITY`` and ``MONITOR_TRANSLATION_ANCHORS``. Raises
    :class:`~pipelines.drops.StorySource` for a story's own source page,
    :class:`~pipelines.drops.OffTopic` for a page relevance did not keep, and
    :class:`LanguageNeeded` when the answer needs the page's language and
    ``item.language_reason`` says it was not detected (call again once it is).
    """
    profile = profiles.get(item.story or "")
    text = item.text or ""
    for story in profiles.values():
        if containment.is_source_address(story.url, item.url, item.canonical_url):
            raise StorySource(f"the source article of story {story.name!r}: {item.url}")
    kept = item.label in (Label.FOLLOWUP, Label.MENTION)
    if profile is not None and not kept and not traces(item.matched, item.signals):
        raise _off_topic(item)  # nothing of the source in it: no copy to look for (MinHash, containment)
    known = item.language_reason is not None
    if not known and kept:
        raise LanguageNeeded  # kept: stored, and its duplicates are looked for in its language
    words = textsig.tokens(text)  # once, for the hash and the shingles
    # Hashed only when the source's same-language tests could use them (an empty set fails both).
    hashed = kept or profile is None or _may_share_text(words, profile, same_text)
    shingles = textsig.shingle_hashes(text, words=words) if hashed else frozenset()
    if kept:  # stored: its hash and signature find its duplicates, now and later
        item.text_hash = textsig.text_hash(text, words=words)
        item.signature = textsig.signature(text, hashes=shingles)
    if profile is not None:
        evidence = source_copy(profile, text=text, signature=item.signature, shingles=shingles,
                               language=item.language, same_text=same_text, translation=translation,
                               language_known=known)
        if evidence:
            if not known:
                raise LanguageNeeded  # a copy of the source is stored like any article
            item.label = Label.SOURCE_COPY
            item.signals = {**item.signals, **evidence}
            item.text_hash = item.text_hash or textsig.text_hash(text, words=words)
            if item.signature is None:
                hashes = shingles if hashed else textsig.shingle_hashes(text, words=words)
                item.signature = textsig.signature(text, hashes=hashes)
            return item
    if not kept:
        raise _off_topic(item)
    assert item.text_hash is not None and item.signature is not None
    found = find_duplicate(index, text_hash=item.text_hash, signature=item.signature,
                           language=item.language, threshold=same_text)
    if found is not None:
        item.duplicate_of, item.duplicate_similarity = found[0], round(found[1], 3)
    return item


def deduplicate_detecting(item: ArticleItem, **how: Any) -> ArticleItem:
    """:func:`deduplicate`, the page's language detected when the answer needs it (``how``: its keywords)."""
    try:
        return deduplicate(item, **how)
    except LanguageNeeded:
        detect_item(item)
        return deduplicate(item, **how)


def traces(matched: list[str], signals: dict[str, float]) -> bool:
    """Whether relevance saw anything of its story in the page: a tracked term or one of the source's anchors.

    A copy of the source, whole, in part or translated, carries both (the
    source's own names and numbers); a page with neither is not looked at
    as one. Without relevance's signals, the page is looked at.
    """
    return bool(matched) or signals.get("anchors", 1.0) > 0


def _off_topic(item: ArticleItem) -> OffTopic:
    return OffTopic(f"off topic (score={item.score or 0:.2f}): {item.url}", detail=f"score={item.score or 0:.2f}")


class DedupPipeline:
    """:func:`deduplicate` in a crawl: the crawl's story profiles, and its store with the queued writes."""

    def __init__(self, crawler: Crawler, *, same_text: float, translation: float):
        self.crawler = crawler
        self.same_text = same_text
        self.translation = translation
        self.db: Database | None = None
        self.index: Index | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler, same_text=crawler.settings.getfloat("MONITOR_DEDUP_SIMILARITY"),
                   translation=crawler.settings.getfloat("MONITOR_TRANSLATION_ANCHORS"))

    def open_spider(self) -> None:
        try:
            self.db = open_crawl_store(self.crawler.settings)
        except StorageError as exc:  # the store pipeline closes the crawl with storage_error
            logger.error("%s", exc)
            return
        # The store and the articles still queued for its next transaction (pipelines/batch).
        self.index = PendingAwareIndex(StoreIndex(self.db), WriteBatch.of(self.crawler))

    def close_spider(self) -> None:
        if self.db is not None:
            self.db.close()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        assert self.index is not None
        return deduplicate_detecting(item, profiles=MonitorContext.of(self.crawler).profiles, index=self.index,
                                     same_text=self.same_text, translation=self.translation)
