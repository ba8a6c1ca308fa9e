"""Items that travel from the spiders through the pipelines to the store.

Two kinds: :class:`ArticleItem`, a fetched page on its way to becoming an
article, and :class:`UrlRecord`, a URL that ends here with a reason (skipped
before fetching, or failed to fetch). Pipelines only transform articles; the
store pipeline writes both.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ArticleItem:
    # Filled by the spider.
    url: str
    source: str
    found_via: str  # "feed" | "sitemap" | "section"
    discovered_url: str = ""  # the link as found, before redirects
    html: str | None = None  # decoded page; dropped by the extract pipeline
    http_status: int = 200
    entry_title: str | None = None  # from the feed or news sitemap
    entry_summary: str | None = None
    entry_published: str | None = None  # ISO 8601
    entry_language: str | None = None
    charset: str | None = None  # codec the page was decoded with (crawler/charset.py)
    charset_suspect: str | None = None  # why that decoding is doubtful or was corrected; None when clean
    replacement_ratio: float | None = None  # share of U+FFFD among the page's characters
    # Filled by pipelines/extract.
    title: str | None = None
    text: str | None = None
    author: str | None = None
    published: str | None = None
    published_from: str | None = None  # feed | sitemap | html | url | none
    canonical_url: str | None = None
    sitename: str | None = None
    html_lang: str | None = None
    # Filled by pipelines/language.
    language: str | None = None
    language_reason: str | None = None
    # Filled by pipelines/relevance.
    story: str | None = None
    score: float | None = None
    matched: list[str] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)
    label: str | None = None  # followup | source_copy | off_topic
    # Filled by pipelines/dedup.
    text_hash: str | None = None
    signature: tuple[int, ...] | None = None  # MinHash; not stored in articles
    duplicate_of: int | None = None
    duplicate_similarity: float | None = None


@dataclass
class UrlRecord:
    """A URL whose journey ends without an article, and why."""

    url: str
    source: str
    status: str  # "skipped" | "error"
    reason: str  # short code: too_old, http_404, off_topic, ...
    found_via: str = ""
    detail: str | None = None
