"""Is a text the source article again, whole, in part, or translated?

Resemblance over whole texts (MinHash) misses what aggregators publish most:
a teaser (the source's first paragraphs, "read more"), or the source inside a
longer page. Three kinds of evidence, each a plain function:

* **the source's own address**: the page's URL or canonical URL is the
  source's, up to scheme, ``www.``, a trailing slash, query and fragment;
* **containment** in the same language: the share of the text's word shingles
  found in the source (a teaser is almost all source) and the share of the
  source's shingles found in the text (a page that carries the whole source);
* **translation**: what survives translation into any language — numbers,
  names and model names written in Latin script, in the order the source gives
  them. A translation walks through the source's facts in the source's order,
  so a long common subsequence covers most of both texts' anchors; a follow-up
  that cites a few of the same facts shares a short, scattered subsequence and
  brings many facts of its own. A translated teaser covers a prefix-like part
  of the source with few facts of its own.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from pipelines import textsig
from pipelines.terms import fold

# Same language: share of the text found in the source, of the source found in the text.
PART_IN_SOURCE = 0.8
SOURCE_IN_PART = 0.8
MIN_SHARED_SHINGLES = 25
# Another language: the common ordered anchors against the source's and the text's own.
TRANSLATION_COVER = 0.6
PARTIAL_DENSITY = 0.7
PARTIAL_MIN_COMMON = 8
PARTIAL_COVER = 0.2
# Another language, paragraph by paragraph: how many paragraphs, how even their length
# ratio (standard deviation of its logarithm), how alike their markers.
MIN_ALIGNED = 3
MIN_PARAGRAPH_LETTERS = 20
MIN_MARKERS = 5
ALIGNED_SHARE = 0.6
MARKER_SHARE = 0.5
LENGTH_SPREAD = 0.3
MARKER_AGREEMENT = 0.5
ALL_MARKER_SHARE = 0.8
MIN_OWN_MARKERS = 2

# The lookbehind follows the first digit (textsig's _NUMBER_RE says why).
_NUMBER_RE = re.compile(r"\d(?<![0-9A-Za-z\u00c0-\u024f\u0400-\u04ff.,]\d)\d*(?:[.,\u202f\u00a0 ]\d{3})*(?:[.,]\d+)?"
                        r"(?![0-9A-Za-z\u00c0-\u024f\u0400-\u04ff])")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f]*(?:[.\-][A-Za-z0-9\u00c0-\u024f]+)*")
_NOT_LATIN = re.compile(r"[^\u0000-\u024f]+")
# A digit or a capital among the characters _LATIN_RE matches (what str.isdigit/isupper say of them).
_MARKED = re.compile("[" + re.escape("".join(c for c in map(chr, range(0x250)) if c.isdigit() or c.isupper())) + "]")


def url_key(url: str | None) -> str:
    """A URL reduced to host and path, for comparing addresses of one page."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def is_source_address(source_url: str | None, *urls: str | None) -> bool:
    key = url_key(source_url)
    return bool(key) and any(url_key(u) == key for u in urls if u)


@dataclass(frozen=True)
class Overlap:
    """The shingles two texts share, and how many each has."""

    shared: int
    part: int
    source: int

    @property
    def part_in_source(self) -> float:
        return self.shared / self.part if self.part else 0.0

    @property
    def source_in_part(self) -> float:
        return self.shared / self.source if self.source else 0.0

    @property
    def resemblance(self) -> float:
        """Their exact Jaccard resemblance (what a MinHash signature estimates)."""
        union = self.part + self.source - self.shared
        return self.shared / union if union else 0.0


def overlap(part: frozenset[int], source: frozenset[int]) -> Overlap:
    return Overlap(len(part & source), len(part), len(source))


def contained_copy(found: Overlap) -> dict[str, float] | None:
    """Evidence that one text holds the other (same language), or None."""
    if found.shared < MIN_SHARED_SHINGLES:
        return None
    if found.part_in_source >= PART_IN_SOURCE or found.source_in_part >= SOURCE_IN_PART:
        return {"part_in_source": round(found.part_in_source, 3),
                "source_in_part": round(found.source_in_part, 3)}
    return None


def _number(raw: str) -> str | None:
    digits = re.sub(r"[\u202f\u00a0 ]", "", raw)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits):
        digits = re.sub(r"[.,]", "", digits)
    digits = digits.replace(",", ".")
    return digits if len(digits) >= 2 else None  # single digits carry nothing


