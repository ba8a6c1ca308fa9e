"""Finding the crawl's own extensions from any component."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

T = TypeVar("T")


def extension_of(crawler: Crawler, cls: type[T]) -> T:
    """The running instance of extension ``cls``; a clear error when EXTENSIONS lacks it."""
    found = crawler.get_extension(cls)
    if found is None:
        raise RuntimeError(f"{cls.__module__}.{cls.__qualname__} is missing from EXTENSIONS")
    return found
