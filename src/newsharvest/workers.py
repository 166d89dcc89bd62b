"""Extraction in worker processes, each page under a time and a memory budget.

Extraction is CPU work in Python and C (lexbor, regular expressions); run on the event
loop, one long page would stop fetching for every host, and nothing could stop it. So the
harvest sends each page to a small pool of worker processes (one per CPU) and awaits the
outcome, and WARC ingest sends each record to one worker of its own:

* a page that takes longer than its budget is answered with a `timeout` failure at once;
  the worker busy with it is killed and a fresh one takes its place, so no other page
  waits and nothing else is lost;
* a worker may use a capped amount of memory (RLIMIT_AS); a page that needs more fails
  as `too-large` (MemoryError inside the worker), and a worker that dies (a crash in C
  code, a signal) fails its page as `crash`; either way only that page;
* workers start lazily, forked with the extractor already imported and warm (from this
  process when it has no other thread, else from multiprocessing's fork server), so a
  worker costs milliseconds after the first (a few seconds, once per process); where no
  worker can be started the pool runs pages in-process (inline), without a budget, and
  says so in the log.

Pages travel as a `PageJob` (the bytes or text, URL, headers, fetch time, Source) and
come back as the Article or PageFailure of `page.extract_page`: plain picklable records.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from typing import Any

from .config import DEFAULT_PAGE_TIMEOUT
from .cpus import available_cpus
from .errors import PageBug, PageTimeout, PageTooLarge, WorkerCrashed
from .page import TOO_LARGE, PageFailure, PageResult, extract_page
from .records import Source

log = logging.getLogger(__name__)

PAGE_MEMORY = 2 << 30  # bytes of address space a worker may add to what it starts with
START_TIMEOUT = 60.0  # seconds a new worker may take to become ready


@dataclass(frozen=True, slots=True)
class PageJob:
    """One page to extract, as `page.extract_page` takes it."""

    content: bytes | str
    url: str
    source: Source | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    fetched_at: datetime | None = None

    def run(self) -> PageResult:
        return extract_page(self.content, self.url, source=self.source,
                            headers=self.headers, fetched_at=self.fetched_at)


def _context() -> BaseContext:
    """How to start a worker so that it starts warm, cheaply and safely.

    A single-threaded process (an ingest worker, a plain script) forks itself after
    warming its own caches once (_preload.py): the fastest start, and safe with no other
    thread. A threaded one (the harvest's event loop and its helpers) asks the fork
    server, which imported and warmed the extractor once; spawn where neither exists.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        import newsharvest._preload  # noqa: F401 - warms this process once

        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["newsharvest.workers", "newsharvest._preload"])
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - not on Linux


def _serve(conn: Connection, memory: int | None) -> None:
    """A worker's life: cap its memory, say it is ready, extract pages until the pipe
    closes (the parent is done, or gone)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle
    limit = _cap_memory(memory) if memory is not None else None
    # A forked worker may hold copies of pipe ends, so the pipe alone cannot tell it that
    # the parent died (kill -9): watch the parent's sentinel too, and leave with it.
    parent = multiprocessing.parent_process()
    watched: list[Connection | int] = [conn, parent.sentinel] if parent is not None else [conn]
    _close_inherited({0, 1, 2, conn.fileno(), *(w for w in watched if isinstance(w, int))})
    conn.send("ready")
    while True:
        try:
            if conn not in wait(watched):
                return
            job: PageJob = conn.recv()
        except (EOFError, OSError):
            return
        result = job.run()
        if (isinstance(result, PageFailure) and result.kind == PageBug.kind
                and limit is not None and _peak_memory() >= limit - (16 << 20)):
            # C code (lexbor) reports a failed allocation as its own error: at the cap,
            # that error is the page being too large, not a bug.
            result = PageFailure(job.url, PageTooLarge.kind, TOO_LARGE)
        conn.send(result)


def _close_inherited(keep: set[int]) -> None:
    """Close every file descriptor a forked worker inherited but does not use: above all
    the harvest's database lock (flock), which a worker outliving a killed harvest must
    not keep, and the other workers' pipes."""
    try:
        descriptors = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # pragma: no cover - no /proc: started by spawn, nothing inherited
        return
    for fd in descriptors:
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass  # the listing's own descriptor, closed already


def _cap_memory(extra: int) -> int | None:
    """Limit the address space to what the worker uses now plus `extra` bytes, so an
    allocation past it fails (a `too-large` failure) instead of swapping the machine;
    the limit set, or None where the OS has no such limit."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return limit
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux
        return None


def _peak_memory() -> int:
    """The most address space this process has held (VmPeak), in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return 0


