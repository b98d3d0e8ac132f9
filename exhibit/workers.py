"""Spread pure work over all cores in forked processes, results in input order.

Why forked processes (``concurrent.futures.ProcessPoolExecutor`` with the
``fork`` context) rather than threads: Markdown, YAML composition and Jinja are
CPU-bound Python, so only processes use more than one core.  Fork lets a worker
read the module-level state its parent set up (settings, the model, compiled
templates) without pickling it, and lets ``fn`` be any callable, closures too:
the callable reaches each worker through its initializer, whose arguments a
forked process inherits rather than unpickles.

Why the extra care around the executor: a kiosk site is rebuilt by a 24/7
preview and by scripts that may be killed.  A worker must never outlive its
parent, so each worker asks Linux to SIGKILL it when the parent dies
(``PR_SET_PDEATHSIG`` through ctypes, as the standard library offers no
wrapper) and also runs a watchdog thread that exits when its parent pid
changes (for kernels or platforms where the signal is not delivered).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import math
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

JOBS_ENVIRONMENT_VARIABLE = "EXHIBIT_JOBS"
# Below this many chunks, forking costs more than it saves.
_MIN_PARALLEL_CHUNKS = 2
# Chunks per worker when the caller names no chunk size: enough to even out
# uneven items, few enough that pickling overhead stays small.
_CHUNKS_PER_WORKER = 4
# Chunks submitted but not yet consumed, per worker: bounds the memory of
# results waiting for the caller while keeping every worker busy.
_IN_FLIGHT_PER_WORKER = 3
_WATCHDOG_INTERVAL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1

# In a worker: the callable of the map it serves, set by _start_worker.
_current_fn: Callable[[list], list] | None = None


def fork_available() -> bool:
    """Whether this platform can fork workers that inherit the parent's memory."""
    return "fork" in multiprocessing.get_all_start_methods()


def worker_count(requested: int | None = None) -> int:
    """--jobs N, else EXHIBIT_JOBS, else os.cpu_count(); 1 where the 'fork' start method is unavailable."""
    if not fork_available():
        return 1
    if requested is not None and requested > 0:
        return requested
    from_environment = os.environ.get(JOBS_ENVIRONMENT_VARIABLE, "").strip()
    if from_environment.isdigit() and int(from_environment) > 0:
        return int(from_environment)
    return os.cpu_count() or 1


