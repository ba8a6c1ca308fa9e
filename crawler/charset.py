"""Second-guess the decoding of a page whose charset is missing or wrong.

Scrapy decodes a page with the charset of its BOM, its ``Content-Type``
header or its ``<meta charset>``, else with a statistical guess
(charset_normalizer), and replaces undecodable bytes with U+FFFD. Two
mistakes are common on real sites and cheap to catch from the bytes:

* **declared single-byte, bytes are UTF-8** (``charset=iso-8859-1`` over a
  UTF-8 body: ``é`` becomes ``Ã©``). A text that is not UTF-8 is practically
  never valid UTF-8 by chance once it has a multibyte sequence, so the page
  is decoded as UTF-8 (code ``utf8_mislabelled``);
* **declared or guessed UTF-8, bytes are a legacy code page** (``é`` becomes
  ``�``): when no byte sequence of the body is valid multibyte UTF-8 and the
  body is text (few control bytes), it is decoded as windows-1252 or
  windows-1250, whichever fits (code ``not_utf8``);
* **no charset declared, guessed wrong** (Western latin-1 taken for cp1250 or
  cp1257: ``à`` becomes ``ŕ`` or ``ą``): the guess, windows-1252 (the WHATWG
  default for unlabelled pages) and windows-1250 are compared and the best
  fit wins, windows-1252 on a tie (code ``guess_replaced``).

"Fit" is how well the accented letters of a decoding belong to one
language's alphabet (the page's ``<html lang>`` when we know it, else the
best of a small table of Latin-script languages); a byte that decodes to a
symbol inside a word or to U+FFFD counts against it. Everything else is
left to Scrapy. A page that still has more than 1% U+FFFD among its
characters gets ``replacement_chars``. The code goes to the article's
``charset_suspect`` column, the codec to ``charset``, the share of U+FFFD to
``replacement_ratio``.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
)

if TYPE_CHECKING:
    from scrapy.http import TextResponse

logger = logging.getLogger(__name__)

REPLACEMENT_RATIO_MAX = 0.01  # more U+FFFD than this among a page's characters: suspect
CONTROL_RATIO_MAX = 0.01  # more control bytes than this: binary, not re-decoded
WESTERN, CENTRAL = "cp1252", "cp1250"

# Accented letters each language writes (lower case). Enough to tell the
# Latin code pages apart; not a language identifier.
ALPHABETS: dict[str, str] = {
    "fr": "àâæçéèêëîïôœùûüÿ", "de": "äöüß", "es": "áéíñóúü", "pt": "áâãàçéêíóôõú", "it": "àèéìíîòóùú",
    "ca": "àçèéíïòóúü", "nl": "áàéèëïóöü", "sv": "åäöé", "fi": "åäö", "da": "æøåé", "no": "æøåéóò",
    "is": "áðéíóúýþæö", "cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž", "pl": "ąćęłńóśźż",
    "hu": "áéíóöőúüű", "ro": "ăâîșțşţ", "hr": "čćđšž", "sl": "čšž", "bs": "čćđšž", "sr": "čćđšž",
    "lt": "ąčęėįšųūž", "lv": "āčēģīķļņšūž", "et": "äöõüšž", "tr": "çğıöşüîâ",
}
ALPHABETS["nb"] = ALPHABETS["nn"] = ALPHABETS["no"]
# Single-byte Latin code pages whose guesses are second-guessed.
LATIN_LEGACY = {"cp1250", "cp1252", "cp1254", "cp1257", "iso8859-1", "iso8859-2", "iso8859-4", "iso8859-9",
                "iso8859-13", "iso8859-15", "iso8859-16", "mac-roman", "mac-latin2", "mac-iceland"}
_CONTROL = bytes(i for i in range(32) if chr(i) not in "\t\n\r\f") + b"\x7f"
_LANG_RE = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)


@dataclass(frozen=True)
class Decoding:
    text: str
    charset: str  # the Python codec used
    suspect: str | None  # None, or utf8_mislabelled | not_utf8 | guess_replaced | replacement_chars
    replacement_ratio: float  # share of U+FFFD among the text's characters
    note: str | None = None  # what was declared, guessed and chosen, for the log


def decode_response(response: TextResponse) -> Decoding:
    """``response``'s text, re-decoded when its charset is evidently wrong."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    return decode_page(response.body, content_type=content_type, used=response.encoding,
                       text=response.text)


