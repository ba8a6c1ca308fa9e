"""The local news web as data: outlets, pages with ground truth, and the followed story.

``PAGES`` is the ground truth the crawler is measured against: each page says what a
good crawler should conclude about it (``expect``), whether it is listed in the
outlet's feed and/or news sitemap, and which wire group it belongs to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from localweb import (
    articles_de,
    articles_en,
    articles_es,
    articles_fr,
    articles_ja,
    articles_mentions,
    articles_vi,
    articles_zh,
)
from localweb.model import ARTICLE_KINDS, BROKEN_KINDS, EXPECT_KINDS, Outlet, Page

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

_MODULES = (
    articles_fr,
    articles_en,
    articles_de,
    articles_es,
    articles_zh,
    articles_vi,
    articles_ja,
    articles_mentions,
)

PAGES: tuple[Page, ...] = tuple(page for module in _MODULES for page in module.PAGES)

_GENERAL: frozenset[tuple[str, str]] = frozenset().union(*(m.GENERAL for m in _MODULES))

STORY: dict[str, Any] = {
    "name": "deepseek-demo",
    "title": articles_fr.SOURCE_TITLE,
    "language": "fr",
    "published": "2025-02-03",
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
    "source_outlet": articles_fr.SOURCE_OUTLET,
    "source_path": articles_fr.SOURCE_PATH,
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
