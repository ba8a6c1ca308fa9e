"""Names in a text written in a cased script: people, organisations, places, model names.

Used to draft a story's terms from its source article alone. No list of words
of any language: what is a name is read from the text itself.

* A *run* is a sequence of capitalised words (or words with a digit, like
  ``R1``, ``2.5-Max``) separated by single spaces, with the numbers inside or
  after it (``Boeing 737 Max 9``). Elided articles (``l'``, ``d'``) and other
  punctuation end a run. Lines in title case (headings) are left out.
* A capitalised word at the start of a sentence is a name only if the text
  also writes it capitalised inside a sentence and never in lower case;
  otherwise it is an ordinary word that happens to start a sentence.
* A run seen once loses its head when its tail is a name the text uses on its
  own elsewhere: ``ministre de l'Intérieur Laurent Nuñez`` then ``Laurent
  Nuñez a dit`` give ``Laurent Nuñez``, not ``Intérieur Laurent Nuñez``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from pipelines.textsig import SENTENCE_END

_WORD_RE = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")
# Single letters with dots (U.S., E.U., S.A.): the last dot belongs to the word, and what follows may or
# may not start a sentence.
_ABBREVIATION = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # a regex: str.translate is slow on non-ASCII text
MAX_SPAN = 4


def clean(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def _capitalised(word: str) -> bool:
    has_digit = any(c.isdigit() for c in word)
    has_alpha = any(c.isalpha() for c in word)
    return word[0].isupper() or (has_digit and has_alpha and len(word) <= 10)


def _runs(text: str) -> tuple[list[tuple[tuple[str, ...], bool | None]], set[str], set[str]]:
    """Runs of capitalised words with whether each starts a sentence (None: after an abbreviation's dot,
    perhaps); words seen in lower case; capitalised words seen inside a sentence."""
    runs: list[tuple[tuple[str, ...], bool | None]] = []
    lower: set[str] = set()
    inside: set[str] = set()
    current: list[str] = []
    starts: bool | None = False
    end = 0
    abbreviation = False  # the previous word was one (U.S.): its dot may or may not end the sentence
    for match in _WORD_RE.finditer(text):
        word, gap = match.group(0), text[end:match.start()]
        if abbreviation and gap.startswith("."):
            gap = gap[1:]  # the abbreviation's own dot
        before = gap.rstrip(" \u00a0\t")
        sentence_start: bool | None = (before[-1:] in SENTENCE_END if before else
                          end == 0 or text[:match.start()].rstrip(" \u00a0\t")[-1:] in SENTENCE_END or
                          not text[:match.start()].strip())
        if abbreviation and not before and gap:
            sentence_start = None  # "the U.S. Coast Guard" or "in the U.S. The agency": read below
        end = match.end()
        abbreviation = _ABBREVIATION.fullmatch(word) is not None and text[end:end + 1] == "."
        if abbreviation:
            word += "."
        if word == word.lower() and not word.isdigit():
            lower.add(word)
        if word.isdigit() and current and gap in (" ", "\u00a0"):
            current.append(word)  # a number inside or after a name: Flight 1282, Boeing 737 Max 9
            continue
        if not _capitalised(word):
            if current:
                runs.append((tuple(current), starts))
            current = []
            continue
        if sentence_start is False and word[0].isupper():
            inside.add(word)
        if current and gap in (" ", "\u00a0") and sentence_start is not None:
            current.append(word)
            continue
        if current:
            runs.append((tuple(current), starts))
        current, starts = [word], sentence_start
    if current:
        runs.append((tuple(current), starts))
    return runs, lower, inside


def _segment(run: tuple[str, ...], seen: Counter[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Cut off the head of a run seen once when its tail is a name the text uses on its own.

    Titles and roles come before names (``Intérieur Laurent Nuñez``, ``PDG Sam
    Altman``); what follows a name is part of it (``Google Brain``).
    """
    if len(run) <= 1 or seen[run] >= 2:
        return [run] if run else []
    for start in range(1, len(run)):
        if seen[run[start:]] >= 2:
            return _segment(run[:start], seen) + [run[start:]]
    return [run]


def heading(line: str) -> bool:
    """A line in title case ("Inspections and Cancellations"), where capitals say nothing about names."""
    words = [w for w in _WORD_RE.findall(line) if w[0].isalpha() and len(w) > 3]
    return len(words) >= 2 and sum(1 for w in words if w[0].isupper()) >= 0.8 * len(words)


def word_cases(text: str) -> tuple[set[str], set[str]]:
    """The words the text writes in lower case, and the capitalised words it writes inside a sentence."""
    _, lower, inside = _runs(clean(text))
    return lower, inside


def names(text: str) -> Counter[str]:
    """Each name of the text with its number of occurrences (headings left out)."""
    text = "\n".join(line for line in clean(text).split("\n") if not heading(line))
    runs, lower, inside = _runs(text)
    kept: list[tuple[str, ...]] = []
    for run, starts in runs:
        words = list(run)
        # A sentence's first word is an ordinary word unless the text shows otherwise; after an abbreviation's
        # dot (which may end the sentence or not), unless the text never writes it in lower case.
        if starts is None and words[0].lower() in lower:
            words = words[1:]
        elif starts and words[0][0].isupper() and (words[0].lower() in lower or words[0] not in inside):
            words = words[1:]
        if words:
            kept.append(tuple(words))
    seen: Counter[tuple[str, ...]] = Counter()
    for run in kept:
        for size in range(1, min(len(run), MAX_SPAN) + 1):
            for start in range(len(run) - size + 1):
                seen[run[start:start + size]] += 1
    found: Counter[str] = Counter()
    for run in kept:
        for part in _segment(run, seen):
            phrase = " ".join(part)
            if len(phrase) >= 2 and any(c.isalpha() for c in phrase):
                found[phrase] += 1
    return found


# Distinct sentence-internal words of this length or more: German writes about half of them
# capitalised (every noun), English, French, Spanish, Russian news at most ~0.4 (names).
_LONG_WORD = 6
NOUN_CAPITALS = 0.45
_MIN_LONG_WORDS = 20


def capitalises_nouns(text: str) -> bool:
    """Whether the text's orthography capitalises common nouns (German, Luxembourgish).

    Read from the text itself, no language list: among the distinct long words
    written inside a sentence, the share written capitalised. There a single
    capitalised word (``Zwischenfall``, ``Aktie``) says nothing about being a name.
    """
    lower: set[str] = set()
    upper: set[str] = set()
    text = clean(text)
    for match in _WORD_RE.finditer(text):
        word = match.group(0)
        if len(word) < _LONG_WORD or not word.isalpha() or word.lower() == word.upper():
            continue
        before = text[max(0, match.start() - 8):match.start()].rstrip(" \u00a0\t")
        if not before or before[-1] in SENTENCE_END:
            continue  # a sentence's first word is capitalised in every language
        (upper if word[0].isupper() else lower).add(word)
    total = len(lower) + len(upper)
    return total >= _MIN_LONG_WORDS and len(upper) >= NOUN_CAPITALS * total


def name_shaped(name: str) -> bool:
    """A name by its form alone, whatever the orthography: several words (``Alaska Airlines``),
    a digit (``R1``, ``737``) or a capital inside a word (``OpenAI``, ``NVDA``)."""
    return " " in name or any(c.isdigit() for c in name) or any(
        c.isupper() for part in name.split("-") for c in part[1:])
