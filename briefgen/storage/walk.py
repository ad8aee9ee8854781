"""Walk a folder's files quickly (os.scandir), following linked folders, each only once."""

from __future__ import annotations

import os
from collections.abc import Iterator


def walk_files(folder: str, unreadable: list[str] | None = None, within: str | None = None,
               outside: list[str] | None = None) -> Iterator[tuple[os.DirEntry[str], str]]:
    """Every file under folder, with the real path of the folder it was found in.

    A folder that exists but cannot be listed (no permission, an I/O error) is appended to
    unreadable, so that the caller can say so: its files must never vanish without a word.
    With within (a real path), a linked folder that leads outside it (to /usr, to /proc) is
    appended to outside and not walked at all."""
    seen: set[str] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        if within is not None and not is_within(real, within):
            if outside is not None and os.path.isdir(current):
                outside.append(current)
            continue
        try:
            entries = list(os.scandir(current))
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:
            if unreadable is not None:
                unreadable.append(current)
            continue
        for entry in entries:
            if _is_dir(entry):
                stack.append(entry.path)
            elif entry.is_symlink() or entry.is_file():
                yield entry, real


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether entry is a folder or a link to one; a link to itself is neither (the caller says so)."""
    try:
        return entry.is_dir()
    except OSError:  # ELOOP
        return False


def is_within(path: str, folder: str) -> bool:
    """Whether path is folder or below it (both real paths)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
