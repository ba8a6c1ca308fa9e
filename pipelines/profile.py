"""A story's profile: what an article must share with the story to be about it.

Built once per crawl from the ``[[story]]`` config and the source article's
text: tracked terms (any script), the source's language-neutral anchors and
its MinHash signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines import textsig


def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for term in sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True):
        escaped = r"\s+".join(re.escape(w) for w in term.split())
        if term[0].isalnum() and term.isascii():
            # Latin-script terms match whole words ("DeepSeek's" yes, "DeepSeeker" no).
            escaped = rf"(?<!\w){escaped}(?!\w)"
        parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


@dataclass
class StoryProfile:
    name: str
    url: str
    language: str
    terms: tuple[str, ...]
    since: str | None = None
    text: str | None = None
    anchors: set[str] = field(default_factory=set)
    signature: tuple[int, ...] | None = None
    text_hash: str | None = None
    pattern: re.Pattern[str] | None = None

    @classmethod
    def build(cls, *, name: str, url: str, language: str, terms: tuple[str, ...],
              since: str | None = None, text: str | None = None) -> StoryProfile:
        profile = cls(name=name, url=url, language=language, terms=terms, since=since, text=text)
        profile.pattern = _term_pattern(terms)
        if text:
            profile.anchors = textsig.anchors(text)
            profile.signature = textsig.signature(text)
            profile.text_hash = textsig.text_hash(text)
        return profile

    def find_terms(self, text: str) -> list[str]:
        """Every occurrence of a tracked term in ``text``, as written there."""
        return self.pattern.findall(text) if (self.pattern and text) else []
