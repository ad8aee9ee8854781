"""Walk a folder's files quickly (os.scandir), following linked folders, each only once."""

from __future__ import annotations

import os
from collections.abc import Iterator


def walk_files(folder: str, unreadable: list[str] | None = None) -> Iterator[tuple[os.DirEntry[str], str]]:
    """Every file under folder, with the real path of the folder it was found in.

    A folder that exists but cannot be listed (no permission, an I/O error) is appended to
    unreadable, so that the caller can say so: its files must never vanish without a word."""
    seen: set[str] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = list(os.scandir(current))
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:
            if unreadable is not None:
                unreadable.append(current)
            continue
        for entry in entries:
            if entry.is_dir():
                stack.append(entry.path)
            elif entry.is_file() or entry.is_symlink():
                yield entry, real
