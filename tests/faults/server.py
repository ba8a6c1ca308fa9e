"""A loopback web that misbehaves on purpose: every fault class of ``FAULTS.md``.

:class:`FaultWeb` starts a few threaded HTTP servers on 127.0.1.x (Linux
routes all of 127.0.0.0/8 to ``lo``), one per kind of host:

* ``main``: good articles about the story, and pages with content faults
  (bombs, loops, bad redirects, empty or broken bodies, odd charsets...);
* ``slow``: pages that hang, trickle or break off (timeouts, data loss), next to good pages;
* ``storm``: a host that answers 503 to everything (circuit breaker);
* ``limited``: a host that answers 429 with ``Retry-After`` to everything;
* ``robots503``, ``robotsjunk``, ``robotshuge``: good pages behind a robots.txt
  that answers 503, is binary garbage, or is 5 MiB;
* ``hostile``, ``yearlong``: pages built to hurt a parser, the memory or the
  store (``tests/faults/hostile.py``).

A canary server on 127.0.0.1 (outside the crawl's allow-list) counts every
request it gets; its secret must never reach the store. Article URLs look
like ``/good/<key>`` and ``/f/<fault>/<key>``; :data:`ARTICLE_FAULTS` says
what each fault does and the ledger reason the crawler must record.

Used by ``tests/faults/`` and by ``bench/faults.py``; also runnable by hand:
``python -m tests.faults.server`` prints its base URLs and serves until ^C.
"""

from __future__ import annotations

import gzip
import logging
import random
import socket
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

# Roles whose routes live in another module (tests/faults/hostile.py registers its own).
ROLE_ROUTES: dict[str, Any] = {}

HOSTS = {"main": "127.0.1.1", "slow": "127.0.1.2", "storm": "127.0.1.3", "limited": "127.0.1.4",
         "robots503": "127.0.1.6", "robotsjunk": "127.0.1.7", "robotshuge": "127.0.1.8",
         "hostile": "127.0.1.9", "yearlong": "127.0.1.10"}
CLOSED_HOST = "127.0.1.5"  # nothing listens there: connection refused
ALLOWED = "127.0.1.0/24"  # the crawl's MONITOR_ALLOWED_HOSTS; the canary is outside it
CANARY_HOST = "127.0.0.1"
SECRET = "CANARY-7f3a91e4-do-not-store"
BOMB_BYTES = 64 * 1024 * 1024  # what a decompression bomb inflates to
HUGE_BYTES = 50 * 1024 * 1024

WORDS = (
    "model open weights training cost chips export market investors shares engineers laboratory research "
    "reasoning benchmark release startup founder government regulators data centre energy power cloud "
    "software developers users download app store ranking competition price efficiency mixture experts "
    "parameters inference hardware supply chain analysts report week month year quarter growth decline "
    "company board strategy response rivals scientists university paper code licence community feedback "
    "security privacy concerns ban agencies ministers parliament debate policy industry leaders interview "
    "statement announcement launch version update performance tests mathematics programming language "
    "translation speed memory budget funding venture capital valuation trade tariffs sanctions partners "
    "europe asia america china india japan korea france germany britain brazil canada australia africa "
    "students teachers hospitals banks factories farmers artists writers musicians doctors lawyers judges "
    "morning evening reporters editors readers viewers platform network servers outage traffic demand "
    "question answer surprise doubt optimism caution risk benefit future history lesson signal noise"
).split()

STORY_TEXT = (
    "DeepSeek, une jeune entreprise chinoise, a publié R1, un modèle de raisonnement dont l'entraînement "
    "aurait coûté 5,6 millions de dollars. Liang Wenfeng, son fondateur, défend les poids ouverts. "
    "Sam Altman, Yann LeCun et Demis Hassabis ont commenté la sortie; Nvidia a perdu 589 milliards de "
    "dollars de capitalisation en une séance. "
) * 3


