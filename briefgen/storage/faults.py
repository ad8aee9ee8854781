"""Named points in the steps of a command where a test may kill it, to show that a kill at any
step leaves a state that the next run explains and completes."""

from __future__ import annotations

import os
import signal

KILL_AT = "BRIEFGEN_KILL_AT"


_passed: dict[str, int] = {}


def point(name: str) -> None:
    """Die here, as by a power cut, when BRIEFGEN_KILL_AT names this point ("atomic:written"), or
    names it with the time it is reached ("atomic:written#2": the second time)."""
    wanted = os.environ.get(KILL_AT)
    if not wanted or not wanted.startswith(name):
        return
    _passed[name] = _passed.get(name, 0) + 1
    if wanted in (name, f"{name}#{_passed[name]}"):
        os.kill(os.getpid(), signal.SIGKILL)
