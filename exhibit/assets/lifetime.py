"""Worker processes die with the process that started them, even when it is killed with SIGKILL.

A killed build runs no cleanup, so a process pool's workers would be left
running (about 124 MB each with Pillow loaded). Two mechanisms, because neither
alone covers every case: Linux's PR_SET_PDEATHSIG has the kernel kill the worker
when its parent dies (immediately, but Linux only), and a watchdog thread exits
once the worker has been handed to another parent (anywhere, within a second).
Hand-written because the standard library has no such option and the only
package offering it (python-prctl) needs a C build; this is two calls.

engine-speed's `exhibit/workers.py` uses the same mechanism for its pool; once
that lands, this module's `die_with_parent` can be replaced by its helper.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 0.5


def die_with_parent(parent_pid: int) -> None:
    """Call first thing in a worker: from now on it ends when `parent_pid` does."""
    _ask_kernel_to_kill_on_parent_death()
    if os.getppid() != parent_pid:  # the parent died before we got here
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="exhibit-parent-watch", daemon=True).start()


def _ask_kernel_to_kill_on_parent_death() -> bool:
    """prctl(PR_SET_PDEATHSIG, SIGKILL) on Linux; False where the OS has no such call."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    """Exit once the parent is gone (the worker then belongs to another process)."""
    stopped = threading.Event()
    while not stopped.wait(WATCH_INTERVAL):
        if os.getppid() != parent_pid:
            os._exit(1)
