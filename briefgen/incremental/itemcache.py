"""Parsed items and their rendered bodies from earlier builds, found again by file content.

JSON files under .briefgen-cache/items/. They are read only by the same briefgen code,
with the same briefgen.yaml and the same Markdown, YAML and sanitiser versions, as wrote
them; otherwise, or when one is damaged, they are ignored and rebuilt. JSON rather than
pickle, so that a planted cache file can never run code.

A shard is used only with this user's seal (see untrusted), and every entry read back is
checked as content is: each field of the Item of its type, dates between 1900 and 2200, the
source the very file it is stored under (a plain path under content/ ending in .md) and the
slug its stem, each problem about that file with a line and a severity, an item exactly when
there is no error. An entry that fails is dropped and its file parsed again. The body HTML is
sanitised again where it leaves the cache (content.loader): this package may not import the
sanitiser."""

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
from briefgen.incremental.untrusted import (
    count,
    day,
    optional_day,
    problem,
    real_folder,
    relative_inside,
    seal_text,
    unseal_text,
)
from briefgen.model import GRADES, STATUSES, Body, HigherAdoption, Instruction, Item
from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE


@dataclass(frozen=True)
class Parsed:
    """What one item file gives: the item (None if it has errors), its problems and its body as
    sanitised HTML (None for failures, unless their body could still be converted)."""

    item: Item | None
    problems: tuple[Diagnostic, ...]
    html: str | None
    body: Body | None = None  # a file with errors: its body, converted to html, still to be checked


class ItemCache:
    """Stored in shards by path, so that a build after one edit rewrites one small file; under
    a folder named by the salt, so that another code version or config never reads them."""

    SHARDS = 64

    def __init__(self, root: Path, config_bytes: bytes) -> None:
        self.parent = root / CACHE / "items"
        self.folder = self.parent / keys.item_cache_salt(config_bytes)[:24]
        self.usable = real_folder(root, self.folder)  # not a planted link to somewhere else
        self._old = [self._read(shard) for shard in range(self.SHARDS)]
        self._new: list[dict[str, list[Any]]] = [{} for _ in range(self.SHARDS)]
        # Each stored file's shard, found once (_read has checked it is the file's own).
        self._shard_of = {source: shard for shard, entries in enumerate(self._old) for source in entries}

    def unchanged(self, source: str, state: str) -> tuple[str, Parsed] | None:
        """The digest and result of a file the last build saw in exactly this state (size,
        times, inode), without reading it."""
        shard = self._shard_of.get(source)
        if not state or shard is None or self._old[shard][source][2] != state:
            return None
        entry = self._old[shard][source]
        parsed = self._take(source, shard, entry)
        return None if parsed is None else (entry[0], parsed)

    def get(self, source: str, digest: str, state: str) -> Parsed | None:
        """The earlier result for this file with exactly this content, if there is one."""
        shard = self._shard_of.get(source)
        if shard is None or self._old[shard][source][0] != digest:
            return None
        return self._take(source, shard, [digest, self._old[shard][source][1], state])

    def put(self, source: str, digest: str, state: str, parsed: Parsed) -> None:
        self._new[_shard(source, self.SHARDS)][source] = [digest, _parsed_to_json(parsed), state]

    def _take(self, source: str, shard: int, entry: list[Any]) -> Parsed | None:
        try:
            parsed = _parsed_from_json(entry[1])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError):
            return None
        if not _belongs(parsed, source):
            return None
        self._new[shard][source] = entry
        return parsed

    def save(self) -> None:
        """Write the shards that changed, with this build's entries only (deleted files drop out),
        and remove caches of other salts; never fail the build."""
        if not self.usable:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for shard, (old, new) in enumerate(zip(self._old, self._new, strict=True)):
                if new == old:
                    continue
                path = self.folder / f"{shard:02x}.json"
                # dumps, not dump: only dumps encodes in C
                body = json.dumps(new, ensure_ascii=False, separators=(",", ":"))
                atomic_write(path, seal_text(body.encode("utf-8", "surrogatepass")))
            for other in self.parent.iterdir():
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass

    def _read(self, shard: int) -> dict[str, list[Any]]:
        if not self.usable:
            return {}
        try:
            body = unseal_text((self.folder / f"{shard:02x}.json").read_bytes())
            entries = None if body is None else json.loads(body)
        except (OSError, ValueError):
            return {}
        if not isinstance(entries, dict):
            return {}
        return {source: entry for source, entry in entries.items()
                if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
                and isinstance(entry[2], str) and _shard(source, self.SHARDS) == shard}


def _shard(source: str, shards: int) -> int:
    return zlib.crc32(source.encode("utf-8", "surrogatepass")) % shards


