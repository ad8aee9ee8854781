"""Write the output folder atomically: stage the new tree in a work area, then swap it in whole.

The output folder carries a marker file that lists every file briefgen wrote there. A build
replaces a folder only when it is absent, empty, or marked, and when every file in it is one
the marker lists: an office's own file in output/ stops the build instead of being deleted.
An output folder that cannot be renamed (a mount point: a volume or a network share) is
updated in place instead, each file through a temporary file and a rename, after every new
file is already on disk, so that a full disk fails before anything in it has changed."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from briefgen.errors import BuildError
from briefgen.storage.scratch import clear_area, is_area, work_area
from briefgen.storage.staged import Staged, create

MARKER = ".briefgen-output"
MARKER_HEAD = "本目录由 briefgen 生成，每次生成时整体替换，请勿在此存放其他文件。\n"
LIST_HEAD = "# 以下是 briefgen 写入本目录的文件：\n"
IN_PLACE = ".briefgen-staging"  # the work area inside an output folder updated in place
IN_PLACE_FROM = 1000  # files: from this many, an output folder takes a few changes in place
IN_PLACE_SHARE = 0.05  # ...when at most this share of its files change
RENAME_EXCHANGE = 2
AT_FDCWD = -100

Files = Mapping[str, bytes | Path | Staged]


def check_out_dir(out: Path, root: Path, sources: Mapping[str, Path], inside_ok: tuple[Path, ...] = ()) -> None:
    """Refuse an output folder that is, holds or lies inside the repository or one of its sources
    (by name, e.g. "content/"; inside_ok are folders within them an output may still be in), and
    one that holds files briefgen did not write there (a build replaces the folder whole)."""
    out, root = out.resolve(), root.resolve()
    if root.is_relative_to(out):
        raise BuildError(f"输出目录 {out} 包含简报仓库本身，请换一个目录（默认是 output/）。")
    for name, folder in sources.items():
        folder = folder.resolve()
        if out.is_relative_to(folder) and not any(out.is_relative_to(ok.resolve()) for ok in inside_ok):
            raise BuildError(f"输出目录 {out} 位于 {name} 之内，会覆盖源文件，请换一个目录。")
        if folder.is_relative_to(out):
            raise BuildError(f"输出目录 {out} 包含 {name}，生成时会整体替换它，请换一个目录。")
    if out.exists() and not out.is_dir():
        raise BuildError(f"输出目录 {out} 已存在，但它不是文件夹；请换一个目录。")
    foreign = foreign_files(out)
    if foreign:
        named = "、".join(foreign[:3]) + ("等" if len(foreign) > 3 else "")
        raise BuildError(f"输出目录 {out} 中有 {len(foreign)} 个文件不是 briefgen 生成的（{named}）；"
                         "生成时会整体替换这个目录，为免误删，没有生成。"
                         "请把这些文件移到别处，或用 --out 指定一个空目录或新目录。")


def foreign_files(out: Path) -> list[str]:
    """The files in out that its marker does not list (all of them when there is no marker; none
    when an older briefgen's marker, which lists nothing, says the folder is briefgen's whole)."""
    marker = out / MARKER
    listed = listed_files(out)
    if listed is None and marker.is_file():
        return []
    return [rel for rel in _files(out) if rel != MARKER and rel not in (listed or ())]


def marker_text(paths: set[str] | Files) -> bytes:
    return (MARKER_HEAD + LIST_HEAD + "".join(f"{rel}\n" for rel in sorted(paths))).encode("utf-8")


def _files(out: Path) -> Iterator[str]:
    """Every file and link in out, as a relative path; briefgen's work area inside it excluded."""
    top = str(out)
    for folder, dirs, names in os.walk(out):
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]  # listed, never followed
        dirs[:] = [d for d in dirs if d not in links and not (d == IN_PLACE and is_area(Path(folder, d)))]
        base = "" if folder == top else folder[len(top) + 1:].replace(os.sep, "/") + "/"
        for name in sorted([*names, *links]):
            yield base + name


def existing_files(out: Path) -> dict[str, Path]:
    """The files of a previous build, by path relative to the output folder."""
    if not out.is_dir():
        return {}
    return {rel: out / rel for rel in sorted(_files(out)) if (out / rel).is_file()}


