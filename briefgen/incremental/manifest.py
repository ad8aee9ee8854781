"""What the last build wrote into an output folder, and the key each file was made from.

A later build that computes the same key for a file, and finds the file still as it was
left (same size and modification time), keeps it without rendering it again. The record
lives in .briefgen-cache/, one per output folder; deleting it only costs a full render.

A record is used only with this user's seal (see untrusted): the keys are no secret, so a
planted record could otherwise keep a planted file in output/ as if this build had made it.
Every path in it must be a plain relative path inside the output folder, and a file is kept
only when it is a regular file there (not a link): a path such as pagefind/../../x, which the
search index's files are taken by, would otherwise copy a file from anywhere into the site or
write beside output/. Anything else in the record is dropped, and the file made again."""

from __future__ import annotations

import hashlib
import json
import os
import stat as stats
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefgen.incremental.untrusted import real_folder, relative_inside, sealed_json, unseal
from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE


class Manifest:
    def __init__(self, root: Path, out: Path) -> None:
        name = hashlib.sha256(str(out.absolute()).encode("utf-8")).hexdigest()[:16]
        self.path = root / CACHE / "outputs" / f"{name}.json"
        self.usable = real_folder(root, self.path.parent)  # not a planted link to somewhere else
        self.out = out
        self._folder = str(out)
        self.entries = self._read()  # path in out -> [key, size, mtime_ns]
        self._untouched: set[str] = set()  # what reusable() found as recorded, since the last record()
        self._paths: dict[str, Path] = {}  # one Path for each, again when this object is kept (incremental.warm)

    def reusable(self, rel: str, key: str) -> Path | None:
        """The file the last build wrote for rel, if it was made from this key and is untouched."""
        entry = self.entries.get(rel)
        if entry is None or entry[0] != key or not relative_inside(rel):
            return None
        try:
            stat = os.lstat(f"{self._folder}/{rel}")
        except OSError:
            return None
        if not stats.S_ISREG(stat.st_mode) or [stat.st_size, stat.st_mtime_ns] != entry[1:]:
            return None
        self._untouched.add(rel)
        path = self._paths.get(rel)
        if path is None:
            path = self._paths[rel] = self.out / rel
        return path

    def check_again(self) -> None:
        """For another build with this same object: what reusable() found untouched before is
        checked again (a build that failed found it so, but did not record)."""
        self._untouched = set()

    def size(self, rel: str) -> int:
        """The size recorded for rel: the file's own, once reusable() has found it untouched."""
        return int(self.entries[rel][1])

    def record(self, keys: Mapping[str, str]) -> bool:
        """Remember the keys of the files now in the output folder (of one found untouched and
        kept, what it was recorded with); never fail the build. Whether the record was written
        (it is not where the cache folder is unusable or cannot be written)."""
        entries = {}
        out = str(self.out)
        for rel, key in keys.items():
            entry = self.entries.get(rel) if rel in self._untouched else None
            if entry is not None and entry[0] == key:
                entries[rel] = entry
                continue
            try:
                stat = os.lstat(f"{out}/{rel}")
            except OSError:
                continue
            entries[rel] = [key, stat.st_size, stat.st_mtime_ns]
        self.entries = entries
        self._untouched = set()
        self._paths = {rel: path for rel, path in self._paths.items() if rel in entries}
        if not self.usable:
            return False
        try:
            atomic_write(self.path, sealed_json({"out": str(self.out.absolute()), "files": entries}))
        except OSError:
            return False
        return True

    def _read(self) -> dict[str, list[Any]]:
        if not self.usable:
            return {}
        try:
            data = unseal(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}
        if data is None or data.get("out") != str(self.out.absolute()):
            return {}
        files = data.get("files")
        if not isinstance(files, dict):
            return {}
        return {rel: entry for rel, entry in files.items() if relative_inside(rel) and _entry(entry)}


def _entry(entry: object) -> bool:
    """Whether entry is [key, size, modification time in ns], as record() writes them."""
    return (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
            and all(isinstance(n, int) and not isinstance(n, bool) for n in entry[1:]))
