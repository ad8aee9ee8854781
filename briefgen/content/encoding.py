"""Convert item and settings files saved as GBK/GB18030 or UTF-16 to UTF-8, keeping a backup."""

from __future__ import annotations

from pathlib import Path

from briefgen.config.settings import Config
from briefgen.storage.atomic import atomic_write

BACKUP = ".briefgen-backup"


def convertible(raw: bytes) -> str | None:
    """The encoding to convert from, or None when the bytes are UTF-8 (or undecodable)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return None


def fix_encodings(config: Config) -> list[tuple[str, str]]:
    """Convert every convertible file under content/; return (file, backup) pairs, relative to root."""
    converted = []
    for path in sorted(config.content_dir.rglob("*")) if config.content_dir.is_dir() else []:
        if path.suffix not in (".md", ".yaml") or not path.is_file() or path.is_symlink():
            continue
        raw = path.read_bytes()
        source = convertible(raw)
        if source is None:
            continue
        rel = path.relative_to(config.root)
        backup = _free(config.root / BACKUP / rel)
        atomic_write(backup, raw)
        atomic_write(path, raw.decode(source).lstrip("\ufeff"))
        converted.append((rel.as_posix(), backup.relative_to(config.root).as_posix()))
    return converted


def _free(path: Path) -> Path:
    """path, or path.1, path.2 … if an earlier backup is already there."""
    candidate, number = path, 0
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.{number}")
    return candidate