def remove_leftovers(out: Path, area: Path) -> None:
    """Remove the work areas a killed build left: in the cache, beside out and inside it."""
    for folder in (area, _beside(out), out / IN_PLACE):
        clear_area(folder)


def write_tree(out: Path, files: Files, area: Path) -> None:
    """Replace out with exactly these files (and the marker); on any failure out is left as it was.
    The new tree is staged in area when it is on out's file system, else beside out."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    every: dict[str, bytes | Path | Staged] = {**files, MARKER: marker_text(files)}
    if _few_changes(out, every):
        _write_in_place(out, every)
        return
    if not os.path.ismount(out):
        for parent in (area, _beside(out)) if _same_device(area, out.parent) else (_beside(out),):
            try:
                _stage_and_swap(out, every, parent)
                return
            except OSError as exc:
                if exc.errno == errno.EBUSY:
                    break  # out cannot be renamed (a bind mount): update it in place
                if exc.errno != errno.EXDEV:
                    raise
    _write_in_place(out, every)


def _few_changes(out: Path, every: Files) -> bool:
    """Whether so few files of a large output folder change (an edit to one item changes a few
    dozen of 20,000) that renaming each into place is quicker than staging the whole tree, which
    makes a link for every file kept. A reader of the folder may then see, for a moment, a new
    page beside an old one; every file is always whole, and a kill leaves the marker listing the
    old files and the new, for the next build to complete."""
    if len(every) < IN_PLACE_FROM or out.is_symlink():
        return False
    listed = listed_files(out)
    if listed is None:
        return False
    prefix = f"{out}/"
    changed = sum(1 for rel, data in every.items() if not (isinstance(data, Path) and str(data) == prefix + rel))
    changed += sum(1 for rel in listed if rel not in every)
    return changed <= len(every) * IN_PLACE_SHARE


def listed_files(out: Path) -> set[str] | None:
    """The files out's marker lists, or None when there is no marker (or an older one, which
    lists nothing)."""
    try:
        marker = (out / MARKER).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if LIST_HEAD not in marker:
        return None
    return set(marker.split(LIST_HEAD, 1)[1].splitlines())


def _beside(out: Path) -> Path:
    return out.parent / f".{out.name}.briefgen"


def _same_device(area: Path, folder: Path) -> bool:
    try:
        work_area(area)
        return area.stat().st_dev == folder.stat().st_dev
    except OSError:
        return False


def _stage_and_swap(out: Path, every: Files, parent: Path) -> None:
    staged = Path(tempfile.mkdtemp(dir=work_area(parent), prefix="tree-"))
    try:
        mask = os.umask(0)
        os.umask(mask)
        staged.chmod(0o777 & ~mask)
        previous = out.is_dir()  # a first build links nothing: no need to look for each file
        with _Folders(staged) as folders:
            for rel, data in sorted(every.items()):
                folder, _, name = rel.rpartition("/")
                descriptor = folders.open(folder)
                if previous and _link_unchanged(out / rel, data, staged / rel):
                    continue
                if isinstance(data, Staged) and data.move(name, descriptor):  # one file system
                    continue
                if isinstance(data, (Path, Staged)):
                    _put(data, staged / rel, shown_as=out / rel)
                else:
                    _create(descriptor, name, data, out / rel)
        _swap(staged, out)
    finally:
        clear_area(parent)  # the old tree with it; the caller holds the lock: nothing else is in it


class _Folders:
    """The folders of a staged tree, each made once and kept open, so that a file is created
    relative to its folder instead of by its whole path."""

    def __init__(self, top: Path):
        self._open = {"": os.open(top, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)}

    def open(self, rel: str) -> int:
        """The descriptor of the folder rel (relative to the top, "" for the top), made if need be."""
        descriptor = self._open.get(rel)
        if descriptor is None:
            parent, _, name = rel.rpartition("/")
            above = self.open(parent)
            try:
                os.mkdir(name, dir_fd=above)
            except FileExistsError:
                pass
            descriptor = self._open[rel] = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=above)
        return descriptor

    def __enter__(self) -> _Folders:
        return self

    def __exit__(self, *exc: object) -> None:
        for descriptor in self._open.values():
            os.close(descriptor)


def _create(folder: int, name: str, data: bytes, shown_as: Path) -> None:
    """Create the new file name in the folder open as `folder`, holding data. Nothing is synced,
    as before: the staged tree is swapped in only after every write has returned, and from then
    the kernel holds every byte, so a killed or failed build never shows a part of it; a power
    cut may still empty files not yet written back to the disk, as it may any file written
    without fsync."""
    try:
        create(name, data, folder)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(shown_as)) from exc


def _write_in_place(out: Path, every: Files) -> None:
    """Update out file by file: write every new file into a work area inside out, then rename
    each into place, then delete the files no longer made. A kill during the renames leaves every
    file whole, and the marker lists both the old files and the new, so the next build completes it."""
    out.mkdir(parents=True, exist_ok=True)
    area = work_area(out / IN_PLACE)
    try:
        listed = listed_files(out)
        previous = listed if listed is not None else set(existing_files(out))
        staged = []
        prefix = f"{out}/"
        for number, (rel, data) in enumerate(sorted(every.items())):
            if rel == MARKER or (isinstance(data, Path) and str(data) == prefix + rel):
                continue  # the last build's own file, kept
            if not _same_bytes(out / rel, data):
                if not (isinstance(data, Staged) and data.move(area / str(number))):
                    _put(data, area / str(number), shown_as=out / rel)
                staged.append((area / str(number), out / rel))
        gone = sorted(previous - set(every))
        if staged or gone:
            both, final = area / "marker-both", area / "marker"
            _put(marker_text(previous | set(every)), both, shown_as=out / MARKER)
            _put(every[MARKER], final, shown_as=out / MARKER)
            # Every new byte is on disk now: what follows only renames and deletes, which need no space.
            os.replace(both, out / MARKER)
            for temp, target in staged:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(temp, target)
            for rel in gone:
                (out / rel).unlink(missing_ok=True)
            _remove_empty_folders(out, {(out / rel).parent for rel in gone})
            os.replace(final, out / MARKER)
    finally:
        shutil.rmtree(area, ignore_errors=True)


def _remove_empty_folders(out: Path, folders: set[Path]) -> None:
    """Remove those of these folders (and of their parents inside out) that are left empty."""
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        while folder != out and folder.is_relative_to(out):
            try:
                os.rmdir(folder)  # only an empty folder goes
            except OSError:
                break
            folder = folder.parent


def _put(data: bytes | Path | Staged, target: Path, shown_as: Path | None = None) -> None:
    """Write data to target; an error names shown_as, the file the user knows (a full disk
    says so on closing the file, with no name at all)."""
    if isinstance(data, Staged):
        data = data.path
    try:
        if isinstance(data, Path):
            shutil.copyfile(data, target)
        else:
            target.write_bytes(data)
    except OSError as exc:
        if exc.filename is None or shown_as is not None:
            raise OSError(exc.errno, exc.strerror, str(shown_as or target)) from exc
        raise


def _same_bytes(old: Path, data: bytes | Path | Staged) -> bool:
    """Whether the file old already holds exactly data."""
    if isinstance(data, Staged):
        data = data.path
    try:
        if data == old:  # the caller knows it is unchanged: the last build's own file
            return True
        if not old.is_file() or old.is_symlink():
            return False
        size = data.stat().st_size if isinstance(data, Path) else len(data)
        if old.stat().st_size != size:
            return False
        return (data.read_bytes() if isinstance(data, Path) else data) == old.read_bytes()
    except OSError:
        return False


def _link_unchanged(old: Path, data: bytes | Path | Staged, target: Path) -> bool:
    """Link the previous build's file into the new tree when its bytes are unchanged, so that
    an unchanged page keeps its file (and its modification time) across builds."""
    if not _same_bytes(old, data):
        return False
    try:
        os.link(old, target)
        return True
    except OSError:
        return False  # e.g. a file system without hard links: write it instead


def _swap(new: Path, out: Path) -> None:
    """Put new in place of out; afterwards `new` names the old tree (or nothing)."""
    if not out.exists():
        new.rename(out)
        return
    if _exchange(new, out):
        return
    # No atomic exchange on this system: two renames, the old tree kept until the end.
    old = new.with_name(new.name + "-old")
    out.rename(old)
    new.rename(out)
    old.rename(new)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE) where Linux offers it; raise
    the errors that say the paths cannot be renamed at all."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result: int = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EBUSY, errno.EXDEV, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC):
        raise OSError(code, os.strerror(code), str(b))
    return False  # e.g. a file system without exchange: fall back to two renames
