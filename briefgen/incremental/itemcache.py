"""Parsed items and their rendered bodies from earlier builds, found again by file content.

Files under .briefgen-cache/items/: per shard a JSON header, sealed (each result in the form of
incremental.parsed), and a block of bodies (incremental.blocks) read only when a body is asked
for. A shard is read when a file of it is first asked for, so that a build that holds its
results already (incremental.warm) reads only the shards of the files that changed. They are
read only by the same briefgen code, with the same briefgen.yaml and the same Markdown, YAML and
sanitiser versions, as wrote them; otherwise, or when one is damaged, they are ignored and rebuilt. JSON rather than
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
import json
import re
import shutil
import zlib
from pathlib import Path
from typing import Any

from briefgen.incremental import keys
from briefgen.incremental.blocks import Block, Damaged, Recover, Stored, digest, encoded, text_digest
from briefgen.incremental.parsed import Parsed, meta_to_json, parsed_from_json
from briefgen.incremental.untrusted import (
    count,
    real_folder,
    relative_inside,
    seal_text,
    unseal_text,
)
from briefgen.model import Item, held
from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE

_BLOCK_NAME = re.compile(r"[0-9a-f]{2}\.[0-9a-f]{20}\.bin")


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
        self._old: list[dict[str, list[Any]] | None] = [None] * self.SHARDS  # read when first asked
        self._new: list[dict[str, Entry]] = [{} for _ in range(self.SHARDS)]
        self._kept: list[set[str]] = [set() for _ in range(self.SHARDS)]
        self._dirty = [False] * self.SHARDS
        self._spill: Block | None = None
        self._memo: dict[Any, Any] = {}  # values items share, one object each (parsed.parsed_from_json)
        self._spilling = spill and self.usable

    def unchanged(self, source: str, state: str) -> tuple[str, Parsed] | None:
        """The digest and result of a file the last build saw in exactly this state (size,
        times, inode), without reading it."""
        shard = _shard(source, self.SHARDS)
        entry = self._entries(shard).get(source)
        if not state or entry is None or entry[2] != state:
            return None
        parsed = self._take(source, shard, entry, state)
        return None if parsed is None else (entry[0], parsed)

    def get(self, source: str, digest: str, state: str) -> Parsed | None:
        """The earlier result for this file with exactly this content, if there is one."""
        shard = _shard(source, self.SHARDS)
        entry = self._entries(shard).get(source)
        if entry is None or entry[0] != digest:
            return None
        return self._take(source, shard, entry, state)

    def keep(self, source: str) -> None:
        """Keep what is stored for a file whose result the caller still holds from the last
        build (commands.serve): its shard is not read for it, and is written again only if
        another of its files changed."""
        self._kept[_shard(source, self.SHARDS)].add(source)

    def forget(self, source: str) -> None:
        """Drop what is stored for a file that is gone (one the caller knew, and did not ask for)."""
        shard = _shard(source, self.SHARDS)
        self._dirty[shard] |= source in self._entries(shard)

    def _entries(self, shard: int) -> dict[str, list[Any]]:
        old = self._old[shard]
        if old is None:
            old = self._old[shard] = self._read(shard)
        return old

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
        self._new[shard][source] = (digest, meta_to_json(parsed), state, markdown, html)
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
        digest, meta, _, markdown, html = self._stored(source, shard, entry)
        try:
            parsed = parsed_from_json(meta, markdown, html, self._memo)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError, OSError):
            return None  # Damaged and UnicodeDecodeError are ValueErrors
        if not _belongs(parsed, source):
            return None
        self._new[shard][source] = (digest, meta, state, markdown, html)
        self._dirty[shard] |= state != entry[2]
        return parsed

    def _stored(self, source: str, shard: int, entry: list[Any]) -> tuple[str, dict[str, Any], str, Stored | None,
                                                                           Stored | None]:
        """A stored entry as put() keeps one, its texts where they are in the shard's block."""
        block = self._blocks[shard]
        markdown, html = [None if ref is None or block is None else Stored(block, source, kind, *ref)
                          for kind, ref in (("markdown", entry[3]), ("html", entry[4]))]
        return entry[0], entry[1], entry[2], markdown, html

    def save(self) -> None:
        """Write the shards that changed, with this build's entries only (deleted files drop out),
        and remove caches of other salts; never fail the build."""
        if not self.usable:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for shard, new in enumerate(self._new):
                if self._old[shard] is None and not new:
                    continue  # neither read nor put: none of its files changed, none went
                old = self._entries(shard)
                for source in self._kept[shard] - new.keys():
                    if source in old:
                        new[source] = self._stored(source, shard, old[source])
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
