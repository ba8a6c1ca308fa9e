"""What the benchmarks read of a process in /proc: its parent and the CPU it has used."""

from __future__ import annotations

import os
import threading
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_stat(pid: int | str) -> tuple[int, float] | None:
    """(parent pid, CPU seconds used so far: user + system) of a live process; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            data = handle.read()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()  # after "pid (comm) "
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_cpu() -> tuple[float, float]:
    """(CPU seconds used by every process on the machine, seconds some task waited for a CPU) so far.

    The machine is shared: what others run shows as the difference between
    this and what our processes used; the second figure (Linux pressure
    stall information, 0 when absent) says how long runnable tasks queued.
    """
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
    stalled = 0.0
    try:
        with open("/proc/pressure/cpu", encoding="ascii") as handle:
            stalled = int(handle.readline().rsplit("total=", 1)[1]) / 1e6
    except (OSError, IndexError, ValueError):
        pass
    return busy / CLOCK_TICKS, stalled


def _cmdline(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class CpuMeter:
    """CPU seconds per process role over a window, by sampling /proc every 0.1 s.

    ``roots`` maps a pid to its role; a descendant of a ``worker`` root is
    named ``<root>/extract`` (a process of the extraction pool),
    ``<root>/forkserver`` or ``<root>/other``, the root itself ``<root>/crawl``.
    A process alive at ``start()`` counts from its CPU then, one born later
    from zero, one that dies from its last sample (at most 0.1 s lost).
    """

    def __init__(self, roots: dict[int, str], workers: set[int]):
        self.roots, self.workers = roots, workers
        self.base: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.role: dict[str, str] = {}
        self.own = 0.0  # CPU of the sampling thread itself (in the bench's process)
        self.started = self.seconds = 0.0
        self.machine = (0.0, 0.0)  # after stop(): machine CPU seconds and CPU stall seconds over the window
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _role(self, pid: str, parents: dict[str, int]) -> str | None:
        path = [pid]  # pid, its parent, ... up to the nearest root
        while int(path[-1]) not in self.roots:
            parent = str(parents.get(path[-1], 0))
            if parent == "0" or len(path) > 50:
                return None
            path.append(parent)
        root = int(path[-1])
        if len(path) == 1:
            return f"{self.roots[root]}/crawl" if root in self.workers else self.roots[root]
        if root not in self.workers:
            return None
        # Forked from the forkserver, an extraction process shares its command line.
        if len(path) == 3 and "forkserver" in _cmdline(path[1]):
            return f"{self.roots[root]}/extract"
        if len(path) == 2 and "forkserver" in _cmdline(pid):
            return f"{self.roots[root]}/forkserver"
        return f"{self.roots[root]}/other"

    def sample(self, first: bool = False) -> None:
        stats = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                stat = process_stat(name)
                if stat is not None:
                    stats[name] = stat
        parents = {pid: stat[0] for pid, stat in stats.items()}
        for pid, (_, cpu) in stats.items():
            if pid not in self.role:
                role = self._role(pid, parents)
                if role is None:
                    if first:
                        self.role[pid] = ""  # not ours (the machine is shared)
                    continue
                self.role[pid] = role
                self.base[pid] = cpu if first else 0.0
            if self.role[pid]:
                self.last[pid] = cpu

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.sample()
        self.own = time.thread_time()

    def start(self) -> None:
        self._machine = machine_cpu()
        self.sample(first=True)
        self.started = time.monotonic()
        self._thread.start()

    def stop(self) -> dict[str, float]:
        """CPU seconds per role since start()."""
        self._stop.set()
        self._thread.join()
        self.sample()
        self.seconds = time.monotonic() - self.started
        busy, stalled = machine_cpu()
        self.machine = (busy - self._machine[0], stalled - self._machine[1])
        used: dict[str, float] = {}
        for pid, role in self.role.items():
            if role:
                used[role] = used.get(role, 0.0) + self.last[pid] - self.base[pid]
        return used
