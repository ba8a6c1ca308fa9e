"""Every Scrapy internal we use, in one place, for what Scrapy has no public API for.

Each is checked against the installed Scrapy by tests/test_scrapy_compat.py,
which fails naming the internal when an upgrade moves or changes it; the
rest of the project uses only the names below.

- The engine's slot: the requests it still works on (downloaded, or their
  callback's output still in the pipelines): Scrapy has no signal for "this
  request is fully processed", which the distributed scheduler needs to
  release a lease; and its ``nextcall``, to ask the scheduler for requests
  now rather than at the next 5 s heartbeat.
- :class:`RobotsTxtMiddleware`'s parsers by host and its robots.txt reader:
  to apply RFC 9309's rule for a robots.txt answering 5xx, and to share what
  one spider of a job read with the next (crawler/middlewares/robots.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector


def requests_in_progress(engine: Any) -> set[Request] | None:
    """Requests the engine still works on (downloading, or being scraped and piped); None if unknown."""
    busy = getattr(getattr(engine, "_slot", None), "inprogress", None)
    return busy if isinstance(busy, set) else None


def wake_engine(engine: Any) -> bool:
    """Make the engine ask its scheduler for requests at the next reactor turn; False if it cannot."""
    nextcall = getattr(getattr(engine, "_slot", None), "nextcall", None)
    if nextcall is None or not callable(getattr(nextcall, "schedule", None)):
        return False
    nextcall.schedule()
    return True


class RobotsTxtMiddlewareBase(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with its per-host parsers and its reader under public names."""

    @property
    def parsers(self) -> dict[str, Any]:
        """Host (``netloc``) → its parser, a Deferred while its robots.txt is read, or None (fetch failed)."""
        return self._parsers

    @property
    def stats(self) -> StatsCollector:
        return self._stats

    async def read_robots(self, response: Response, netloc: str, request: Request) -> None:
        """Turn a fetched robots.txt into the host's parser (Scrapy's reading); override to change it."""
        await super()._parse_robots(response, netloc, request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        await self.read_robots(response, netloc, request)
