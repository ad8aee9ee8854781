"""What git knows of the repository: the commit checked out, and when each file was first added."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path


def head(root: Path) -> str | None:
    """The commit checked out at root, or None outside a git repository (or without git)."""
    git = shutil.which("git")
    if git is None:
        return None
    result = subprocess.run([git, "rev-parse", "-q", "--verify", "HEAD"], cwd=root, capture_output=True,
                            check=False)
    return result.stdout.decode().strip() if result.returncode == 0 else None


def first_added(root: Path, zone: dt.tzinfo) -> dict[str, dt.date]:
    """The author date, in zone, of the commit that first added each file under content/.

    One `git log` for the whole repository; paths are relative to root even when the bulletin
    is a folder inside a larger git repository; an empty mapping outside a git repository."""
    git = shutil.which("git")
    if git is None:
        return {}
    result = subprocess.run(
        [git, "-c", "core.quotePath=false", "log", "--relative", "--diff-filter=A", "--no-renames",
         "--format=%x1e%at", "--name-only", "-z", "--", "content"],
        cwd=root, capture_output=True, check=False,
    )
    if result.returncode != 0:
        return {}
    added: dict[str, dt.date] = {}
    for record in result.stdout.decode("utf-8", "replace").split("\x1e")[1:]:
        stamp, *paths = record.split("\x00")
        day = dt.datetime.fromtimestamp(int(stamp), zone).date()
        for path in paths:
            path = path.strip("\n")
            if path:
                added[path] = day  # git lists newest first: the last one seen is the first add
    return added
