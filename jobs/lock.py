"""The files a scheduler keeps next to its store, and the lock that allows one scheduler per store."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import TextIO

from storage import StorageError


def job_store_path(db: str) -> Path:
    path = Path(db)
    return path.with_name(f"{path.stem}-jobs.sqlite")


def lock_path(db: str) -> Path:
    return Path(db).with_name(Path(db).name + ".scheduler.lock")


def acquire_lock(db: str) -> TextIO:
    """One scheduler per database: an exclusive lock the kernel frees even after a crash.

    A lock that cannot be written (read-only folder, a file where the folder
    should be) is a StorageError: the store beside it could not be written either.
    """
    path = lock_path(db)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")  # noqa: SIM115 (held for the process's life)
    except OSError as exc:
        raise StorageError(f"{db}: cannot write the scheduler's lock {path}: {exc.strerror or exc}; "
                           "the store's folder must be writable (or choose another store with --db)") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip()
        handle.close()
        raise SystemExit(f"scheduler.py: another scheduler is already running on {db}"
                         f"{f' (pid {pid})' if pid else ''}; lock {path}") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def lock_holder(db: str) -> str | None:
    """The pid of the scheduler running on ``db``, or None."""
    path = lock_path(db)
    if not path.exists():
        return None
    try:
        with open(path) as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return handle.read().strip() or "?"
            fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:  # unreadable: nobody we can see holds it
        return None
    return None
