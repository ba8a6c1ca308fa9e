"""Is this article about the story? A score from 0 to 1, the terms that matched, and why.

Whether a text is *about* the story, or names it in passing, shows in where
and how it names it, in any language. The score adds five signals (and two
limits, ``alone`` and ``sibling``, below), each
visible in ``articles.signals``:

* ``title`` (0.45 when the story is the headline's subject, -0.20 when
  another name is, 0.10 when the headline names nothing at all and the text
  names the story, else 0): the headline's subject is its first name, in
  title order, that the text names more often than the story (and twice),
  if it comes before the story — "Qwen 2.5-Max claims edge over DeepSeek",
  "Nvidia Q4 earnings" with DeepSeek in two sentences. Names are counted
  wherever written (``Mistral`` in ``Mistral AI``, ``Трампа``); names built
  on the story's words (``Boeing-Chef``) are the story's; the source's own
  names and their spellings in other languages (``China`` for ``Chine``) are
  its context and must outweigh the story ``CONTEXT_DOMINANCE`` times over; in
  a text that capitalises every noun (pipelines/names), a single capitalised
  word counts only by its form or as a name of the source;
* ``lead`` (0.15): a tracked term in the first passage (``PASSAGE`` characters);
* ``spread`` (up to 0.30): the share of the text's passages that name the
  story, full from ``FULL_SPREAD`` of them — a passing mention sits in one or two;
* ``salience`` (0.10): the story is named twice or more, and at least as often as any other name
  (a name of the source: ``CONTEXT_DOMINANCE`` times as often, as in the title);
* ``anchors`` (up to 0.20): the share of the source article's names and
  numbers the text carries (works across languages).

A story named by several different things (an airline, a flight number, an
aircraft: pipelines/profile ``families``) is where they meet: a text naming
only one of them, a plain name without a number, and fewer than
``CORROBORATION`` of the source's other names and numbers, is that name's
news (the airline's merger), held below the threshold by the ``alone`` signal —
only when one of those names is numbered (the event); a story of plain names
only (a company and its founder) holds none back. For the same reason a
headline that names none of the story's terms is about another member of
its numbered series (``Boeing 777`` for ``Boeing 737 Max 9``, ``Flight 1437``
for ``Flight 1282``) when it names that member, or when the text names it at
least as often as the story's own numbered names: held below the threshold
by the ``sibling`` signal.

From ``MONITOR_FOLLOWUP_SCORE`` (0.4) the label is ``followup``. Below it, a
text that still names the story (``MONITOR_MENTION_MIN_TERMS`` tracked-term
occurrences) is a ``mention`` — stored, not counted as coverage — and any
other is ``off_topic``. Copies of the source are recognised later, in dedup.

An article whose own date (from the page or its URL; feed and sitemap dates
were already checked before fetching) is older than every story's ``since``
is dropped here with reason ``too_old``.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.context import MonitorContext
from core.dates import parse_date
from core.items import ArticleItem
from pipelines import textsig
from pipelines.drops import TooOld
from pipelines.names import capitalises_nouns, heading, name_shaped, names
from pipelines.profile import StoryProfile
from pipelines.terms import UNSPACED, TermMatcher, fold
from storage.vocabulary import Label

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

PASSAGE = 300  # characters (a CJK or Hangul character counts three) of a passage
_SENTENCE_RE = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
FULL_SPREAD = 0.6
CONTEXT_DOMINANCE = 2
CORROBORATION = 2  # of the source's names and numbers, besides the story's own words
JOINED = 3  # characters between two names written as one (a possessive: "Alibaba's Qwen3", 阿里巴巴的通义)
_UNSPACED_RE = re.compile(f"[{UNSPACED}]")


@dataclass
class Relevance:
    story: str
    score: float
    label: str  # followup | mention | off_topic
    matched: list[str] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)


def passages(text: str) -> list[str]:
    """The text cut into passages of about ``PASSAGE`` characters, at sentence ends.

    Paragraphs are what a writer gives a topic, but extracted texts come with
    one paragraph per sentence or one for the whole page; passages of even
    length make "how much of the text names the story" comparable.
    """
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        for sentence in _SENTENCE_RE.split(line):
            current = f"{current} {sentence}" if current else sentence
            if _weight(current) >= PASSAGE:
                out.append(current)
                current = ""
        if _weight(current) >= PASSAGE / 2:  # a paragraph end is a good place to cut
            out.append(current)
            current = ""
    if current.strip():
        if out and _weight(current) < PASSAGE / 2:
            out[-1] = f"{out[-1]} {current}"
        else:
            out.append(current)
    return out


def _weight(line: str) -> int:
    return len(line.strip()) + 2 * sum(1 for c in line if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")


@functools.lru_cache(maxsize=4096)
def _matcher(name: str) -> TermMatcher:
    return TermMatcher([name])


def _story_word(word: str, profile: StoryProfile) -> bool:
    """A word of the story's terms, inflected or not (``Boeings``, ``Boeingu``)."""
    return word in profile.term_words or any(
        len(t) >= 4 and word.startswith(t) and len(word) - len(t) <= 3 for t in profile.term_words)


