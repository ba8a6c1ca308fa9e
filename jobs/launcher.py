"""Start crawl jobs from a warm process: the standard library's forkserver, with Scrapy and our modules preloaded.

A scheduler job that finds nothing new lasts about a second, and most of it
was ``python -m scrapy job`` starting: the interpreter, then some 1,500
modules (Twisted, Scrapy, lxml, sqlite-utils and numpy, feedparser, ours).
The scheduler's ``multiprocessing`` forkserver imports them once
(``set_forkserver_preload``: the scheduler's main module, then
:mod:`jobs.warm`), and every job is a :class:`multiprocessing.Process`
forked from it. Each job is still its own process: its
own reactor, its own memory, its own session and process group; a job that
crashes or leaks takes only itself down, and the forkserver never runs a
crawl. ``bench/launch.py`` measures it: ``scrapy list`` ends in about
0.08 s forked, against 0.05 s from the home-made fork server this replaced
and 0.5-3 s as a new process.

What a forked job gets, so that it behaves as ``python -m scrapy job`` would
(:func:`_job`): the environment, working directory and arguments the runner
asked for (``crawler.settings``, which reads the environment when imported,
is imported anew); stdout and stderr on the pipe the runner reads, stdin on
/dev/null; a session of its own (``os.setsid``), default signal handlers;
no Twisted reactor (none is installed by the preload).

What the standard library leaves to us (:class:`Launcher`,
:class:`LaunchedProcess`):

- it reports a job's exit status through the forkserver, which is the jobs'
  parent; if the forkserver dies, every job it forked reads as ended (255)
  though it may still run: such a job is watched until it ends, its status
  unknown (1), as a job whose launcher died always was;
- reading that status is not thread safe (two threads may both read the
  status pipe, and the second reads 255): the runner waits from many
  threads, so every start and status read holds one lock;
- the forkserver says nothing of its process id, its readiness or what
  failed to preload: a first job (a probe printing its parent's pid) tells
  the first two, :mod:`jobs.warm` prints the third on stderr;
- there is one forkserver per process, with the preload set before it
  starts: the scheduler's process uses it for jobs only;
- the forkserver imports the scheduler's main module (``scheduler.py``, the
  ``monitor`` script): entry points keep their ``if __name__ == "__main__"``.

If the forkserver cannot start, jobs start the old way, as new processes
(jobs/runner.py), and it is tried again ten minutes later.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RETRY_AFTER = 600.0  # seconds before trying again to start a forkserver that did not start
START_TIMEOUT = 60.0
# The forkserver imports the scheduler's main module (so that a job need not), then this.
FORKSERVER_PRELOAD = ["__main__", "jobs.warm"]

PRELOAD = (
    "scrapy.cmdline", "scrapy.crawler", "scrapy.core.engine", "scrapy.core.scraper", "scrapy.pqueues",
    "scrapy.squeues", "scrapy.robotstxt", "scrapy.statscollectors", "scrapy.core.downloader.handlers.http11",
    "twisted.internet.asyncioreactor", "itemadapter", "protego", "sqlite_utils", "feedparser", "lxml.html",
    "numpy.random", "multiprocessing.forkserver", "multiprocessing.connection", "difflib", "resource",
    "encodings.cp1252", "encodings.charmap", "encodings.utf_8_sig", "xml.sax.expatreader",
)
# Settings whose keys are the import paths of the components a crawl builds...
COMPONENT_TABLES = ("DOWNLOADER_MIDDLEWARES_BASE", "SPIDER_MIDDLEWARES_BASE", "EXTENSIONS_BASE",
                    "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS", "ITEM_PIPELINES", "ADDONS")
# ... whose values are: download handlers, and single classes.
COMPONENT_VALUES = ("DOWNLOAD_HANDLERS_BASE", "DOWNLOAD_HANDLERS")
COMPONENT_PATHS = ("DUPEFILTER_CLASS", "LOG_FORMATTER", "TWISTED_DNS_RESOLVER", "SCHEDULER")
# Read from the environment when imported: always imported anew by the job.
FRESH = ("crawler.settings",)


class LaunchError(Exception):
    """The launcher cannot start a job (its forkserver did not start, or it died)."""


# ---------------------------------------------------------------- in the forkserver


def preload() -> list[str]:
    """Import what a job imports: the modules above, our commands and spiders, every component our
    settings name; what failed to import, and why."""
    from scrapy.settings import Settings
    from scrapy.utils.misc import load_object, walk_modules_iter

    failed = []
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception as exc:  # the job will meet it again and report it
            failed.append(f"{name}: {exc}")
    settings = Settings()  # Scrapy's defaults, then ours, as a job reads them
    try:
        settings.setmodule("crawler.settings", priority="project")
    except Exception as exc:
        failed.append(f"crawler.settings: {exc}")
    # scrapy.cmdline imports every command to list them; the spider loader every spider module.
    packages = ["scrapy.commands", settings.get("COMMANDS_MODULE") or "", *settings.getlist("SPIDER_MODULES")]
    components = [*(path for table in COMPONENT_TABLES for path in settings.getdict(table)),
                  *(path for table in COMPONENT_VALUES for path in settings.getdict(table).values() if path),
                  *(settings.get(name) for name in COMPONENT_PATHS)]
    for package in filter(None, packages):
        try:
            list(walk_modules_iter(package))
        except Exception as exc:
            failed.append(f"{package}: {exc}")
    for path in filter(None, components):
        try:
            load_object(path)
        except Exception as exc:
            failed.append(f"{path}: {exc}")
    for name in FRESH:
        sys.modules.pop(name, None)
    return failed



def _job(argv: list[str], env: dict[str, str], cwd: str, out: Connection) -> None:
    """A job's body, forked from the forkserver: become ``python *argv`` in its own session."""
    os.setsid()
    for signum in (signal.SIGTERM, signal.SIGUSR1, signal.SIGCHLD):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(out.fileno(), 1)
    os.dup2(out.fileno(), 2)
    out.close()
    for stream in (sys.stdout, sys.stderr):  # the forkserver's buffering is not the job's
        stream.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.exit(_run(argv))


