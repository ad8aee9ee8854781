"""Running one command as the benchmark measures it: wall time, CPU time and peak memory.

Memory is measured two ways (see benchmarks/README.md): the kernel's exact peak RSS of the
largest single process (os.wait4), and the peak of the whole process tree's PSS, sampled from
/proc (a PDF build forks worker processes, Pagefind and a process pool run several).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Sample:
    seconds: float  # wall time, from just before the child starts to its exit
    cpu: float  # user + system seconds of the child and every descendant it waited for
    max_rss: int  # KiB: ru_maxrss from wait4, the largest single process's peak (exact, from the kernel)
    tree_pss: int  # KiB: the largest sampled sum of PSS over the child and all its descendants
    returncode: int
    stdout: str
    stderr: str


class TreeMonitor(threading.Thread):
    """Samples the total PSS of a process and all its descendants from /proc.

    PSS (proportional set size) shares each page among the processes mapping it, so forked
    workers that share their parent's pages are not counted twice, as a sum of RSS would."""

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            total = sum(_pss(pid) for pid in _tree(self.pid))
            self.peak = max(self.peak, total)
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _tree(root: int) -> list[int]:
    """root and its descendants, from the parent ids in /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(command: list[str], cwd: Path, env: dict[str, str], interval: float) -> Sample:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        monitor = TreeMonitor(child.pid, interval)
        monitor.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        monitor.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, monitor.peak, child.returncode,
                      out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))



@dataclass
class Result:
    samples: list[Sample] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(s, attribute) for s in self.samples)

