"""Parsed items and their rendered bodies from earlier builds, found again by file content.

One JSON file under .briefgen-cache/. It is used only when it was written by the same
briefgen code, with the same briefgen.yaml and the same Markdown, YAML and sanitiser
versions; otherwise, or when it is damaged, it is ignored and rebuilt. JSON rather than
pickle, so that a planted cache file can never run code."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.cache import CACHE, code_fingerprint, package_version
from briefgen.errors import Diagnostic
from briefgen.model import HigherAdoption, Instruction, Item

FORMAT = 1


@dataclass(frozen=True)
class Parsed:
    """What one item file gives: the item (None if it has errors), its problems and its body as
    sanitised HTML (None for drafts and failures)."""

    item: Item | None
    problems: tuple[Diagnostic, ...]
    html: str | None
    meta: str = ""  # a digest of the item without its body (what the statistics read)


class ItemCache:
    def __init__(self, root: Path, config_bytes: bytes) -> None:
        self.path = root / CACHE / "items.json"
        salt = hashlib.sha256()
        for part in (str(FORMAT), code_fingerprint(), package_version("markdown"), package_version("nh3"),
                     package_version("pyyaml")):
            salt.update(part.encode("utf-8") + b"\0")
        salt.update(config_bytes)
        self.salt = salt.hexdigest()
        self._old = self._read()
        self._new: dict[str, list[Any]] = {}

    def get(self, source: str, digest: str) -> Parsed | None:
        """The earlier result for this file with exactly this content, if there is one."""
        entry = self._old.get(source)
        if entry is None or entry[0] != digest:
            return None
        try:
            parsed = _parsed_from_json(entry[1])
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        self._new[source] = entry
        return parsed

    def put(self, source: str, digest: str, parsed: Parsed) -> None:
        self._new[source] = [digest, _parsed_to_json(parsed)]

    def save(self) -> None:
        """Write the entries of this build only (deleted files drop out); never fail the build."""
        if self._new == self._old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            with partial.open("w", encoding="utf-8") as stream:
                json.dump({"salt": self.salt, "items": self._new}, stream, ensure_ascii=False,
                          separators=(",", ":"))
            partial.replace(self.path)
        except OSError:
            pass

    def _read(self) -> dict[str, list[Any]]:
        try:
            with self.path.open(encoding="utf-8") as stream:
                data = json.load(stream)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("salt") != self.salt or not isinstance(data.get("items"), dict):
            return {}
        return data["items"]


def _parsed_to_json(parsed: Parsed) -> dict[str, Any]:
    return {
        "item": None if parsed.item is None else _item_to_json(parsed.item),
        "problems": [[p.path, p.line, p.severity, p.message, p.hint] for p in parsed.problems],
        "html": parsed.html,
        "meta": parsed.meta,
    }


def _parsed_from_json(data: dict[str, Any]) -> Parsed:
    item = None if data["item"] is None else _item_from_json(data["item"])
    problems = tuple(Diagnostic(str(p[0]), int(p[1]), str(p[2]), str(p[3]), str(p[4])) for p in data["problems"])
    html = data["html"]
    if html is not None and not isinstance(html, str):
        raise TypeError("html")
    return Parsed(item, problems, html, str(data["meta"]))


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
