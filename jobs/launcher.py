"""Start crawl jobs from a warm process: forked from it, with Python, Scrapy and our modules already imported.

A scheduler job that finds nothing new lasts about a second, and most of it
was ``python -m scrapy job`` starting: the interpreter, then some 1,500
modules (Twisted, Scrapy, lxml, sqlite-utils and numpy, feedparser, ours).
The launcher imports them once, in a process of its own, and forks every
job from it. Each job is still its own process, as DESIGN.md wants: its own
reactor, its own memory, its own process group; a job that crashes or
leaks takes only itself down, and the launcher never runs a crawl.

What a forked job gets, so that it behaves as ``python -m scrapy job`` would:

- the environment, working directory and arguments the runner asked for;
  ``crawler.settings`` (which reads the environment when it is imported) is
  never kept from the launcher, the job imports it anew;
- stdout and stderr on the pipe the runner passed, stdin on /dev/null;
- a session of its own (``start_new_session``), default signal handlers;
- no Twisted reactor: the launcher imports the reactor's module but never
  installs one (it refuses to serve if something did).

The launcher tells the runner each job's process id, and its exit status
when it ends (it is the jobs' parent). It ends when the runner closes the
socket (the scheduler exited). If it cannot start, or dies, the runner
starts jobs the old way, as new processes (jobs/runner.py).

Protocol: a ``SOCK_SEQPACKET`` Unix socket pair; one JSON message a packet.
The runner sends ``{"argv", "env", "cwd"}`` with the job's output pipe as an
attached file descriptor; the launcher answers ``{"pid"}`` or ``{"error"}``,
and later ``{"exited": pid, "code": status}``. ``argv`` is what would follow
``python``: ``["-m", "scrapy", "job", ...]`` or ``["-c", code, ...]``.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAX_MESSAGE = 1 << 20
START_TIMEOUT = 60.0
RETRY_AFTER = 600.0  # seconds before trying again to start a launcher that did not start
# Modules a job imports that no setting names: Scrapy's internals and what the crawl imports
# when first needed. Each failure to import is reported by the launcher and left to the job
# (which then imports it itself, and says what is wrong).
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
    """The launcher cannot start a job (it did not start, or it died)."""


# ---------------------------------------------------------------- the launcher process


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


def serve(sock: socket.socket) -> int:
    """The launcher's loop: fork a job for each request, report each job's end; return at EOF."""
    # Ctrl-C and a SIGTERM to the scheduler's process group are the scheduler's to handle: it lets
    # its jobs finish or stops them, then closes the socket, and the launcher ends at that EOF.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    jobs: set[int] = set()
    while True:
        for key, _ in selector.select():
            if key.fileobj == wake_r:
                while True:
                    try:
                        if not os.read(wake_r, 4096):
                            break
                    except BlockingIOError:
                        break
                continue
            data, fds, _, _ = socket.recv_fds(sock, MAX_MESSAGE, 1)
            if not data:
                return 0
            try:
                pid = _fork_job(json.loads(data), fds, sock, selector, (wake_r, wake_w))
            except Exception as exc:
                _send(sock, {"error": f"{type(exc).__name__}: {exc}"})
            else:
                jobs.add(pid)
                _send(sock, {"pid": pid})
            finally:
                for fd in fds:
                    os.close(fd)
        while jobs:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            jobs.discard(pid)
            _send(sock, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def _send(sock: socket.socket, message: dict[str, Any]) -> None:
    try:
        sock.send(json.dumps(message).encode())
    except OSError:
        pass  # the runner is gone; EOF ends the loop


def _fork_job(request: dict[str, Any], fds: list[int], sock: socket.socket,
              selector: selectors.BaseSelector, wake: tuple[int, int]) -> int:
    argv, env, cwd = list(request["argv"]), dict(request["env"]), str(request["cwd"])
    if len(argv) < 2 or argv[0] not in ("-m", "-c") or len(fds) != 1:
        raise ValueError("a request needs argv ['-m', module, ...] or ['-c', code, ...] and one output pipe")
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:  # the job: never returns into the launcher's loop
        os.setsid()
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGUSR1):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        selector.close()
        sock.close()
        for fd in wake:
            os.close(fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.dup2(fds[0], 1)
        os.dup2(fds[0], 2)
        os.close(fds[0])
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        code = _run(argv)
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)
    return 0  # not reached


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


def main() -> int:
    """``python -m jobs.launcher FD``: preload, say ready on socket FD, serve until it closes."""
    sock = socket.socket(fileno=int(sys.argv[1]))
    started = time.monotonic()
    failed = preload()
    if "twisted.internet.reactor" in sys.modules:  # a reactor installed here would be every job's
        _send(sock, {"error": "a preloaded module installed a Twisted reactor"})
        return 1
    _send(sock, {"ready": round(time.monotonic() - started, 3), "failed": failed})
    return serve(sock)


# ---------------------------------------------------------------- the runner's side


class LaunchedProcess:
    """A job forked by the launcher, seen as a :class:`subprocess.Popen` (what jobs/runner.py uses of it)."""

    def __init__(self, pid: int, args: list[str], stdout: Any):
        self.pid = pid
        self.args = args
        self.stdout = stdout
        self.returncode: int | None = None
        self._ended = threading.Event()

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if not self._ended.wait(timeout):
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        assert self.returncode is not None
        return self.returncode

    def _end(self, code: int) -> None:
        self.returncode = code
        self._ended.set()


class Launcher:
    """The runner's handle on one launcher process, started on first use; thread safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._replies: list[dict[str, Any]] = []
        self._reply = threading.Condition()
        self._jobs: dict[int, LaunchedProcess] = {}
        self._dead = True
        self._failed: tuple[float, str] | None = None  # when and why the last start failed

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process and not self._dead else None

    def start(self) -> None:
        """Start the launcher and wait until it has imported everything (raises LaunchError)."""
        with self._lock:
            self._start()

    def _start(self) -> None:
        if not self._dead:
            return
        self._close()  # what is left of a launcher that died
        if self._failed and time.monotonic() - self._failed[0] < RETRY_AFTER:
            raise LaunchError(self._failed[1])
        try:
            self._spawn()
        except LaunchError as exc:
            self._failed = (time.monotonic(), str(exc))
            raise
        self._failed = None

    def _spawn(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            process = subprocess.Popen([sys.executable, "-m", "jobs.launcher", str(theirs.fileno())],
                                       cwd=PROJECT_ROOT, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL,
                                       env=dict(os.environ, PYTHONUNBUFFERED="1", OPENBLAS_NUM_THREADS="1"))
        except OSError as exc:
            ours.close()
            raise LaunchError(f"cannot start the launcher: {exc}") from exc
        finally:
            theirs.close()
        self._process, self._sock, self._dead = process, ours, False
        self._replies.clear()
        threading.Thread(target=self._read, args=(ours, process), name="launcher-replies", daemon=True).start()
        ready = self._next_reply(START_TIMEOUT)
        if "ready" not in ready:
            self._close()
            raise LaunchError(f"the launcher did not start: {ready.get('error', ready)}")
        for problem in ready.get("failed", []):
            logger.warning("launcher: could not preload %s", problem)
        logger.info("launcher %s ready in %ss", process.pid, ready["ready"])

    def launch(self, argv: list[str], cwd: Path | str, env: dict[str, str]) -> LaunchedProcess:
        """Fork a job running ``python *argv``; its stdout and stderr are the returned process's ``stdout``."""
        with self._lock:
            self._start()
            assert self._sock is not None
            read_fd, write_fd = os.pipe()
            try:
                message = json.dumps({"argv": argv, "env": env, "cwd": str(cwd)}).encode()
                try:
                    socket.send_fds(self._sock, [message], [write_fd])
                except OSError as exc:
                    self._close()
                    raise LaunchError(f"the launcher is gone: {exc}") from exc
            finally:
                os.close(write_fd)
            try:
                reply = self._next_reply(START_TIMEOUT)
            except LaunchError:
                os.close(read_fd)
                self._close()  # dead, or hung: the next job gets a new launcher
                raise
            if "pid" not in reply:
                os.close(read_fd)
                raise LaunchError(f"the launcher could not start the job: {reply.get('error', reply)}")
            job = LaunchedProcess(reply["pid"], [sys.executable, *argv],
                                  os.fdopen(read_fd, "r", encoding="utf-8", errors="replace"))
            with self._reply:
                self._jobs[job.pid] = job
                early = [r for r in self._replies if r.get("exited") == job.pid]
                self._replies = [r for r in self._replies if r.get("exited") != job.pid]
                if early:
                    self._jobs.pop(job.pid)
            for r in early:
                job._end(r["code"])
            return job

    def close(self) -> None:
        """Stop the launcher (jobs it started go on, as jobs started as new processes would)."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._sock is not None:
            self._sock.close()  # the launcher sees EOF and exits
        if self._process is not None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._sock = self._process = None
        self._dead = True

    def _next_reply(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._reply:
            while True:
                for i, reply in enumerate(self._replies):
                    if "exited" not in reply:
                        return self._replies.pop(i)
                left = deadline - time.monotonic()
                if self._dead or left <= 0:
                    raise LaunchError("the launcher did not answer" if left <= 0 else "the launcher died")
                self._reply.wait(min(left, 0.5))

    def _read(self, sock: socket.socket, process: subprocess.Popen[bytes]) -> None:
        """Replies and job ends, until the launcher closes its end (it exited)."""
        while True:
            try:
                data = sock.recv(MAX_MESSAGE)
            except OSError:
                data = b""
            if not data:
                break
            message = json.loads(data)
            with self._reply:
                job = self._jobs.pop(message["exited"], None) if "exited" in message else None
                if job is None:
                    self._replies.append(message)
                self._reply.notify_all()
            if job is not None:
                job._end(message["code"])
        with self._reply:
            if self._process is process:
                self._dead = True
            orphans = list(self._jobs.values())
            self._jobs.clear()
            self._reply.notify_all()
        for job in orphans:
            threading.Thread(target=_watch_orphan, args=(job,), daemon=True).start()


def _watch_orphan(job: LaunchedProcess) -> None:
    """The launcher died before this job: wait for the job to end; its exit status is lost (1)."""
    logger.warning("launcher died while job %s ran; its exit status will be unknown", job.pid)
    while _runs(job.pid):
        time.sleep(0.2)
    job._end(1)


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


if __name__ == "__main__":
    sys.exit(main())
