"""Text signatures: tokens, shingles, MinHash, LSH bands and language-neutral anchors.

Everything here is pure computation, used by the crawl (pipelines/dedup,
pipelines/relevance) and by the JSONL tools. MinHash is computed here with
numpy (one universal hash per permutation over 32-bit shingle hashes): a
MinHash library's import (scipy) would cost every crawl process over a second
of start-up.

* MinHash over word 3-shingles estimates the Jaccard similarity of two texts
  in the same language (a republication, a wire copy with a new headline).
  Chinese, Japanese, Korean and Thai runs are split into characters first.
* The signature is cut into ``BANDS`` bands of ``ROWS`` values; two texts
  that share a band are candidates (with 20×6, a pair at similarity 0.8 is
  found with probability 0.998, at 0.5 with 0.27), then compared in full.
* Anchors are what survives translation: numbers (``5,6`` = ``5.6``), names
  written in Latin script inside a sentence (Altman, Nvidia, Hangzhou) and
  model names (R1, V3). The share of the source's anchors found in another
  text tells a translation of the source from a follow-up that cites it.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterable
from typing import Any

NUM_PERM = 120
BANDS = 20
ROWS = NUM_PERM // BANDS
SHINGLE = 3
SEED = 1
_MAX_HASH = (1 << 32) - 1

_CJK = (r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f")
_TOKEN_RE = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+", re.UNICODE)
# The lookbehinds follow a pattern's first character, not precede it: a pattern opening with a character set
# is searched by skipping, in C, the characters outside it (twice as fast over a page of text).
_NUMBER_RE = re.compile(r"\d(?<![\w.,]\d)\d*(?:[.,\u202f\u00a0 ]\d+)*(?![\w])")
_NAME_RE = re.compile(r"(?<![\w])([^\W\d_][\w]*(?:-\w+)*)")
_MODEL_RE = re.compile(r"(?<![\w-])([A-Za-z]{1,3}\d+(?:\.\d+)?)(?![\w])")
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
_LETTER = re.compile(r"[^\W\d_]")
SENTENCE_END = set(".!?:;\"«»“”„()[]—–-\n")


@functools.cache
def _capitalised() -> re.Pattern[str]:
    """The words _NAME_RE finds that start with a capital (of the Basic Multilingual Plane): a name can
    only be one of them. A match inside a longer _NAME_RE match follows its "-", a sentence end for
    anchors(). Built on first use (a walk of 65,536 characters), not at import: a crawl's start-up and the
    tools that only hash texts do not pay it."""
    capitals = "".join(c for c in map(chr, range(0x10000)) if c.isupper() and _LETTER.fullmatch(c))
    return re.compile(rf"([{re.escape(capitals)}](?<!\w.)\w*(?:-\w+)*)")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\s+", " ", text).strip()


def tokens(text: str) -> list[str]:
    """Words, with CJK/Thai text split into single characters."""
    return _TOKEN_RE.findall(normalize(text))


def shingles(text: str, size: int = SHINGLE, *, words: list[str] | None = None) -> set[str]:
    """Word ``size``-shingles of the text; ``words`` are its :func:`tokens` when the caller has them already."""
    words = tokens(text) if words is None else words
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def shingles_within(words: list[str], vocabulary: frozenset[str], size: int = SHINGLE) -> int:
    """How many of the word ``size``-shingles of ``words`` have every word in ``vocabulary``: at least as
    many as the text's shingles another text with that vocabulary can share (without hashing any)."""
    if len(words) < size:
        return int(bool(words) and all(w in vocabulary for w in words))
    run = count = 0
    for word in words:
        run = run + 1 if word in vocabulary else 0
        count += run >= size
    return count


def text_hash(text: str, *, words: list[str] | None = None) -> str:
    """Hash of the normalised text: equal for byte-identical copies. ``words``: as for :func:`shingles`."""
    return hashlib.sha1(" ".join(tokens(text) if words is None else words).encode("utf-8")).hexdigest()


def shingle_hashes(text: str, *, words: list[str] | None = None) -> frozenset[int]:
    """32-bit hashes of the text's word shingles: exact overlaps (containment) and MinHash both use them.

    ``words``: as for :func:`shingles`."""
    return frozenset(int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "little")
                     for s in shingles(text, words=words))


def signature(text: str, *, hashes: frozenset[int] | None = None) -> tuple[int, ...]:
    """MinHash signature of the text's word shingles (``NUM_PERM`` values below 2**32).

    ``hashes`` are the text's :func:`shingle_hashes` when the caller has them already.
    """
    found = shingle_hashes(text) if hashes is None else hashes
    if not found:
        return (_MAX_HASH,) * NUM_PERM
    np, a, b = _permutations()
    hashes_array = np.fromiter(found, dtype=np.uint64, count=len(found))
    # (a*x + b) mod 2**64, top 32 bits: one hash per permutation; minimum over the shingles.
    with np.errstate(over="ignore"):
        values = hashes_array[:, None] * a
        values += b  # in place: the table is shingles x permutations
    values >>= np.uint64(32)
    return tuple(values.min(axis=0).tolist())


@functools.cache
def _permutations() -> tuple[Any, Any, Any]:
    """numpy and the multiply-shift pairs, one odd ``a`` and one ``b`` (64 bits) per permutation.

    Made on first use, so that a crawl that reads no page never imports numpy.
    """
    import numpy as np

    rng = np.random.default_rng(SEED)
    a = rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
    return np, a, b


def similarity(a: Iterable[int], b: Iterable[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    pairs = list(zip(a, b, strict=True))
    return sum(1 for x, y in pairs if x == y) / len(pairs) if pairs else 0.0


def bands(sig: tuple[int, ...]) -> list[tuple[int, int]]:
    """``(band number, 63-bit hash of the band's rows)`` for each band."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS:(band + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"<{len(chunk)}Q", *chunk), digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "little") >> 1))
    return out


def pack(sig: tuple[int, ...]) -> bytes:
    return struct.pack(f"<{len(sig)}Q", *sig)


def unpack(blob: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(blob) // 8}Q", blob)


def _number(raw: str) -> str | None:
    digits = re.sub(r"[\u202f\u00a0 ]", "", raw)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits):  # 1,000,000 / 1.000.000
        digits = re.sub(r"[.,]", "", digits)
    digits = digits.replace(",", ".")
    if "." not in digits and (len(digits) < 2 or 1900 <= int(digits) <= 2100):
        return None  # single digits and years are everywhere
    return digits


def anchors(text: str) -> set[str]:
    """Language-neutral markers of a text: numbers, Latin-script names, model names."""
    found: set[str] = set()
    for match in _NUMBER_RE.finditer(text):
        number = _number(match.group(0))
        if number:
            found.add(number)
    for match in _MODEL_RE.finditer(text):
        if any(c.isdigit() for c in match.group(1)) and len(match.group(1)) <= 6:
            found.add(match.group(1).lower())
    # Most words are not capitalised: only the capitalised are visited (all of them past the BMP).
    for match in (_NAME_RE if _BEYOND_BMP.search(text) else _capitalised()).finditer(text):
        name = match.group(1)
        if len(name) < 3 or not name[0].isupper():
            continue  # most words: no need to look back
        start = match.start() - 1
        while start >= 0 and text[start] in " \u00a0":  # the character before the word, spaces skipped
            start -= 1
        if start < 0 or text[start] in SENTENCE_END:
            continue  # sentence starts are capitalised in every language
        found.add(name.lower())
    return found


def containment(part: set[str], whole: set[str]) -> float:
    """Share of ``whole`` found in ``part``."""
    return len(part & whole) / len(whole) if whole else 0.0
