"""The headline a reader sees: declared titles cleaned of site names and dates, reconciled with ``<h1>``.

Pages declare their title several times (``og:title``, ``twitter:title``,
JSON-LD ``headline``, ``<title>``), and most declarations are written for
search engines and tabs: "Headline | Outlet", "Outlet » Headline",
"Headline – DW – 13.06.2023". The headline a reader sees is the page's
``<h1>``, when the page has one that is not the outlet's logo.

So :func:`pick_title`:

1. lists the page's ``<h1>`` elements, minus logos, home links, screen-reader
   and menu headings, and their kicker/overline spans ("Klimaschutz:" above
   the headline is not part of it);
2. prefers the ``<h1>`` that agrees with a declared title (same words, or one
   contains the other: declared titles often add a kicker or the site name);
3. otherwise takes the declared title with its site-name and date affixes cut:
   a part of the title, between separators, that names the outlet (its
   ``og:site_name``, publisher, host name or logo text) or is a date.

:class:`TitleAffixes` learns, per outlet, the title parts that recur across its
pages (a suffix the page does not declare as its site name), so that they can
be cut from the next titles; it is plain counts, serialisable to JSON.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from pipelines.outletcounts import OutletCounts

# Separators between a title's parts. Spaced hyphens and dashes only (a bare
# hyphen joins words in Latin scripts); bars, guillemets, "--", "::" and "_" bare.
_SEPARATORS = re.compile(r"(\s+[-–—|·•»«›~/]{1,2}\s+|\s*(?:\||--|::|»|›|«)\s*|_|(?<=[\u3000-\u9fff\uff00-\uffef])-)")
_HARD_SEPARATOR = re.compile(r"\s*(?:\||::|»|›|«|--)\s*")
_DATE_PART = re.compile(r"^\W*(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}\.?\s+\w+\.?\s+\d{4}"
                        r"|\w+\s+\d{1,2},?\s+\d{4})\W*$")
_DOMAIN_PART = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Classes and ids of headings that are not the article's headline.
_NOT_HEADLINE = re.compile(r"logo|site-?(?:title|name|header)|branding|brand\b|masthead|navskip|screen-reader|sr-only"
                           r"|assistive|menu|widget|sidebar|footer|comment", re.I)
# Parts of a heading that sit above or beside the headline proper.
_KICKER = re.compile(r"kicker|overline|dachzeile|eyebrow|topline|roofline|spitzmarke|supertitle|subtitle|toptitle"
                     r"|hidden|sr-only|screen-reader|offscreen|label|category|rubric|small|author|byline|date"
                     r"|meta\b", re.I)
# Elements inside a heading that are not read as part of it: ruby readings, small print, times.
_ASIDE_TAGS = {"small", "rt", "rp", "time", "script", "style", "button", "svg"}
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_EDGE_PUNCTUATION = re.compile(r"^[\s:|•·–—-]+|[\s:|•·–—-]+$")
AGREES = 0.6  # similarity above which a heading and a declared title are the same headline
MAX_TITLE_CHARS = 400
MAX_HEADINGS = 6  # pages with more <h1> than that are listings; the first ones are compared


def clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if "&" in value and ";" in value:  # entities escaped twice by the CMS: "Redacci&oacute;n"
        value = html.unescape(value)
    value = _SPACE.sub(" ", _INVISIBLE.sub("", value).replace("\u00a0", " ")).strip()
    return value or None


def key(text: str) -> str:
    """Letters and digits only, case-folded: how two spellings of a name compare."""
    return "".join(_WORD.findall(text.casefold())).replace("_", "")


def similarity(a: str, b: str) -> float:
    """How much two titles are the same headline: 1 when equal, high when one contains the other."""
    ka, kb = key(a), key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    short, long_ = sorted((ka, kb), key=len)
    if len(short) >= 4 and short in long_:
        # "Kicker: Headline | Site" contains "Headline": the same story, told longer.
        return max(0.7, len(short) / len(long_))
    matcher = SequenceMatcher(None, ka, kb, autojunk=False)
    if matcher.real_quick_ratio() < AGREES or matcher.quick_ratio() < AGREES:
        return 0.0  # cheap upper bounds: most pairs that disagree stop here
    return matcher.ratio()


def site_names(meta: dict[str, str], ld: dict[str, Any], url: str | None) -> set[str]:
    """The outlet's names as the page declares them, and its host name."""
    names: set[str] = set()
    for value in (meta.get("og:site_name"), meta.get("application-name"),
                  meta.get("apple-mobile-web-app-title"), meta.get("twitter:site"), meta.get("publisher"),
                  meta.get("dc.publisher"), _name(ld.get("publisher"))):
        if value := clean(value):
            names.add(value.lstrip("@"))
    if url:
        host = (urlsplit(url.strip()).hostname or "").removeprefix("www.")
        if host:
            names.add(host)
            labels = host.split(".")
            if len(labels) >= 2:
                names.add(labels[-2] if len(labels[-2]) > 3 or len(labels) == 2 else ".".join(labels[-3:-1]))
    return {n for n in names if key(n)}


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list) and value:
        return _name(value[0])
    return value if isinstance(value, str) else None


