"""Scrapy commands of the project (``COMMANDS_MODULE``): ``scrapy job``."""

# Scrapy imports this package when any command starts, with a short call
# stack. Its TLS context factory module builds deprecated aliases with
# ``inspect.stack()``, whose cost grows with the depth of the stack: imported
# later, from inside the running reactor (our download handler, through
# ``DOWNLOAD_HANDLERS``), it cost a crawl about a quarter of a second of CPU.
import scrapy.core.downloader.handlers.http11  # noqa: E402,F401
