"""Imported once, by the launcher's forkserver only (jobs/launcher.py): what every crawl job imports.

Its import is the preloading: Scrapy's internals, our commands and spiders,
every component our settings name. A module that fails to import is named
on stderr (the scheduler's) and left to the job, which imports it itself
and says what is wrong.
"""

from __future__ import annotations

import signal
import sys

from jobs.launcher import preload

# A SIGTERM to the scheduler's process group is the scheduler's to handle: it stops
# its jobs, then exits, and the forkserver ends with it. Jobs get the default back.
signal.signal(signal.SIGTERM, signal.SIG_IGN)
for problem in preload():
    print(f"launcher: could not preload {problem}", file=sys.stderr, flush=True)
