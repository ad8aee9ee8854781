"""The files briefgen wrote outside an output folder (reports), so that it replaces only those.

`briefgen stats --out 通报.pdf` may be run again to bring the report up to date: that
replaces the file briefgen wrote. A file of the same name that briefgen did not write (the
settings, an item, an office's own document) is never replaced. The record is kept in the
cache by the file's path and the SHA-256 of the bytes written; without it (a fresh clone)
an existing file is replaced only when it already holds exactly the new bytes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE

RECORD = f"{CACHE}/written.json"


def may_replace(root: Path, path: Path, data: bytes) -> bool:
    """Whether path is absent, or holds a file briefgen wrote there, or already holds data."""
    if not path.exists() and not path.is_symlink():
        return True
    if path.is_symlink() or not path.is_file():
        return False
    current = _sha256(path.read_bytes())
    return current == _sha256(data) or _record(root).get(str(path.resolve())) == current


def remember(root: Path, path: Path, data: bytes) -> None:
    """Note that briefgen wrote data to path; never fail the command for it."""
    record = _record(root)
    record[str(path.resolve())] = _sha256(data)
    try:
        atomic_write(root / RECORD, json.dumps(record, ensure_ascii=False, sort_keys=True, indent=0))
    except OSError:
        pass


def _record(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
