"""A story's profile: what an article must share with the story to be about it.

Built once per crawl from the ``[[story]]`` config and the source article's
text: tracked terms (any script), the source's language-neutral anchors and
its MinHash signature (computed when first needed: a crawl that reads no
page never computes it, nor imports numpy for it).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines import textsig
from pipelines.containment import anchor_sequence
from pipelines.names import names, word_cases
from pipelines.sounds import SoundMatcher
from pipelines.terms import HANGUL, UNSPACED, TermMatcher, fold

# A term written in Latin letters, digits, spaces and punctuation only.
_LATIN_RE = re.compile(r"[\u0000-\u024f\u1e00-\u1eff]+")
_WORD_SPLIT_RE = re.compile(r"[\s\-]+")


@dataclass
class StoryProfile:
    name: str
    url: str
    language: str
    terms: tuple[str, ...]
    since: str | None = None
    text: str | None = None
    anchors: set[str] = field(default_factory=set)
    _signature: tuple[int, ...] | None = field(default=None, repr=False)
    text_hash: str | None = None
    matcher: TermMatcher | None = None

    @classmethod
    def build(cls, *, name: str, url: str, language: str, terms: tuple[str, ...],
              since: str | None = None, text: str | None = None, title: str | None = None) -> StoryProfile:
        """The profile; a story configured without terms gets the names its source is about (:func:`core_terms`).

        ``title`` defaults to the text's first line (how the source's text files are written).
        """
        if not terms and text:
            title = title if title is not None else text.strip().partition("\n")[0]
            terms = core_terms(title, text)
        profile = cls(name=name, url=url, language=language, terms=terms, since=since, text=text)
        profile.matcher = TermMatcher(terms)
        if text:
            profile.anchors = textsig.anchors(text)
            profile.text_hash = textsig.text_hash(text)
        return profile

    @property
    def signature(self) -> tuple[int, ...] | None:
        """MinHash signature of the source text (None without text), computed on first use."""
        if self._signature is None and self.text:
            self._signature = textsig.signature(self.text, hashes=self.shingles)
        return self._signature

    @functools.cached_property
    def shingles(self) -> frozenset[int]:
        """The source's shingle hashes, to see how much of a text is the source (and the reverse)."""
        return textsig.shingle_hashes(self.text) if self.text else frozenset()

    @functools.cached_property
    def words(self) -> frozenset[str]:
        """The source's words (:func:`~pipelines.textsig.tokens`): a text sharing a shingle with it has them."""
        return frozenset(textsig.tokens(self.text)) if self.text else frozenset()

    @functools.cached_property
    def term_words(self) -> frozenset[str]:
        """Folded words of the tracked terms: every follow-up has them, so they tell no copy apart."""
        return frozenset(fold(w) for term in self.terms for w in term.split())

    @functools.cached_property
    def families(self) -> dict[str, int]:
        """Each Latin-script term's family: terms that share a word name one thing (``Boeing 737 Max 9``,
        ``737 Max 9``, ``Max 9``; ``DeepSeek``, ``DeepSeek-R1``); terms with no word in common name
        different things (``Alaska Airlines``, ``Flight 1282``). Terms in other scripts (``深度求索``) are
        spellings of one of them, which one cannot be read: they belong to none."""
        latin = [t for t in self.terms if _LATIN_RE.fullmatch(t)]
        words = [frozenset(_WORD_SPLIT_RE.split(fold(t))) - {""} for t in latin]
        family = list(range(len(latin)))

        def root(i: int) -> int:
            while family[i] != i:
                i = family[i]
            return i

        for i in range(len(latin)):
            for j in range(i):
                if words[i] & words[j]:
                    family[root(i)] = root(j)
        return {term: root(i) for i, term in enumerate(latin)}

    @functools.cached_property
    def plain_families(self) -> frozenset[int]:
        """Families written without a number: an organisation or a place (``Alaska Airlines``), not a flight
        or a model (``Flight 1282``, ``737 Max 9``), which a number makes specific."""
        numbered = {f for term, f in self.families.items() if any(c.isdigit() for c in term)}
        return frozenset(set(self.families.values()) - numbered)

    @functools.cached_property
    def sibling_pattern(self) -> re.Pattern[str] | None:
        """Another member of the story's series in folded text: a word that numbers a member in the story's
        Latin-script terms followed by another number of as many digits (``Boeing 777`` beside ``Boeing 737
        Max 9``, ``Max 8`` beside ``Max 9``, ``Flight 1437`` beside ``Flight 1282``); an amount (``Boeing 3
        billion``) or a year (``Alaska Airlines 2024``) is not numbered like a member. None for a story
        without a numbered name, whose words name no series."""
        shapes: dict[str, set[int]] = {}
        for term in self.families:
            for word, number in re.findall(r"([^\W\d_]{3,})[\s\-]?(\d+)(?!\d)", fold(term)):
                shapes.setdefault(word, set()).add(len(number))
        if not shapes:
            return None
        known = "|".join(sorted({n for term in self.families for n in re.findall(r"\d+", term)}))
        members = "|".join(rf"{re.escape(word)}[\s\-]?(?!(?:{known})(?!\d))(?!(?:19|20)\d\d(?!\d))"
                           rf"\d{{{min(sizes)},{max(sizes)}}}"
                           for word, sizes in sorted(shapes.items(), key=lambda kv: -len(kv[0])))
        # Not inside a word of a spaced script; glued to Chinese or Japanese is fine (``波音MAX8``).
        return re.compile(rf"(?<![^\W_{UNSPACED}{HANGUL}])(?:{members})(?![\d]|[.,]\d)")

    @functools.cached_property
    def folded_anchors(self) -> frozenset[str]:
        """The anchors as terms are matched (:func:`fold`: accents dropped, ``États-Unis`` = ``etats-unis``)."""
        return frozenset(fold(a) for a in self.anchors)

    @functools.cached_property
    def sequence(self) -> list[str]:
        """The source's numbers and Latin-script names in order (pipelines/containment)."""
        return anchor_sequence(self.text, skip=self.term_words) if self.text else []

    @functools.cached_property
    def sounds(self) -> SoundMatcher:
        return SoundMatcher(self.terms)

    def find_terms(self, text: str) -> list[str]:
        """The tracked term of each occurrence in ``text``: as configured in any script (pipelines/terms),
        or a Latin-script term written by sound in another script (pipelines/sounds)."""
        if not text:
            return []
        folded = fold(text)
        spans = self.matcher.spans(folded) if self.matcher else []
        taken = [(a, b) for a, b, _ in spans]
        spans += [s for s in self.sounds.spans(folded) if not any(a < s[1] and s[0] < b for a, b in taken)]
        return [term for _, _, term in sorted(spans)]


