"""Warm the worker processes up once, in the forkserver, before any worker is forked.

Importing this module reads one small page, so that everything trafilatura,
htmldate, dateparser and jusText load or compile lazily on first use
(stoplists, per-locale date regexes) is done once, in the forkserver, and
shared by every forked worker (copy on write) instead of being redone, and
held, by each. Workers do not detect languages (:mod:`pipelines.language`). Only the crawl's
forkserver imports it (``pipelines.pool.PRELOAD``).
"""

from __future__ import annotations

import gc
import sys
from types import TracebackType

from pipelines.extract import read_page

_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Warm-up page</title><meta property="og:type" content="article">
<meta name="author" content="Warm Up"><meta property="article:published_time" content="2025-02-03T10:00:00Z">
</head><body><article><h1>Warm-up page</h1><p class="date">Published 3 February 2025, 10:00</p>
<p>This page is read once by the forkserver of the crawl's worker pool, so that the extraction and
date-parsing code it runs is loaded and compiled before any worker process is forked.</p>
<p>Diese Seite wird einmal gelesen, damit die Datumserkennung ihre Tabellen lädt, am 3. Februar 2025.</p>
<p>Cette page est lue une fois, le 3 février 2025, pour que tout soit prêt avant le premier article.</p>
</article></body></html>"""


def _one_line(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """How the forkserver reports a worker that failed before it started (most often the crawl closing
    its pool while the worker was being forked): one line in the crawl's log, not a traceback; the
    pool fails the page it was for with a reason."""
    sys.stderr.write(f"extraction worker ended before it started: {kind.__name__}: {value}\n")


def warm_up() -> None:
    read_page(_PAGE, "http://warm-up.invalid/2025/02/03/page.html")
    # trafilatura's second opinion (on pages that look thin) builds jusText's stoplist of every
    # language on first use and imports lxml.sax: tens of ms per new worker, paid here once instead.
    import lxml.sax  # noqa: F401
    from trafilatura.external import jt_stoplist_init

    jt_stoplist_init()


# The forkserver hands a failure of a child it just forked to sys.excepthook.
sys.excepthook = _one_line
warm_up()
# What the forkserver holds now (modules, stoplists, compiled patterns)
# is moved out of the garbage collector's sight: a collection in a forked worker
# would otherwise write to every object's header and copy the page it is on.
gc.freeze()
