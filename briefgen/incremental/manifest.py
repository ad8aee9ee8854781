"""What the last build wrote into an output folder, and the key each file was made from.

A later build that computes the same key for a file, and finds the file still as it was
left (same size and modification time), keeps it without rendering it again. The record
lives in .briefgen-cache/, one per output folder; deleting it only costs a full render."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE


class Manifest:
    def __init__(self, root: Path, out: Path) -> None:
        name = hashlib.sha256(str(out.absolute()).encode("utf-8")).hexdigest()[:16]
        self.path = root / CACHE / "outputs" / f"{name}.json"
        self.out = out
        self.entries = self._read()  # path in out -> [key, size, mtime_ns]

    def reusable(self, rel: str, key: str) -> Path | None:
        """The file the last build wrote for rel, if it was made from this key and is untouched."""
        entry = self.entries.get(rel)
        if entry is None or entry[0] != key:
            return None
        path = self.out / rel
        try:
            stat = path.lstat()
        except OSError:
            return None
        return path if [stat.st_size, stat.st_mtime_ns] == entry[1:] else None

    def record(self, keys: Mapping[str, str]) -> None:
        """Remember the keys of the files now in the output folder; never fail the build."""
        entries = {}
        out = str(self.out)
        for rel, key in keys.items():
            try:
                stat = os.lstat(f"{out}/{rel}")
            except OSError:
                continue
            entries[rel] = [key, stat.st_size, stat.st_mtime_ns]
        try:
            atomic_write(self.path, json.dumps({"out": str(self.out.absolute()), "files": entries},
                                               ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass
        self.entries = entries

    def _read(self) -> dict[str, list[Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("out") != str(self.out.absolute()):
            return {}
        files = data.get("files")
        if not isinstance(files, dict):
            return {}
        return {rel: entry for rel, entry in files.items() if isinstance(entry, list) and len(entry) == 3}
