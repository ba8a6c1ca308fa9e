"""A name written in another script: DeepSeek as ディープシーク, 딥시크, Дипсик or ديب سيك.

Names are transliterated by sound, so their consonants survive: each word is
reduced to a *skeleton* of consonant classes (b/p/f/v, k/g/q, s/z/sh/ch/ts,
t/d, l/r, m, n), vowels, h, w and y dropped and repeats merged. DeepSeek,
ディープシーク, 딥시크, Дипсик and ديب سيك are all ``tpsk``. A word of kana,
Hangul, Cyrillic, Greek or Arabic script whose skeleton equals a Latin term's
is that term. Only skeletons of four consonants or more are used: shorter
ones match too many other words.

The scripts of India (Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil,
Telugu, Kannada, Malayalam) share one layout, each in its own Unicode block, so
one table read by the offset in the block serves them all: డీప్సీక్ (Telugu) and
डीपसीक (Hindi) are ``tpsk`` too. Han characters carry meaning, not sound
(深度求索), and Thai spellings are left to configured terms.
"""

from __future__ import annotations

import re
import unicodedata

MIN_SKELETON = 4

_LATIN_PAIRS = (("sch", "s"), ("sh", "s"), ("ch", "s"), ("ts", "s"), ("tz", "s"), ("ph", "p"), ("th", "t"),
                ("ck", "k"), ("qu", "k"), ("x", "ks"))
_CLASS = str.maketrans({"b": "p", "f": "p", "v": "p", "g": "k", "q": "k", "c": "k", "z": "s", "j": "s",
                        "d": "t", "l": "r"})
_DROP_LATIN = re.compile(r"[aeiouyhw]")

_KANA = {}
for _row, _cls in (("カキクケコガギグゲゴ", "k"), ("サシスセソザジズゼゾ", "s"), ("タテトダデドヂヅ", "t"),
                   ("チツ", "s"), ("ナニヌネノン", "n"), ("バビブベボパピプペポフヴ", "p"), ("マミムメモ", "m"),
                   ("ラリルレロ", "r")):
    for _ch in _row:
        _KANA[_ch] = _cls
        _KANA[chr(ord(_ch) - 0x60)] = _cls  # the hiragana of the same sound

_CYRILLIC = {**dict.fromkeys("бпвф", "p"), **dict.fromkeys("гкх", "k"), **dict.fromkeys("дт", "t"),
             **dict.fromkeys("зсжцчшщ", "s"), **dict.fromkeys("лр", "r"), "м": "m", "н": "n"}
_GREEK = {**dict.fromkeys("βπφ", "p"), **dict.fromkeys("γκχξ", "k"), **dict.fromkeys("δτθ", "t"),
          **dict.fromkeys("ζσςψ", "s"), **dict.fromkeys("λρ", "r"), "μ": "m", "ν": "n"}
_ARABIC = {**dict.fromkeys("بپف", "p"), **dict.fromkeys("كکقگغخ", "k"), **dict.fromkeys("تدطض", "t"),
           **dict.fromkeys("ثجچذزژسشصظ", "s"), **dict.fromkeys("لر", "r"), "م": "m", "ن": "n"}
# Indic scripts: consonant classes by offset in the script's 128-character block (ISCII order).
_INDIC_FIRST, _INDIC_LAST = 0x0900, 0x0D7F
_INDIC: dict[int, str] = {0x02: "n"}  # anusvara: a nasal
for _first, _last, _cls in ((0x15, 0x18, "k"), (0x19, 0x19, "n"), (0x1A, 0x1D, "s"), (0x1E, 0x1E, "n"),
                            (0x1F, 0x22, "t"), (0x23, 0x23, "n"), (0x24, 0x27, "t"), (0x28, 0x29, "n"),
                            (0x2A, 0x2D, "p"), (0x2E, 0x2E, "m"), (0x30, 0x34, "r"), (0x35, 0x35, "p"),
                            (0x36, 0x38, "s"), (0x58, 0x5A, "k"), (0x5B, 0x5B, "s"), (0x5C, 0x5C, "t"),
                            (0x5D, 0x5D, "r"), (0x5E, 0x5E, "p")):
    for _offset in range(_first, _last + 1):
        _INDIC[_offset] = _cls