def good_text(key: str, *, words: int = 140) -> tuple[str, list[str]]:
    """A unique, relevant article: a title and paragraphs (seeded by ``key``)."""
    rng = random.Random(f"good:{key}")
    title = f"DeepSeek {rng.choice(WORDS)} {rng.choice(WORDS)} report {key}"
    paragraphs = []
    for _ in range(4):
        sentence = [rng.choice(WORDS) for _ in range(words // 4)]
        sentence.insert(rng.randrange(len(sentence)), "DeepSeek")
        paragraphs.append(" ".join(sentence).capitalize() + ".")
    return title, paragraphs


def good_html(key: str, *, charset: str | None = "utf-8", extra_head: str = "", extra_body: str = "") -> str:
    title, paragraphs = good_text(key)
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang=\"en\"><head>{meta}<title>{title}</title>{extra_head}</head>"
            f"<body><article><h1>{title}</h1>{body}{extra_body}</article></body></html>")


@dataclass(frozen=True)
class Fault:
    """An article-level fault: where it is served and what the crawler must record."""

    name: str
    host: str  # a key of HOSTS, or "closed" / "dns" / "canary" / "special"
    reasons: tuple[str, ...]  # acceptable ledger reasons
    status: str = "error"  # the ledger status expected
    stored: bool = False  # a good article despite the fault: must be stored


ARTICLE_FAULTS: dict[str, Fault] = {f.name: f for f in [
    Fault("refused", "closed", ("connection_refused",)),
    Fault("dns", "dns", ("dns_error",)),
    Fault("slowloris", "slow", ("timeout",)),
    Fault("hang-headers", "slow", ("timeout",)),
    Fault("hang-accept", "slow", ("timeout",)),
    Fault("truncated", "slow", ("data_loss",)),
    Fault("bad-chunked", "slow", ("data_loss",)),
    Fault("huge-length", "main", ("too_large",)),
    Fault("huge-chunked", "main", ("too_large",)),
    Fault("gzip-bomb", "main", ("decompression_bomb",)),
    Fault("deflate-bomb", "main", ("decompression_bomb",)),
    Fault("br-bomb", "main", ("decompression_bomb",)),
    Fault("redirect-loop", "main", ("redirect_loop",)),
    Fault("meta-refresh-loop", "main", ("redirect_loop",)),
    Fault("redirect-file", "main", ("bad_redirect_scheme",)),
    Fault("redirect-data", "main", ("bad_redirect_scheme",)),
    Fault("redirect-ftp", "main", ("bad_redirect_scheme",)),
    Fault("redirect-canary", "main", ("blocked_address",)),
    Fault("meta-refresh-canary", "main", ("blocked_address",)),
    Fault("gone-404", "main", ("http_404",)),
    Fault("gone-410", "main", ("http_410",)),
    Fault("server-error", "storm", ("http_503", "host_paused", "rate_limited")),
    Fault("rate-limited", "limited", ("rate_limited", "http_429")),
    Fault("plain-500", "storm", ("http_500", "host_paused", "rate_limited")),
    Fault("retry-after-once", "main", ("followup",), status="stored", stored=True),
    Fault("empty", "main", ("empty_body",), status="skipped"),
    Fault("empty-no-type", "main", ("empty_body", "not_html"), status="skipped"),
    Fault("binary-as-html", "main", ("no_text", "not_html"), status="skipped"),
    Fault("deep-nesting", "main", ("no_text", "followup"), status="*"),
    Fault("nul-bytes", "main", ("followup",), status="stored", stored=True),
    Fault("unclosed-tags", "main", ("followup",), status="stored", stored=True),
    Fault("latin1-no-charset", "main", ("followup",), status="stored", stored=True),
    Fault("utf8-header-latin1-body", "main", ("followup",), status="stored", stored=True),
    Fault("latin1-header-utf8-body", "main", ("followup",), status="stored", stored=True),
    Fault("bogus-charset", "main", ("followup",), status="stored", stored=True),
    Fault("utf16-bom", "main", ("followup",), status="stored", stored=True),
    Fault("meta-header-conflict", "main", ("followup",), status="stored", stored=True),
    Fault("too-short", "main", ("no_text",), status="skipped"),
    Fault("off-topic", "main", ("off_topic",), status="skipped"),
    Fault("too-long-url", "special", ("url_too_long",), status="skipped"),
    Fault("userinfo-url", "special", ("url_userinfo",), status="skipped"),
    Fault("invalid-url", "special", ("invalid_url",), status="skipped"),
    Fault("trap-url", "special", ("spider_trap",), status="skipped"),
    Fault("file-url", "special", ("blocked_scheme",), status="skipped"),
    Fault("canary-literal", "canary", ("blocked_address",)),
    Fault("metadata-name", "special", ("blocked_address",)),
]}

# Spellings of the canary's address that must all be refused.
CANARY_SPELLINGS = ("127.0.0.1", "localhost", "2130706433", "0x7f.1", "017700000001", "[::ffff:127.0.0.1]",
                    "[::1]", "10.0.0.1", "127.1")

_bombs: dict[str, bytes] = {}
_bomb_lock = threading.Lock()


def bomb(encoding: str) -> bytes:
    """``BOMB_BYTES`` of zeros, compressed (cached: made once per process)."""
    with _bomb_lock:
        if encoding not in _bombs:
            zeros = bytes(BOMB_BYTES)
            if encoding == "gzip":
                _bombs[encoding] = gzip.compress(zeros, compresslevel=9, mtime=0)
            elif encoding == "deflate":
                _bombs[encoding] = zlib.compress(zeros, 9)
            elif encoding == "br":
                import brotli

                _bombs[encoding] = brotli.compress(zeros, quality=5)
            else:
                raise ValueError(encoding)
        return _bombs[encoding]


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    # --- helpers -------------------------------------------------------------

    def _raw(self, head: str, body: bytes = b"") -> None:
        self.close_connection = True
        try:
            self.wfile.write(head.encode("latin-1") + b"\r\n" + body)
            self.wfile.flush()
        except OSError:
            pass

    def send(self, status: int, body: bytes | str = b"", *, content_type: str | None = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(data)}", "Connection: close"]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self._raw("\r\n".join(lines) + "\r\n", data)

    def _hold(self, seconds: float = 60) -> None:
        """Keep the connection open, doing nothing, until the client leaves or time runs out."""
        self.close_connection = True
        deadline = time.monotonic() + seconds
        self.connection.settimeout(0.5)
        while time.monotonic() < deadline and not self.server.stopping.is_set():
            try:
                if self.connection.recv(1024) == b"":
                    return
            except TimeoutError:
                continue
            except OSError:
                return

    # --- routes --------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self.server.hits[self.path] += 1
        path = urlsplit(self.path).path
        web: FaultWeb = self.server.web
        if self.server.role == "canary":
            self.send(200, f"<html><body><p>{SECRET}</p></body></html>")
            return
        if self.server.role in ROLE_ROUTES:
            ROLE_ROUTES[self.server.role](self, path)
            return
        if path == "/robots.txt":
            if self.server.role == "robots503":
                self.send(503, "<h1>Unavailable</h1>")
            elif self.server.role == "robotsjunk":
                self.send(200, random.Random(7).randbytes(3000), content_type="text/plain")
            elif self.server.role == "robotshuge":
                self.send(200, "User-agent: *\nDisallow: /private/\n" + "# padding\n" * 520_000,
                          content_type="text/plain")
            else:
                self.send(200, "User-agent: *\nAllow: /\n", content_type="text/plain")
            return
        if self.server.role == "storm":
            if path.startswith("/f/plain-500/"):  # no Retry-After: only the circuit breaker helps
                self.send(500, "<h1>Internal server error</h1>")
            else:
                self.send(503, "<h1>Service unavailable</h1>", headers={"Retry-After": "120"})
            return
        if self.server.role == "limited":
            self.send(429, "<h1>Too many requests</h1>", headers={"Retry-After": "3600"})
            return
        parts = [p for p in path.split("/") if p]
        if parts[:1] == ["good"] and len(parts) == 2:
            self.send(200, good_html(parts[1]))
            return
        if parts[:1] == ["f"] and len(parts) == 3:
            self.fault(parts[1], parts[2])
            return
        if parts[:1] == ["feeds"] or parts[:1] == ["sitemaps"]:
            body = web.listing(path)
            if body is not None:
                content_type, data = body
                self.send(200, data, content_type=content_type)
                return
        self.send(404, "<h1>Not found</h1>")

    def fault(self, name: str, key: str) -> None:  # noqa: PLR0912, PLR0915 - one branch per fault
        web: FaultWeb = self.server.web
        if name == "slowloris":
            self._raw("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\nConnection: close\r\n")
            for _ in range(120):
                if self.server.stopping.is_set():
                    return
                try:
                    self.wfile.write(b"<")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(1)
        elif name == "hang-headers":
            self._raw("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\nConnection: close\r\n")
            self._hold()
        elif name == "hang-accept":
            self._hold()
        elif name == "truncated":
            self._raw("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\nConnection: close\r\n",
                      b"<html")
            self._shutdown()
        elif name == "bad-chunked":
            self._raw("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                      "Connection: close\r\n", b"6\r\n<html>\r\n")
            self._shutdown()
        elif name == "huge-length":
            self._raw(f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {HUGE_BYTES}\r\n"
                      "Connection: close\r\n", b"<html>" + b" " * 65536)
            self._hold(10)
        elif name == "huge-chunked":
            self._raw("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                      "Connection: close\r\n")
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            sent = 0
            while sent < HUGE_BYTES and not self.server.stopping.is_set():
                try:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                except OSError:
                    return
                sent += len(chunk)
            self._raw("0\r\n")
        elif name in ("gzip-bomb", "deflate-bomb", "br-bomb"):
            encoding = name.split("-")[0]
            self.send(200, bomb(encoding), headers={"Content-Encoding": encoding})
        elif name == "redirect-loop":  # /f/redirect-loop/k -> /f/redirect-loop/k-b -> /f/redirect-loop/k ...
            target = f"/f/redirect-loop/{key}-b" if not key.endswith("-b") else f"/f/redirect-loop/{key[:-2]}"
            self.send(302, "", headers={"Location": target})
        elif name == "meta-refresh-loop":
            self.send(200, f'<html><head><meta http-equiv="refresh" content="0;url=/f/meta-refresh-loop/{key}">'
                           "</head><body>Redirecting</body></html>")
        elif name == "redirect-file":
            self.send(302, "", headers={"Location": f"file://{web.canary_file}"})
        elif name == "redirect-data":
            self.send(302, "", headers={"Location": f"data:text/html,<p>{SECRET}</p>"})
        elif name == "redirect-ftp":
            self.send(302, "", headers={"Location": f"ftp://{CANARY_HOST}:{web.canary_port}/secret"})
        elif name == "redirect-canary":
            self.send(302, "", headers={"Location": f"http://{CANARY_HOST}:{web.canary_port}/redirected/{key}"})
        elif name == "meta-refresh-canary":
            self.send(200, f'<html><head><meta http-equiv="refresh" content="0;url=http://{CANARY_HOST}:'
                           f'{web.canary_port}/meta/{key}"></head><body>Moved</body></html>')
        elif name == "retry-after-once":  # 429 with a short Retry-After the first time, then the page
            with web.lock:
                first = key not in web.seen
                web.seen.add(key)
            if first:
                self.send(429, "<h1>Slow down</h1>", headers={"Retry-After": "1"})
            else:
                self.send(200, good_html(f"patient-{key}"))
        elif name == "gone-404":
            self.send(404, "<h1>Not found</h1>")
        elif name == "gone-410":
            self.send(410, "<h1>Gone</h1>")
        elif name == "empty":
            self.send(200, b"")
        elif name == "empty-no-type":
            self.send(200, b"", content_type=None)
        elif name == "binary-as-html":
            self.send(200, random.Random(key).randbytes(20000))
        elif name == "deep-nesting":
            title, paragraphs = good_text(f"deep-{key}")
            self.send(200, f"<html><head><title>{title}</title></head><body>" + "<div>" * 50000
                      + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>")
        elif name == "nul-bytes":
            html = good_html(f"nul-{key}")
            self.send(200, html.replace("</h1>", "</h1>\x00\x00\x00").replace(". ", ".\x00 "))
        elif name == "unclosed-tags":
            html = good_html(f"unclosed-{key}").replace("</p>", "").replace("</article>", "").replace("</body>", "")
            self.send(200, html.replace("</html>", "<div><span><b><i>"))
        elif name == "latin1-no-charset":
            self.send(200, good_html(f"latin1-{key}", charset=None, extra_body="<p>Réaction à Paris, été.</p>")
                      .encode("latin-1"), content_type="text/html")
        elif name == "utf8-header-latin1-body":
            self.send(200, good_html(f"mislabelled-{key}", charset=None, extra_body="<p>Réaction à Paris.</p>")
                      .encode("latin-1"), content_type="text/html; charset=utf-8")
        elif name == "latin1-header-utf8-body":
            self.send(200, good_html(f"utf8-{key}", charset=None, extra_body="<p>Réaction à Paris, déjà.</p>")
                      .encode("utf-8"), content_type="text/html; charset=iso-8859-1")
        elif name == "bogus-charset":
            self.send(200, good_html(f"bogus-{key}", charset="x-no-such-charset").encode("utf-8"),
                      content_type="text/html; charset=x-no-such-charset")
        elif name == "utf16-bom":
            self.send(200, good_html(f"utf16-{key}", charset=None).encode("utf-16"), content_type="text/html")
        elif name == "meta-header-conflict":
            self.send(200, good_html(f"conflict-{key}", charset="iso-8859-1", extra_body="<p>Déjà vu.</p>")
                      .encode("utf-8"), content_type="text/html; charset=utf-8")
        elif name == "too-short":
            self.send(200, "<html><head><title>ok</title></head><body><p>ok</p><p>12345</p></body></html>")
        elif name == "off-topic":
            rng = random.Random(f"off:{key}")
            text = " ".join(rng.choice(WORDS[40:]) for _ in range(150))
            self.send(200, f"<html lang=en><head><title>Weather {key}</title></head><body><article>"
                           f"<h1>Weather {key}</h1><p>{text}.</p></article></body></html>")
        else:
            self.send(404, "<h1>No such fault</h1>")

    def _shutdown(self) -> None:
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], *, role: str, web: FaultWeb):
        super().__init__(address, FaultHandler)
        self.role = role
        self.web = web
        self.hits: Counter[str] = Counter()
        self.stopping = web.stopping


class FaultWeb:
    """The servers, their base URLs, and the listings (feeds, sitemaps) they serve."""

    def __init__(self, *, canary_file: str = "/nonexistent/canary.txt"):
        self.stopping = threading.Event()
        self.servers: dict[str, FaultHTTPServer] = {}
        self.threads: list[threading.Thread] = []
        self.listings: dict[str, tuple[str, bytes]] = {}
        self.canary_file = canary_file
        self.closed_port = _free_port(CLOSED_HOST)
        self.lock = threading.Lock()
        self.seen: set[str] = set()

    def start(self) -> FaultWeb:
        for role, host in [*HOSTS.items(), ("canary", CANARY_HOST)]:
            if role == "canary":
                # On the main server's port, so a name rebound from main to 127.0.0.1 lands here.
                try:
                    server = FaultHTTPServer((host, self.servers["main"].server_address[1]), role=role, web=self)
                except OSError:
                    server = FaultHTTPServer((host, 0), role=role, web=self)
            else:
                server = FaultHTTPServer((host, 0), role=role, web=self)
            self.servers[role] = server
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                      name=f"faultweb-{role}", daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self) -> None:
        self.stopping.set()
        for server in self.servers.values():
            server.shutdown()
            server.server_close()

    @property
    def canary_port(self) -> int:
        return self.servers["canary"].server_address[1]

    @property
    def canary_hits(self) -> int:
        return sum(self.servers["canary"].hits.values())

    def base(self, role: str) -> str:
        host, port = self.servers[role].server_address[:2]
        return f"http://{host}:{port}"

    def good_url(self, key: str, role: str = "main") -> str:
        return f"{self.base(role)}/good/{key}"

    def fault_url(self, name: str, key: str) -> str:  # noqa: PLR0911
        fault = ARTICLE_FAULTS[name]
        if fault.host == "closed":
            return f"http://{CLOSED_HOST}:{self.closed_port}/f/refused/{key}"
        if fault.host == "dns":
            return f"http://h{key}.nx.test/article"
        if fault.host == "canary":
            spelling = CANARY_SPELLINGS[sum(map(ord, key)) % len(CANARY_SPELLINGS)]
            return f"http://{spelling}:{self.canary_port}/literal/{key}"
        if name == "too-long-url":
            return f"{self.base('main')}/good/long-{key}?q=" + "x" * 2100
        if name == "userinfo-url":
            return f"http://user:pw@{HOSTS['main']}:{self.servers['main'].server_address[1]}/good/ui-{key}"
        if name == "invalid-url":
            return f"http://[::1/{key}"
        if name == "trap-url":
            return f"{self.base('main')}/cal/a/b/a/b/a/b/{key}"
        if name == "file-url":
            return f"file://{self.canary_file}?{key}"
        if name == "metadata-name":
            return f"http://metadata.test/latest/meta-data/{key}"
        return f"{self.base(fault.host)}/f/{name}/{key}"

    def canary_urls(self) -> list[str]:
        """The canary, in every spelling of its address the guard must refuse."""
        port = self.canary_port
        return [f"http://{spelling}:{port}/literal/{i}" for i, spelling in enumerate(CANARY_SPELLINGS)]

    def rebind_urls(self) -> list[str]:
        port = self.servers["main"].server_address[1]
        return [f"http://rebind.test:{port}/good/rebind-{i}" for i in range(2)]

    def test_hosts(self) -> str:
        """``MONITOR_TEST_HOSTS`` for a crawl of this web: failing and private names, and a rebinding one."""
        return ",".join([
            "*.nx.test=fail",
            "metadata.test=169.254.169.254",
            f"rebind.test={HOSTS['main']}|{CANARY_HOST}",
        ])

    def publish(self, path: str, body: bytes | str, content_type: str = "application/xml") -> str:
        """Serve ``body`` at ``path`` (under /feeds/ or /sitemaps/) on the main host; its URL."""
        self.listings[path] = (content_type, body.encode("utf-8") if isinstance(body, str) else body)
        return self.base("main") + path

    def listing(self, path: str) -> tuple[str, bytes] | None:
        return self.listings.get(path)


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


# --- Listings --------------------------------------------------------------------


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rss(urls: list[str], *, title: str = "Fault feed", date: str = "Sat, 01 Mar 2025 10:00:00 +0000") -> str:
    items = "".join(f"<item><title>Item {i}</title><link>{_xml(u)}</link><pubDate>{date}</pubDate></item>"
                    for i, u in enumerate(urls))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>faults</description>{items}</channel></rss>")


def billion_laughs() -> str:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    return ('<?xml version="1.0"?><!DOCTYPE rss [' + "".join(entities) + ']><rss version="2.0"><channel>'
            "<title>&lol9;</title><item><title>&lol9;</title><link>http://laughs.nx.test/a</link></item>"
            "</channel></rss>")


def xxe_feed(canary_file: str, link: str) -> str:
    return (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{canary_file}">]>'
            '<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title>'
            f"<description>&xxe;</description><link>{_xml(link)}</link>"
            "<pubDate>Sat, 01 Mar 2025 10:00:00 +0000</pubDate></item></channel></rss>")


def xxe_sitemap(canary_file: str) -> str:
    return (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{canary_file}">]>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x.nx.test/&xxe;</loc>'
            "</url></urlset>")


def sitemap_index(urls: list[str]) -> str:
    items = "".join(f"<sitemap><loc>{_xml(u)}</loc></sitemap>" for u in urls)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'


def urlset(urls: list[str], *, lastmod: str = "2025-03-01") -> str:
    items = "".join(f"<url><loc>{_xml(u)}</loc><lastmod>{lastmod}</lastmod></url>" for u in urls)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'


def sitemap_gzip_bomb() -> bytes:
    """A ``.xml.gz`` sitemap (no Content-Encoding) that inflates to 64 MiB."""
    return bomb("gzip")


def main() -> None:  # pragma: no cover - manual use
    web = FaultWeb().start()
    for role in web.servers:
        print(role, web.base(role))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        web.stop()


if __name__ == "__main__":
    main()
