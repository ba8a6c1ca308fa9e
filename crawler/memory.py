"""Give the memory of large, short-lived buffers back to the system (glibc only).

A crawl handles thousands of pages of 100 kB to a few MB, each decoded,
pickled for a worker and freed. glibc serves such blocks from ``mmap`` at
first, then raises its threshold and serves them from the heap, where the
holes they leave stay mapped; and each thread that allocates (the pool's
feeder threads) gets an arena of its own. Fixing the threshold at 128 kB and
the arenas at two keeps the crawl process about 20 MB smaller on
``bench/throughput.py`` for no measurable CPU. Elsewhere than glibc this does
nothing.
"""

from __future__ import annotations

import ctypes
import logging
from typing import Any

logger = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # from glibc's malloc.h
M_ARENA_MAX = -8
MMAP_THRESHOLD = 128 * 1024
ARENAS = 2


def return_large_buffers() -> bool:
    """Set glibc's allocator as above; False when the C library is not glibc."""
    try:  # the process's own symbols: the C library it runs on, without find_library's ldconfig subprocess
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_ARENA_MAX, ARENAS))


class AllocatorTuning:
    """Extension: applies :func:`return_large_buffers` as the crawl starts."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> AllocatorTuning:
        if not return_large_buffers():
            logger.debug("allocator left as it is (not glibc)")
        return cls()