def _belongs(parsed: Parsed, source: str) -> bool:
    """Whether a result read back is one a build could have made for the file at source: its
    item is that file's, its problems are about that file, and it has an item exactly when it
    has no error (a result with neither would drop the item unseen); a body still to be checked
    comes only with an error, with its html, and is that file's."""
    if not (relative_inside(source) and source.startswith("content/") and source.endswith(".md")):
        return False
    if any(problem.path != source for problem in parsed.problems):
        return False
    failed = any(problem.is_error for problem in parsed.problems)
    if parsed.item is None:
        body = parsed.body
        return failed and (parsed.html is None) == (body is None) and (body is None or body.source == source)
    return (not failed and parsed.body is None and parsed.item.source == source
            and parsed.item.slug == _stem(source))


def _stem(source: str) -> str:
    """Path(source).stem for a path ending in .md, without making a Path."""
    name = source.rsplit("/", 1)[-1]
    return name if name == ".md" else name[:-3]


def _parsed_to_json(parsed: Parsed) -> dict[str, Any]:
    return {
        "item": None if parsed.item is None else _item_to_json(parsed.item),
        "problems": [[p.path, p.line, p.severity, p.message, p.hint] for p in parsed.problems],
        "html": parsed.html,
        "body": None if parsed.body is None else [parsed.body.source, parsed.body.body, parsed.body.body_line],
    }


def _parsed_from_json(data: dict[str, Any]) -> Parsed:
    """The result stored by _parsed_to_json, each part of its type; TypeError or ValueError else."""
    item = None if data["item"] is None else _item_from_json(data["item"])
    problems = tuple(_problem(p) for p in _list(data["problems"]))
    html = data["html"]
    if html is not None and not isinstance(html, str):
        raise TypeError("html")
    body = None if data["body"] is None else _list(data["body"], 3)
    return Parsed(item, problems, html, None if body is None else Body(_str(body[0]), _str(body[1]), _count(body[2])))


def _problem(value: object) -> Diagnostic:
    fields = _list(value, 5)
    if not problem(*fields):
        raise ValueError(f"not a problem: {fields!r}")
    return Diagnostic(*fields)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _item_to_json(item: Item) -> dict[str, Any]:
    return {
        "source": item.source, "slug": item.slug, "title": item.title, "unit": item.unit,
        "date": _day(item.date), "topic": item.topic, "body": item.body, "body_line": item.body_line,
        "authors": list(item.authors), "tags": list(item.tags), "grade": item.grade, "weight": item.weight,
        "summary": item.summary, "note": item.note, "status": item.status, "review": item.review,
        "issue": item.issue, "call": item.call,
        "adopted_by": [[a.by, a.level, _day(a.date)] for a in item.adopted_by],
        "instructions": [[i.leader, i.level, _day(i.date), i.text] for i in item.instructions],
        "submitted": _day(item.submitted), "field_lines": dict(item.field_lines),
    }


_TEXTS = ("source", "slug", "title", "unit", "topic", "body", "summary", "note", "grade", "status", "review",
          "issue", "call")
_GRADES = ("", *GRADES)


def _item_from_json(data: object) -> Item:
    """The Item stored by _item_to_json, each field of its type; TypeError or ValueError else.
    Ten thousand of them are read on every build: the checks of many texts are done at once."""
    if not isinstance(data, dict):
        raise TypeError("item")
    texts = {name: data[name] for name in _TEXTS}
    tags, authors = tuple(_list(data["tags"])), tuple(_list(data["authors"]))
    if not {*map(type, texts.values()), *map(type, tags), *map(type, authors)} <= {str}:
        raise TypeError("not text")
    if texts["status"] not in STATUSES or texts["grade"] not in _GRADES:
        raise ValueError("status or grade")
    lines = data["field_lines"]
    if not isinstance(lines, dict) or not set(map(type, lines)) <= {str} or not all(map(count, lines.values())):
        raise TypeError("field_lines")
    adopted = [_list(entry, 3) for entry in _list(data["adopted_by"])]
    instructions = [_list(entry, 4) for entry in _list(data["instructions"])]
    return Item(
        **texts, date=day(data["date"]), body_line=_count(data["body_line"]), tags=tags, authors=authors,
        weight=_int(data["weight"]),
        adopted_by=tuple(HigherAdoption(_str(by), _str(level), optional_day(when)) for by, level, when in adopted),
        instructions=tuple(Instruction(_str(leader), _str(level), optional_day(when), _str(text))
                           for leader, level, when, text in instructions),
        submitted=optional_day(data["submitted"]), field_lines=dict(lines),
    )


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not text: {value!r}")
    return value


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**53:
        raise TypeError(f"not an integer: {value!r}")
    return value


def _count(value: object) -> int:
    """A line number: an integer, 0 or more."""
    if not count(value):
        raise ValueError(f"not a line number: {value!r}")
    return _int(value)


def _list(value: object, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise TypeError(f"not a list of {length}: {value!r}")
    return value
