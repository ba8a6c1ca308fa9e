"""The APScheduler internal jobs/apscheduler_compat.py relies on still exists and behaves as it assumes."""

from __future__ import annotations

import inspect

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_PAUSED, STATE_RUNNING, STATE_STOPPED, BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from jobs.apscheduler_compat import RunningOnlyScheduler


def test_the_scheduler_loop_still_hands_due_jobs_over_in_process_jobs():
    """``BaseScheduler._process_jobs()``: no argument, returns the seconds to wait (or None); the loop calls it."""
    assert list(inspect.signature(BaseScheduler._process_jobs).parameters) == ["self"]
    assert "self._process_jobs()" in inspect.getsource(BlockingScheduler._main_loop)
    assert issubclass(BackgroundScheduler, BlockingScheduler)


def test_a_scheduler_that_is_not_running_hands_nothing_over(monkeypatch):
    handed: list[int] = []
    monkeypatch.setattr(BackgroundScheduler, "_process_jobs", lambda self: handed.append(self.state) or 5.0)
    scheduler = RunningOnlyScheduler()
    for state in (STATE_STOPPED, STATE_PAUSED):  # shut down (its loop woken once more), or paused
        scheduler.state = state
        assert scheduler._process_jobs() is None
    assert handed == []
    scheduler.state = STATE_RUNNING
    assert scheduler._process_jobs() == 5.0 and handed == [STATE_RUNNING]