def _cognate(word: str, anchors: set[str] | frozenset[str]) -> bool:
    """The word is one of the source's anchors, or the same name spelt by another language (China, Chine)."""
    if word in anchors:
        return True
    for anchor in anchors:
        common = len(os.path.commonprefix((word, anchor)))
        if common >= 4 and common >= 0.75 * min(len(word), len(anchor)):
            return True
    return False


def context_name(profile: StoryProfile, name: str) -> bool:
    """A name of the source article itself (``Andrew Ng``, ``Nvidia``, ``États-Unis``; ``China`` for ``Chine``).

    The source's own names are the story's context, never another subject.
    """
    folded = fold(name)
    words = [w for w in re.split(r"[\s\-]+", folded) if len(w) >= 3]
    anchors = profile.folded_anchors
    return folded in anchors or (bool(words) and all(_cognate(w, anchors) for w in words))


def other_names(profile: StoryProfile, title: str, text: str) -> dict[str, int]:
    """Names in the text (pipelines/names) that are not the story's, with how often the text names them.

    A name is counted wherever it is written, also inside a longer name
    (``Mistral`` in ``Mistral AI``), so that a subject named in several ways
    adds up. Names built on the story's words (``Boeing-Chef``) are the
    story's; a part of a name of the source (``Ng`` of ``Andrew Ng``) is left out.
    """
    whole = f"{title}\n{text}"
    folded = fold(whole)
    found = [n for n in names(whole)
             if not (profile.find_terms(n) or (n.isupper() and len(n) <= 3) or _UNSPACED_RE.search(n)
                     or any(_story_word(w, profile) for w in re.split(r"[\s\-]+", fold(n))))]
    if capitalises_nouns(text):
        # Where every noun is capitalised, a single capitalised word is a name only by its form
        # or because the source, in its own language, names it too (Nvidia, China for Chine).
        found = [n for n in found if name_shaped(n) or context_name(profile, n)]
    context = {w for n in found if context_name(profile, n) for w in fold(n).split()}
    return {n: max(1, len(_matcher(n).spans(folded))) for n in found
            if context_name(profile, n) or not set(fold(n).split()) <= context}


def _named_in(name: str, folded_title: str) -> int:
    """Where ``name`` starts in a folded title (as a whole word), or -1."""
    spans = _matcher(name).spans(folded_title)
    return spans[0][0] if spans else -1


def title_subject(profile: StoryProfile, title: str, others: dict[str, int], story_count: int,
                  text: str = "") -> str | None:
    """Another name that is the subject of the title, rather than the story; None when there is none.

    The grammatical subject of a headline usually comes first. Reading the
    title's names in order, up to the story's own first mention: the first
    that the text names more often than the story (and twice) is the
    subject ("Alibaba challenges DeepSeek…", "Qwen 2.5-Max claims edge over
    DeepSeek"). The source's own names are the story's context ("Liang
    Wenfeng, founder of DeepSeek", "Nvidia loses $600bn"): one of them is the
    subject only when the text names it more than ``CONTEXT_DOMINANCE`` times
    as often as the story ("Nvidia Q4 earnings", DeepSeek in two sentences).
    When the headline opens with one of them, it is the subject, or none is:
    a later name is a complement ("OpenAI … wants to work with China as
    DeepSeek…", "NTSB report … into Baltimore bridge"). A name before the
    story is also the subject when the story is one item of a list after it
    (:func:`listed`: "Alibaba says its model beats DeepSeek and GPT-4"),
    however often the text names the story.
    """
    folded = fold(title)
    spans = profile.matcher.spans(folded) if profile.matcher else []
    first = spans[0][0] if spans else len(folded)
    placed = sorted((at, name) for name in others if 0 <= (at := _named_in(name, folded)) < first)
    if placed and spans and listed(title, spans[0][1], others, capitals=not capitalises_nouns(text)):
        return placed[0][1]
    if placed and context_name(profile, placed[0][1]):
        # Opened by a name of the source, the headline is about the story's context: its subject is that
        # name, with the names written onto it ("Alibaba's Qwen3"), never a later one ("…with China").
        group = placed[:1]
        for at, name in placed[1:]:
            if at - (group[-1][0] + len(fold(group[-1][1]))) > JOINED:
                break
            group.append((at, name))
        placed = group
    return next((name for _, name in placed if (others[name] > CONTEXT_DOMINANCE * max(2, story_count)
                                                if context_name(profile, name)
                                                else others[name] > max(1, story_count))), None)