def map_ordered(
    fn: Callable[[list[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    chunk_size: int | None = None,
) -> Iterator[R]:
    """fn applied to chunks of items in forked worker processes, results yielded in input order as they complete.

    Streamed: the caller can write each result and drop it.  jobs <= 1 or few
    items: runs in this process, same results.  An exception in fn is
    re-raised in the parent with the worker's traceback text (as its cause);
    leaving the loop early, KeyboardInterrupt or SIGTERM terminate the workers.
    """
    chunks = _chunks(items, jobs, chunk_size)
    if not _worth_forking(jobs, chunks):
        return _map_serial(fn, chunks)
    return _map_parallel(fn, chunks, min(jobs, len(chunks)))


class BackgroundMap(Generic[R]):
    """`map_ordered` started now, its results taken later: for work nothing needs until then (warnings).

    All chunks are submitted at once to forked workers, which run while the caller goes on; `results` waits for
    them and gives them in input order, `cancel` stops them. `idle_priority`: the workers run only on cores
    nothing else wants (SCHED_IDLE), so work wanted at the end fills the gaps of the work before it.
    Use it as a context manager: leaving the block
    without `results` (an error) stops the workers. Few items or jobs <= 1: `results` runs fn here.
    """

    def __init__(self, fn: Callable[[list[T]], list[R]], items: Sequence[T], jobs: int,
                 chunk_size: int | None = None, idle_priority: bool = False) -> None:
        self._fn = fn
        self._chunks = _chunks(items, jobs, chunk_size)
        self._executor: ProcessPoolExecutor | None = None
        self._futures: list[Future[list[R]]] = []
        if _worth_forking(jobs, self._chunks):
            self._executor = _executor(fn, min(jobs, len(self._chunks)), idle_priority)
            self._futures = [self._executor.submit(_run_chunk, chunk) for chunk in self._chunks]

    def results(self) -> list[R]:
        if self._executor is None:
            return [result for chunk in self._chunks for result in _checked(self._fn(chunk), chunk)]
        try:
            return [result for future, chunk in zip(self._futures, self._chunks, strict=True)
                    for result in _checked(future.result(), chunk)]
        finally:
            self.cancel()

    def cancel(self) -> None:
        if self._executor is not None:
            if not all(future.done() for future in self._futures):
                _terminate_workers(self._executor)
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> BackgroundMap[R]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()


def start_in_background(fn: Callable[..., R], *args: object) -> Future[R]:
    """fn(*args) in one forked worker that dies with its parent, while this process goes on; fn and args pickle.

    Where fork is unavailable it runs here and now, and the future is already done.
    """
    if not fork_available():
        done: Future[R] = Future()
        try:
            done.set_result(fn(*args))
        except Exception as error:  # noqa: BLE001 - handed to whoever waits, as a worker's would be
            done.set_exception(error)
        return done
    _libc()
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(os.getpid(),))
    try:
        return executor.submit(fn, *args)
    finally:
        executor.shutdown(wait=False)


def _chunks(items: Sequence[T], jobs: int, chunk_size: int | None) -> list[list[T]]:
    size = chunk_size if chunk_size and chunk_size > 0 else _default_chunk_size(len(items), jobs)
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def _worth_forking(jobs: int, chunks: list[list[T]]) -> bool:
    return jobs > 1 and len(chunks) >= _MIN_PARALLEL_CHUNKS and fork_available()


def _executor(fn: Callable[[list], list], jobs: int, idle_priority: bool = False) -> ProcessPoolExecutor:
    """Forked workers that run `fn` (inherited through the initializer) and die with this process."""
    _libc()  # looked up here, once: each worker inherits it
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(os.getpid(), fn, idle_priority))


def _default_chunk_size(item_count: int, jobs: int) -> int:
    return max(1, math.ceil(item_count / (max(jobs, 1) * _CHUNKS_PER_WORKER)))


def _map_serial(fn: Callable[[list[T]], list[R]], chunks: list[list[T]]) -> Iterator[R]:
    for chunk in chunks:
        yield from _checked(fn(chunk), chunk)


def _map_parallel(fn: Callable[[list[T]], list[R]], chunks: list[list[T]], jobs: int) -> Iterator[R]:
    executor = _executor(fn, jobs)
    finished = False
    try:
        with _sigterm_raises_system_exit():
            yield from _stream(executor, chunks, jobs)
        finished = True
    finally:
        if not finished:
            _terminate_workers(executor)
        executor.shutdown(wait=True, cancel_futures=True)


def _stream(executor: ProcessPoolExecutor, chunks: list[list[T]], jobs: int) -> Iterator[R]:
    """Keep a bounded window of chunks in flight; yield the oldest's results first."""
    pending: deque[tuple[Future[list[R]], list[T]]] = deque()
    next_chunk = 0
    window = jobs * _IN_FLIGHT_PER_WORKER
    while next_chunk < len(chunks) or pending:
        while next_chunk < len(chunks) and len(pending) < window:
            chunk = chunks[next_chunk]
            pending.append((executor.submit(_run_chunk, chunk), chunk))
            next_chunk += 1
        future, chunk = pending.popleft()
        yield from _checked(future.result(), chunk)


def _checked(results: list[R], chunk: list[T]) -> list[R]:
    """One result per item, or the map would silently misalign results and items."""
    if len(results) != len(chunk):
        raise ValueError(f"map_ordered: fn returned {len(results)} results for {len(chunk)} items")
    return results


def _run_chunk(chunk: list[T]) -> list[R]:
    """Runs in a worker: the callable was inherited through the fork."""
    if _current_fn is None:
        raise RuntimeError("map_ordered: worker started without a function")
    return list(_current_fn(chunk))


def _start_worker(parent_pid: int, fn: Callable[[list], list] | None = None, idle_priority: bool = False) -> None:
    """Tie the worker's life to its parent's; Ctrl-C is the parent's to handle."""
    global _current_fn
    _current_fn = fn
    if idle_priority:
        _run_when_idle()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="exhibit-parent-watchdog", daemon=True).start()


def _run_when_idle() -> None:
    """This process runs only when a core has nothing else to run (Linux's SCHED_IDLE), else at the lowest nice."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        with contextlib.suppress(OSError):
            os.nice(19)


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    """The C library, for prctl, looked up once. On Linux the interpreter's own symbols hold it (no search);
    elsewhere `find_library` runs `ldconfig -p` or a compiler in a subprocess, 2.4 ms that every worker start
    paid before it took its first chunk."""
    try:
        own = ctypes.CDLL(None, use_errno=True)
        own.prctl  # noqa: B018 - present where this process links the C library that has it
        return own
    except (OSError, AttributeError):
        pass
    library_name = ctypes.util.find_library("c")
    if library_name is None:
        return None
    try:
        return ctypes.CDLL(library_name, use_errno=True)
    except OSError:
        return None


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies; elsewhere the watchdog covers it."""
    libc = _libc()
    if libc is None:
        return
    with contextlib.suppress(OSError, AttributeError):
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _watch_parent(parent_pid: int) -> None:
    stopped = threading.Event()
    while not stopped.wait(_WATCHDOG_INTERVAL_SECONDS):
        if os.getppid() != parent_pid:
            os._exit(1)


@contextlib.contextmanager
def _sigterm_raises_system_exit() -> Iterator[None]:
    """SIGTERM unwinds the parent through its finally blocks, which stop the workers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_DFL:  # someone else handles SIGTERM already
        yield
        return

    def _raise_system_exit(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _raise_system_exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminate_workers(executor: ProcessPoolExecutor) -> None:
    """The executor only cancels queued work; a running worker must be stopped by hand."""
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
