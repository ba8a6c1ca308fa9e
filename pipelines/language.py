"""Language of an article: langdetect on the text, checked against the page's own claim.

Our one wrapper around langdetect. ``DetectorFactory.seed`` is fixed so the
same text always gets the same answer; detection runs on a bounded sample;
texts too short or too ambiguous get ``und`` with the reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.items import ArticleItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# langdetect's cost is a fixed part (its seven trials) and a part that grows with the sample: with 700
# characters, 1,251 of the 1,252 pages of the shared sets (bench/extraction.py's two sets, bench/relevance.py's
# pages) get the same language and reason as with 1,500, for ~30 % less CPU (1,500 itself: 989 of 990 as 3,000).
SAMPLE_CHARS = 700
MIN_CHARS = 40
MIN_PROBABILITY = 0.70


@dataclass(frozen=True)
class Detected:
    language: str  # ISO 639-1, or "und"
    reason: str  # detected | detected+declared | declared | too_short | low_confidence | no_letters


def _primary(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    primary = code.split("-")[0]
    return primary if 2 <= len(primary) <= 3 and primary.isalpha() else None


def _by_script(language: str, sample: str) -> str:
    """Correct langdetect where the script decides: Korean is written in Hangul, Japanese has kana.

    langdetect's profiles share Han characters between zh, ja and ko, so a
    text of Han characters alone can come out as Korean.
    """
    if language not in ("zh", "ja", "ko"):
        return language
    han = sum(1 for c in sample if "\u3400" <= c <= "\u9fff")
    kana = sum(1 for c in sample if "\u3040" <= c <= "\u30ff")
    hangul = sum(1 for c in sample if "\uac00" <= c <= "\ud7af")
    if hangul > max(han, kana) / 4 and hangul >= 5:
        return "ko"
    if kana >= 5 and kana > han / 20:
        return "ja"
    return "zh" if han >= 5 else language


def language_sample(text: str) -> str:
    """What detection reads of ``text``: its first ``SAMPLE_CHARS`` characters, whitespace collapsed.

    Collapsed from a bounded head, not the whole text: the collapsed head is a
    prefix of the collapsed whole, so once it is long enough it gives the same sample.
    """
    text = text or ""
    head = text[:2 * SAMPLE_CHARS]
    sample = " ".join(head.split())
    if len(sample) < SAMPLE_CHARS and len(head) < len(text):
        sample = " ".join(text.split())
    return sample[:SAMPLE_CHARS]


def detect_language(text: str, *, declared: str | None = None) -> Detected:
    """Detect the language of ``text``; ``declared`` is the page's ``lang``/``og:locale``."""
    return detect_sample(language_sample(text), declared=declared)


def detect_sample(sample: str, *, declared: str | None = None) -> Detected:
    """:func:`detect_language` of a text whose :func:`language_sample` is ``sample``."""
    hint = _primary(declared)
    # A CJK character carries about as much as a short word: count it thrice.
    weight = len(sample) + 2 * sum(1 for c in sample if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")
    if weight < MIN_CHARS:
        return Detected(hint, "declared") if hint else Detected("und", "too_short")
    from langdetect import (  # here: only workers detect
        DetectorFactory,
        LangDetectException,
        detect_langs,
    )

    DetectorFactory.seed = 0
    try:
        guesses = detect_langs(sample)
    except LangDetectException:
        return Detected(hint, "declared") if hint else Detected("und", "no_letters")
    best = guesses[0]
    language = _by_script(_primary(best.lang) or "und", sample)
    if best.prob < MIN_PROBABILITY:
        if hint and any(_primary(g.lang) == hint for g in guesses):
            return Detected(hint, "declared")
        return Detected("und", "low_confidence")
    return Detected(language, "detected+declared" if hint == language else "detected")


def load_profiles() -> None:
    """Load langdetect's profiles now (0.3 s of CPU, ~100 MB), not with the first page that needs them:
    what a long-running worker does as it starts (distributed/worker.py)."""
    from langdetect.detector_factory import init_factory

    init_factory()


def detect_item(item: ArticleItem) -> None:
    """Detect ``item``'s language from its title and text, checked against its declared one."""
    found = detect_language(f"{item.title or ''}\n{item.text or ''}", declared=item.html_lang)
    item.language, item.language_reason = found.language, found.reason


class LanguagePipeline:
    """The language of a page relevance kept (a follow-up, a mention).

    After relevance, which reads any language, and only for the pages it
    kept: most pages a crawl reads are about something else, and nothing
    decides on their language (langdetect was a tenth of the CPU a page
    cost). The dedup step asks for the language of the few others it keeps
    (a copy of the source) or needs it for (a translation's evidence).

    Detected here, in the crawl process, not in the worker pool: it reads a
    bounded sample (a few ms), and langdetect's profiles (~100 MB) are then
    loaded by the one process of a crawl that keeps a page, not held by every
    worker of every crawl.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LanguagePipeline:
        return cls()

    def process_item(self, item: Any) -> Any:
        from storage.vocabulary import Label  # here: workers import this module, and need no store

        if isinstance(item, ArticleItem) and item.language_reason is None and \
                item.label in (Label.FOLLOWUP, Label.MENTION):
            detect_item(item)
        return item