# Hangul syllables: initial and final consonants (vowels carry nothing here).
_INITIAL = "kknttrmppss sssktp "
_FINAL = ["", "k", "k", "ks", "n", "ns", "n", "t", "r", "rk", "rm", "rp", "rs", "rt", "rp", "r", "m", "p", "ps",
          "s", "s", "nk", "s", "s", "k", "t", "p", ""]

# Katakana apart from hiragana: foreign names are written in katakana, particles in hiragana.
_WORD_RE = re.compile(r"[\u30a0-\u30ff]+|[\uac00-\ud7af]+|[\u0400-\u04ff]+|[\u0370-\u03ff]+"
                      r"|[\u0600-\u06ff]+|[\u0900-\u0d7f]+")
# Any letter of those scripts: searched first, as most texts have none (one class is scanned ~15 times
# faster than the alternation above).
_ANY_RE = re.compile(r"[\u30a0-\u30ff\uac00-\ud7af\u0400-\u04ff\u0370-\u03ff\u0600-\u06ff\u0900-\u0d7f]")


def _squeeze(consonants: str) -> str:
    return re.sub(r"(.)\1+", r"\1", consonants)


def latin_skeleton(word: str) -> str:
    word = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if c.isascii() and c.isalpha())
    for pair, sound in _LATIN_PAIRS:
        word = word.replace(pair, sound)
    word = re.sub(r"c(?=[eiy])", "s", word)
    return _squeeze(_DROP_LATIN.sub("", word).translate(_CLASS))


def skeleton(word: str) -> str:
    """The consonant classes of a word in kana, Hangul, Cyrillic, Greek, Arabic or an Indic script."""
    first = word[0]
    if _INDIC_FIRST <= ord(first) <= _INDIC_LAST:
        return _squeeze("".join(_INDIC.get(ord(ch) % 0x80, "") for ch in word))
    if "\uac00" <= first <= "\ud7af":
        out = []
        for ch in word:
            index = ord(ch) - 0xAC00
            initial, final = index // 588, index % 28
            out.append(_INITIAL[initial].strip() + _FINAL[final])
        return _squeeze("".join(out))
    if "\u3040" <= first <= "\u30ff":
        table: dict[str, str] = _KANA
    elif "\u0400" <= first <= "\u04ff":
        table, word = _CYRILLIC, word.lower()
    elif "\u0370" <= first <= "\u03ff":
        table, word = _GREEK, unicodedata.normalize("NFD", word.lower())
        for pair, sound in (("ντ", "τ"), ("μπ", "π"), ("γκ", "κ"), ("γγ", "κ")):  # how Greek writes d, b, g
            word = word.replace(pair, sound)
    else:
        table, word = _ARABIC, word.removeprefix("ال") if len(word) > 4 else word
    return _squeeze("".join(table.get(ch, "") for ch in word))


class SoundMatcher:
    """Occurrences of Latin-script terms written by sound in another script."""

    def __init__(self, terms: tuple[str, ...]):
        self.by_skeleton: dict[str, str] = {}
        for term in terms:
            if term.isascii() and not any(c.isdigit() for c in term):
                key = latin_skeleton(term)
                if len(key) >= MIN_SKELETON:
                    self.by_skeleton.setdefault(key, term)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, term)`` of each word (or pair of words) that sounds like a term."""
        if not self.by_skeleton or not text or text.isascii() or not _ANY_RE.search(text):
            return []
        found = []
        words = list(_WORD_RE.finditer(text))
        i = 0
        while i < len(words):
            word, start, end = words[i].group(0), words[i].start(), words[i].end()
            key = skeleton(word)
            hit = self.by_skeleton.get(key)
            if hit is None and "\uac00" <= word[0] <= "\ud7af" and len(word) > 2:
                hit = self.by_skeleton.get(skeleton(word[:-1]))  # a particle glued at the end
            if hit is None and i + 1 < len(words) and text[end:words[i + 1].start()] in (" ", "-", "・"):
                hit = self.by_skeleton.get(_squeeze(key + skeleton(words[i + 1].group(0))))
                if hit is not None:
                    i, end = i + 1, words[i + 1].end()
            if hit is not None:
                found.append((start, end, hit))
            i += 1
        return found

    def find(self, text: str) -> list[str]:
        return [term for _, _, term in self.spans(text)]
