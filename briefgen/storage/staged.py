"""Files a build has already written into a work area of its own, to be linked into the new
output tree rather than held in memory until the tree is written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Staged:
    """A file this build wrote into one of its work areas (never a source file, never the last
    build's output): the tree it goes into may take it as it is, by a hard link or a rename."""

    path: Path

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def size(self) -> int:
        return self.path.stat().st_size


def stage(folder: Path, name: str, data: bytes) -> Staged:
    """Write data to folder/name (a work area's file, new) in as few system calls as possible."""
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return Staged(path)