def is_site_part(part: str, names: Iterable[str]) -> bool:
    """Whether a part of a title names the outlet (or is a bare domain or a date) rather than the story."""
    if _DATE_PART.match(part) or _DOMAIN_PART.match(part.strip()):
        return True
    kp = key(part)
    if not kp:
        return True  # punctuation only
    for name in names:
        kn = key(name)
        if not kn:
            continue
        if kp == kn or (len(kp) >= 2 and kp in kn) or (len(kn) >= 4 and kn in kp and len(kp) <= len(kn) + 12):
            return True
    return False


def split_title(title: str) -> list[str]:
    """Parts and separators, alternating: ``[part, sep, part, ..., part]``."""
    return _SEPARATORS.split(title)


def strip_affixes(title: str, names: Iterable[str], learned: Iterable[str] = ()) -> str:
    """``title`` without the leading and trailing parts that name the site or are dates."""
    names = [*names, *learned]
    parts = split_title(title)
    while len(parts) >= 3:
        if is_site_part(parts[-1], names):
            parts = parts[:-2]
        elif is_site_part(parts[0], names):
            parts = parts[2:]
        else:
            break
    if len(parts) >= 3 and all(_HARD_SEPARATOR.fullmatch(sep) for sep in parts[1::2]):
        # "Section | Headline | Claim": a bar or guillemet never sits inside a headline; the longest part is it.
        return clean(max(parts[::2], key=len)) or title
    return clean("".join(parts)) or title


def _is_aside(node: HtmlElement) -> bool:
    return node.tag in _ASIDE_TAGS or bool(_KICKER.search(f"{node.get('class') or ''} {node.get('itemprop') or ''}"))


def _heading_text(element: HtmlElement) -> str | None:
    """A heading's text without its kicker, overline, small print and screen-reader spans."""
    kept: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.text:
            kept.append(node.text)
        for child in node:
            if child.tag == "br":
                kept.append(" ")
            elif isinstance(child.tag, str) and not _is_aside(child):
                walk(child)
            if child.tail:
                kept.append(child.tail)
    walk(element)
    text = clean("".join(kept))
    return clean(_EDGE_PUNCTUATION.sub("", text)) if text else None


def _is_home_link(href: str | None, url: str | None) -> bool:
    if href is None:
        return False
    href = href.strip()
    if href in ("/", "./", "#", "") or href.startswith(("/?", "/#", "javascript:")):
        return True
    parts = urlsplit(href)
    if parts.scheme in ("http", "https") and parts.path in ("", "/") and not parts.query:
        return True
    # archived copies link home through the archive: the path ends at the original host
    return bool(re.match(r"^https?://web\.archive\.org/web/\d+[a-z_]*/https?://[^/]+/?$", href))


def headings(tree: HtmlElement, url: str | None, names: set[str]) -> tuple[list[tuple[HtmlElement, str]], set[str]]:
    """The page's candidate headline headings (element, text), and the site names their logos gave away."""
    found: list[tuple[HtmlElement, str]] = []
    logos: set[str] = set()
    for element in tree.iter("h1"):
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        links = element.findall(".//a")
        text = _heading_text(element)
        if not text or len(text) > MAX_TITLE_CHARS:
            continue
        site_marked = _NOT_HEADLINE.search(marks) and "title" not in marks.lower().replace("site-title", "")
        if any(_is_home_link(a.get("href"), url) for a in links) or site_marked:
            logos.add(text)
            continue
        if is_site_part(text, names) and len(text.split()) <= 4:
            continue
        found.append((element, text))
    return found, logos