def _run(argv: list[str]) -> int:
    """Run ``python -m module args`` or ``python -c code args`` in this process; its exit status."""
    import runpy

    try:
        if argv[0] == "-m":
            sys.argv = [argv[1], *argv[2:]]
            runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = ["-c", *argv[2:]]
            exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102 - our own runner's code
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return 1
    return 0



# ---------------------------------------------------------------- the runner's side

_status = threading.Lock()  # multiprocessing reads a forkserver child's status without one


class LaunchedProcess:
    """A job forked from the forkserver, seen as a :class:`subprocess.Popen` (what jobs/runner.py uses of it)."""

    def __init__(self, process: BaseProcess, args: list[str], stdout: Any, server: int | None = None):
        assert process.pid is not None
        self.pid: int = process.pid
        self.args = args
        self.stdout = stdout
        self.returncode: int | None = None
        self._process = process
        self._orphan = False
        self._server = server  # the forkserver's pid, which reports our exit status

    def poll(self) -> int | None:
        if self.returncode is None and (self._orphan or wait([self._process.sentinel], 0)):
            self._settle()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if self._orphan:  # not our child, nor the forkserver's any more: poll
                if not self._settle():
                    if left == 0:
                        raise subprocess.TimeoutExpired(self.args, timeout or 0)
                    time.sleep(0.2 if left is None else min(0.2, left))
                continue
            if not wait([self._process.sentinel], left):
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            self._settle()
        return self.returncode

    def _settle(self) -> bool:
        """Read the exit status once the status pipe says so; whether the job has ended."""
        if not self._orphan:
            with _status:
                self._process.join(0)
                code = self._process.exitcode
            if code is None:
                return False
            if code != 255 or self._server is None or _runs(self._server):
                self.returncode = code
                return True
            # 255 is also what multiprocessing says when the forkserver died (its status pipe
            # closed): the job may run on, and its status is lost.
            logger.warning("launcher died while job %s ran; its exit status will be unknown", self.pid)
            self._orphan = True
        if _runs(self.pid):
            return False
        self.returncode = 1
        return True


