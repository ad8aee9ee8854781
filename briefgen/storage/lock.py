"""One writer at a time per repository: the commands that write take turns through one lock.

The lock is an flock(2) on .briefgen-cache/lock. The kernel releases it when its process
ends, however it ends, so a killed command never leaves a stale lock behind and there is
nothing for a user to delete. A command that finds the lock held says who holds it, waits
a short while, then stops with a clear message. The lock is re-entrant within a process
(a build inside serve, a build inside publish), and worker processes forked while it is
held share it, which is what they should do."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from briefgen.errors import BriefgenError
from briefgen.storage.resources import CACHE, own_folder

LOCK = "lock"
WAIT_SECONDS = 30.0  # how long a second command waits; BRIEFGEN_LOCK_WAIT overrides it
POLL_SECONDS = 0.1

_held: dict[str, list[int]] = {}  # lock file -> [descriptor, depth], for re-entry in this process


def lock_path(root: Path) -> Path:
    return own_folder(root, f"{CACHE}/{LOCK}")


@contextlib.contextmanager
def repository_lock(root: Path, command: str, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the repository's write lock for the duration; wait for another holder for a short
    while (saying so once through say), then raise BriefgenError."""
    path = lock_path(root.resolve())
    key = str(path)
    if key in _held:
        _held[key][1] += 1
        try:
            yield
        finally:
            _held[key][1] -= 1
        return
    descriptor = _acquire(path, command, say)
    _held[key] = [descriptor, 1]
    try:
        yield
    finally:
        del _held[key]
        os.close(descriptor)  # releases the lock; the holder's line stays, read only while locked


def _acquire(path: Path, command: str, say: Callable[[str], None] | None) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        deadline = time.monotonic() + _wait_seconds()
        warned = False
        while not _try_lock(descriptor):
            holder = _holder(descriptor)
            if time.monotonic() >= deadline:
                raise BriefgenError(f"另一个 briefgen 命令（{holder}）仍在写入这个简报仓库，等了 "
                                    f"{_wait_seconds():g} 秒还没有结束；本命令没有做任何改动。"
                                    "请等它完成后再运行（它结束或被中止时会自动放开，不需要删除任何文件）。")
            if not warned and say is not None:
                say(f"另一个 briefgen 命令（{holder}）正在写入这个简报仓库，等它完成……")
                warned = True
            time.sleep(POLL_SECONDS)
        started = dt.datetime.now().strftime("%H:%M:%S")
        try:  # who holds it, for the message of the next command; the lock holds without it
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()} {started} {command}\n".encode(), 0)
        except OSError:
            pass
        return descriptor
    except BaseException:
        os.close(descriptor)
        raise


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(descriptor: int) -> str:
    """Who holds the lock, as its holder wrote it: "briefgen build，进程 1234，12:03:04 开始"."""
    try:
        pid, started, command = os.pread(descriptor, 200, 0).decode("utf-8").split(maxsplit=2)
    except (OSError, ValueError):
        return "briefgen"
    return f"briefgen {command.strip()}，进程 {pid}，{started} 开始"


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("BRIEFGEN_LOCK_WAIT", WAIT_SECONDS)))
    except ValueError:
        return WAIT_SECONDS
