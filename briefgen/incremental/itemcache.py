"""Parsed items and their rendered bodies from earlier builds, found again by file content.

Files under .briefgen-cache/items/: per shard a JSON header, sealed, and a block of bodies
(incremental.blocks) read only when a body is asked for. They are read only by the same briefgen code,
with the same briefgen.yaml and the same Markdown, YAML and sanitiser versions, as wrote
them; otherwise, or when one is damaged, they are ignored and rebuilt. JSON rather than
pickle, so that a planted cache file can never run code.

A shard is used only with this user's seal (see untrusted), and every entry read back is
checked as content is: each field of the Item of its type, dates between 1900 and 2200, the
source the very file it is stored under (a plain path under content/ ending in .md) and the
slug its stem, each problem about that file with a line and a severity, an item exactly when
there is no error, each body inside its block. An entry that fails is dropped and its file
parsed again; a body that does not match its digest is made again from its file. The body HTML is
sanitised again where it leaves the cache (content.loader): this package may not import the
sanitiser."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from briefgen.errors import Diagnostic
from briefgen.incremental import keys
from briefgen.incremental.blocks import Block, Damaged, Recover, Stored, digest, encoded, text_digest
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
from briefgen.model import GRADES, STATUSES, Body, HigherAdoption, Instruction, Item, held
from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE

_BLOCK_NAME = re.compile(r"[0-9a-f]{2}\.[0-9a-f]{20}\.bin")


class _OptionalText:
    """model.Text for a text that may be None: Parsed.html, read from its block when asked for."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _OptionalText: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> str | None: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> _OptionalText | str | None:
        if instance is None:
            raise AttributeError(self.slot)
        value: str | Stored | None = instance.__dict__[self.slot]
        return value if value is None or isinstance(value, str) else value.text()

    def __set__(self, instance: object, value: str | Stored | None) -> None:
        instance.__dict__[self.slot] = value


@dataclass(frozen=True)
class Parsed:
    """What one item file gives: the item (None if it has errors), its problems and its body as
    sanitised HTML (None for failures, unless their body could still be converted). From the
    cache, the item's Markdown and the HTML are Stored: read when asked for (model.held gives
    which, without reading)."""

    item: Item | None
    problems: tuple[Diagnostic, ...]
    html: _OptionalText = _OptionalText()
    body: Body | None = None  # a file with errors: its body, converted to html, still to be checked
    refers: bool = False  # whether html may refer to a file (content.loader.refers), known unread
    plain: str = ""  # SHA-256 of the Markdown body without white space, for bulletin.checks.duplicates


Entry = tuple[str, dict[str, Any], str, "str | Stored | None", "str | Stored | None"]  # digest, meta, state, texts