# --- Drafting a profile from the source article alone ---------------------------

def _body(title: str, text: str) -> str:
    """The text without its first line when that line is the title (how source files are written)."""
    first, _, rest = text.strip().partition("\n")
    return rest if title and fold(first.strip()) == fold(title.strip()) else text


def draft_terms(title: str, text: str, *, limit: int = 15) -> list[tuple[str, int]]:
    """Candidate tracked terms: the core names first (:func:`core_terms`), then the text's names by count."""
    body = _body(title, text)
    counts = names(body)
    core = core_terms(title, text)
    # Core terms the name reader does not count on their own (``737 Max 9``, ``Francis Scott Key``):
    # as often as the text writes them.
    counts.update({p: len(TermMatcher([p]).spans(fold(body))) for p in core if p not in counts})
    ranked = sorted(counts.items(), key=lambda kv: (kv[0] not in core, -kv[1], kv[0]))
    # Names of two words or more (people, companies) are distinctive even when written once.
    return [(p, n) for p, n in ranked if n >= 2 or p in core or " " in p][:limit]


CORE_SHARE = 0.4


def core_terms(title: str, text: str) -> tuple[str, ...]:
    """The names a story is about, for a story configured without terms.

    The source's title names its subject: the names of the text that the
    title also names and that the text repeats most (from ``CORE_SHARE`` of
    the most repeated one), and the longer names built on them (``DeepSeek
    R1``). A name with a number keeps the part from its number on (``737 Max 9``
    of ``Boeing 737 Max 9``): model and flight numbers cross languages; so does
    the variant alone (``Max 9``, as ``波音MAX-9`` writes it). Short
    acronyms (``IA``, ``USA``) name a field or a country, not a story. Without
    a name in the title, the text's most repeated name.
    """
    counts = names(_body(title, text))

    def specific(name: str) -> bool:
        return not (name.isupper() and len(name) <= 3 and name.isalpha())

    candidates = {p: n for p, n in counts.items() if specific(p) and n >= 2}
    titled = {p: n for p, n in candidates.items() if TermMatcher([p]).find(title)}
    pool = titled or dict(sorted(candidates.items(), key=lambda kv: -kv[1])[:1])
    if not pool:
        return ()
    top = max(pool.values())
    core = sorted((p for p, n in pool.items() if n >= CORE_SHARE * top), key=lambda p: -pool[p])
    words = {fold(w) for p in core for w in p.split()}
    longer = [p for p in candidates if p not in core and fold(p.split()[0]) in words]
    numbered = []
    for name in core + longer:
        parts = name.split()
        at = next((i for i, w in enumerate(parts) if w.isdigit()), 0)
        if at and any(c.isalpha() for c in " ".join(parts[at:])):
            numbered.append(" ".join(parts[at:]))
        if len(parts) >= 3 and parts[-1].isdigit() and parts[-2].isalpha():
            # The variant alone (``Max 9``): other languages drop the family (``波音MAX-9``).
            numbered.append(" ".join(parts[-2:]))
    body = _body(title, text)
    proper = [part for name in core + longer if (part := proper_part(name, body))]
    return tuple(dict.fromkeys(core + longer + numbered + proper))