def decode_page(body: bytes, *, content_type: str | None, used: str, text: str) -> Decoding:
    """Check Scrapy's decoding (``used``, giving ``text``) of ``body`` against the bytes; improve it if safe."""
    used = _codec(used) or used
    if body.isascii():
        return Decoding(text, used, None, 0.0)
    if read_bom(body)[0]:  # a BOM is the strongest evidence there is
        return _checked(text, used)
    declared = http_content_type_encoding(content_type or "") or html_body_declared_encoding(body)
    said = f"declared {declared}" if declared else "no charset declared"
    if used.startswith(("utf-16", "utf-32")):
        return _checked(text, used)
    # Decoded as UTF-8 by Scrapy, which replaces what does not decode: without U+FFFD in its text the bytes
    # are UTF-8, and decoding them again (a copy of the page) tells nothing more.
    utf8 = text if used == "utf-8" and "\ufffd" not in text else _utf8(body)
    if used != "utf-8" and utf8 is not None:
        return _chosen(utf8, "utf-8", "utf8_mislabelled", f"{said}, decoded as {used}; the bytes are UTF-8")
    if used == "utf-8" and utf8 is None:
        if _binary(body) or _mostly_utf8(body):
            return _checked(text, used)  # binary, or mostly UTF-8 with a few broken bytes
        lang = _declared_lang(body)
        best, decoded = _best_fit(body, [WESTERN, CENTRAL], lang)
        return _chosen(decoded, best, "not_utf8", f"{said}, the bytes are not UTF-8; decoded as {best}")
    if not declared and used in LATIN_LEGACY and not _binary(body):
        lang = _declared_lang(body)
        best, decoded = _best_fit(body, list(dict.fromkeys([WESTERN, CENTRAL, used])), lang)
        if best != used and decoded != text:
            return _chosen(decoded, best, "guess_replaced", f"{said}; guessed {used}, {best} fits better")
    return _checked(text, used)


def fit(text: str, lang: str | None = None) -> float:
    """How well the accented letters of ``text`` belong to one alphabet: 1.0 all of them, 0.0 none.

    A symbol or U+FFFD between two letters (``Ã©``, ``tr¾s``) counts as a
    letter no alphabet has. Text without accented letters fits perfectly.
    """
    letters = Counter(char.lower() for char in _ACCENTED.findall(text) if char.isalpha() or char == "\ufffd")
    bad = len(_SYMBOL_IN_WORD.findall(text))
    total = sum(letters.values()) + bad
    if not total:
        return 1.0
    alphabets = [ALPHABETS[lang]] if lang in ALPHABETS else list(ALPHABETS.values())
    covered = max(sum(n for ch, n in letters.items() if ch in alphabet) for alphabet in alphabets)
    return covered / total


_ACCENTED = re.compile(r"[^\u0000-\u00bf]")
_SYMBOL_IN_WORD = re.compile(r"(?<=[^\W\d_])[\u0080-\u00bf\u2013-\u203a\u20ac\u2122\ufffd]+(?=[^\W\d_])")


def _best_fit(body: bytes, candidates: list[str], lang: str | None) -> tuple[str, str]:
    """The candidate codec whose decoding of ``body`` fits best (the first one on a tie), and its text."""
    best: tuple[float, str, str] | None = None
    for codec in candidates:
        decoded = body.decode(codec, errors="replace")
        score = fit(decoded, lang)
        if best is None or score > best[0]:
            best = (score, codec, decoded)
    assert best is not None
    return best[1], best[2]


def _chosen(text: str, charset: str, suspect: str, note: str) -> Decoding:
    ratio = _replacement_ratio(text)
    return Decoding(text, charset, suspect, ratio, note)


def _checked(text: str, charset: str) -> Decoding:
    ratio = _replacement_ratio(text)
    if ratio > REPLACEMENT_RATIO_MAX:
        return Decoding(text, charset, "replacement_chars", ratio, f"{ratio:.1%} of the characters are U+FFFD")
    return Decoding(text, charset, None, ratio)


def _replacement_ratio(text: str) -> float:
    count = text.count("\ufffd")
    if not count:
        return 0.0
    visible = len(text) - sum(text.count(c) for c in " \t\r\n")
    return round(count / max(1, visible), 4)


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def _utf8(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(body: bytes) -> bool:
    """More of the non-ASCII bytes form valid UTF-8 sequences than not: a UTF-8 page with a few broken bytes."""
    in_sequences = sum(len(m) for m in _UTF8_SEQUENCE.findall(body))
    non_ascii = len(body.translate(None, bytes(range(128))))
    return in_sequences > non_ascii - in_sequences


def _binary(body: bytes) -> bool:
    sample = body[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls > CONTROL_RATIO_MAX * len(sample)


def _declared_lang(body: bytes) -> str | None:
    match = _LANG_RE.search(body[:20000])
    return match.group(1).decode("ascii").lower() if match else None
