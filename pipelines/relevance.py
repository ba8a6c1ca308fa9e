"""Is this article about the story? A score from 0 to 1, the terms that matched, and why.

The score adds four signals, each visible in ``articles.signals``:

* ``title`` (0.45): a tracked term in the title;
* ``lead`` (0.20): a tracked term in the first 400 characters;
* ``density`` (up to 0.35): term occurrences against what an article about
  the story would have (one per 150 words, at least 1, at most 4);
* ``anchors`` (up to 0.30): the share of the source article's names and
  numbers the text carries (works across languages).

From ``MONITOR_FOLLOWUP_SCORE`` (0.4) the label is ``followup``, below it
``off_topic``. Copies of the source are recognised later, in dedup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.items import ArticleItem
from pipelines import textsig
from pipelines.profile import StoryProfile

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

LEAD_CHARS = 400
WORDS_PER_MENTION = 150


@dataclass
class Relevance:
    story: str
    score: float
    label: str  # followup | off_topic
    matched: list[str] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)


def assess(profile: StoryProfile, *, title: str, text: str, threshold: float = 0.4) -> Relevance:
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
    return Relevance(story=profile.name, score=score, label="followup" if score >= threshold else "off_topic",
                     matched=matched, signals=signals)


def best_story(profiles: list[StoryProfile], *, title: str, text: str, threshold: float) -> Relevance | None:
    """The story this text is most about (highest score), or None without stories."""
    results = [assess(p, title=title, text=text, threshold=threshold) for p in profiles]
    return max(results, key=lambda r: r.score, default=None)


class RelevancePipeline:
    def __init__(self, crawler: Crawler, threshold: float):
        self.crawler = crawler
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        return cls(crawler, crawler.settings.getfloat("MONITOR_FOLLOWUP_SCORE"))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        from crawler.context import MonitorContext

        profiles = MonitorContext.of(self.crawler).profiles
        found = best_story(list(profiles.values()), title=item.title or "", text=item.text or "",
                           threshold=self.threshold)
        if found is not None:
            item.story, item.score, item.label = found.story, found.score, found.label
            item.matched, item.signals = found.matched, found.signals
        else:
            item.label = "off_topic"
        return item
