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

from lxml.html import HtmlElement

from core.boundedjson import loads as load_json
from pipelines.bylines import pick_author
from pipelines.dates import dotted_day, parse_stamp, pick_date, reader_day, strong_values
from pipelines.titles import pick_title, site_names

MAX_JSONLD_CHARS = 200_000  # a larger script is not metadata; skip it
MAX_LIVE_UPDATES = 500  # updates of a live blog read from its JSON-LD
ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
                 "blogposting", "liveblogposting", "report", "backgroundnewsarticle", "scholarlyarticle",
                 "techarticle", "webpage"}
TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "headline", "parsely-title", "sailthru.title")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})")
_SPACE = re.compile(r"\s+")
EARLIEST = dt.date(1995, 1, 1)


@dataclass(frozen=True)
class PageMeta:
    title: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD
    canonical_url: str | None = None
    sitename: str | None = None
    description: str | None = None
    page_type: str | None = None  # og:type
    article_body: str | None = None  # JSON-LD articleBody: the text the page declares, when it does
    live_updates: str | None = None  # a live blog's declared updates (JSON-LD liveBlogUpdate), as one text


def read_metadata(tree: HtmlElement, *, url: str | None = None, want_date: bool = True) -> PageMeta:
    """The page's declared metadata; the date searched in the text only if ``want_date`` and none is declared."""
    meta = _meta_tags(tree)
    ld, by_id = _jsonld_article(tree)
    names = site_names(meta, ld, url)
    language = tree.get("lang") or meta.get("og:locale") or meta.get("content-language")
    declared = [ld.get("datePublished"), ld.get("dateCreated")]
    modified = ld.get("dateModified") or meta.get("article:modified_time")
    strong = bool(strong_values(meta, declared))
    # The page's text, read once: for the date it announces in words, or to see which declared day it shows.
    text = _visible_text(tree, MAX_ANNOUNCED_SCAN) if want_date and (not strong or isinstance(modified, str)) else ""
    # Without a declaration, the date a page announces in words beats its <time> elements (comments have them).
    announced = None if strong or not want_date else announced_date(text)
    times = list(tree.iter("time"))
    published = pick_date(meta, declared, language=language, url=url,
                          extra_stamps=[v for v in [ld.get("dateModified")] if isinstance(v, str)],
                          offset_stamps=_time_stamps(times),
                          shown=announced or _time_published(times) or _time_shown(times), shown_text=_time_text(times))
    if published is None and want_date:
        published = find_date(tree, url=url)
    elif published and want_date and isinstance(modified, str):
        published = reader_day(published, modified, text)
    return PageMeta(
        title=_title(tree, meta, ld, names, url),
        author=pick_author(meta, ld, by_id, tree, names),
        published=published,
        canonical_url=_canonical(tree, meta),
        sitename=_clean(meta.get("og:site_name")) or _clean(_name_of(ld.get("publisher"))),
        description=_clean(meta.get("og:description") or meta.get("description")),
        page_type=_clean(meta.get("og:type")),
        article_body=_body(ld.get("articleBody")),
        live_updates=_live_updates(ld.get("liveBlogUpdate")),
    )


# "Veröffentlicht am 16.08.2019", "Published on June 13, 2019", "Publié le 5 février 2021": a page that
# declares no date often writes it after such words; the first one in the page is the article's.
_AFTER_LEAD_IN = (r"\s*(?:am|on|le|el|il|op|dnia|dne|den|:)?\s*:?\s*"
                  r"(\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"
                  r"|\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?\s+(?:de\s+)?\d{4}|[^\W\d_]{3,12}\.?\s+\d{1,2},?\s+\d{4})")
_ANNOUNCED = re.compile(
    r"\b(?:(?:veröffentlicht|publiziert|erschienen|erstellt|geschrieben|verfasst|published|posted|written|publié|publiée"
    r"|publicado|publicada|pubblicato|gepubliceerd|opublikowano|publikováno|julkaistu|publicerad|udgivet|publisert)"
    r"|(?:datum|date|fecha|data)\s*:)" + _AFTER_LEAD_IN, re.I)
# The last change announced, when no publication is: still the date the reader is given.
_ANNOUNCED_CHANGE = re.compile(
    r"\b(?:aktualisiert|updated|actualizado|actualisé|mis\s+à\s+jour|aggiornato|bijgewerkt|letzte\s+änderung"
    r"|zuletzt\s+geändert|last\s+(?:modified|updated)|stand)" + _AFTER_LEAD_IN, re.I)
