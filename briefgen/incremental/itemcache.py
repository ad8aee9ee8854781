"""Parsed items and their rendered bodies from earlier builds, found again by file content.

JSON files under .briefgen-cache/items/. They are read only by the same briefgen code,
with the same briefgen.yaml and the same Markdown, YAML and sanitiser versions, as wrote
them; otherwise, or when one is damaged, they are ignored and rebuilt. JSON rather than
pickle, so that a planted cache file can never run code."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.errors import Diagnostic
from briefgen.incremental import keys
from briefgen.model import HigherAdoption, Instruction, Item
from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE


@dataclass(frozen=True)
class Parsed:
    """What one item file gives: the item (None if it has errors), its problems and its body as
    sanitised HTML (None for failures)."""

    item: Item | None
    problems: tuple[Diagnostic, ...]
    html: str | None


class ItemCache:
    """Stored in shards by path, so that a build after one edit rewrites one small file; under
    a folder named by the salt, so that another code version or config never reads them."""

    SHARDS = 64

    def __init__(self, root: Path, config_bytes: bytes) -> None:
        self.parent = root / CACHE / "items"
        self.folder = self.parent / keys.item_cache_salt(config_bytes)[:24]
        self._old = [self._read(shard) for shard in range(self.SHARDS)]
        self._new: list[dict[str, list[Any]]] = [{} for _ in range(self.SHARDS)]

    def unchanged(self, source: str, state: str) -> tuple[str, Parsed] | None:
        """The digest and result of a file the last build saw in exactly this state (size,
        times, inode), without reading it."""
        entry = self._old[_shard(source, self.SHARDS)].get(source)
        if not state or entry is None or entry[2] != state:
            return None
        parsed = self._take(source, entry)
        return None if parsed is None else (entry[0], parsed)

    def get(self, source: str, digest: str, state: str) -> Parsed | None:
        """The earlier result for this file with exactly this content, if there is one."""
        entry = self._old[_shard(source, self.SHARDS)].get(source)
        if entry is None or entry[0] != digest:
            return None
        return self._take(source, [digest, entry[1], state])

    def put(self, source: str, digest: str, state: str, parsed: Parsed) -> None:
        self._new[_shard(source, self.SHARDS)][source] = [digest, _parsed_to_json(parsed), state]

    def _take(self, source: str, entry: list[Any]) -> Parsed | None:
        try:
            parsed = _parsed_from_json(entry[1])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None
        self._new[_shard(source, self.SHARDS)][source] = entry
        return parsed

    def save(self) -> None:
        """Write the shards that changed, with this build's entries only (deleted files drop out),
        and remove caches of other salts; never fail the build."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for shard, (old, new) in enumerate(zip(self._old, self._new, strict=True)):
                if new == old:
                    continue
                path = self.folder / f"{shard:02x}.json"
                # dumps, not dump: only dumps encodes in C
                atomic_write(path, json.dumps(new, ensure_ascii=False, separators=(",", ":")))
            for other in self.parent.iterdir():
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass

    def _read(self, shard: int) -> dict[str, list[Any]]:
        try:
            data = json.loads((self.folder / f"{shard:02x}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {source: entry for source, entry in data.items()
                if isinstance(entry, list) and len(entry) == 3 and _shard(source, self.SHARDS) == shard}


def _shard(source: str, shards: int) -> int:
    return zlib.crc32(source.encode("utf-8")) % shards


def _parsed_to_json(parsed: Parsed) -> dict[str, Any]:
    return {
        "item": None if parsed.item is None else _item_to_json(parsed.item),
        "problems": [[p.path, p.line, p.severity, p.message, p.hint] for p in parsed.problems],
        "html": parsed.html,
    }


def _parsed_from_json(data: dict[str, Any]) -> Parsed:
    item = None if data["item"] is None else _item_from_json(data["item"])
    problems = tuple(Diagnostic(str(p[0]), int(p[1]), str(p[2]), str(p[3]), str(p[4])) for p in data["problems"])
    html = data["html"]
    if html is not None and not isinstance(html, str):
        raise TypeError("html")
    return Parsed(item, problems, html)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _undate(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _item_to_json(item: Item) -> dict[str, Any]:
    return {
        "source": item.source, "slug": item.slug, "title": item.title, "unit": item.unit,
        "date": _day(item.date), "topic": item.topic, "body": item.body, "body_line": item.body_line,
        "author": item.author, "tags": list(item.tags), "grade": item.grade, "weight": item.weight,
        "summary": item.summary, "note": item.note, "status": item.status,
        "adopted_by": [[a.by, a.level, _day(a.date)] for a in item.adopted_by],
        "instructions": [[i.leader, i.level, _day(i.date), i.text] for i in item.instructions],
        "submitted": _day(item.submitted), "field_lines": dict(item.field_lines),
    }


def _item_from_json(data: dict[str, Any]) -> Item:
    return Item(
        source=data["source"], slug=data["slug"], title=data["title"], unit=data["unit"],
        date=dt.date.fromisoformat(data["date"]), topic=data["topic"], body=data["body"],
        body_line=int(data["body_line"]), author=data["author"], tags=tuple(data["tags"]),
        grade=data["grade"], weight=int(data["weight"]), summary=data["summary"], note=data["note"],
        status=data["status"],
        adopted_by=tuple(HigherAdoption(by, level, _undate(day)) for by, level, day in data["adopted_by"]),
        instructions=tuple(Instruction(leader, level, _undate(day), text)
                           for leader, level, day, text in data["instructions"]),
        submitted=_undate(data["submitted"]),
        field_lines={str(k): int(v) for k, v in data["field_lines"].items()},
    )
