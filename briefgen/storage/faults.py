"""Named points in the steps of a command where a test may kill it, to show that a kill at any
step leaves a state that the next run explains and completes."""

from __future__ import annotations

import os
import signal

KILL_AT = "BRIEFGEN_KILL_AT"


def point(name: str) -> None:
    """Die here, as by a power cut, when BRIEFGEN_KILL_AT names this point."""
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)
