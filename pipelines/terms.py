"""Finding a story's terms in text of any script.

Matching happens on *folded* text (:func:`fold`): NFKC (full-width ``ＤｅｅｐＳｅｅｋ`` is
``DeepSeek``), case folding, Latin/Greek/Cyrillic accents dropped (``Nuñez`` =
``Nunez``), zero-width joiners and soft hyphens removed, Arabic and Persian letter
variants merged and Arabic vowel marks dropped. The term list is folded the same way.

What counts as a word boundary depends on the script on each side of a term:

* scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan)
  have no boundary to check: ``深度求索`` is found inside any sentence;
* a term in a spaced script (Latin, Cyrillic, Greek, Arabic, Devanagari…) must
  not touch a letter or digit of a spaced script, but may touch an unspaced one:
  ``中国のAI企業DeepSeekが開発`` holds ``DeepSeek``; ``DeepSeeker`` does not;
* a few inflections are let through, by script rather than by language:
  a plural/genitive ``s`` after a Latin term (``DeepSeeks``), up to three
  Cyrillic letters of case ending (``Дипсика``), Korean particles after a
  Hangul term (``딥시크가``), and the one-letter Arabic proclitics and article
  before an Arabic term (``وديب سيك``).

A term holding numbers is also found by its numbers alone, in order and close
together, whatever is written around them: numbers are the part of a name no
language translates (``737 Max 9`` is ``737-9 Max``, ``737-9MAX``, ``737 맥스9``;
``Flight 1282`` is ``1282便``, ``AS-1282``, ``рейс 1282``). Only when they are
distinctive enough: two numbers or more, or one of four digits or more that is
not a year (``Euro 2024``, ``COVID-19`` and ``Boeing 737`` keep their words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Scripts written without spaces between words.
UNSPACED = ("\u0e00-\u0eff"  # Thai, Lao
            "\u0f00-\u0fff"  # Tibetan
            "\u1000-\u109f"  # Myanmar
            "\u1780-\u17ff"  # Khmer
            "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff"  # CJK radicals, punctuation, kana
            "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
            "\uff66-\uff9f")  # half-width kana
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
_UNSPACED_RE = re.compile(f"[{UNSPACED}]")
_HANGUL_RE = re.compile(f"[{HANGUL}]")
# A letter or digit of a spaced script: what a spaced-script term must not touch.
_SPACED = rf"[^\W_{UNSPACED}{HANGUL}]"
_CYRILLIC = "\u0400-\u04ff"
_ARABIC = "\u0600-\u06ff"
_SEPARATORS = r"[\s\-\u2010\u2011\u00b7\u30fb]*"

_NUMBER_RE = re.compile(r"(?<![\d.,])\d+(?![\d]|[.,]\d)")
# What may stand between the numbers of one name: letters of any script, spaces, hyphens, not a
# sentence or clause end; at most this many characters.
_NUMBER_GAP = 10
_GAP = rf"[^\d\n.,;:!?。、，！？]{{0,{_NUMBER_GAP}}}"

_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u0640]")
_ARABIC_VARIANTS = str.maketrans({"ی": "ي", "ى": "ي", "ک": "ك", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا"})
# str.translate looks every character of a non-ASCII text up in its table: most of fold's cost on a page,
# for letters most texts do not have. A search for them first is a scan in C.
_ARABIC_VARIANTS_RE = re.compile("[یىکةأإآ]")
_ACCENTS_RE = re.compile("[\u0300-\u036f\u064b-\u065f\u0670]")


def fold(text: str) -> str:
    """The form terms are matched in (see the module docstring); ``fold(fold(x)) == fold(x)``."""
    text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFC", _ACCENTS_RE.sub("", unicodedata.normalize("NFD", text)))
        if _ARABIC_VARIANTS_RE.search(text):
            text = text.translate(_ARABIC_VARIANTS)
    return text


def _script_side(char: str) -> str:
    if _UNSPACED_RE.match(char):
        return "unspaced"
    if _HANGUL_RE.match(char):
        return "hangul"
    if "\u0400" <= char <= "\u04ff":
        return "cyrillic"
    if "\u0600" <= char <= "\u06ff":
        return "arabic"
    if char.isascii() and char.isalpha() or "\u00c0" <= char <= "\u024f":
        return "latin"
    return "other" if char.isalnum() else "symbol"


def _left(char: str) -> str:
    side = _script_side(char)
    if side in ("unspaced", "symbol"):
        return ""
    if side == "hangul":
        return f"(?<![{HANGUL}])"
    if side == "arabic":
        # A one-letter proclitic and/or the article may be glued before the term.
        return rf"(?<!{_SPACED})(?:[وفبلك]?ال|[وفبلك])?"
    return rf"(?<!{_SPACED})"


def _right(char: str) -> str:
    side = _script_side(char)
    if side in ("unspaced", "hangul", "symbol"):
        return ""
    if side == "cyrillic":
        return rf"[{_CYRILLIC}]{{0,3}}(?!{_SPACED})"
    if side == "latin":
        return rf"(?:s(?![\w]))?(?!{_SPACED})"
    if side == "arabic":
        return rf"(?![{_ARABIC}])"
    return rf"(?!{_SPACED})"


def _pattern_of(term: str) -> str:
    words = term.split()
    body = _SEPARATORS.join(re.escape(w) for w in words)
    return _left(term[0]) + body + _right(term[-1])


def numbers_pattern(term: str) -> str | None:
    """The pattern finding a term by its numbers alone (see the module docstring), or None."""
    numbers = [n for n in re.findall(r"\S+", term) if n.isdigit()]
    if not numbers or (len(numbers) == 1 and (len(numbers[0]) < 4 or 1900 <= int(numbers[0]) <= 2100)):
        return None
    return _GAP.join(rf"(?<![\d.,]){n}(?![\d]|[.,]\d)" for n in numbers)


class TermMatcher:
    """Every occurrence of any of ``terms`` in a text, longest term first, as the term was configured."""

    def __init__(self, terms: Iterable[str]):
        folded: dict[str, str] = {}
        for term in terms:
            key = fold(term.strip())
            if key and key not in folded:
                folded[key] = term.strip()
        self.terms = folded
        order = sorted(folded, key=len, reverse=True)
        self._names = [folded[k] for k in order]
        # Each word of a term is in the text as written whenever the term is (only what separates words
        # varies): a term with a word missing cannot match, and a text with no such term is not scanned.
        self._words = [k.split() for k in order]
        self.pattern = re.compile("|".join(f"({_pattern_of(k)})" for k in order)) if order else None
        by_numbers = [(folded[k], p) for k in order if (p := numbers_pattern(k))]
        self._numbered = [name for name, _ in by_numbers]
        self.numbers = re.compile("|".join(f"({p})" for _, p in by_numbers)) if by_numbers else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def spans(self, folded: str) -> list[tuple[int, int, str]]:
        """``(start, end, term)`` of each occurrence in text already :func:`fold`-ed."""
        if self.pattern is None or not folded:
            return []
        found = [] if not any(all(w in folded for w in words) for words in self._words) else \
            [(m.start(), m.end(), self._names[(m.lastindex or 1) - 1]) for m in self.pattern.finditer(folded)]
        if self.numbers is not None:
            found += [(m.start(), m.end(), self._numbered[(m.lastindex or 1) - 1])
                      for m in self.numbers.finditer(folded)
                      if not any(a < m.end() and m.start() < b for a, b, _ in found)]
            found.sort()
        return found

    def find(self, text: str) -> list[str]:
        """The configured term of each occurrence in ``text``."""
        return [name for _, _, name in self.spans(fold(text))] if text else []