# After a name: a list separator, or a short lower-case word between two names (y, and, et, und, и, và),
# then the next word.
_NEXT_ITEM_RE = re.compile(r"\s*[,、&/]\s*([^\W_]+(?:[-.][^\W_]+)*)|\s+([^\W\d_]{1,3})\s+([^\W_]+(?:[-.][^\W_]+)*)")


def listed(title: str, end: int, others: dict[str, int], *, capitals: bool = True) -> bool:
    """Whether the title's name ending at ``end`` is followed by another name as the next item of a list.

    "…es mejor que DeepSeek y ChatGPT", "…supera a DeepSeek y GPT-4": when
    another name comes first, the story is one of the things that name is
    compared with or listed among, not the headline's subject. Lists are
    written with a separator or a short lower-case word (``y``, ``and``,
    ``et``, ``und``, ``и``) in most scripts; the next item is a name by its
    capital (not in a title-case headline, nor where ``capitals`` is false:
    a text that capitalises every noun), by its form (``GPT-4``, ``OpenAI``)
    or because the text reads it as one. A short preposition reads the same
    ("DeepSeek of China"): which is why a name must come before the story.
    """
    if len(fold(title)) != len(title):
        return False  # offsets of the folded title would not fall on the title's words
    found = _NEXT_ITEM_RE.match(title, end)
    if found is None or (found.group(2) is not None and not found.group(2).islower()):
        return False
    word = found.group(1) or found.group(3)
    return (name_shaped(word) or (capitals and word[0].isupper() and not heading(title))
            or any(fold(name).split()[0] == fold(word) for name in others))


def names_nothing(title: str, others: dict[str, int]) -> bool:
    """A headline written in a cased script that names none of the text's names ("The epicenter of
    open-source AI may shift", "Wegen China-KI – Tech-Index bricht ein"): it points at no other subject.
    In Chinese or Japanese no name can be read, so nothing can be said of what a headline names."""
    letters = [c for c in title if c.isalpha()]
    if sum(1 for c in letters if c.isupper() or c.islower()) * 2 <= len(letters):
        return False
    folded = fold(title)
    return not any(_named_in(name, folded) >= 0 for name in others)


def outnamed(profile: StoryProfile, others: dict[str, int], count: int) -> bool:
    """Whether another name is named more often than the story (a name of the source: ``CONTEXT_DOMINANCE`` times)."""
    return any(n > count and (n > CONTEXT_DOMINANCE * count or not context_name(profile, name))
               for name, n in others.items())


def alone(profile: StoryProfile, found: list[str], anchors: set[str], text: str) -> bool:
    """The text names only one of the story's several names, a plain one (pipelines/profile ``families``),
    and carries fewer than ``CORROBORATION`` of the source's other names and numbers, in a text written
    in Latin letters, where those names could be read (``ボルチモア`` alone says nothing of the rest).

    ``Alaska Airlines`` is in the news for its merger as much as for flight
    1282; a story named by an airline, a flight and an aircraft is where
    they meet. A numbered name (``Flight 1282``, ``737 Max 9``) is specific
    on its own, and a story named by one thing (``DeepSeek``) is that thing.
    A story with no numbered name (``DeepSeek``, ``Liang Wenfeng``) says
    nothing of which of its names is the event: none is held back.
    """
    specific = set(profile.families.values()) - profile.plain_families
    if not specific or any(term not in profile.families for term in found):
        return False
    families = {profile.families[term] for term in found}
    if len(families) != 1 or not families <= profile.plain_families:
        return False
    others = {fold(a) for a in anchors} & profile.folded_anchors - profile.term_words
    return len(others) < CORROBORATION and latin_text(text)


def sibling(profile: StoryProfile, title: str, text: str = "", numbered: int = 0) -> str | None:
    """Another member of the story's series that a text is about instead of the story, or None.

    A story named by a numbered name (a flight, an aircraft model) is one
    event of a series its words name: ``Boeing 777`` is another aircraft than
    ``Boeing 737 Max 9``, ``Flight 1437`` another flight than ``Flight 1282``.
    A text whose headline names none of the story's terms is about that other
    member when the headline names it, or when the text names it at least as
    often as it names the story's own numbered names (``numbered``: another
    cargo door on another Max 8, the January blowout recalled beside it).
    Numbers are written alike in every language; years are not members.
    """
    pattern = profile.sibling_pattern
    if pattern is None:
        return None
    if title and (found := pattern.search(fold(title))):
        return found.group(0)
    members = pattern.findall(fold(text)) if text else []
    return members[0] if len(members) >= max(1, numbered) else None


