"""When each item was submitted: the date of the commit that first added its file."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

from briefgen.cache import CACHE
from briefgen.config import Config


def submitted_on(config: Config) -> dict[str, dt.date]:
    """first_added for the repository, remembered in .briefgen-cache/ for the commit it was read at:
    the history up to a commit never changes, so a build runs the (slow) `git log` only after a commit."""
    head = _head(config.root)
    if head is None:
        return {}
    record = config.root / CACHE / "history.json"
    stamp = f"{head}:{config.timezone}"
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        if data.get("at") == stamp:
            return {str(path): dt.date.fromisoformat(day) for path, day in data["added"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    added = first_added(config.root, config.zone)
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        partial = record.with_name(f".{record.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps({"at": stamp, "added": {p: d.isoformat() for p, d in added.items()}},
                                      ensure_ascii=False), encoding="utf-8")
        partial.replace(record)
    except OSError:
        pass
    return added


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


def _head(root: Path) -> str | None:
    """The commit checked out at root, or None outside a git repository (or without git)."""
    git = shutil.which("git")
    if git is None:
        return None
    result = subprocess.run([git, "rev-parse", "-q", "--verify", "HEAD"], cwd=root, capture_output=True,
                            check=False)
    return result.stdout.decode().strip() if result.returncode == 0 else None
