"""The Scrapy internals crawler/scrapy_compat.py relies on still exist and behave as it assumes.

Each test names the internal: when a Scrapy upgrade fails one, the adapter
(and only it) needs changing.
"""

from __future__ import annotations

import asyncio
import inspect
from types import SimpleNamespace

from scrapy import Request
from scrapy.core.engine import ExecutionEngine, _Slot
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import TextResponse
from scrapy.utils.reactor import CallLaterOnce
from scrapy.utils.test import get_crawler

from crawler.middlewares.robots import RobotsTxtPolicy
from crawler.scrapy_compat import RobotsTxtMiddlewareBase, requests_in_progress, set_connection_factory, wake_engine


def test_the_engine_keeps_its_slot_with_requests_in_progress_and_nextcall():
    """``ExecutionEngine._slot``: a ``_Slot`` with an ``inprogress`` set and a ``nextcall`` CallLaterOnce."""
    params = inspect.signature(_Slot).parameters
    assert "nextcall" in params, "scrapy.core.engine._Slot lost its nextcall"
    assert callable(CallLaterOnce.schedule)
    assert "self._slot" in inspect.getsource(ExecutionEngine.__init__), "ExecutionEngine has no _slot"
    slot_source = inspect.getsource(_Slot)
    assert "self.inprogress: set[Request] = set()" in slot_source, "_Slot.inprogress is no longer a set of requests"
    assert "self.inprogress.add(request)" in slot_source and "self.inprogress.remove(request)" in slot_source


def test_the_helpers_read_the_engines_slot():
    engine = SimpleNamespace(_slot=None)  # an engine with no spider open (building one needs a reactor)
    assert requests_in_progress(engine) is None and wake_engine(engine) is False  # no spider open: no slot
    calls = []
    slot = object.__new__(_Slot)  # its __init__ starts a heartbeat, which needs a reactor
    slot.inprogress, slot.closing = set(), None
    slot.nextcall = SimpleNamespace(schedule=lambda: calls.append("scheduled"))
    engine._slot = slot
    request = Request("http://a.test/")
    slot.add_request(request)
    assert requests_in_progress(engine) == {request}
    slot.remove_request(request)
    assert requests_in_progress(engine) == set()
    assert wake_engine(engine) is True and calls == ["scheduled"]


def test_robotstxt_middleware_keeps_its_parsers_and_reader():
    """``RobotsTxtMiddleware._parsers`` (netloc → parser), ``_stats``, ``_parse_robots(response, netloc, request)``."""
    reader = RobotsTxtMiddleware._parse_robots
    assert inspect.iscoroutinefunction(reader), "RobotsTxtMiddleware._parse_robots is no longer a coroutine"
    assert list(inspect.signature(reader).parameters) == ["self", "response", "netloc", "request"]
    assert "self._parse_robots(" in inspect.getsource(RobotsTxtMiddleware.robot_parser)
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
    crawler.stats.open_spider()
    middleware = RobotsTxtMiddlewareBase(crawler)
    assert middleware.parsers == {} and middleware.parsers is middleware._parsers
    assert middleware.stats is crawler.stats


def test_our_reader_is_the_one_scrapy_calls():
    """Scrapy's reader is reached through ``read_robots``, and a 5xx gets our disallow-all policy."""
    from twisted.internet.defer import Deferred

    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
    crawler.stats.open_spider()
    middleware = RobotsTxtPolicy(crawler)
    request = Request("http://a.test/page")

    async def read(status: int, body: bytes) -> object:
        middleware.parsers["a.test"] = Deferred()
        response = TextResponse("http://a.test/robots.txt", status=status, body=body)
        await middleware._parse_robots(response, "a.test", request)  # as RobotsTxtMiddleware.robot_parser calls it
        return middleware.parsers["a.test"]

    parser = asyncio.run(read(200, b"User-agent: *\nDisallow: /private\n"))
    assert parser.allowed("http://a.test/page", "x") and not parser.allowed("http://a.test/private", "x")
    assert not asyncio.run(read(503, b"")).allowed("http://a.test/page", "x")
    assert crawler.stats.get_value("robotstxt/response_status_count/503") == 1


def test_the_http11_handler_builds_connections_through_its_pools_factory():
    """``HTTP11DownloadHandler._pool``: a Twisted ``HTTPConnectionPool`` whose ``_factory`` builds connections."""
    from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
    from twisted.web.client import HTTPConnectionPool

    assert "self._pool" in inspect.getsource(HTTP11DownloadHandler.__init__), "HTTP11DownloadHandler has no _pool"
    assert hasattr(HTTPConnectionPool, "_factory"), "twisted's HTTPConnectionPool has no _factory"
    handler = SimpleNamespace(_pool=SimpleNamespace(_factory=None))
    marker = object()
    set_connection_factory(handler, marker)
    assert handler._pool._factory is marker


def test_the_lenient_http11_classes_parse_headers_line_by_line():
    """``_LenientHTTP11ClientFactory`` builds ``_LenientHTTP11ClientProtocol``s whose ``_parser`` is a
    ``_LenientHTTPClientParser`` fed one header line at a time in state ``HEADER``."""
    from scrapy.core.downloader.handlers import http11
    from twisted.web._newclient import HEADER, HTTPClientParser

    for name in ("_LenientHTTP11ClientFactory", "_LenientHTTP11ClientProtocol", "_LenientHTTPClientParser"):
        assert hasattr(http11, name), f"scrapy.core.downloader.handlers.http11.{name} is gone"
    assert issubclass(http11._LenientHTTPClientParser, HTTPClientParser)
    assert HEADER == "HEADER" and callable(HTTPClientParser.lineReceived)
    assert "_quiescentCallback" in inspect.getsource(http11._LenientHTTP11ClientFactory.buildProtocol)