class ItemCache:
    """Stored in shards by path, so that a build after one edit rewrites one small header and
    block; under a folder named by the salt, so that another code version or config never reads
    them. A body a build does not ask for is never read (incremental.blocks)."""

    SHARDS = 64

    def __init__(self, root: Path, config_bytes: bytes, recover: Recover | None = None, spill: bool = False) -> None:
        """spill: keep the bodies put into the cache on disk (for a build, which saves them)
        rather than in memory."""
        self.parent = root / CACHE / "items"
        self.folder = self.parent / keys.item_cache_salt(config_bytes)[:24]
        self.usable = real_folder(root, self.folder)  # not a planted link to somewhere else
        self._recover = recover
        self._blocks: list[Block | None] = [None] * self.SHARDS
        self._old = [self._read(shard) for shard in range(self.SHARDS)]
        self._new: list[dict[str, Entry]] = [{} for _ in range(self.SHARDS)]
        self._dirty = [False] * self.SHARDS
        self._spill: Block | None = None
        self._memo: dict[Any, Any] = {}  # values items share, one object each (_item_from_json)
        self._spilling = spill and self.usable
        # Each stored file's shard, found once (_read has checked it is the file's own).
        self._shard_of = {source: shard for shard, entries in enumerate(self._old) for source in entries}

    def unchanged(self, source: str, state: str) -> tuple[str, Parsed] | None:
        """The digest and result of a file the last build saw in exactly this state (size,
        times, inode), without reading it."""
        shard = self._shard_of.get(source)
        if not state or shard is None or self._old[shard][source][2] != state:
            return None
        entry = self._old[shard][source]
        parsed = self._take(source, shard, entry, state)
        return None if parsed is None else (entry[0], parsed)

    def get(self, source: str, digest: str, state: str) -> Parsed | None:
        """The earlier result for this file with exactly this content, if there is one."""
        shard = self._shard_of.get(source)
        if shard is None or self._old[shard][source][0] != digest:
            return None
        return self._take(source, shard, self._old[shard][source], state)

    def put(self, source: str, digest: str, state: str, parsed: Parsed) -> Parsed:
        """Keep parsed for the file; what to use of it from now on (with spill, the same with
        the texts of an item on disk)."""
        shard = _shard(source, self.SHARDS)
        item = parsed.item
        markdown = _markdown(item) if item is not None else None if parsed.body is None else parsed.body.body
        html = _html(parsed)
        if item is not None and self._spilling:
            try:
                parsed, markdown, html = self._spilled(source, parsed, item)
            except OSError:
                self._spilling = False
        self._new[shard][source] = (digest, _meta_to_json(parsed), state, markdown, html)
        self._dirty[shard] = True
        return parsed

    def _spilled(self, source: str, parsed: Parsed, item: Item) -> tuple[Parsed, Stored, Stored | None]:
        if self._spill is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._spill = Block.spill(self.folder, self._recover)
        markdown = self._spill.add(source, "markdown", item.body)
        html = parsed.html
        stored = None if html is None else self._spill.add(source, "html", html)
        return dataclasses.replace(parsed, item=dataclasses.replace(item, body=markdown), html=stored), markdown, stored

    def _take(self, source: str, shard: int, entry: list[Any], state: str) -> Parsed | None:
        block = self._blocks[shard]
        texts = [None if ref is None or block is None else Stored(block, source, kind, *ref)
                 for kind, ref in (("markdown", entry[3]), ("html", entry[4]))]
        try:
            parsed = _parsed_from_json(entry[1], texts[0], texts[1], self._memo)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError, OSError):
            return None  # Damaged and UnicodeDecodeError are ValueErrors
        if not _belongs(parsed, source):
            return None
        self._new[shard][source] = (entry[0], entry[1], state, *texts)
        self._dirty[shard] |= state != entry[2]
        return parsed

    def save(self) -> None:
        """Write the shards that changed, with this build's entries only (deleted files drop out),
        and remove caches of other salts; never fail the build."""
        if not self.usable:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for shard, (old, new) in enumerate(zip(self._old, self._new, strict=True)):
                if self._dirty[shard] or new.keys() != old.keys():
                    self._write(shard, new)
            for other in self.parent.iterdir():
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass

    def _write(self, shard: int, new: dict[str, Entry]) -> None:
        """One shard: its block first, then the header that describes it, then the old blocks go."""
        chunks: list[bytes] = []
        entries: dict[str, list[Any]] = {}
        offset = 0
        for source, (file_digest, meta, state, *texts) in new.items():
            refs: list[list[Any] | None] = []
            try:
                datas = [None if text is None else encoded(text) for text in texts]
            except (Damaged, OSError):
                continue  # made again next time
            for text, data in zip(texts, datas, strict=True):
                if text is None or data is None:
                    refs.append(None)
                    continue
                refs.append([offset, len(data), text_digest(text)])
                chunks.append(data)
                offset += len(data)
            entries[source] = [file_digest, meta, state, *refs]
        block = b"".join(chunks)
        name = f"{shard:02x}.{digest(block)[:20]}.bin"
        atomic_write(self.folder / name, block)  # again even when there: a damaged one may be
        # dumps, not dump: only dumps encodes in C
        header = json.dumps({"block": name, "size": len(block), "entries": entries},
                            ensure_ascii=False, separators=(",", ":"))
        atomic_write(self.folder / f"{shard:02x}.json", seal_text(header.encode("utf-8", "surrogatepass")))
        for old in self.folder.glob(f"{shard:02x}.*.bin"):
            if old.name != name:
                old.unlink(missing_ok=True)  # a block already open is still read by its holder

    def _read(self, shard: int) -> dict[str, list[Any]]:
        if not self.usable:
            return {}
        try:
            body = unseal_text((self.folder / f"{shard:02x}.json").read_bytes())
            header = None if body is None else json.loads(body)
            if not isinstance(header, dict):
                return {}
            entries, name, size = header.get("entries"), header.get("block"), header.get("size")
            if not (isinstance(entries, dict) and isinstance(name, str) and _BLOCK_NAME.fullmatch(name)
                    and name.startswith(f"{shard:02x}.") and isinstance(size, int) and count(size)):
                return {}
            self._blocks[shard] = Block(str(self.folder / name), size, self._recover)
        except (OSError, ValueError):
            return {}
        return {source: entry for source, entry in entries.items()
                if isinstance(entry, list) and len(entry) == 5 and isinstance(entry[0], str)
                and isinstance(entry[2], str) and _shard(source, self.SHARDS) == shard
                and _ref(entry[3], size) and _ref(entry[4], size)}


def _ref(value: object, size: int) -> bool:
    """Whether value says where a body is in a block of size bytes (or that there is none)."""
    return value is None or (isinstance(value, list) and len(value) == 3 and count(value[0]) and count(value[1])
                             and value[0] + value[1] <= size and isinstance(value[2], str) and len(value[2]) == 64)


def _markdown(item: Item) -> str | Stored:
    value = held(item, "body")
    assert isinstance(value, (str, Stored))
    return value


