"""Unit tests of the reliability parts: breaker, Retry-After, resolver checks, URL filters, language."""

from __future__ import annotations

import subprocess
import sys

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import Response
from twisted.internet.error import DNSLookupError

from crawler.addresses import AddressPolicy, BlockedAddress, parse_test_hosts
from crawler.middlewares.address_guard import ResolvedAddressGuard
from crawler.middlewares.host_health import HostHealth, HostPaused, retry_after_seconds
from crawler.resolver import REFUSED_NAMES, GuardedResolver
from crawler.urls import clean_url, url_problem
from pipelines.language import detect_language
from tests.conftest import ROOT


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _health(**kw):
    clock = Clock()
    return HostHealth(failures=kw.get("failures", 3), pause=kw.get("pause", 60), retry_after_max=kw.get("wait", 5),
                      clock=clock), clock


def _paused(health: HostHealth, url: str):
    return health.wait_for(url)


def test_breaker_opens_after_consecutive_failures_and_half_opens_after_the_pause():
    health, clock = _health(failures=3, pause=60)
    url = "http://bad.example/x"
    request = Request(url)
    health.observe_response(request, Response(url, status=500))
    health.observe_exception(request, DownloadTimeoutError("slow"))
    assert _paused(health, url) is None
    health.observe_response(request, Response(url, status=502))
    left, reason, why = _paused(health, url)
    assert (left, reason) == (60, "host_paused") and "3 consecutive failures" in why
    assert _paused(health, "http://good.example/") is None  # other hosts are not affected
    clock.now += 61
    assert _paused(health, url) is None  # half-open: one request goes through...
    health.observe_response(request, Response(url, status=503))
    assert _paused(health, url)[1] == "host_paused"  # ...and one more failure pauses again


def test_a_success_resets_the_count_and_404_is_not_a_failure():
    health, _ = _health(failures=2)
    url = "http://flaky.example/"
    request = Request(url)
    health.observe_response(request, Response(url, status=500))
    health.observe_response(request, Response(url, status=404))
    health.observe_response(request, Response(url, status=500))
    assert _paused(health, url) is None


def test_breaker_off_with_zero():
    health, _ = _health(failures=0)
    url = "http://bad.example/"
    for _ in range(20):
        health.observe_response(Request(url), Response(url, status=500))
    assert _paused(health, url) is None


def test_retry_after_pauses_the_host_and_a_long_wait_fails_fast():
    health, clock = _health(wait=5)
    url = "http://busy.example/a"
    health.observe_response(Request(url), Response(url, status=429, headers={"Retry-After": "3"}))
    left, reason, _ = _paused(health, url)
    assert (left, reason) == (3, "rate_limited")  # a short wait is waited out, never shortened
    clock.now += 3
    assert _paused(health, url) is None
    health.observe_response(Request(url), Response(url, status=503, headers={"Retry-After": "3600"}))
    with pytest.raises(HostPaused) as info:
        health.process_request(Request(url + "?again"))
    assert info.value.reason == "rate_limited"
    with pytest.raises(HostPaused):
        health.before_download(Request(url + "?again")).send(None)


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_resolver_refuses_private_answers_every_time_and_reports_them():
    resolver = GuardedResolver.__new__(GuardedResolver)
    resolver.policy = AddressPolicy(["127.0.1.0/24", "intranet.test"])
    resolver.stub = parse_test_hosts(["rebind.test=127.0.1.1|127.0.0.1", "*.nx.test=fail", "intranet.test=10.0.0.9",
                                      "meta.test=169.254.169.254"])
    resolver.stub_calls = {}
    results: list[object] = []
    for name in ("rebind.test", "rebind.test", "x.nx.test", "intranet.test", "meta.test"):
        resolver.getHostByName(name).addBoth(results.append)
    assert results[0] == "127.0.1.1"
    assert isinstance(results[1].value, DNSLookupError) and "resolves to 127.0.0.1" in str(results[1].value)
    assert isinstance(results[2].value, DNSLookupError)
    assert results[3] == "10.0.0.9"  # allowed by name
    assert isinstance(results[4].value, DNSLookupError)
    assert "meta.test" in REFUSED_NAMES and "x.nx.test" not in REFUSED_NAMES
    with pytest.raises(BlockedAddress):
        ResolvedAddressGuard().process_exception(Request("http://meta.test/latest"), DNSLookupError("no results"))
    assert ResolvedAddressGuard().process_exception(Request("http://x.nx.test/"), DNSLookupError("x")) is None


@pytest.mark.parametrize(("url", "reason"), [
    ("http://ex.com/" + "a" * 2100, "url_too_long"),
    ("http://user:secret@ex.com/", "url_userinfo"),
    ("http://ex.com:99999/", "invalid_url"),
    ("http://ex.com/a/b/a/b/a/b/", "spider_trap"),
    ("http://ex.com/" + "/".join(f"s{i}" for i in range(20)), "spider_trap"),
    ("ftp://ex.com/file", "blocked_scheme"),
    ("data:text/html,hi", "blocked_scheme"),
])
def test_url_problems(url, reason):
    assert url_problem(url)[0] == reason


def test_ordinary_urls_pass_including_idn_and_dated_paths():
    for url in ("https://www.lemonde.fr/pixels/article/2025/02/02/deepseek_1.html", "http://bücher.example/a",
                "https://ex.com/2025/02/02/02/x"):
        assert url_problem(clean_url(url)) is None


def test_clean_url_sorts_the_query_and_drops_tracking():
    assert clean_url("http://ex.com/a?b=2&utm_source=x&a=1#f") == clean_url("http://ex.com/a?a=1&b=2&fbclid=z")


@pytest.mark.parametrize("text", ["", "   ", "12345", "https://example.com/a/b", "😀", "ok", "DeepSeek ok 好"])
def test_language_of_texts_without_features_is_und_with_a_reason(text):
    found = detect_language(text)
    assert found.language == "und" and found.reason in ("too_short", "no_letters", "low_confidence")


def test_language_detection_is_the_same_in_two_processes():
    code = ("from pipelines.language import detect_language as d;"
            "print([d(t).language for t in ('Das ist ein kurzer Text über KI und Chips', "
            "'Un texte court sur DeepSeek et les puces', 'DeepSeek R1 model open weights cost')])")
    outs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout for _ in range(2)}
    assert len(outs) == 1
