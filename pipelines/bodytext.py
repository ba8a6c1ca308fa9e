"""Which text of a page to keep: trafilatura's main pass, its second opinion, or the body the page declares.

The main pass (trafilatura without its fallback extractors) is the default;
the second opinion (readability, jusText) is asked only on evidence that the
main pass missed the article (:func:`looks_thin`); a declared body (JSON-LD
``articleBody``, a live blog's ``liveBlogUpdate``) replaces what was found
when it is longer and agrees with it. ``bench/extraction.py`` measures each
threshold on real pages, with a held-out quarter of the outlets.
"""

from __future__ import annotations

import re
from typing import Any

# Below this many characters the main pass "looks thin" and trafilatura's fallback
# (readability, jusText) is asked too: on extraction-trafilatura this recovers most of
# the fallback's recall for about a tenth of its cost (few pages are that short).
THIN_TEXT_CHARS = 1000
# A main pass with this share of the declared articleBody's length has the article: no second pass.
COMPLETE = 0.8
DENSE = 3.0  # the page's paragraphs hold this many times the text found: the main pass is thin
AGREES = 0.8  # a declared body must have this share of the main pass's words to replace it
_WORDS = re.compile(r"\w+")


def looks_thin(text: str, declared: str | None, *, page_chars: int | None = None) -> bool:
    """Whether the main pass may have missed the article.

    It is short (under ``THIN_TEXT_CHARS``), and short of the evidence: of the
    body the page declares, when it declares one; else of the text the page's
    paragraphs hold (``page_chars``, under ``DENSE`` times the text found means
    the page is simply short). A page with no paragraphs at all (forums, pages
    of ``<div>``) gives no evidence either way: asked.
    """
    if len(text) >= THIN_TEXT_CHARS:
        return False
    if declared is not None:
        return len(text) < COMPLETE * len(declared)
    return not page_chars or page_chars > DENSE * len(text)


def paragraph_chars(tree: Any) -> int:
    """Characters of text in the page's ``<p>`` elements (what is left of them after the main pass)."""
    return sum(len(p.text_content()) for p in tree.iter("p"))


def pick_text(first: str, second: str, declared: str | None) -> str:
    """The main pass, the second opinion or the declared body.

    The second opinion is only asked on evidence (:func:`looks_thin`); asked, the
    longer text wins. (Also requiring the longer to keep most of the main pass's
    words helped on the pages studied and hurt on the held-out outlets: not kept.)
    The declared ``articleBody`` is taken when it is longer than both and agrees
    with the main pass.
    """
    chosen = second if len(second) > len(first) else first
    if declared and len(declared) > len(chosen) and _kept(first, declared) >= AGREES:
        return declared
    return chosen


def _kept(part: str, whole: str) -> float:
    """The share of ``part``'s words that ``whole`` has too (1 for an empty ``part``)."""
    words = _WORDS.findall(part.casefold())
    if not words:
        return 1.0
    found = set(_WORDS.findall(whole.casefold()))
    return sum(w in found for w in words) / len(words)


def with_live_updates(text: str, updates: str | None) -> str:
    """A live blog whose main pass holds under ``COMPLETE`` of the updates it declares: kept whole from them."""
    if updates and len(text) < COMPLETE * len(updates) and _kept(text, updates) >= AGREES:
        return updates
    return text