class PageWorker:
    """One worker process and its pipe; `call` is blocking (run it in a thread)."""

    def __init__(self, context: BaseContext, memory: int | None) -> None:
        self.conn, child = context.Pipe()
        self.process: Any = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child, memory), daemon=True, name="newsharvest-page")
        self.process.start()
        child.close()
        self.job_url: str | None = None  # the page it is working on, if any
        try:
            ready = self.conn.poll(START_TIMEOUT) and self.conn.recv() == "ready"
        except EOFError:  # it died before saying so (not an OSError: catch it here)
            ready = False
        if not ready:
            self.stop()
            raise OSError("an extraction worker did not start")

    @property
    def alive(self) -> bool:
        return bool(self.process.is_alive()) and not self.conn.closed

    def call(self, job: PageJob, budget: float | None) -> PageResult:
        """The page's outcome; past `budget` seconds the worker is killed (and must be
        replaced) and the page fails as `timeout`."""
        self.job_url = job.url
        try:
            self.conn.send(job)
            if not self.conn.poll(budget):
                self.stop()
                return PageFailure(job.url, PageTimeout.kind,
                                   f"extraction took longer than {budget:g} s")
            result: PageResult = self.conn.recv()
            if isinstance(result, PageFailure) and result.kind == PageTooLarge.kind:
                self.stop()  # its memory is fragmented up to the cap: start afresh
            return result
        except (EOFError, OSError, BrokenPipeError):
            self.stop()
            code = self.process.exitcode
            how = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
            return PageFailure(job.url, WorkerCrashed.kind,
                               f"the extraction worker died ({how})")
        finally:
            self.job_url = None

    def stop(self) -> None:
        """Kill the process now (it holds nothing worth saving) and reap it."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _start_worker(memory: int | None) -> PageWorker | None:
    """A new worker, or None (logged) where none can start: the caller then runs pages
    in-process."""
    try:
        return PageWorker(_context(), memory)
    except (OSError, ValueError, RuntimeError, AssertionError) as exc:
        log.warning("no extraction worker (%s): pages run in-process, with no budget "
                    "(a script calling harvest needs `if __name__ == '__main__':`)", exc)
        return None


class PageRunner:
    """Pages one at a time through one worker, for a synchronous caller (WARC ingest).

    With `budget` None the pages run in-process: no worker, no budget.
    """

    def __init__(self, budget: float | None = DEFAULT_PAGE_TIMEOUT,
                 memory: int | None = PAGE_MEMORY) -> None:
        self.budget, self.memory = budget, memory
        self.worker: PageWorker | None = None
        self.inline = budget is None

    def run(self, job: PageJob) -> PageResult:
        if self.inline:
            return job.run()
        if self.worker is None or not self.worker.alive:
            self.worker = _start_worker(self.memory)
            if self.worker is None:
                self.inline = True
                return job.run()
        return self.worker.call(job, self.budget)

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def __enter__(self) -> PageRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ExtractionPool:
    """Up to `size` pages extracted at once in worker processes, for the event loop.

    `size` None: one worker per CPU; 0: in-process (a thread, no budget). Workers start
    when the first page arrives; `close` (or leaving `async with`) kills them.
    """

    def __init__(self, size: int | None = None, *, budget: float | None = DEFAULT_PAGE_TIMEOUT,
                 memory: int | None = PAGE_MEMORY) -> None:
        self.size = available_cpus() if size is None else max(0, size)
        self.budget, self.memory = budget, memory
        self.inline = self.size == 0
        self._idle: list[PageWorker] = []
        self._all: list[PageWorker] = []
        self._lock = threading.Lock()
        self._threads = ThreadPoolExecutor(max_workers=max(1, self.size),
                                           thread_name_prefix="newsharvest-page")
        self._slots: asyncio.Semaphore | None = None

    async def extract(self, job: PageJob) -> PageResult:
        """The page's outcome; the event loop keeps running meanwhile."""
        loop = asyncio.get_running_loop()
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, self.size))
            self._prestart()
        async with self._slots:
            return await loop.run_in_executor(self._threads, self._extract, job)

    def _prestart(self) -> None:
        """While this process has no other thread yet (a replay, a plain script), fork all
        workers at once from it: milliseconds each, no fork server to start. Otherwise
        they start one by one as pages arrive (see _context)."""
        if self.inline or threading.active_count() != 1:
            return
        started = []
        for _ in range(self.size):
            worker = self._take()
            if worker is None:
                break
            started.append(worker)
        for worker in started:
            self._give_back(worker)

    def _extract(self, job: PageJob) -> PageResult:
        if self.inline:
            return job.run()
        worker = self._take()
        if worker is None:
            return job.run()
        try:
            return worker.call(job, self.budget)
        finally:
            self._give_back(worker)

    def _take(self) -> PageWorker | None:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    return worker
        started = _start_worker(self.memory)
        if started is None:
            self.inline = True
            return None
        with self._lock:
            self._all.append(started)
        return started

    def _give_back(self, worker: PageWorker) -> None:
        with self._lock:
            if worker.alive:
                self._idle.append(worker)
            elif worker in self._all:  # killed over its budget or died: a fresh one
                self._all.remove(worker)  # starts when a page needs it

    def workers(self) -> list[PageWorker]:
        """The live workers (for tests and diagnostics)."""
        with self._lock:
            return [w for w in self._all if w.alive]

    def close(self) -> None:
        self._stop_all()
        self._threads.shutdown(wait=True)
        # A page thread cut off by cancellation may have started a worker while the
        # first stop ran (it lands in `_idle` once its call returns): stop those too.
        self._stop_all()

    def _stop_all(self) -> None:
        with self._lock:
            workers, self._all, self._idle = self._all, [], []
        for worker in workers:
            worker.stop()

    async def __aenter__(self) -> ExtractionPool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()
