"""Know that a build would change nothing before reading any item, as make does.

A build records a digest of the state of everything it reads (each input file's size,
modification and change times and inode; the briefgen code and templates; the libraries;
the installed fonts when it makes PDFs; the git commit; its options) and the state of every
file it left in the output folder. When the next build finds both the same, and the day it
is valid for has not ended (dates in the future are checked against today), it reports the
recorded result instead of building. Only the standard library is used, so the check costs
no more than listing the files.

The record says "nothing to do" and what to print, so a planted one could skip a build and
show a false summary. It is used only with this user's seal (see untrusted); besides, what it
digests (the change times and inodes of the files) is not known before the files are on disk,
and its result must have the shape a build gives. It is neither read nor written when
.briefgen-cache is a link to somewhere else."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.incremental import keys
from briefgen.incremental.untrusted import count, problem, real_folder, sealed_json, unseal
from briefgen.storage import git
from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE, builtin_templates, package_folder
from briefgen.storage.walk import walk_files

RECORD = Path(CACHE) / "last-build.json"
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
                "/etc/fonts")
INPUT_FOLDERS = ("content", "templates", "fonts", "archive")


def settled(mtime_ns: int, now_ns: int) -> bool:
    """Whether a file last written at mtime_ns can no longer change unnoticed: a write within the
    same timestamp tick would leave its time as it was. A time in whole seconds suggests a coarse
    file system (FAT keeps two-second times), which gets three seconds; others a twentieth."""
    window = 3_000_000_000 if mtime_ns % 1_000_000_000 == 0 else 50_000_000
    return mtime_ns < now_ns - window


@dataclass(frozen=True)
class Inputs:
    digest: str
    settled: bool  # no input may still change unnoticed (see settled()): safe to record


class _Digest:
    def __init__(self) -> None:
        self.hash = hashlib.sha256()
        self.settled = True
        self.now = time.time_ns()

    def file(self, path: str, stat: os.stat_result) -> None:
        self.files([(path, stat)])

    def files(self, found: Iterable[tuple[str, os.stat_result]]) -> None:
        """Several files at once (the same digest as one by one; ten thousand cost less so)."""
        lines = []
        for path, stat in found:
            if self.settled and not settled(stat.st_mtime_ns, self.now):
                self.settled = False
            lines.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}\n")
        self.hash.update("".join(lines).encode("utf-8", "surrogateescape"))

    def text(self, text: str) -> None:
        self.hash.update(text.encode("utf-8", "surrogateescape") + b"\0")


def inputs_digest(root: Path, options: Iterable[str], pdf: bool) -> Inputs:
    """A digest of the state of everything a build with these options reads."""
    digest = _Digest()
    digest.text("\0".join(options))
    _add_tree(digest, package_folder())
    _add_tree(digest, builtin_templates())  # beside the package in a checkout
    _add_file(digest, root / "briefgen.yaml")
    _add_file(digest, root / "published.yaml")
    for name in INPUT_FOLDERS:
        # content/ only: a linked folder there that leads outside is an error, never read
        # (/proc would not even stay still); templates and fonts may be shared from elsewhere.
        _add_tree(digest, root / name, within=str(root.resolve()) if name == "content" else None)
    for path in keys.library_files():
        _add_file(digest, path)
    for library in keys.LIBRARIES:
        digest.text(f"{library.distribution}={keys.version(library.distribution)}")
    if pdf:
        digest.text(keys.native_versions())
        for folder in FONT_FOLDERS:
            _add_tree(digest, Path(folder).expanduser(), folders_only=True)
    digest.text(git.head(root) or "")
    return Inputs(digest.hash.hexdigest(), digest.settled)


def recorded_result(root: Path, out: Path, inputs: Inputs) -> dict[str, Any] | None:
    """The result the last build recorded, if it was made from exactly these inputs, is still valid
    today, and the output folder still holds exactly the files it left there, untouched."""
    if not real_folder(root, root / CACHE):
        return None
    try:
        record = unseal(json.loads((root / RECORD).read_text(encoding="utf-8")))
        if (record is None or record["inputs"] != inputs.digest or record["out"] != str(out)
                or time.time() >= record["valid_until"] or output_state(out) != record["output"]):
            return None
        result = record["result"]
        return result if _summary(result) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _summary(result: object) -> bool:
    """Whether result has the shape of a build's summary (commands.build.BuildSummary)."""
    if not isinstance(result, dict) or set(result) != {"issues", "html_files", "pdf_pages", "docx_files", "warnings",
                                                       "fonts"}:
        return False
    pages, warnings = result["pdf_pages"], result["warnings"]
    return (count(result["issues"]) and count(result["html_files"]) and count(result["docx_files"])
            and isinstance(pages, dict)
            and isinstance(result["fonts"], str)
            and all(isinstance(k, str) and count(v) for k, v in pages.items()) and isinstance(warnings, list)
            and all(isinstance(w, dict) and set(w) == {"path", "line", "severity", "message", "hint"}
                    and problem(**w) for w in warnings))


def record(root: Path, out: Path, inputs: Inputs, valid_until: float, result: Mapping[str, object]) -> None:
    """Remember a successful build; a failure to write only costs the next build its shortcut.
    Nothing is recorded while an input may still change unnoticed (see settled())."""
    path = root / RECORD
    if not real_folder(root, root / CACHE):
        return
    if not inputs.settled:
        path.unlink(missing_ok=True)
        return
    try:
        atomic_write(path, sealed_json({"inputs": inputs.digest, "out": str(out), "valid_until": valid_until,
                                        "output": output_state(out), "result": dict(result)}))
    except OSError:
        pass


def end_of_day(zone: dt.tzinfo) -> float:
    """When today ends in zone: a record is valid until then (items dated ahead are checked
    against today)."""
    today = dt.datetime.now(zone).date()
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), zone).timestamp()


def output_state(out: Path) -> dict[str, list[int]]:
    """Every file in the output folder with its size, modification time and inode."""
    state: dict[str, list[int]] = {}
    folder = str(out)
    start = len(os.path.join(folder, ""))  # every path found starts with the folder's, as given
    for entry, _ in walk_files(folder):
        stat = entry.stat(follow_symlinks=False)
        state[entry.path[start:]] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return state


def _add_tree(digest: _Digest, folder: Path, folders_only: bool = False, within: str | None = None) -> None:
    """The state of every file under folder; with within, a linked folder leading outside it (which
    a build reports and does not read) is not walked: only where it leads counts."""
    digest.text(str(folder))
    if folders_only:
        for current, dirs, _files in os.walk(folder):
            dirs.sort()
            stat = os.stat(current)
            digest.text(f"{current}:{stat.st_mtime_ns}:{stat.st_ino}")
        return
    outside: list[str] = []
    found = []
    for entry in sorted((entry for entry, _ in walk_files(str(folder), None, within, outside)), key=lambda e: e.path):
        if "__pycache__" in entry.path:
            continue
        try:
            stat = entry.stat()
        except OSError:  # a broken link
            stat = entry.stat(follow_symlinks=False)
        found.append((entry.path, stat))
    digest.files(found)
    for link in sorted(outside):
        digest.text(f"{link}->{os.path.realpath(link)}")


def _add_file(digest: _Digest, path: Path) -> None:
    try:
        digest.file(str(path), path.stat())
    except OSError:
        digest.text(f"{path}:missing")
