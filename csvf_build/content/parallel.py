"""Run one pure function over many items on every core, in order, or serially when that is cheaper.

Parsing tens of thousands of records is CPU work in Python: a pool of forked
workers (which inherit everything the parent loaded, so nothing but the items
and results crosses) shares it among the cores. Results come back in the
items' order, so whoever uses them cannot tell a pooled run from a serial one.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
_JOB: list[Callable[[object], object]] = []  # the function of the running pool, inherited by forked workers


def cores() -> int:
    """The cores this process may run on (a container's limit, not the machine's)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def idle_cores() -> float:
    """About how many cores no one is using now (the load average's view): workers only pay on an idle core.

    Measured on a 2-core machine that other builds kept busy (a load of 4), a
    pool took a quarter more time than parsing in the process itself: the
    workers waited for the same cores and the results still had to cross.
    """
    loadavg = getattr(os, "getloadavg", None)
    return cores() - (loadavg()[0] if loadavg else 0.0)


def pool_pays(count: int, parallel_from: int) -> bool:
    """Whether `ordered_map` would start workers for `count` items (a caller can skip preparing work for them)."""
    return count >= parallel_from and cores() >= 2 and idle_cores() >= 1 and "fork" in multiprocessing.get_all_start_methods() and not _JOB


def _start_worker(parent: int) -> None:
    """Die with the parent, even when it is killed outright (Linux); leave what the parent loaded to the
    worker's copy as it is, and collect the worker's own garbage (the parent may have paused the collector)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the line above took effect
            os._exit(1)
    gc.freeze()
    gc.enable()


def _run_chunk(chunk: Sequence[object]) -> list[object]:
    return [_JOB[0](item) for item in chunk]


def ordered_map(function: Callable[[T], R], items: Sequence[T], parallel_from: int) -> list[R]:
    """`[function(item) for item in items]`, on every core when there are at least `parallel_from` items.

    Needs fork (workers inherit `function` and what it reads); elsewhere, on
    one core, or when no core is idle, it runs serially. Interrupted (Ctrl+C, or SIGTERM where the CLI
    turns it into an exception), the workers are stopped at once; killed
    outright, the parent takes its workers with it (Linux), so none is left running.
    """
    if not pool_pays(len(items), parallel_from):
        return [function(item) for item in items]
    workers = min(cores(), 8)
    size = max(1, len(items) // (workers * 4))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    _JOB.append(function)  # type: ignore[arg-type]
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
        try:
            done = list(pool.map(_run_chunk, chunks))
        except BrokenProcessPool:  # a worker died (out of memory, killed): the serial run reports what it can
            pool.shutdown(wait=False, cancel_futures=True)
            return [function(item) for item in items]
        except BaseException:
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    finally:
        _JOB.clear()
    return [result for chunk in done for result in chunk]  # type: ignore[misc]
