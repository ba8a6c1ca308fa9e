"""What a news page says about itself: title, author, date, canonical URL, site, type.

News pages declare their metadata for search engines and social networks:
Open Graph and ``article:*`` meta tags, JSON-LD ``NewsArticle`` objects,
``<link rel=canonical>``, ``<time itemprop=datePublished>``. Reading those
few places with XPath costs about a millisecond; trafilatura's own metadata
pass (``with_metadata=True``) also hunts for categories, tags, licences and,
through htmldate, for any date-looking string in the page, which costs about
as much as extracting the text itself. So we read the declarations here and
ask htmldate (:func:`find_date`, our one wrapper around it) only when the
page declares no date *and* the caller has no date from a feed or sitemap.

``bench/extraction.py`` measures both readers on the 990 annotated pages of
``../shared/data/extraction-trafilatura/`` (exact title, date and author).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml.etree import XPath
from lxml.html import HtmlElement

from core.boundedjson import loads as load_json

MAX_JSONLD_CHARS = 200_000  # a larger script is not metadata; skip it
ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
                 "blogposting", "liveblogposting", "report", "backgroundnewsarticle", "scholarlyarticle",
                 "techarticle", "webpage"}
# Meta keys (name=, property= or itemprop=, lower-cased) that carry the publication date, best first.
DATE_KEYS = ("article:published_time", "og:article:published_time", "datepublished", "published_time",
             "og:published_time", "pubdate", "publishdate", "publish-date", "publish_date", "date",
             "dc.date.issued", "dc.date", "dcterms.date", "dcterms.issued", "sailthru.date",
             "parsely-pub-date", "citation_publication_date", "article.published", "cxenseparse:recs:publishtime")
AUTHOR_KEYS = ("author", "article:author", "og:article:author", "dc.creator", "sailthru.author", "parsely-author",
               "citation_author", "byl")
TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "headline", "parsely-title", "sailthru.title")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})")
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|af|przez|de)\s+", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·»:-]\s+")
_SPACE = re.compile(r"\s+")
EARLIEST = dt.date(1995, 1, 1)
_BYLINE_XPATH = XPath(
    './/*[@rel="author" or @itemprop="author" or contains(@class, "author") or contains(@class, "byline")'
    ' or contains(@id, "author")][not(self::meta) and not(self::link) and not(self::body)]')


@dataclass(frozen=True)
class PageMeta:
    title: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD
    canonical_url: str | None = None
    sitename: str | None = None
    description: str | None = None
    page_type: str | None = None  # og:type


def read_metadata(tree: HtmlElement, *, url: str | None = None, want_date: bool = True) -> PageMeta:
    """The page's declared metadata; the date searched in the text only if ``want_date`` and none is declared."""
    meta = _meta_tags(tree)
    ld = _jsonld_article(tree)
    published = _first_date([*(meta.get(k) for k in DATE_KEYS), ld.get("datePublished"), _time_published(tree)])
    if published is None and want_date:
        published = find_date(tree, url=url)
    return PageMeta(
        title=_title(tree, meta, ld),
        author=_author(meta, ld) or _byline(tree),
        published=published,
        canonical_url=_canonical(tree, meta),
        sitename=_clean(meta.get("og:site_name")) or _clean(_name_of(ld.get("publisher"))),
        description=_clean(meta.get("og:description") or meta.get("description")),
        page_type=_clean(meta.get("og:type")),
    )


def find_date(tree: HtmlElement, *, url: str | None = None) -> str | None:
    """htmldate's guess at the publication date, or None."""
    import htmldate  # imported when a page needs it: most pages declare their date

    try:
        found = htmldate.find_date(tree, extensive_search=True, original_date=True, url=url)
    except Exception:  # htmldate on pathological markup: no date, not an error
        return None
    return _as_date(found)


# -- where each field comes from ------------------------------------------------------------------


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` content by lower-cased name/property/itemprop; the first occurrence wins."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (element.get(attribute) or "").strip().lower()
            if key and key not in found:
                found[key] = content
    return found


def _jsonld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        body = script.text or ""
        if not body.strip() or len(body) > MAX_JSONLD_CHARS:
            continue
        try:
            payload = load_json(body)
        except ValueError:  # not JSON, or nested past core.boundedjson's depth limit
            continue
        stack = [payload]
        while stack:
            value = stack.pop(0)
            if isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, dict):
                yield value
                if isinstance(value.get("@graph"), list):
                    stack.extend(value["@graph"])


def _types(value: dict[str, Any]) -> set[str]:
    kind = value.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _jsonld_article(tree: HtmlElement) -> dict[str, Any]:
    """The page's JSON-LD article object (an Article type before a plain WebPage), or {}."""
    best: dict[str, Any] = {}
    for value in _jsonld_objects(tree):
        kinds = _types(value)
        if kinds & (ARTICLE_TYPES - {"webpage"}):
            return value
        if "webpage" in kinds and not best:
            best = value
    return best


def _name_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list):
        names = [n for n in (_name_of(v) for v in value) if n]
        return "; ".join(names) or None
    return None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACE.sub(" ", value).strip()
    return value or None


def _title(tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    for key in TITLE_KEYS:
        if title := _clean(meta.get(key)):
            return title
    if title := _clean(ld.get("headline")):
        return title
    headings = [h for h in (_clean(h.text_content()) for h in tree.iter("h1")) if h]
    if len(headings) == 1:
        return headings[0]
    element = tree.find(".//title")
    if element is None or not (title := _clean(element.text_content())):
        return headings[0] if headings else None
    parts = _TITLE_SEPARATORS.split(title)
    # "Headline | Site" or "Site - Headline": the headline is the longest part.
    return max(parts, key=len) if len(parts) > 1 else title


def _author(meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    candidates = [_name_of(ld.get("author")), *(meta.get(k) for k in AUTHOR_KEYS)]
    for candidate in candidates:
        author = _clean(candidate)
        if not author or author.startswith(("http://", "https://", "/")):
            continue
        author = _BYLINE.sub("", author).strip()
        if author and len(author) <= 200:
            return author
    return None


def _byline(tree: HtmlElement) -> str | None:
    """The text of the page's author element (``rel``/``itemprop``/class ``author`` or ``byline``), if short."""
    for element in _BYLINE_XPATH(tree):
        name = element.find('.//*[@itemprop="name"]')
        author = _BYLINE.sub("", _clean((name if name is not None else element).text_content()) or "").strip(" ,:|")
        if author and 2 <= len(author) <= 60 and len(author.split()) <= 6 and not any(c.isdigit() for c in author):
            return author
    return None


def _canonical(tree: HtmlElement, meta: dict[str, str]) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (href := _clean(link.get("href"))):
            return href
    return _clean(meta.get("og:url"))


def _time_published(tree: HtmlElement) -> str | None:
    for element in tree.iter("time"):
        when = element.get("datetime")
        if when and ((element.get("itemprop") or "").lower() == "datepublished"
                     or "pubdate" in element.attrib or "publish" in (element.get("class") or "").lower()):
            return when
    return None


def _first_date(values: list[Any]) -> str | None:
    for value in values:
        if isinstance(value, str) and (date := _as_date(value)):
            return date
    return None


def _as_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO-like date or timestamp, if it is a plausible publication date."""
    if not value:
        return None
    value = value.strip()
    match = _ISO_DATE.search(value[:40]) or _COMPACT_DATE.match(value)
    if not match:
        return None
    try:
        date = dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
    if not EARLIEST <= date <= dt.date.today() + dt.timedelta(days=1):
        return None
    return date.isoformat()
