"""A small simulated machine: a cgroup v1 ``cpu`` group with a CPU quota, for the benchmarks.

    box = CpuBox("scaleout-w1", cores=0.35)
    subprocess.Popen([...], preexec_fn=box.enter)   # the process and all it forks
    ... box.usage() ...
    box.remove()

``cores`` is ``cpu.cfs_quota_us / cpu.cfs_period_us``: the group never gets
more CPU than that, however idle the machine. ``shares`` (``cpu.shares``,
1024 by default) is its weight against the machine's other tasks when the
machine is busy: a shared machine's other jobs would otherwise take part of
the quota and the bench would measure them, not the quota. A quota caps
the group whatever its weight, so a high weight never takes more than the
quota from the others. Needs root and the cgroup v1 cpu controller.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path("/sys/fs/cgroup/cpu")
PERIOD_US = 100_000


def available() -> str | None:
    """None when boxes can be made here, else why not."""
    if os.geteuid() != 0:
        return "needs root (cgroup v1 cpu controller)"
    if not (ROOT / "cpu.cfs_quota_us").exists():
        return f"no cgroup v1 cpu controller at {ROOT}"
    return None


class CpuBox:
    def __init__(self, name: str, *, cores: float | None, shares: int = 1024):
        self.path = ROOT / name
        self.path.mkdir(exist_ok=True)
        self._write("cpu.cfs_period_us", PERIOD_US)
        self._write("cpu.cfs_quota_us", -1 if cores is None else int(cores * PERIOD_US))
        self._write("cpu.shares", shares)
        self.cores = cores
        self._base = self.throttling()

    def _write(self, name: str, value: int | str) -> None:
        (self.path / name).write_text(f"{value}\n")

    def enter(self, pid: int | None = None) -> None:
        """Move ``pid`` (default: the calling process, e.g. as ``preexec_fn``) into the box."""
        self._write("cgroup.procs", pid or os.getpid())

    def pids(self) -> list[int]:
        try:
            return [int(x) for x in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def throttling(self) -> tuple[int, int, float]:
        """(CFS periods with runnable tasks, periods throttled, seconds throttled) since the box was made."""
        stat = dict(line.split() for line in (self.path / "cpu.stat").read_text().splitlines() if line.strip())
        return int(stat.get("nr_periods", 0)), int(stat.get("nr_throttled", 0)), int(stat.get("throttled_time", 0)) / 1e9

    def reset(self) -> None:
        """Count throttling from now on."""
        self._base = self.throttling()

    def throttled(self) -> dict[str, float]:
        periods, throttled, seconds = self.throttling()
        periods -= self._base[0]
        throttled -= self._base[1]
        return {"periods": periods, "throttled_share": round(throttled / periods, 3) if periods else 0.0,
                "throttled_s": round(seconds - self._base[2], 2)}

    def remove(self) -> None:
        """Move what is left to the root group, then remove the box."""
        for pid in self.pids():
            try:
                (ROOT / "cgroup.procs").write_text(f"{pid}\n")
            except OSError:
                pass
        try:
            self.path.rmdir()
        except OSError:
            pass
