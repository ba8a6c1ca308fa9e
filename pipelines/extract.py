"""Clean text and metadata of a page (trafilatura), and the ``extract`` JSONL tool.

``extract_article()`` is our one wrapper around trafilatura: it takes the
decoded page (``response.text``, never raw bytes), passes ``url=`` and turns
comments off. ``None`` is a normal answer (nothing readable), not an error.

Command line::

    python -m pipelines.extract < pages.jsonl > extracted.jsonl

reads ``{"id", "url", "html"}`` lines and writes ``{"id", "url", "title",
"text", "author", "published", "language"}`` lines.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import sqlite3
import sys
from dataclasses import asdict, dataclass
from typing import IO, TYPE_CHECKING, Any

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

from core.items import ArticleItem
from pipelines.bodytext import THIN_TEXT_CHARS, looks_thin, paragraph_chars, pick_text, with_live_updates
from pipelines.boilerplate import Boilerplate, drop_prompts
from pipelines.bylines import agency_in_dateline
from pipelines.dates import date_from_url
from pipelines.jsonl import read_lines, write_line
from pipelines.language import detect_language
from pipelines.pagemeta import read_metadata
from pipelines.titles import TitleAffixes

if TYPE_CHECKING:
    from types import ModuleType

    from scrapy.crawler import Crawler
    from sqlite_utils import Database

logger = logging.getLogger(__name__)
logging.getLogger("trafilatura").setLevel(logging.WARNING)
logging.getLogger("htmldate").setLevel(logging.WARNING)

_LANG_RE = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.I)
_LOCALE_RE = re.compile(r"<meta\b[^>]*?property\s*=\s*[\"']og:locale[\"'][^>]*?content\s*=\s*[\"']([A-Za-z_-]+)", re.I)
_JSONLD_ARTICLE_RE = re.compile(r'"@type"\s*:\s*\[?\s*"(?:News|Reportage|Analysis|Opinion)?Article"')
# og:type values that mean "this page is not one article".
NOT_ARTICLE_TYPES = {"website", "profile", "video.other", "book", "music.song"}


@dataclass(frozen=True)
class Extracted:
    """A page's text, its declared language, and every field of its :class:`~pipelines.pagemeta.PageMeta`."""

    title: str | None
    text: str
    author: str | None
    published: str | None  # ISO date found in the page, or None
    canonical_url: str | None
    sitename: str | None
    description: str | None
    page_type: str | None  # og:type
    html_lang: str | None


def declared_language(html: str) -> str | None:
    """The page's own claim: ``<html lang>``, else ``og:locale``."""
    head = html[:20000]
    match = _LANG_RE.search(head) or _LOCALE_RE.search(head)
    return match.group(1) if match else None


def looks_like_listing(html: str, *, url: str, page_type: str | None) -> bool:
    """A page that declares itself a website (not an article) and shows no sign of one.

    Many outlets put ``og:type=website`` on real articles, so the claim alone
    is not enough: a dated URL or a JSON-LD Article/NewsArticle keeps the page.
    """
    if not page_type or page_type.lower() not in NOT_ARTICLE_TYPES:
        return False
    return not date_from_url(url) and not _JSONLD_ARTICLE_RE.search(html)


def extract_article(html: str, *, url: str, favor_precision: bool = False, want_date: bool = True,
                    fast: bool = True) -> Extracted | None:
    """Main text and metadata of ``html``, or ``None`` when nothing readable is there.

    The metadata is what the page declares (:mod:`pipelines.pagemeta`); its
    date is searched in the text only if ``want_date`` (the caller has none
    from a feed or sitemap). ``fast`` asks trafilatura's second opinion
    (readability and jusText) only when its own pass looks thin on evidence
    (:func:`looks_thin`); ``fast=False`` asks it on every page. A wire story
    with no byline gets the agency its dateline names.
    """
    if not html or not html.strip():
        return None
    trafilatura = _trafilatura()  # here, not at the top: the crawl process only extracts in its workers

    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            return None
        meta = read_metadata(tree, url=url, want_date=want_date)  # htmldate reads dates in scripts too
        _drop_code(tree)
        text = _main_text(tree, url=url, fast=fast, favor_precision=favor_precision)
        if fast and len(text) < THIN_TEXT_CHARS and looks_thin(text, meta.article_body,
                                                               page_chars=paragraph_chars(tree)):
            # bare_extraction works on a copy of the tree it is given: the same tree serves again.
            second = _main_text(tree, url=url, fast=False, favor_precision=favor_precision)
            text = pick_text(text, second, meta.article_body)
        text = with_live_updates(text, meta.live_updates)
    except Exception:  # trafilatura can raise on pathological markup
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        return None
    text = drop_prompts(text).strip()
    if not text:
        return None
    fields = asdict(meta)
    del fields["article_body"], fields["live_updates"]  # evidence for the choice of text, not fields of their own
    if not fields["author"]:
        fields["author"] = agency_in_dateline(text)  # a wire story signs in its dateline: "Hamburg (dpa) - ..."
    return Extracted(text=text, html_lang=declared_language(html), **fields)


