"""Load the local web's articles from ``localweb/articles/<outlet>/<slug>.md``.

Each file is one page: a TOML front matter between ``+++`` lines (title, author,
published, language, path, section, expect, and the optional dup_group, in_feed,
in_sitemap, copy_of), then the text, paragraphs separated by blank lines. The lines of
a paragraph are joined with one space, so a wrapped paragraph reads back as written
(Chinese and Japanese paragraphs, which have no spaces between words, stay on one line).
``copy_of = "<outlet>/<slug>"`` republishes another article's paragraphs; this file's own
paragraphs, if any, follow them. ``localweb/articles/README.md`` says the same for writers.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from localweb.model import EXPECT_KINDS, Page

__all__ = ["ArticleError", "load_pages"]

_DELIMITER = "+++"
_REQUIRED = ("title", "author", "published", "language", "path", "section", "expect")
_OPTIONAL = ("dup_group", "in_feed", "in_sitemap", "copy_of")
_SECTIONS = ("tech", "general")


class ArticleError(ValueError):
    """An article file that cannot be read into a page."""


@dataclass(frozen=True)
class _Article:
    """One file as read, before ``copy_of`` is resolved."""

    ref: str  # "<outlet>/<slug>"
    meta: dict[str, Any]
    paragraphs: tuple[str, ...]


def load_pages(
    root: Traversable | None = None,
) -> tuple[tuple[Page, ...], frozenset[tuple[str, str]]]:
    """Every page under ``root`` (default: the packaged ``localweb/articles``), sorted by
    outlet then path, and the (outlet, path) of those in a general news section rather
    than ``/tech/``."""
    root = root if root is not None else files(__package__).joinpath("articles")
    articles: dict[str, _Article] = {}
    for outlet_dir in sorted(root.iterdir(), key=lambda entry: entry.name):
        if not outlet_dir.is_dir():
            continue
        for entry in sorted(outlet_dir.iterdir(), key=lambda entry: entry.name):
            if entry.name.endswith(".md"):
                article = _read(f"{outlet_dir.name}/{entry.name.removesuffix('.md')}", entry)
                articles[article.ref] = article
    pages = [_page(article, articles) for article in articles.values()]
    pages.sort(key=lambda page: (page.outlet, page.path))
    general = frozenset(
        (article.meta["outlet"], article.meta["path"])
        for article in articles.values()
        if article.meta["section"] == "general"
    )
    return tuple(pages), general


def _read(ref: str, entry: Traversable) -> _Article:
    text = entry.read_text(encoding="utf-8")
    head, sep, body = text.partition(f"\n{_DELIMITER}\n")
    if not head.startswith(_DELIMITER + "\n") or not sep:
        raise ArticleError(f"{ref}: the file must open with a front matter between {_DELIMITER} lines")
    try:
        meta = tomllib.loads(head.removeprefix(_DELIMITER + "\n"))
    except tomllib.TOMLDecodeError as exc:
        raise ArticleError(f"{ref}: front matter: {exc}") from exc
    _check(ref, meta)
    meta["outlet"] = ref.split("/", 1)[0]
    blocks = (block.splitlines() for block in re.split(r"\n[ \t]*\n", body))
    lines = ([line.strip(" \t") for line in block if line.strip(" \t")] for block in blocks)
    paragraphs = tuple(" ".join(block) for block in lines if block)
    return _Article(ref, meta, paragraphs)


def _check(ref: str, meta: dict[str, Any]) -> None:
    missing = [key for key in _REQUIRED if key not in meta]
    unknown = [key for key in meta if key not in _REQUIRED + _OPTIONAL]
    if missing or unknown:
        raise ArticleError(f"{ref}: missing keys {missing}, unknown keys {unknown}")
    published = meta["published"]
    if not isinstance(published, datetime) or published.tzinfo is None:
        raise ArticleError(f"{ref}: published must be a date and time with its UTC offset")
    if meta["expect"] not in EXPECT_KINDS:
        raise ArticleError(f"{ref}: expect must be one of {EXPECT_KINDS}")
    if meta["section"] not in _SECTIONS:
        raise ArticleError(f"{ref}: section must be one of {_SECTIONS}")
    slug = ref.split("/", 1)[1]
    if meta["path"].rsplit("/", 1)[-1] != slug + ".html":
        raise ArticleError(f"{ref}: the file is named after its path: {meta['path']}")


def _page(article: _Article, articles: dict[str, _Article]) -> Page:
    meta = article.meta
    paragraphs = article.paragraphs
    if "copy_of" in meta:
        original = articles.get(meta["copy_of"])
        if original is None or "copy_of" in original.meta:
            raise ArticleError(f"{article.ref}: copy_of names no original article: {meta['copy_of']}")
        paragraphs = original.paragraphs + paragraphs
    return Page(
        outlet=meta["outlet"],
        path=meta["path"],
        title=meta["title"],
        language=meta["language"],
        published=meta["published"].isoformat(),
        author=meta["author"],
        paragraphs=paragraphs,
        expect=meta["expect"],
        dup_group=meta.get("dup_group"),
        in_feed=meta.get("in_feed", True),
        in_sitemap=meta.get("in_sitemap", True),
    )
