"""Per-outlet boilerplate: the lines of extracted text that recur across an outlet's pages.

An extractor sees one page; a monitor sees hundreds from the same outlet. A
newsletter prompt, a "read more" block, a copyright line or an author box is
the same text on every article of an outlet, while a paragraph of a story is
not. :class:`Boilerplate` counts, per source, in how many distinct pages each
line of extracted text appeared (by a short hash of its normalised text); a
line seen on at least ``min_pages`` pages, and on a ``min_share`` of the
pages seen, is boilerplate for that outlet and :meth:`Boilerplate.clean`
removes it from the next pages.

Bounded: at most ``max_lines`` line hashes are kept per source (when full, the
lines seen once are forgotten first) and at most ``max_sources`` sources.
Plain dictionaries of ints: :meth:`to_json` / :meth:`from_json` round-trip, so
the counts can be stored wherever the caller keeps per-source state; this
module does no I/O.

:func:`drop_prompts` is the part that needs no history: lines that start like
a reader prompt ("Read more:", "Lesen Sie auch:", "Síguenos en ...") in the
languages we crawl, short enough not to be a paragraph.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from pipelines.outletcounts import OutletCounts

_SPACE = re.compile(r"\s+")
MIN_LINE_CHARS = 12  # shorter lines (a name, a date) are too common in real text to be judged by counts
MAX_PROMPT_CHARS = 160
# Starts of lines that invite the reader elsewhere rather than tell the story.
_PROMPT = re.compile(
    r"^(?:read (?:more|also)|also read|related|see also|more on this|recommended|subscribe|sign up|follow us"
    r"|lesen sie (?:auch|mehr)|mehr zum thema|auch interessant|das könnte sie (?:auch )?interessieren|weiterlesen"
    r"|teilen sie|jetzt abonnieren|newsletter|folgen sie uns"
    r"|lire aussi|à lire aussi|voir aussi|abonnez-vous|suivez-nous"
    r"|lea (?:también|además)|lea:|le puede interesar|te puede interesar|también te puede interesar|síguenos|siguenos"
    r"|leggi anche|potrebbe interessarti|seguici"
    r"|leia (?:também|mais)|siga-nos"
    r"|czytaj (?:też|także|więcej))\b", re.I)


def line_key(line: str) -> str | None:
    """A short, stable hash of a line's normalised text, or None for lines too short to judge."""
    text = _SPACE.sub(" ", line).strip().casefold()
    if len(text) < MIN_LINE_CHARS:
        return None
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def drop_prompts(text: str) -> str:
    """``text`` without its short reader-prompt lines ("Read more: ...", "Síguenos en ...")."""
    lines = text.split("\n")
    kept = [line for line in lines if len(line) > MAX_PROMPT_CHARS or not _PROMPT.match(line.strip())]
    return "\n".join(kept) if len(kept) < len(lines) else text


class Boilerplate(OutletCounts):
    """Counts of lines per source, and the removal of the recurring ones."""

    KEY = "lines"

    def __init__(self, *, min_pages: int = 3, min_share: float = 0.2, max_lines: int = 5000, max_sources: int = 2000):
        super().__init__(min_pages=min_pages, share=min_share, max_sources=max_sources)
        self.max_lines = max_lines

    def learn(self, source: str, text: str) -> None:
        """Count the distinct lines of one page of ``source``."""
        self._learn(source, map(line_key, text.split("\n")))

    def _learn(self, source: str, keys: Iterable[str | None]) -> None:
        if self._full(source):
            return  # bounded: a crawl of more outlets than that learns for the first ones only
        counts = self.counts.setdefault(source, Counter())
        self.pages[source] += 1
        for key in {k for k in keys if k}:
            counts[key] += 1
        self._bound(counts)

    def _bound(self, counts: Counter[str]) -> None:
        """Past ``max_lines``: drop the lines seen on one page only, then (if still full) the rarest half."""
        if len(counts) <= self.max_lines:
            return
        for key in [k for k, n in counts.items() if n <= 1]:
            del counts[key]
        if len(counts) > self.max_lines:
            for key, _ in counts.most_common()[self.max_lines // 2:]:
                del counts[key]

    def is_boilerplate(self, source: str, line: str) -> bool:
        return self._recurs(source, line_key(line))

    def _recurs(self, source: str, key: str | None) -> bool:
        return key is not None and self.recurs(source, key)

    def clean(self, source: str, text: str) -> str:
        """``text`` without the lines that recur on ``source``'s pages; unchanged if that would empty it."""
        lines = text.split("\n")
        return self._clean(source, text, lines, [line_key(line) for line in lines])

    def _clean(self, source: str, text: str, lines: list[str], keys: list[str | None]) -> str:
        if source not in self.counts:
            return text
        kept = [line for line, key in zip(lines, keys, strict=True) if not self._recurs(source, key)]
        cleaned = "\n".join(kept).strip()
        return cleaned or text

    def learn_and_clean(self, source: str, text: str) -> str:
        """Clean ``text`` with what is known so far, then count it (a page never removes its own lines).

        Each line is hashed once, for both."""
        lines = text.split("\n")
        keys = [line_key(line) for line in lines]
        cleaned = self._clean(source, text, lines, keys)
        self._learn(source, keys)
        return cleaned
