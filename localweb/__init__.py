"""localweb: the bundled local news web used by end-to-end tests and the offline demo.

Eight fictional news outlets, each served by its own ``ThreadingHTTPServer`` on its own
loopback address (127.0.0.2 ... 127.0.0.9), publish robots.txt, a sitemap index and a
Google News sitemap, one feed (RSS 2.0, Atom 1.0, RSS 1.0/RDF or JSON Feed 1.1), a home
page, a ``/tech/`` section page and 65 hand-written articles in seven languages about
one followed story (what AI leaders said about DeepSeek, early 2025) and unrelated news.

The articles are data, one file each in ``localweb/articles/<outlet>/<slug>.md`` (TOML
front matter, then the paragraphs; see the README there), read by ``localweb.pages``.
Every page carries its ground truth (``localweb.site.PAGES``: ``expect``, ``dup_group``,
``in_feed``, ``in_sitemap``) so a crawl can be scored. Start it with
``python -m localweb --sources-out sources.toml`` or ``localweb.server.start()``.
"""

from __future__ import annotations
