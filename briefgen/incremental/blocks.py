"""Item bodies kept apart from the item cache's sealed headers, read only when asked for.

Each shard of the item cache is a small sealed JSON header (incremental.itemcache) and a block:
the Markdown and HTML of its items, UTF-8, one after another. The header gives each body's
offset, length and SHA-256, so that a body read back is exactly what this user's build wrote
(the seal covers the digests, the digests cover the bytes) and the block needs no seal of its
own. A block is named by its content and opened when its header is read, so a later save,
which writes a new block and then a new header, never changes what an open one reads."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

Recover = Callable[[str, str, str], str]  # (item file, "markdown" or "html", SHA-256) -> the text again


class Damaged(ValueError):
    """A body read from a block is not the one its header describes."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Block:
    """One shard's block of bodies, open for as long as anything may read from it (forked
    workers too: os.pread does not share a file position)."""

    def __init__(self, path: str, size: int, recover: Recover | None) -> None:
        self.path = path
        self.file = open(path, "rb", buffering=0)  # noqa: SIM115 -- kept open, closed with the object
        self.size = size
        self.recover = recover
        if os.fstat(self.file.fileno()).st_size != size:
            self.file.close()
            raise Damaged(path)

    def raw(self, offset: int, length: int, sha256: str) -> bytes:
        """The bytes of one body, checked against its digest; Damaged if they are not its."""
        data = os.pread(self.file.fileno(), length, offset)
        if len(data) != length or digest(data) != sha256:
            raise Damaged(f"{offset}+{length}")
        return data

    @classmethod
    def spill(cls, folder: Path, recover: Recover | None) -> Block:
        """A block without a name, in folder, gone when the process ends: where a build puts the
        bodies it converts as they come, rather than holding them all until they are saved."""
        block = cls.__new__(cls)
        block.path, block.size, block.recover = "", 0, recover
        block.file = tempfile.TemporaryFile(dir=folder, buffering=0)  # noqa: SIM115 -- as open above
        return block

    def add(self, source: str, kind: str, text: str) -> Stored:
        """Append text to a spill block; where it is now."""
        data = text.encode("utf-8", "surrogatepass")
        os.pwrite(self.file.fileno(), data, self.size)
        stored = Stored(self, source, kind, self.size, len(data), digest(data))
        self.size += len(data)
        return stored

    def discard(self) -> None:
        """Delete the block, found damaged, so that the next build parses its files again and
        writes a whole one (it holds nothing else); this one goes on reading what it has open."""
        try:
            if self.path and os.path.samestat(os.stat(self.path), os.fstat(self.file.fileno())):
                os.unlink(self.path)
        except OSError:
            pass


class Stored:
    """Where one body is: read, checked and decoded each time it is asked for (content.loader
    keeps what it needs), nothing of it held in memory. Should the block prove damaged, the body
    is made again from its file (recover), never taken as it reads."""

    __slots__ = ("block", "source", "kind", "offset", "length", "sha256")

    def __init__(self, block: Block, source: str, kind: str, offset: int, length: int, sha256: str) -> None:
        self.block, self.source, self.kind = block, source, kind
        self.offset, self.length, self.sha256 = offset, length, sha256

    def raw(self) -> bytes:
        """The body's UTF-8 bytes, checked."""
        return self.block.raw(self.offset, self.length, self.sha256)

    def text(self) -> str:
        try:
            return self.raw().decode("utf-8", "surrogatepass")
        except (Damaged, OSError, UnicodeDecodeError):
            self.block.discard()
            if self.block.recover is None:
                raise
            return self.block.recover(self.source, self.kind, self.sha256)


def text_digest(text: str | Stored) -> str:
    """The SHA-256 of a body's UTF-8 bytes, without reading a stored one."""
    return text.sha256 if isinstance(text, Stored) else digest(text.encode("utf-8", "surrogatepass"))


def encoded(text: str | Stored) -> bytes:
    """A body's UTF-8 bytes, to write into a new block; Damaged if a stored one is not its own."""
    return text.raw() if isinstance(text, Stored) else text.encode("utf-8", "surrogatepass")