def _html(parsed: Parsed) -> str | Stored | None:
    value = held(parsed, "html")
    assert value is None or isinstance(value, (str, Stored))
    return value


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
        return failed and (_html(parsed) is None) == (body is None) and (body is None or body.source == source)
    return (not failed and parsed.body is None and parsed.item.source == source
            and parsed.item.slug == _stem(source))


def _stem(source: str) -> str:
    """Path(source).stem for a path ending in .md, without making a Path."""
    name = source.rsplit("/", 1)[-1]
    return name if name == ".md" else name[:-3]


def _meta_to_json(parsed: Parsed) -> dict[str, Any]:
    """All of a result but its texts, which go into the block."""
    return {
        "item": None if parsed.item is None else _item_to_json(parsed.item),
        "problems": [[p.path, p.line, p.severity, p.message, p.hint] for p in parsed.problems],
        "body": None if parsed.body is None else [parsed.body.source, parsed.body.body_line],
        "refers": parsed.refers, "plain": parsed.plain,
    }


def _parsed_from_json(data: dict[str, Any], markdown: Stored | None, html: Stored | None,
                      memo: dict[Any, Any] | None = None) -> Parsed:
    """The result stored by _meta_to_json, each part of its type, with its texts where they are
    stored: the Markdown of an item or of a file with errors, and the HTML when it was converted;
    TypeError or ValueError else. A file with errors has its body read at once (it is checked)."""
    refers, plain = data["refers"], data["plain"]
    if not isinstance(refers, bool) or not isinstance(plain, str) or (refers and html is None):
        raise TypeError("refers or plain")
    if (markdown is None) != (data["item"] is None and data["body"] is None):
        raise ValueError("a body without its text, or a text without its body")
    item = None if markdown is None or data["item"] is None else _item_from_json(data["item"], markdown, memo)
    problems = tuple(_problem(p) for p in _list(data["problems"]))
    found = None
    if markdown is not None and data["body"] is not None:
        body = _list(data["body"], 2)
        found = Body(_str(body[0]), markdown.text(), _count(body[1]))
    return Parsed(item, problems, html, found, refers, plain)


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
        "date": _day(item.date), "topic": item.topic, "body_line": item.body_line,
        "authors": list(item.authors), "tags": list(item.tags), "grade": item.grade, "weight": item.weight,
        "summary": item.summary, "note": item.note, "status": item.status, "review": item.review,
        "issue": item.issue, "call": item.call,
        "adopted_by": [[a.by, a.level, _day(a.date)] for a in item.adopted_by],
        "instructions": [[i.leader, i.level, _day(i.date), i.text] for i in item.instructions],
        "submitted": _day(item.submitted), "field_lines": dict(item.field_lines),
    }


_TEXTS = ("source", "slug", "title", "unit", "topic", "summary", "note", "grade", "status", "review",
          "issue", "call")
_GRADES = ("", *GRADES)


_SHARED = ("unit", "topic", "status", "grade", "issue", "call")  # a few values among many items


def _item_from_json(data: object, body: Stored, memo: dict[Any, Any] | None = None) -> Item:
    """The Item stored by _item_to_json, with its body where it is stored, each field of its
    type; TypeError or ValueError else.
    Ten thousand of them are read on every build: the checks of many texts are done at once, and
    values many items have alike (a unit, the lines of the fields, a tag) are one object in memo."""
    if not isinstance(data, dict):
        raise TypeError("item")
    memo = {} if memo is None else memo
    texts = {name: data[name] for name in _TEXTS}
    for name in _SHARED:
        if isinstance(texts[name], str):
            texts[name] = memo.setdefault(texts[name], texts[name])
    tags, authors = tuple(_list(data["tags"])), tuple(_list(data["authors"]))
    if not {*map(type, texts.values()), *map(type, tags), *map(type, authors)} <= {str}:
        raise TypeError("not text")
    if texts["status"] not in STATUSES or texts["grade"] not in _GRADES:
        raise ValueError("status or grade")
    lines = data["field_lines"]
    if not isinstance(lines, dict) or not set(map(type, lines)) <= {str} or not all(map(count, lines.values())):
        raise TypeError("field_lines")
    lines = memo.setdefault(("lines", *lines.items()), lines)  # never changed: Item gives a Mapping
    tags = memo.setdefault(("tags", *tags), tags)
    adopted = [_list(entry, 3) for entry in _list(data["adopted_by"])]
    instructions = [_list(entry, 4) for entry in _list(data["instructions"])]
    return Item(
        **texts, body=body, date=day(data["date"]), body_line=_count(data["body_line"]), tags=tags, authors=authors,
        weight=_int(data["weight"]),
        adopted_by=tuple(HigherAdoption(_str(by), _str(level), optional_day(when)) for by, level, when in adopted),
        instructions=tuple(Instruction(_str(leader), _str(level), optional_day(when), _str(text))
                           for leader, level, when, text in instructions),
        submitted=optional_day(data["submitted"]), field_lines=lines,
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
