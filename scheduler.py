#!/usr/bin/env python
"""Run the monitor's crawls on a schedule, unattended (the code is in jobs/; `monitor run` is the same).

    python scheduler.py            # daemon in the foreground: every source at its `every`
    python scheduler.py --once     # every spider once over every source, a summary table, then exit
    python scheduler.py --status   # every job: next run, last run, its outcome and counts
"""

import sys

from jobs.command import main

# run_job too: job stores written before the daemon moved to jobs/daemon.py name "scheduler:run_job".
from jobs.daemon import run_job  # noqa: F401

if __name__ == "__main__":
    sys.exit(main())
