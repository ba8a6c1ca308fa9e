"""Is this article about the story? A score from 0 to 1, the terms that matched, and why.

The score adds four signals, each visible in ``articles.signals``:

* ``title`` (0.45): a tracked term in the title;
* ``lead`` (0.20): a tracked term in the first 400 characters;
* ``density`` (up to 0.35): term occurrences against what an article about
  the story would have (one per 150 words, at least 1, at most 4);
* ``anchors`` (up to 0.30): the share of the source article's names and
  numbers the text carries (works across languages).

From ``MONITOR_FOLLOWUP_SCORE`` (0.4) the label is ``followup``. Below it, a
text that still names the story (``MONITOR_MENTION_MIN_TERMS`` tracked-term
occurrences) is a ``mention`` — stored, not counted as coverage — and any
other is ``off_topic``. Copies of the source are recognised later, in dedup.

An article whose own date (from the page or its URL; feed and sitemap dates
were already checked before fetching) is older than every story's ``since``
is dropped here with reason ``too_old``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.dates import parse_date
from core.items import ArticleItem
from pipelines import textsig
from pipelines.drops import TooOld
from pipelines.profile import StoryProfile

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

LEAD_CHARS = 400
WORDS_PER_MENTION = 150


@dataclass
class Relevance:
    story: str
    score: float
    label: str  # followup | mention | off_topic
    matched: list[str] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)


def assess(profile: StoryProfile, *, title: str, text: str, threshold: float = 0.4,
           mention_terms: int = 1) -> Relevance:
    title_terms = profile.find_terms(title)
    text_terms = profile.find_terms(text)
    lead_terms = profile.find_terms(text[:LEAD_CHARS])
    words = len(textsig.tokens(text))
    expected = min(4.0, max(1.0, words / WORDS_PER_MENTION))
    anchor_share = textsig.containment(textsig.anchors(f"{title}\n{text}"), profile.anchors)
    signals = {
        "title": 0.45 if title_terms else 0.0,
        "lead": 0.20 if lead_terms else 0.0,
        "density": round(0.35 * min(1.0, len(text_terms) / expected), 3),
        "anchors": round(0.30 * min(1.0, anchor_share * 2), 3),
    }
    score = round(min(1.0, sum(signals.values())), 3)
    matched = sorted({t.strip() for t in title_terms + text_terms}, key=str.lower)
    if score >= threshold:
        label = "followup"
    elif mention_terms > 0 and len(title_terms) + len(text_terms) >= mention_terms:
        label = "mention"
    else:
        label = "off_topic"
    return Relevance(story=profile.name, score=score, label=label, matched=matched, signals=signals)


def best_story(profiles: list[StoryProfile], *, title: str, text: str, threshold: float,
               mention_terms: int = 1) -> Relevance | None:
    """The story this text is most about (highest score), or None without stories."""
    results = [assess(p, title=title, text=text, threshold=threshold, mention_terms=mention_terms)
               for p in profiles]
    return max(results, key=lambda r: r.score, default=None)


def older_than_window(published: str | None, profiles: list[StoryProfile]) -> str | None:
    """The reason detail when ``published`` is before every story's ``since``, else None."""
    day = parse_date(published)
    windows = [p.since for p in profiles if p.since]
    if day is None or not windows or day.isoformat() >= min(windows):
        return None
    return f"published {day.isoformat()}, before {min(windows)}"


class RelevancePipeline:
    def __init__(self, crawler: Crawler, threshold: float, mention_terms: int):
        self.crawler = crawler
        self.threshold = threshold
        self.mention_terms = mention_terms

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        return cls(crawler, crawler.settings.getfloat("MONITOR_FOLLOWUP_SCORE"),
                   crawler.settings.getint("MONITOR_MENTION_MIN_TERMS"))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        from core.context import MonitorContext

        profiles = list(MonitorContext.of(self.crawler).profiles.values())
        too_old = older_than_window(item.published, profiles)
        if too_old:
            raise TooOld(f"{too_old} ({item.published_from} date): {item.url}", detail=f"{too_old} ({item.published_from})")
        found = best_story(profiles, title=item.title or "", text=item.text or "",
                           threshold=self.threshold, mention_terms=self.mention_terms)
        if found is not None:
            item.story, item.score, item.label = found.story, found.score, found.label
            item.matched, item.signals = found.matched, found.signals
        else:
            item.label = "off_topic"
        return item
