"""A follow-up beside its source: what it shares with the source, what it adds, and why it counts.

Plain functions over plain text, no database and no Datasette, so they are tested
on their own (tests/test_compare.py) and the article page only lays them out.

Sharing is judged sentence by sentence on overlapping runs of words
("shingles", :data:`SHINGLE` words long; characters for Chinese, Japanese and
Korean, which are written without spaces): a sentence of the follow-up is
*shared* when at least :data:`SHARED_SHARE` of its runs occur in the source,
so a quotation with a word changed is still shared, and a sentence that only
names the same people is not. A translation shares nothing word for word;
its evidence (names, figures) says how close it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SHINGLE = 4
SHARED_SHARE = 0.5
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{CJK}]|[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
# A sentence ends at . ! ? … (and a closing quote) before a space, or at a CJK full stop.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…][\"'»”’)])\s+|(?<=[.!?…])\s+|(?<=[。！？])(?![」』”’）])")


@dataclass(frozen=True)
class Sentence:
    text: str
    shared: bool = False


@dataclass(frozen=True)
class Comparison:
    """The follow-up and the source, paragraph by paragraph and sentence by sentence, shared ones marked."""

    followup: list[list[Sentence]]
    source: list[list[Sentence]]
    added: list[str] = field(default_factory=list)  # the follow-up's sentences the source does not have

    @property
    def sentences(self) -> int:
        return sum(len(p) for p in self.followup)

    @property
    def shared(self) -> int:
        return sum(s.shared for p in self.followup for s in p)

    @property
    def source_shared(self) -> int:
        return sum(s.shared for p in self.source for s in p)

    def in_words(self) -> str:
        """One plain sentence a journalist reads: how much is taken from the source, how much is new."""
        if not self.sentences:
            return "The article has no text to compare."
        if not self.shared:
            return (f"None of its {self.sentences} sentences repeats the source: all of it is its own "
                    "reporting or writing (a translation of the source would also read this way; "
                    "the evidence below tells).")
        if self.shared == self.sentences:
            return f"All {self.sentences} of its sentences come from the source: it adds nothing."
        return (f"{_count(self.shared, 'sentence')} of {self.sentences} repeat the source "
                f"({_count(self.source_shared, 'passage')} of the source marked); "
                f"it adds {_count(self.sentences - self.shared, 'sentence')} of its own.")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def tokens(text: str) -> list[str]:
    """Words (lower case) and single CJK characters."""
    return [t.lower() for t in _TOKEN_RE.findall(text)]


def shingles(words: list[str], size: int = SHINGLE) -> set[tuple[str, ...]]:
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END_RE.split(paragraph) if s.strip()]


def paragraphs(text: str) -> list[list[str]]:
    return [sentences(p) for p in (text or "").splitlines() if p.strip()]


def _all_shingles(paras: list[list[str]]) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for para in paras:
        for sentence in para:
            words = tokens(sentence)
            found |= shingles(words)
            # Runs shorter than a shingle too, so a short sentence quoted whole still matches.
            for size in range(1, SHINGLE):
                if len(words) == size:
                    found.add(tuple(words))
    return found


def _is_shared(sentence: str, other: set[tuple[str, ...]]) -> bool:
    runs = shingles(tokens(sentence))
    if not runs:
        return False
    return sum(run in other for run in runs) / len(runs) >= SHARED_SHARE


def compare(source: str, followup: str) -> Comparison:
    """Mark the follow-up's sentences found in the source, and the source's found in the follow-up."""
    source_paras, followup_paras = paragraphs(source), paragraphs(followup)
    source_runs, followup_runs = _all_shingles(source_paras), _all_shingles(followup_paras)
    marked = [[Sentence(s, _is_shared(s, source_runs)) for s in para] for para in followup_paras]
    source_marked = [[Sentence(s, _is_shared(s, followup_runs)) for s in para] for para in source_paras]
    added = [s.text for para in marked for s in para if not s.shared]
    return Comparison(followup=marked, source=source_marked, added=added)


# --- Why it counts ----------------------------------------------------------------------


def term_count(term: str, text: str) -> int:
    """Occurrences of ``term`` in ``text``, any case, not inside a longer word (CJK terms: anywhere)."""
    if not term:
        return 0
    if re.search(rf"[{CJK}]", term):
        return text.count(term)
    return len(re.findall(rf"(?<![^\W_]){re.escape(term)}(?![^\W_])", text, re.I))


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def term_evidence(terms: list[str], *, title: str, text: str, limit: int = 4) -> list[str]:
    """"names DeepSeek in the headline and 7 times in the text", one line per story term found."""
    lines = []
    for term in terms:
        in_title, in_text = term_count(term, title or ""), term_count(term, text or "")
        if not (in_title or in_text):
            continue
        where = []
        if in_title:
            where.append("in the headline")
        if in_text:
            where.append(f"{_times(in_text)} in the text")
        lines.append((in_title + in_text, f"names {term} {' and '.join(where)}"))
    lines.sort(key=lambda pair: -pair[0])
    return [line for _, line in lines[:limit]]


def shared_markers(article_markers: set[str], source_markers: set[str], text: str, *,
                   limit: int = 8) -> str | None:
    """"carries 6 of the source's 30 names and figures: Hangzhou, OpenAI, …", spelled as the article does."""
    # Names before figures: they say more to a reader.
    common = sorted(article_markers & source_markers, key=lambda m: (m[:1].isdigit(), m))
    if not common or not source_markers:
        return None
    shown = []
    for marker in common[:limit]:
        match = re.search(re.escape(marker), text, re.I)
        shown.append(match.group(0) if match else marker)
    more = " …" if len(common) > limit else ""
    return (f"carries {len(common)} of the {len(source_markers)} names and figures of the source: "
            f"{', '.join(shown)}{more}")


def copy_evidence(signals: dict[str, float]) -> str | None:
    """Why a page was judged a copy of the source, from the dedup signals, in words."""
    if "source_similarity" in signals:
        return (f"repeats the source's wording almost word for word ({signals['source_similarity']:.0%} alike): "
                "a republication of the source")
    if "source_anchor_share" in signals:
        return (f"carries {signals['source_anchor_share']:.0%} of the source's names and figures in the same "
                "order of ideas: a translation or close rewrite of the source")
    return None
