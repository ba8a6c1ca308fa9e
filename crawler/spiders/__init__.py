"""Spiders: ``feeds`` (RSS, Atom, RDF, JSON Feed) and ``sitemaps`` (news sitemaps, indexes, robots.txt).

Run one source with ``scrapy crawl feeds -a source=NAME``; without ``source``
every enabled source of the config is crawled.
"""
