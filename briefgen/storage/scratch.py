"""Folders of briefgen's own temporary files, known by a mark inside them, never by their name.

A work area is a folder that briefgen made and marked; whatever is inside it is briefgen's,
so a later run may delete it whole. A folder without the mark is never deleted, whatever
it is called: an office's `.output.old-backup/` is the office's."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from briefgen.storage.resources import SCRATCH, own_folder

AREA_MARK = ".briefgen-partial"
AREA_TEXT = "本目录是 briefgen 的临时文件，由下一次生成自动删除，也可以手工删除。\n".encode()


def work_area(folder: Path) -> Path:
    """folder, made and marked as briefgen's own if it is not yet."""
    folder.mkdir(parents=True, exist_ok=True)
    mark = folder / AREA_MARK
    if not mark.is_file():
        try:
            mark.write_bytes(AREA_TEXT)
        except OSError as exc:  # a full disk says so on closing the file, with no name
            raise OSError(exc.errno, exc.strerror, str(folder)) from exc
    return folder


def clear_area(folder: Path) -> None:
    """Delete folder whole if it is a marked work area, that is, if briefgen made it."""
    if (folder / AREA_MARK).is_file() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)


def is_area(folder: Path) -> bool:
    return (folder / AREA_MARK).is_file() and not folder.is_symlink()


def scratch_folder(area: Path, prefix: str) -> Path:
    """A new empty folder inside the work area."""
    return Path(tempfile.mkdtemp(dir=work_area(area), prefix=prefix))


def scratch_area(root: Path) -> Path:
    """The repository's scratch folder, emptied of what earlier runs left (the caller holds the
    repository's write lock, so no other run is using it)."""
    folder = own_folder(root, SCRATCH)
    clear_area(folder)
    return work_area(folder)