def latin_text(text: str) -> bool:
    """Most of the text's letters are Latin ones (a name of the source would be written as in the source)."""
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if c <= "\u024f" or "\u1e00" <= c <= "\u1eff") * 2 > len(letters)


def held_below(threshold: float, signals: dict[str, float]) -> float:
    """The signal that keeps a score under ``threshold`` (0 when it is under already): a limit's amount."""
    return round(min(0.0, threshold - 0.001 - sum(signals.values())), 3)


def headed(title: str, text: str) -> str:
    """A crawled page's text as its reader meets it: the headline, then the body.

    Pages differ in whether their extracted text repeats the headline (an
    ``<h1>`` inside the article's container or above it); relevance reads the
    same text either way (its signals were measured on texts that open with
    their headline): one whose first line is not the headline gets it. Not
    for a feed entry's title and summary (:mod:`pipelines.classify`), which
    are two things, not a page.
    """
    headline = " ".join(title.split())
    if not headline or " ".join(text.lstrip()[:len(title) + 40].split()).startswith(headline):
        return text
    return f"{title.strip()}\n{text}"


def assess(profile: StoryProfile, *, title: str, text: str, threshold: float = 0.4,
           mention_terms: int = 1) -> Relevance:
    title_terms = profile.find_terms(title)
    text_terms = profile.find_terms(text)
    # A text that never names the story has no passage that does.
    naming = [bool(profile.find_terms(p)) for p in passages(text)] if text_terms else []
    lead = naming[0] if naming else False
    spread = sum(naming) / len(naming) if naming else 0.0
    others = other_names(profile, title, text) if title_terms or text_terms else {}
    count = len(title_terms) + len(text_terms)
    anchors = textsig.anchors(f"{title}\n{text}")
    anchor_share = textsig.containment(anchors, profile.anchors)
    if title_subject(profile, title, others, count, text) is not None:
        title_signal = -0.20
    elif title_terms:
        title_signal = 0.45
    else:
        # A headline that names nothing leaves the subject to the text: unlike one naming something else.
        title_signal = 0.10 if text_terms and names_nothing(title, others) else 0.0
    signals = {
        "title": title_signal,
        "lead": 0.15 if lead else 0.0,
        "spread": round(0.30 * min(1.0, spread / FULL_SPREAD), 3),
        # Named once is never salient, even where no other name can be read (CJK text).
        "salience": 0.10 if count >= 2 and not outnamed(profile, others, count) else 0.0,
        # Never rounded down to nothing: dedup reads a non-zero value as "carries the source's traces".
        "anchors": max(round(0.20 * min(1.0, anchor_share * 2), 3), 0.001) if anchor_share > 0 else 0.0,
    }
    if threshold > 0 and alone(profile, title_terms + text_terms, anchors, text):
        # One plain name of a story named by several (the airline of a flight) is that name's news, not the
        # story's: at most a mention. The amount that keeps it below the threshold is a signal of its own.
        signals["alone"] = held_below(threshold, signals)
    if threshold > 0 and not title_terms and sum(signals.values()) >= threshold:
        numbered = sum(1 for term in text_terms if any(c.isdigit() for c in term))
        if sibling(profile, title, text, numbered):
            # The text is about another member of the story's series: held below the threshold.
            signals["sibling"] = held_below(threshold, signals)
    score = round(min(1.0, max(0.0, sum(signals.values()))), 3)
    matched = sorted(set(title_terms + text_terms), key=str.lower)
    if score >= threshold:
        label = Label.FOLLOWUP
    elif mention_terms > 0 and count >= mention_terms:
        label = Label.MENTION
    else:
        label = Label.OFF_TOPIC
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
        profiles = list(MonitorContext.of(self.crawler).profiles.values())
        too_old = older_than_window(item.published, profiles)
        if too_old:
            raise TooOld(f"{too_old} ({item.published_from} date): {item.url}",
                         detail=f"{too_old} ({item.published_from})")
        found = best_story(profiles, title=item.title or "", text=headed(item.title or "", item.text or ""),
                           threshold=self.threshold, mention_terms=self.mention_terms)
        if found is not None:
            item.story, item.score, item.label = found.story, found.score, found.label
            item.matched, item.signals = found.matched, found.signals
        else:
            item.label = Label.OFF_TOPIC
        return item
