"""Work spread over forked processes, in order, with the parent in charge of cleaning up."""

from __future__ import annotations

import gc
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _start(setup: Callable[..., None] | None, args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent cleans up; a worker just stops
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if setup is not None:
        setup(*args)


def ordered_map(func: Callable[[T], R], items: Sequence[T], processes: int,
                setup: Callable[..., None] | None = None, args: tuple[Any, ...] = (),
                chunksize: int = 1) -> Iterator[R]:
    """func over items, results in order, on up to `processes` forked workers that each run
    setup(*args) once first (warm state kept in the worker). One process works in place."""
    if processes <= 1 or len(items) <= 1:
        if setup is not None:
            setup(*args)
        yield from map(func, items)
        return
    # Objects the workers inherit stay shared: without freezing, a worker's garbage collector
    # writes to every one of them and the kernel copies their pages.
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(min(processes, len(items)), _start, (setup, args))
    try:
        yield from pool.imap(func, items, chunksize)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()


class TimedOut(BaseException):
    """A piece of work ran past its time limit. A BaseException, like KeyboardInterrupt, so that
    no library's `except Exception` swallows it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimedOut in the block once it has run for seconds. Work runs in the main thread of
    the main process or of a worker, where SIGALRM can interrupt it; anywhere else (a thread)
    the block just runs: the limits checked beforehand are the first defence, this is the second."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimedOut()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