@functools.cache
def _trafilatura() -> ModuleType:
    """trafilatura, its HTML parser set to give every element lxml hands to Python the class ``HtmlElement``.

    lxml.html's parser picks an element's class with a Python method, called for
    each element a walk of the tree touches (millions a crawl, ~5 % of a
    worker's CPU); ``ElementDefaultClassLookup`` does the same in C. What it
    does not do is give ``<form>``, ``<input>``, ``<select>``, ``<textarea>`` and
    ``<label>`` their own classes (their form-filling helpers), which neither
    trafilatura nor we use: the 990 pages of bench/extraction.py come out the same.
    Its XPath expressions get native tests before their regular expressions
    (:mod:`pipelines.xpathguard`: the same elements, a tenth less CPU), and a
    page is searched for the characters XML forbids before they are removed
    (:mod:`pipelines.xmlchars`: the same text, 0.3 ms less per page).
    """
    import trafilatura
    from trafilatura import utils

    from pipelines import xmlchars, xpathguard

    parser = getattr(utils, "HTML_PARSER", None)
    if parser is not None:
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    xpathguard.install()
    xmlchars.install()
    return trafilatura


def _drop_code(tree: Any) -> None:
    """Remove scripts (but JSON-LD), styles and inline SVG: trafilatura removes them too, after copying
    the tree twice and walking it several times; removed first, every later pass has less to do."""
    for script in list(tree.iter("script")):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            script.drop_tree()  # keeps its tail text
    etree.strip_elements(tree, "style", "svg", with_tail=False)


def _main_text(tree: Any, *, url: str, fast: bool, favor_precision: bool) -> str:
    doc = _trafilatura().bare_extraction(tree, url=url, fast=fast, with_metadata=False, include_comments=False,
                                      include_tables=True, favor_precision=favor_precision)
    if doc is None:
        return ""
    fields = doc if isinstance(doc, dict) else doc.as_dict()
    return (fields.get("text") or "").strip()


def read_page(html: str, url: str, *, want_date: bool = True, fallback: bool = False) -> tuple[Extracted | None, bool]:
    """What a worker process does with a page: extract it, and tell whether it is a listing.

    Its language is not detected here: most pages crawled are about something
    else, and nothing decides on an off-topic page's language
    (:mod:`pipelines.language` detects it for the pages that may be stored).
    """
    found = extract_article(html, url=url, want_date=want_date, fast=not fallback)
    if found is None:
        return None, False
    return found, looks_like_listing(html, url=url, page_type=found.page_type)


