"""Write the output folder atomically: build beside it, then swap it in whole."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from briefgen.errors import BuildError

MARKER = ".briefgen-output"
MARKER_TEXT = "本目录由 briefgen 生成，每次生成时整体替换，请勿在此存放其他文件。\n".encode()
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def check_out_dir(out: Path, root: Path) -> None:
    """Refuse an output folder that is, holds or lies inside the repository's sources,
    or that already holds files briefgen did not write (a build replaces the folder whole)."""
    out, root = out.resolve(), root.resolve()
    if root.is_relative_to(out):
        raise BuildError(f"输出目录 {out} 包含简报仓库本身，请换一个目录（默认是 output/）。")
    for name in ("content", "templates", "fonts", ".git"):
        if out.is_relative_to(root / name):
            raise BuildError(f"输出目录 {out} 位于 {name}/ 之内，会覆盖源文件，请换一个目录。")
    if out != root / "output" and out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise BuildError(
            f"输出目录 {out} 中已有不是 briefgen 生成的文件；生成时会整体替换该目录，"
            "为免误删，请指定一个空目录或新目录。"
        )


def existing_files(out: Path) -> dict[str, Path]:
    """The files of a previous build, by path relative to the output folder."""
    if not out.is_dir():
        return {}
    return {p.relative_to(out).as_posix(): p for p in sorted(out.rglob("*")) if p.is_file()}


def write_tree(out: Path, files: Mapping[str, bytes | Path]) -> None:
    """Replace out with exactly these files; on any failure out is left as it was."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    temp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.tmp-"))
    try:
        mask = os.umask(0)
        os.umask(mask)
        temp.chmod(0o777 & ~mask)
        folders = {temp}
        for rel, data in sorted({**files, MARKER: MARKER_TEXT}.items()):
            target = temp / rel
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            if _keep(out / rel, data, target):
                continue
            if isinstance(data, Path):
                shutil.copyfile(data, target)
            else:
                target.write_bytes(data)
        _swap(temp, out)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _keep(old: Path, data: bytes | Path, target: Path) -> bool:
    """Link the previous build's file into the new tree when its bytes are unchanged, so that
    an unchanged page keeps its file (and its modification time) across builds."""
    try:
        if data == old:  # the caller knows it is unchanged: the last build's own file
            os.link(old, target)
            return True
        if not old.is_file() or old.is_symlink():
            return False
        size = data.stat().st_size if isinstance(data, Path) else len(data)
        if old.stat().st_size != size:
            return False
        if (data.read_bytes() if isinstance(data, Path) else data) != old.read_bytes():
            return False
        os.link(old, target)
        return True
    except OSError:
        return False  # e.g. a file system without hard links: write it instead


def _swap(new: Path, out: Path) -> None:
    """Put new in place of out; afterwards `new` names the old tree (or nothing)."""
    if not out.exists():
        new.rename(out)
        return
    if not out.is_dir():
        raise BuildError(f"{out} 已存在且不是目录。")
    if _exchange(new, out):
        return
    # No atomic exchange on this system: two renames, the old tree kept until the end.
    old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old-"))
    old.rmdir()
    out.rename(old)
    new.rename(out)
    old.rename(new)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE) where Linux offers it."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result: int = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def _remove_leftovers(out: Path) -> None:
    """Remove temporary folders that a killed build left beside out."""
    for pattern in (f".{out.name}.tmp-*", f".{out.name}.old-*"):
        for leftover in out.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)
