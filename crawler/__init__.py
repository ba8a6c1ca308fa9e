"""Scrapy side of the monitor: settings, items, sources config, spiders, middlewares."""
