"""trafilatura's removal of the characters XML forbids, skipped on a page that has none of them.

trafilatura's ``load_html`` first removes control characters and U+FFFE/U+FFFF
from the whole page with a regular expression (``INVALID_XML_CHARS``): about
half a millisecond per page of 150,000 characters, for the 3 pages in 990 of
bench/extraction.py that have one. ``str``'s own search for each of those 31
characters (in C, a ``memchr`` per character) takes under half of that, so
:func:`install` puts in its place a pattern object that searches first and
runs the regular expression only when one is there. The text is the same
either way; the shortcut is made only for the exact pattern it was measured
on, so a trafilatura that changes it keeps its own.
"""

from __future__ import annotations

import re
from typing import Any

# trafilatura 2.3's INVALID_XML_CHARS, and the characters it matches.
PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
CHARACTERS = tuple(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]))


class SearchFirst:
    """A compiled pattern matching one of ``CHARACTERS``, whose ``sub`` returns the string untouched, without
    running the expression, when none of them is in it. Anything else is the pattern's own."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        if not any(character in string for character in CHARACTERS):
            return string
        return self.pattern.sub(repl, string, count)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)


def install() -> bool:
    """Put the search-first pattern in trafilatura's ``utils``; whether it was (the pattern is the one measured)."""
    from trafilatura import utils

    current = getattr(utils, "INVALID_XML_CHARS", None)
    if isinstance(current, SearchFirst):
        return True
    if not isinstance(current, re.Pattern) or current.pattern != PATTERN or current.flags != re.UNICODE:
        return False
    utils.INVALID_XML_CHARS = SearchFirst(current)  # type: ignore[assignment]
    return True


def uninstall() -> None:
    """trafilatura's own pattern back (benchmarks measure trafilatura as published)."""
    from trafilatura import utils

    current = getattr(utils, "INVALID_XML_CHARS", None)
    if isinstance(current, SearchFirst):
        utils.INVALID_XML_CHARS = current.pattern