class Launcher:
    """The runner's handle on the forkserver its jobs are forked from, started on first use; thread safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("forkserver")
        self._pid: int | None = None
        self._failed: tuple[float, str] | None = None  # when and why the last start failed

    @property
    def pid(self) -> int | None:
        """The forkserver's process id, while it runs."""
        return self._pid if self._pid is not None and _runs(self._pid) else None

    def start(self) -> None:
        """Start the forkserver and wait until it has imported everything (raises LaunchError)."""
        with self._lock:
            self._start()

    def _start(self) -> None:
        if self.pid is not None:
            return
        if self._failed and time.monotonic() - self._failed[0] < RETRY_AFTER:
            raise LaunchError(self._failed[1])
        started = time.monotonic()
        self._context.set_forkserver_preload(FORKSERVER_PRELOAD)
        # numpy's BLAS would start a thread per core in the forkserver, for nothing.
        blas = os.environ.get("OPENBLAS_NUM_THREADS")
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
        try:  # the first job waits for the preload; it prints its parent, the forkserver
            probe = self._fork(["-c", "import os; print(os.getppid())"], PROJECT_ROOT, dict(os.environ))
        except LaunchError as exc:
            self._failed = (time.monotonic(), str(exc))
            _forget_forkserver()
            raise
        finally:
            if blas is None:
                os.environ.pop("OPENBLAS_NUM_THREADS", None)
            else:
                os.environ["OPENBLAS_NUM_THREADS"] = blas
        with probe.stdout:
            said = probe.stdout.read().strip()
        if probe.wait(START_TIMEOUT) != 0 or not said.isdigit():
            self._failed = (time.monotonic(), f"the launcher did not start: {said[-500:]}")
            _forget_forkserver()
            raise LaunchError(self._failed[1])
        self._pid, self._failed = int(said), None
        logger.info("launcher %s ready in %.3fs", self._pid, time.monotonic() - started)

    def launch(self, argv: list[str], cwd: Path | str, env: dict[str, str]) -> LaunchedProcess:
        """Fork a job running ``python *argv``; its stdout and stderr are the returned process's ``stdout``."""
        if len(argv) < 2 or argv[0] not in ("-m", "-c"):
            raise LaunchError("a job needs argv ['-m', module, ...] or ['-c', code, ...]")
        with self._lock:
            self._start()  # again if the forkserver died
        return self._fork(argv, cwd, env)

    def _fork(self, argv: list[str], cwd: Path | str, env: dict[str, str]) -> LaunchedProcess:
        read_fd, write_fd = os.pipe()
        out = Connection(write_fd, readable=False)  # passed to the job as a descriptor of its own
        process = self._context.Process(target=_job, args=(list(argv), dict(env), str(cwd), out),
                                        name="monitor-job")
        try:
            with _status:  # start() polls every child's status
                process.start()
        except (OSError, EOFError) as exc:
            os.close(read_fd)
            raise LaunchError(f"cannot start the launcher: {exc}") from exc
        finally:
            out.close()
        return LaunchedProcess(process, [sys.executable, *argv],
                               os.fdopen(read_fd, "r", encoding="utf-8", errors="replace"), server=self._pid)

    def close(self) -> None:
        """Nothing to stop: the forkserver ends with this process (and the jobs still running)."""


def _forget_forkserver() -> None:
    """Let the next start spawn a forkserver of its own: after a failed start, the standard library still
    counts the one it spawned (perhaps a child still on its way to a failed exec) as running and would
    connect to it again (connection refused). Its own way to stop one (``_stop``, which its tests use)
    asks it to end and waits for it."""
    from multiprocessing import forkserver

    with contextlib.suppress(AttributeError, OSError):  # ChildProcessError: reaped already
        forkserver._forkserver._stop()  # type: ignore[attr-defined]


def _runs(pid: int) -> bool:
    """Whether the process runs (a zombie nobody reaps does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


_launcher = Launcher()


def launcher() -> Launcher:
    """The process's launcher (one per scheduler)."""
    return _launcher
