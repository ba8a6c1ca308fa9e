"""The one APScheduler 3.x internal we use, where it has no public API for what we need.

:class:`RunningOnlyScheduler` overrides ``BaseScheduler._process_jobs``, the
step of the scheduler's loop that hands due jobs to their executor.
tests/test_apscheduler_compat.py checks it against the installed APScheduler
and fails, naming the internal, when an upgrade moves or changes it.
"""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING


class RunningOnlyScheduler(BackgroundScheduler):
    """APScheduler's background scheduler, which never submits a job unless running.

    Its loop checks for "paused" only; when ``shutdown()`` wakes it up after
    the executor is closed, it would otherwise still hand due jobs to the
    closed executor and advance their next run times in the job store.
    """

    def _process_jobs(self) -> float | None:
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()