def pick_title(tree: HtmlElement, declared: list[str | None], names: set[str], *, url: str | None = None,
               learned: Iterable[str] = ()) -> str | None:
    """The page's headline: an ``<h1>`` that agrees with a declared title, else the best declared title, cleaned.

    ``declared`` is best first (JSON-LD headline, og:title, twitter:title, ..., ``<title>``).
    """
    titles = [t for t in (clean(d) for d in declared) if t and len(t) <= MAX_TITLE_CHARS * 2]
    candidates, logos = headings(tree, url, names)
    candidates = candidates[:MAX_HEADINGS]
    names = names | logos
    cleaned = [strip_affixes(t, names, learned) for t in titles]
    best: tuple[float, str] | None = None
    for element, text in candidates:
        score = max((similarity(text, t) for t in (*cleaned, *titles)), default=0.0)
        if (element.get("itemprop") or "").lower() == "headline":
            score += 0.3
        if best is None or score > best[0]:
            best = (score, text)
    if best and best[0] >= AGREES:
        return _unglued(best[1], cleaned, titles, names)
    if best and len(candidates) == 1 and _plausible(candidates[0][0], best[1]):
        # One headline-looking heading the metadata does not echo: the reader sees it, not the SEO title.
        return best[1]
    for title in cleaned:
        if not title.endswith(("...", "…")):
            return title
    return cleaned[0] if cleaned else (candidates[0][1] if candidates else None)


def _unglued(heading: str, cleaned: list[str], titles: list[str], names: set[str]) -> str:
    """A heading without the site's name glued to it by markup (``<h1>Headline<span>Site</span></h1>``).

    The heading agrees with a declared title; when it is that title with no
    space after it and then the site's name (a known name, or the last part of
    a declared title, where sites put theirs), the declared title is the headline.
    """
    last_parts = {key(parts[-1]) for parts in map(split_title, titles) if len(parts) >= 3}
    for title in cleaned:
        if len(title) >= len(heading) or not heading.startswith(title) or heading[len(title)].isspace():
            continue
        rest = heading[len(title):]
        if len(key(rest)) >= 4 and (key(rest) in last_parts or is_site_part(rest, names)):
            return title
    return heading


def _plausible(element: HtmlElement, text: str) -> bool:
    """A heading long enough to be a headline, not a link to another page, not in page chrome."""
    words = len(text.split())
    if words < 2 and len(text) < 6:
        return False
    linked = clean(" ".join(a.text_content() for a in element.iter("a"))) or ""
    if element.find(".//a") is not None and len(linked) >= len(text) / 2:
        return False
    return not any(ancestor.tag in ("nav", "footer", "aside") for ancestor in element.iterancestors())


def strip_learned(title: str | None, learned: set[str]) -> str | None:
    """``title`` without its leading and trailing parts that are in ``learned`` (an outlet's affixes)."""
    if not learned or not title:
        return title
    parts = split_title(title)
    while len(parts) >= 3 and (clean(parts[-1]) in learned or clean(parts[0]) in learned):
        parts = parts[:-2] if clean(parts[-1]) in learned else parts[2:]
    return clean("".join(parts)) or title


class TitleAffixes(OutletCounts):
    """Per-outlet counts of the first and last parts of its titles; the recurring ones are site affixes.

    Bounded: at most ``max_parts`` distinct parts are kept per outlet (the
    rarest are forgotten first), for at most ``max_sources`` outlets.
    ``to_json()``/``from_json()`` round-trip; ``source_state()``/``restore()``
    do the same for one outlet (the store keeps one row per outlet).
    """

    KEY = "parts"

    def __init__(self, *, min_pages: int = 3, share: float = 0.3, max_parts: int = 200, max_sources: int = 2000):
        super().__init__(min_pages=min_pages, share=share, max_sources=max_sources)
        self.max_parts = max_parts

    def learn(self, source: str, title: str | None) -> None:
        if not (title := clean(title)) or self._full(source):
            return
        pieces = split_title(title)
        if len(pieces) < 3:
            self.pages[source] += 1
            return
        counts = self.counts.setdefault(source, Counter())
        self.pages[source] += 1
        for piece in {clean(pieces[0]), clean(pieces[-1])}:
            if piece:
                counts[piece] += 1
        self._bound(counts)

    def _bound(self, counts: Counter[str]) -> None:
        if len(counts) > self.max_parts:
            for piece, _ in counts.most_common()[self.max_parts // 2:]:
                del counts[piece]

    def affixes(self, source: str) -> list[str]:
        return [part for part in self.counts.get(source) or () if self.recurs(source, part)]

    def clean(self, source: str, title: str | None) -> str | None:
        """``title`` without the leading and trailing parts that recur on ``source``'s titles."""
        return strip_learned(title, set(self.affixes(source)) if title else set())

    def learn_and_clean(self, source: str, title: str | None) -> str | None:
        """Clean ``title`` with what is known so far, then count it (a title never cuts its own parts)."""
        cleaned = self.clean(source, title)
        self.learn(source, title)
        return cleaned
