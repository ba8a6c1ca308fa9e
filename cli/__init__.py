"""The installed ``monitor`` command (click): init, crawl, run, status, browse, report, export, digest."""