class ExtractPipeline:
    """Page → text and metadata; drops empty, unreadable and non-article pages.

    The page is read in a worker process of the crawl's pool
    (:mod:`pipelines.pool`); the reactor goes on downloading meanwhile.

    What recurs across an outlet's pages (boilerplate lines, title affixes) is
    learned here, in the crawl process, and kept in the store's
    ``outlet_memory``: an outlet's row is read when its first page of the crawl
    comes (or at open, for a crawl of one source), and the rows learned from are
    written back every ``SAVE_EVERY`` pages and when the spider closes.
    """

    SAVE_EVERY = 200  # pages between saves: a killed crawl loses at most that much learning

    def __init__(self, crawler: Crawler, min_text_chars: int, fallback: bool):
        self.crawler = crawler
        self.min_text_chars = min_text_chars
        self.fallback = fallback
        self.boilerplate = Boilerplate()
        self.titles = TitleAffixes()
        self.db: Database | None = None
        self.recalled: set[str] = set()
        self.learned: set[str] = set()  # sources whose memory changed since the last save
        self.pages = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler, min_text_chars=crawler.settings.getint("MONITOR_MIN_TEXT_CHARS"),
                   fallback=crawler.settings.getbool("MONITOR_EXTRACT_FALLBACK"))

    def open_spider(self) -> None:
        # Imported here, as below: the pool's worker processes import this module and need no store.
        from storage import StorageError, open_crawl_store

        try:
            self.db = open_crawl_store(self.crawler.settings)
        except StorageError as exc:  # learning still works for this crawl; the store pipeline reports the failure
            logger.warning("outlet memory not loaded: %s", exc)
            return
        source = getattr(self.crawler.spider, "source", None)
        if isinstance(source, str) and source:
            self.recall(source)

    def close_spider(self) -> None:
        self.remember()
        if self.db is not None:
            self.db.close()
            self.db = None

    def recall(self, source: str) -> None:
        """Take up what earlier crawls learned of ``source`` (once per crawl)."""
        if source in self.recalled or self.db is None:
            return
        self.recalled.add(source)
        from storage import queries

        try:
            state = queries.outlet_memory(self.db, source)
        except sqlite3.Error as exc:
            logger.warning("outlet memory of %s not read: %s", source, exc)
            return
        if state:
            self.boilerplate.restore(source, state.get("boilerplate"))
            self.titles.restore(source, state.get("title_affixes"))

    def remember(self) -> None:
        """Write the memory of the outlets learned from since the last save."""
        if not self.learned or self.db is None:
            return
        from storage import writes

        rows = {source: {"boilerplate": self.boilerplate.source_state(source),
                         "title_affixes": self.titles.source_state(source)} for source in self.learned}
        try:
            writes.save_outlet_memory(self.db, rows)
        except sqlite3.Error as exc:  # a locked or full store: the memory waits for the next save
            logger.warning("outlet memory not saved: %s", exc)
            return
        self.learned.clear()

    def learn(self, source: str, title: str | None, text: str) -> tuple[str | None, str]:
        """The page's title and text cleaned with what is known of its outlet; then learned from."""
        self.recall(source)
        self.learned.add(source)
        self.pages += 1
        cleaned = self.titles.learn_and_clean(source, title), self.boilerplate.learn_and_clean(source, text)
        if self.pages % self.SAVE_EVERY == 0:
            self.remember()
        return cleaned

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        # Imported here: worker processes import this module and need neither Scrapy nor the pool.
        from pipelines.drops import (
            EmptyBody,
            ExtractCrash,
            ExtractTimeout,
            NotArticle,
            NoText,
        )
        from pipelines.pool import CpuPool, WorkerCrashed, WorkerTimeout

        html, item.html = item.html or "", None  # raw HTML never travels further
        if not html.strip():
            raise EmptyBody(f"empty body: {item.url}")
        # The page's own date is searched only when the feed or sitemap gave none.
        future = CpuPool.of(self.crawler).pool.submit(
            read_page, html, item.url, want_date=not item.entry_published, fallback=self.fallback)
        del html  # held by the pool until a worker has it, then gone
        try:
            found, listing = await asyncio.wrap_future(future)
        except WorkerTimeout as exc:
            raise ExtractTimeout(f"extraction timed out ({exc}): {item.url}", detail=str(exc)) from None
        except Exception as exc:  # WorkerCrashed, TaskError: the page gets a reason, the crawl goes on
            kind = "worker crashed" if isinstance(exc, WorkerCrashed) else "worker failed"
            logger.warning("%s on %s: %s", kind, item.url, exc)
            raise ExtractCrash(f"{kind} ({exc}): {item.url}", detail=f"{kind}: {exc}"[:500]) from None
        if found is None:
            raise NoText(f"no readable text: {item.url}")
        if listing:
            raise NotArticle(f"og:type={found.page_type}, not an article: {item.url}",
                             detail=f"og:type={found.page_type}")
        if len(found.text) < self.min_text_chars:
            raise NoText(f"text too short ({len(found.text)} chars): {item.url}", detail=f"{len(found.text)} chars")
        title, item.text = self.learn(item.source, found.title, found.text)
        item.title = title or item.entry_title
        item.author = found.author
        item.canonical_url = found.canonical_url
        item.sitename = found.sitename
        item.html_lang = found.html_lang or item.entry_language
        item.published, item.published_from = pick_published(item, found.published)
        return item


def pick_published(item: ArticleItem, html_date: str | None) -> tuple[str | None, str]:
    """The best publication date and where it came from: feed, sitemap, html, url or none."""
    if item.entry_published:
        return item.entry_published, "sitemap" if item.found_via == "sitemap" else "feed"
    if html_date:
        return html_date, "html"
    from_url = date_from_url(item.url)
    if from_url:
        return from_url, "url"
    return None, "none"


def main(stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout, stderr: IO[str] = sys.stderr) -> int:
    count = 0
    for number, record in read_lines(stdin, required=("id", "url", "html"), err=stderr):
        found = extract_article(record["html"], url=record["url"])
        out: dict[str, Any] = {"id": record["id"], "url": record["url"], "title": None, "text": None,
                               "author": None, "published": None, "language": None}
        if found is None:
            print(f"line {number}: no readable text in {record['url']}", file=stderr)
        else:
            published = found.published or date_from_url(record["url"])
            language = detect_language(f"{found.title or ''}\n{found.text}", declared=found.html_lang).language
            out.update(title=found.title, text=found.text, author=found.author, published=published,
                       language=language)
        write_line(stdout, out)
        count += 1
    print(f"extracted {count} page(s)", file=stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