_CODE_TAGS = {"script", "style", "noscript", "template"}
MAX_ANNOUNCED_SCAN = 300_000  # characters of the page's text searched for an announced date


def announced_date(text: str) -> str | None:
    """The date a page's ``text`` announces in words ("Veröffentlicht am 16.08.2019"), when it declares none.

    A publication announced comes first; else the last change announced
    ("Aktualisiert am …", "Stand: …"): still the date the reader is given.
    """
    match = _ANNOUNCED.search(text) or _ANNOUNCED_CHANGE.search(text)
    if not match:
        return None
    import dateparser  # htmldate's own dependency; loaded only for pages that announce a date in words

    try:
        found = dateparser.parse(match.group(1), settings={"STRICT_PARSING": True, "DATE_ORDER": "DMY"})
    except Exception:  # dateparser on odd input: no date, not an error
        return None
    return _as_date(found.date().isoformat()) if found else None


def _visible_text(tree: HtmlElement, limit: int) -> str:
    """The text of the page's body, without scripts and styles, up to ``limit`` characters."""
    body = tree.find("body")
    parts: list[str] = []
    size = 0
    for element in (body if body is not None else tree).iter():
        if element.text and element.tag not in _CODE_TAGS:
            parts.append(element.text)
            size += len(element.text)
        if element.tail:
            parts.append(element.tail)
            size += len(element.tail)
        if size >= limit:
            break
    return _SPACE.sub(" ", " ".join(parts))


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
            # Raw newlines and tabs inside strings are common in real pages.
            payload = load_json(body, strict=False)
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


def _jsonld_article(tree: HtmlElement) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The page's JSON-LD article object (an Article type before a plain WebPage), or {}; and every object by ``@id``.

    The index resolves references: Yoast and other CMS plugins write ``"author": {"@id": ...}``
    and put the Person elsewhere in the ``@graph``.
    """
    article: dict[str, Any] = {}
    page: dict[str, Any] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for value in _jsonld_objects(tree):
        if isinstance(value.get("@id"), str) and len(value) > 1:
            by_id.setdefault(value["@id"], value)
        kinds = _types(value)
        if not article and kinds & (ARTICLE_TYPES - {"webpage"}):
            article = value
        elif "webpage" in kinds and not page:
            page = value
    return article or page, by_id


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


def _title(tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any], names: set[str], url: str | None) -> str | None:
    element = tree.find(".//title")
    declared = [ld.get("headline"), *(meta.get(k) for k in TITLE_KEYS),
                element.text_content() if element is not None else None]
    return pick_title(tree, [d if isinstance(d, str) else None for d in declared], names, url=url)


def _body(value: Any) -> str | None:
    """A declared article body that is whole: text (no markup), not cut short with an ellipsis."""
    if not isinstance(value, str) or "<" in value[:2000] or value.rstrip().endswith(("...", "…", "[…]")):
        return None
    return value.strip() or None


def _live_updates(value: Any) -> str | None:
    """A live blog's declared updates (``LiveBlogPosting.liveBlogUpdate``), each headline and body, as one text."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return None
    parts: list[str] = []
    for update in value[:MAX_LIVE_UPDATES]:
        if not isinstance(update, dict) or not (body := _body(update.get("articleBody"))):
            continue
        headline = _clean(update.get("headline"))
        parts.append(f"{headline}\n{body}" if headline else body)
    return "\n\n".join(parts) or None


def _canonical(tree: HtmlElement, meta: dict[str, str]) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (href := _clean(link.get("href"))):
            return href
    return _clean(meta.get("og:url"))


def _time_published(times: list[HtmlElement]) -> str | None:
    for element in times:
        when = element.get("datetime")
        if when and ((element.get("itemprop") or "").lower() == "datepublished"
                     or "pubdate" in element.attrib or "publish" in (element.get("class") or "").lower()):
            return when
    return None


def _time_stamps(times: list[HtmlElement], limit: int = 5) -> list[str]:
    """The first ``datetime`` values of ``<time>`` elements: the page's own offset is often written there."""
    return [when for when in (e.get("datetime") for e in times) if when][:limit]


def _time_text(times: list[HtmlElement]) -> str | None:
    """The text of the first ``<time>`` element that writes something: the date as a reader sees it."""
    for element in times:
        if text := element.text_content().strip():
            return text[:80]
    return None


def _time_shown(times: list[HtmlElement]) -> str | None:
    """The first date a ``<time>`` element shows: its ``datetime``, else its text (``DD.MM.YYYY``)."""
    for element in times:
        if (when := element.get("datetime")) and parse_stamp(when):
            return when
        if day := dotted_day(element.text_content()):
            return day
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