def anchor_sequence(text: str, *, skip: frozenset[str] = frozenset()) -> list[str]:
    """Numbers and Latin-script names in text order, folded; ``skip`` holds folded words to leave out.

    In a Latin-script text only words with a capital or a digit inside a
    sentence count (names, model names); in any other script every Latin word
    does, since it was kept untranslated.
    """
    found: list[tuple[int, str]] = []
    for match in _NUMBER_RE.finditer(text):
        number = _number(match.group(0))
        if number:
            found.append((match.start(), number))
    head = text[:2000]
    letters = sum(map(str.isalpha, head))
    latin_text = letters and sum(map(str.isalpha, _NOT_LATIN.sub("", head))) > letters / 3
    for match in _LATIN_RE.finditer(text):
        word = match.group(0)
        if len(word) < 2 or word.isdigit():
            continue
        if latin_text:
            marked = _MARKED.search(word, 1) is not None  # OpenAI, R1, GPU
            if not (marked or word[0].isupper() and not _sentence_start(text, match.start())):
                continue
        if match.start() and text[match.start() - 1].isalnum() and text[match.start() - 1] <= "\u024f":
            continue  # the tail of a longer Latin word
        key = fold(word)
        if key not in skip:
            found.append((match.start(), key))
    found.sort()
    sequence: list[str] = []
    for _, key in found:
        if not sequence or sequence[-1] != key:
            sequence.append(key)
    return sequence


def _sentence_start(text: str, at: int) -> bool:
    at -= 1
    while at >= 0 and text[at] in " \u00a0\t":
        at -= 1
    return at < 0 or text[at] in textsig.SENTENCE_END


def prefix_alignment(sequence: list[str], source: list[str]) -> list[int]:
    """``out[j]``: length of the longest common subsequence of ``sequence`` and ``source[:j]``."""
    wanted = set(source)
    row = [0] * (len(source) + 1)
    for x in (x for x in sequence if x in wanted):
        current = [0]
        for j, y in enumerate(source):
            current.append(row[j] + 1 if x == y else max(row[j + 1], current[j]))
        row = current
    return row


def translation_copy(sequence: list[str], source: list[str], *,
                     cover: float = TRANSLATION_COVER) -> dict[str, float] | None:
    """Evidence that a text in another language is the source translated (whole or its first part).

    Whole: the text carries ``cover`` of the source's ordered anchors. First
    part (a translated teaser): up to some point of the source, the text
    carries nearly all its anchors, in order, and enough of them to be sure.
    Only the source's side is counted: how many anchors a text has of its own
    depends on its language's habits (German capitalises every noun).
    """
    if len(source) < PARTIAL_MIN_COMMON or not sequence:
        return None
    aligned = prefix_alignment(sequence, source)
    covered = aligned[-1] / len(source)
    if covered >= cover:
        return {"translation_cover": round(covered, 3)}
    start = max(PARTIAL_MIN_COMMON, int(len(source) * PARTIAL_COVER))
    prefix = max((aligned[j] / j for j in range(start, len(source) + 1) if aligned[j] >= PARTIAL_MIN_COMMON),
                 default=0.0)
    if prefix >= PARTIAL_DENSITY:
        return {"translation_cover": round(covered, 3), "translation_prefix": round(prefix, 3)}
    return None


def translated_copy(text: str, source: list[str], *, skip: frozenset[str] = frozenset(),
                    cover: float = TRANSLATION_COVER) -> dict[str, float] | None:
    """:func:`translation_copy` of the text's :func:`anchor_sequence`, which is not read when the text
    holds too few of the source's anchors for either of its tests (most pages).

    The common subsequence is at most the number of the text's numbers and
    Latin-script words that are anchors of the source, found without the
    per-word checks of :func:`anchor_sequence`.
    """
    if len(source) < PARTIAL_MIN_COMMON:
        return None
    if cover > 0:
        most = _occurrences(text, frozenset(source))
        if most < PARTIAL_MIN_COMMON and most < cover * len(source):
            return None
    return translation_copy(anchor_sequence(text, skip=skip), source, cover=cover)


def _occurrences(text: str, markers: frozenset[str]) -> int:
    """How many of the text's numbers and Latin-script words are ``markers``: at least as many as its
    :func:`anchor_sequence` has (that sequence keeps some of them)."""
    numbers = sum(_number(m.group(0)) in markers for m in _NUMBER_RE.finditer(text))
    return numbers + sum(map(markers.__contains__, map(_fold_word, _LATIN_RE.findall(text))))  # a loop in C


def _units(paragraph: str) -> float:
    """Length of a paragraph in roughly language-neutral units (a CJK character weighs three letters)."""
    return len(paragraph) + 2 * sum(1 for c in paragraph if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if sum(map(str.isalpha, p)) >= MIN_PARAGRAPH_LETTERS]


def _robust(marks: list[str], other: list[str]) -> list[str]:
    """Markers that do not depend on the language: numbers and words with a digit (``r1-v3``), and
    any name the other paragraph has too (a name only one has may be a word of its language)."""
    shared = set(other)
    return [m for m in marks if m in shared or any(c.isdigit() for c in m)]


def _agreement(a: list[str], b: list[str]) -> tuple[float, int]:
    """Share of two paragraphs' language-neutral markers they have in common, and how many."""
    ca, cb = Counter(_robust(a, b)), Counter(_robust(b, a))
    union = sum((ca | cb).values())
    return (sum((ca & cb).values()) / union if union else 0.0), sum((ca & cb).values())


