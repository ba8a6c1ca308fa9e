"""The local news web as data: outlets, pages with ground truth, and the followed story.

``PAGES`` is the ground truth the crawler is measured against: each page says what a
good crawler should conclude about it (``expect``), whether it is listed in the
outlet's feed and/or news sitemap, and which wire group it belongs to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from localweb.model import ARTICLE_KINDS, BROKEN_KINDS, EXPECT_KINDS, Outlet, Page
from localweb.pages import load_pages

__all__ = [
    "ARTICLE_KINDS",
    "BROKEN_KINDS",
    "EXPECT_KINDS",
    "OUTLETS",
    "PAGES",
    "STORY",
    "Outlet",
    "Page",
    "get_outlet",
    "is_tech",
    "pages_of",
    "published_at",
    "story_page",
]

OUTLETS: tuple[Outlet, ...] = (
    Outlet("lecourrier", "Le Courrier du Numérique", "fr", "127.0.0.2", "/feed.xml", "rss2"),
    Outlet("circuitledger", "The Circuit Ledger", "en", "127.0.0.3", "/atom.xml", "atom"),
    Outlet("abendpost", "Rheinische Abendpost", "de", "127.0.0.4", "/rss.rdf", "rdf"),
    Outlet("heraldo", "El Heraldo de Levante", "es", "127.0.0.5", "/feed.xml", "rss2"),
    Outlet("dongfang", "东方科技网", "zh", "127.0.0.6", "/feed.json", "jsonfeed"),
    Outlet("songhong", "Báo Sông Hồng", "vi", "127.0.0.7", "/feed.xml", "rss2"),
    Outlet("kaihin", "海浜新報", "ja", "127.0.0.8", "/atom.xml", "atom"),
    Outlet("meridian", "Meridian Wire", "en", "127.0.0.9", "/feed.json", "jsonfeed"),
)

# The articles are data files, localweb/articles/<outlet>/<slug>.md; _GENERAL holds the
# (outlet, path) of those in a general news section rather than /tech/.
PAGES, _GENERAL = load_pages()

_SOURCE: Page = next(page for page in PAGES if page.expect == "story_source")

STORY: dict[str, Any] = {
    "name": "deepseek-demo",
    "title": _SOURCE.title,
    "language": _SOURCE.language,
    "published": datetime.fromisoformat(_SOURCE.published).date().isoformat(),
    "since": "2025-01-20",
    "terms": [
        "DeepSeek",
        "深度求索",
        "ディープシーク",
        "딥시크",
        "Дипсик",
        "DeepSeek-R1",
        "DeepSeek-V3",
        "Liang Wenfeng",
        "梁文锋",
    ],
    "source_outlet": _SOURCE.outlet,
    "source_path": _SOURCE.path,
}

_OUTLETS_BY_KEY: dict[str, Outlet] = {outlet.key: outlet for outlet in OUTLETS}


def get_outlet(key: str) -> Outlet:
    """The outlet with this key (KeyError if unknown)."""
    return _OUTLETS_BY_KEY[key]


def published_at(page: Page) -> datetime:
    """The page's publication time as an aware datetime."""
    return datetime.fromisoformat(page.published)


def pages_of(outlet_key: str) -> list[Page]:
    """The outlet's pages, newest first."""
    pages = [page for page in PAGES if page.outlet == outlet_key]
    return sorted(pages, key=published_at, reverse=True)


def is_tech(page: Page) -> bool:
    """Whether the page is listed on the outlet's ``/tech/`` section page."""
    return (page.outlet, page.path) not in _GENERAL


def story_page() -> Page:
    """The story's source article."""
    for page in PAGES:
        if page.outlet == STORY["source_outlet"] and page.path == STORY["source_path"]:
            return page
    raise LookupError("the story source page is missing from PAGES")
