"""Files a build has already written into a work area of its own, to be linked into the new
output tree rather than held in memory until the tree is written."""

from __future__ import annotations

import errno
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

    def move(self, target: str | Path, folder: int | None = None) -> bool:
        """Rename the file to target (relative to the folder open as `folder`, if given); False
        when target is on another file system, where the caller copies it instead."""
        try:
            os.rename(self.path, target, dst_dir_fd=folder)
            return True
        except OSError as exc:
            if exc.errno == errno.EXDEV:
                return False
            raise


def create(target: str | Path, data: bytes, folder: int | None = None) -> None:
    """Create the new file target (relative to the folder open as `folder`, if given) holding
    data, in three system calls (Path.write_bytes makes seven)."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666, dir_fd=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)


def stage(folder: Path, name: str, data: bytes) -> Staged:
    """Write data to folder/name, a new file of a work area."""
    create(folder / name, data)
    return Staged(folder / name)
