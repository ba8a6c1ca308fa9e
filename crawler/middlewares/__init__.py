"""Downloader middlewares, one per module (as Scrapy lays out its own)."""