def proper_part(name: str, text: str) -> str | None:
    """The part of a name that other languages keep, when it ends in a common noun: ``Francis Scott Key``
    of ``Key Bridge`` written ``Francis Scott Key Bridge`` in the text (a pont, a Brücke elsewhere).

    The last word is a common noun when the text also writes it in lower case
    (``the bridge``); the name's full form is the capitalised words the text
    writes just before it, each one written capitalised inside a sentence
    and never in lower case (not ``The``), none a possessive. Kept from two
    words on: one word left (``Alaska`` of ``Alaska Airlines``) is a place.
    """
    words = name.split()
    last = words[-1]
    if len(words) < 2 or not last.isalpha() or last.islower():
        return None
    lower, inside = word_cases(text)
    if last.lower() not in lower:
        return None
    best: list[str] = []
    for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
        before: list[str] = []
        for word in reversed(text[max(0, match.start() - 80):match.start()].split()):
            if not word.isalpha() or word not in inside or word.lower() in lower:
                break
            before.insert(0, word)
        best = max(best, before, key=len)
    kept = best + words[:-1]
    return " ".join(kept) if len(kept) >= 2 and best else None


def draft_story_toml(*, name: str, url: str, title: str, language: str, text: str, file: str | None) -> str:
    """A ``[[story]]`` block for sources.toml, for the user to edit."""
    terms = draft_terms(title, text)
    numbers = sorted(a for a in textsig.anchors(text) if a[:1].isdigit())
    lines = [
        "[[story]]",
        f"name = {_toml(name)}",
        f"url = {_toml(url)}",
        *([f"file = {_toml(file)}"] if file else []),
        f"title = {_toml(title)}",
        f"language = {_toml(language)}",
        "published = 2025-01-01  # EDIT: the day the source article came out",
        "since = 2025-01-01      # EDIT: pages dated before this day are skipped",
        "# Tracked terms found in the source (occurrences). Keep the ones that identify the story,",
        "# and add how other languages and scripts write them (e.g. 深度求索, ディープシーク, Дипсик).",
        "terms = [",
        *[f"    {_toml(term)},  # {count}" for term, count in terms],
        "]",
        "# Language-neutral anchors the crawl also uses (from the text, nothing to edit):",
        f"# numbers: {', '.join(numbers[:25]) or 'none'}",
    ]
    return "\n".join(lines) + "\n"


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys
    from pathlib import Path

    from pipelines.extract import extract_article
    from pipelines.language import detect_language

    parser = argparse.ArgumentParser(
        prog="python -m pipelines.profile",
        description="Draft a [[story]] entry for sources.toml from the source article alone.")
    parser.add_argument("file", help="the source article, as HTML or plain text (first line = title)")
    parser.add_argument("--url", default="https://example.com/EDIT-ME", help="where it was published")
    parser.add_argument("--name", default="my-story", help="story name ([a-z0-9_-])")
    args = parser.parse_args(argv)
    path = Path(args.file)
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"profile: {path}: cannot read: {exc.strerror}", file=sys.stderr)
        return 2
    if raw.lstrip()[:1] == "<":
        found = extract_article(raw, url=args.url)
        if found is None:
            print(f"profile: {path}: no readable text in this HTML", file=sys.stderr)
            return 2
        title, text = found.title or "", found.text
    else:
        title, _, text = raw.strip().partition("\n")
    language = detect_language(f"{title}\n{text}").language
    sys.stdout.write(draft_story_toml(name=args.name, url=args.url, title=title.strip(), language=language,
                                      text=text, file=str(path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def story_profile(story: Any, text: str | None) -> StoryProfile:
    """The profile of a configured story (core.sources.Story) from its source article's text."""
    return StoryProfile.build(name=story.name, url=story.url, language=story.language, terms=story.terms,
                              since=story.since.isoformat(), text=text)


def text_of_page(html: str, url: str) -> str | None:
    """The article text of a source article's HTML page, or None."""
    from pipelines.extract import (
        extract_article,  # trafilatura: only when there is a page to read
    )

    found = extract_article(html, url=url)
    return found.text if found else None


def text_of_file(path: Path, url: str) -> str:
    """The text of a source article kept in a file: plain text as it is, HTML read like a page."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm") or raw.lstrip()[:1] == "<":
        return text_of_page(raw, url) or ""
    return raw


class Profiler:
    """What the crawl's context (core/context.py) calls, named by ``MONITOR_STORY_PROFILER``."""

    build = staticmethod(story_profile)
    text_of_page = staticmethod(text_of_page)
    text_of_file = staticmethod(text_of_file)