def structure_copy(text: str, source_text: str, *, skip: frozenset[str] = frozenset()) -> dict[str, float] | None:
    """Evidence that the text is the source (or a run of its paragraphs) translated, paragraph by paragraph.

    A translation keeps the source's paragraphs, in order: lengths in a nearly
    constant ratio (a language is longer or shorter than another, evenly), and
    in each paragraph the same numbers and Latin-script names. Paragraphs are
    aligned in order, some may be dropped on either side; the ratio is tried
    over a range. Another article on the same facts cuts and orders its
    paragraphs its own way and shares few markers paragraph by paragraph.
    ``skip`` (the story's own words) does not count as shared evidence.
    """
    mine = _paragraphs(text)
    theirs, marks_theirs, sets_theirs = _source_paragraphs(source_text)
    if len(mine) < MIN_ALIGNED or len(theirs) < MIN_ALIGNED:
        return None
    needed = max(MIN_ALIGNED, ALIGNED_SHARE * len(mine))
    if sum(1 for p in mine if _may_share(p, source_text)) < needed:
        # An aligned pair shares a marker: too few paragraphs can (most pages), no alignment can be long enough.
        return None
    marks_mine = [anchor_sequence(p) for p in mine]
    own = sum(1 for marks in marks_mine for m in marks if _evidence(m, skip))
    pairs = {}
    for i, a in enumerate(marks_mine):
        mine_set = set(a)
        for j, b in enumerate(marks_theirs):
            if mine_set.isdisjoint(sets_theirs[j]):
                continue  # nothing in common: agreement 0 (most pairs of most pages)
            agree, _ = _agreement(a, b)
            if agree >= MARKER_AGREEMENT:
                common = Counter(a) & Counter(b)
                shared = sum(n for m, n in common.items() if _evidence(m, skip))
                shared_all = sum(n for m, n in common.items() if _evidence(m, frozenset()))
                pairs[i, j] = (math.log(_units(mine[i]) / _units(theirs[j])), shared, shared_all)
    best: tuple[int, int, int] = (0, 0, 0)
    for step in range(-20, 11):
        ratio = step / 10
        near = [pair for pair, found in pairs.items() if abs(found[0] - ratio) <= LENGTH_SPREAD]
        if min(len({i for i, _ in near}), len({j for _, j in near})) < needed:
            # An alignment uses each paragraph once on each side: it cannot reach ``needed``, and a ratio
            # that does would beat it, so skipping it changes no answer (and saves the table below).
            continue
        row = [(0, 0, 0)] * (len(theirs) + 1)
        for i in range(len(mine)):
            current = [(0, 0, 0)]
            for j in range(len(theirs)):
                options = [row[j + 1], current[j]]
                pair = pairs.get((i, j))
                if pair is not None and abs(pair[0] - ratio) <= LENGTH_SPREAD:
                    options.append((row[j][0] + 1, row[j][1] + pair[1], row[j][2] + pair[2]))
                current.append(max(options))
            row = current
        best = max(best, row[-1])
    aligned, shared, shared_all = best
    own_all = sum(1 for marks in marks_mine for m in marks if _evidence(m, frozenset()))
    if aligned < needed:
        return None
    if shared >= MIN_MARKERS and shared >= MARKER_SHARE * own:
        return {"aligned_paragraphs": round(aligned / len(mine), 3), "shared_markers": float(shared),
                "shared_share": round(shared / own, 3)}
    # A translation into a script that writes the source's names its own way (奥尔特曼 for Altman) keeps
    # few markers besides the story's own name and numbers: then the story's name counts, but nearly
    # every marker of the text must be in its aligned paragraph of the source.
    if shared_all >= 2 * MIN_MARKERS and shared_all >= ALL_MARKER_SHARE * own_all and shared >= MIN_OWN_MARKERS:
        return {"aligned_paragraphs": round(aligned / len(mine), 3), "shared_markers": float(shared_all),
                "shared_share": round(shared_all / own_all, 3)}
    return None


@functools.lru_cache(maxsize=16)
def _source_paragraphs(source_text: str) -> tuple[list[str], list[list[str]], list[frozenset[str]]]:
    """A source's paragraphs and their markers: the same for every page compared with it, so kept."""
    theirs = _paragraphs(source_text)
    marks = [anchor_sequence(p) for p in theirs]
    return theirs, marks, [frozenset(m) for m in marks]


@functools.lru_cache(maxsize=16)
def _source_markers(source_text: str) -> frozenset[str]:
    """Every marker of the source's paragraphs."""
    return frozenset(m for marks in _source_paragraphs(source_text)[1] for m in marks)


def _may_share(paragraph: str, source_text: str) -> bool:
    """Whether the paragraph may have a marker of the source's paragraphs (never False when it has one).

    A paragraph's markers (:func:`anchor_sequence`) are some of its numbers
    and the folded forms of some of its Latin-script words: any of them being a
    marker of the source is enough here, which spares the per-word checks.
    """
    return _occurrences(paragraph, _source_markers(source_text)) > 0


@functools.lru_cache(maxsize=1 << 12)
def _fold_word(word: str) -> str:
    """:func:`~pipelines.terms.fold` of one word, remembered: most words of a language recur from page to page."""
    return fold(word)


def _evidence(marker: str, skip: frozenset[str]) -> bool:
    """A marker that tells one text from another: not the story's own words, not a two-letter word."""
    return marker not in skip and (len(marker) >= 3 or any(c.isdigit() for c in marker))
