"""The build cache under .briefgen-cache/: PDFs by a hash of everything that makes them.

The key covers the issue (its items by their tokens, which include the files they refer
to), the settings and templates, the stylesheet, the fonts (installed and in fonts/), and
the briefgen and WeasyPrint code, so an entry is never stale. Deleting the folder is
always safe: the next build renders again.

The key is not a secret: anyone with the repository can compute it, and put any bytes under
it (see untrusted for how the cache can be planted). So a PDF is taken from the cache only
when its .json is sealed with this user's key and holds the PDF's SHA-256, which the bytes
must match, and the bytes start as a PDF does; anything else is rendered again and the entry
replaced. Pruning deletes only files named as this cache names them, and nothing is read,
written or deleted when the folder is a link to somewhere else."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path
from typing import NamedTuple, TypeGuard

from briefgen.incremental import keys
from briefgen.incremental.untrusted import real_folder, seal, unseal
from briefgen.render.fonts import font_files, installed_fonts
from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE

KEEP_DAYS = 30  # a cached PDF no build has used for this long is removed
KEY = re.compile(r"[0-9a-f]{64}")  # the name of every entry (PdfCache.key)


class Info(NamedTuple):
    """What the build needs to know of a PDF besides its bytes."""

    pages: int
    refused: dict[str, str]  # references the renderer did not load: url -> why
    colophon_alone: int  # the page the 报尾 stands alone on, or 0


class PdfCache:
    def __init__(self, root: Path, pages_base: str, stylesheet: str, remote_hosts: tuple[str, ...]) -> None:
        """pages_base digests what every page and PDF is made from (keys.pages_base); the rest of
        what a PDF is made from is added by keys.pdf_salt."""
        self.folder = root / CACHE / "pdf"
        self.usable = real_folder(root, self.folder)  # not a planted link to somewhere else
        self.salt = keys.pdf_salt(pages_base, root, fonts_fingerprint(root / "fonts"), stylesheet, remote_hosts)

    def key(self, issue_digest: str) -> str:
        """The cache key of an issue's PDF, from the digest of the issue (its items stand for their
        tokens, which cover the files they refer to)."""
        return hashlib.sha256(f"{self.salt}:{issue_digest}".encode()).hexdigest()

    def get(self, key: str) -> tuple[bytes, Info] | None:
        """The cached PDF and what is known of it; None when there is none (also for a damaged
        or planted entry)."""
        meta = self._meta(key)
        if meta is None:
            return None
        try:
            data = (self.folder / f"{key}.pdf").read_bytes()
        except OSError:
            return None
        if meta[0] != hashlib.sha256(data).hexdigest() or not data.startswith(b"%PDF-"):
            return None
        return data, meta[1]

    def info(self, key: str) -> Info | None:
        """What is known of a cached PDF, without reading the PDF."""
        meta = self._meta(key)
        return None if meta is None else meta[1]

    def _meta(self, key: str) -> tuple[str, Info] | None:
        """The SHA-256 and the rest an entry's sealed .json holds."""
        if not self.usable or not KEY.fullmatch(key):
            return None
        try:
            meta = unseal(json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None
        if meta is None:
            return None
        digest, pages, refused, alone = (meta.get("sha256"), meta.get("pages"), meta.get("refused"),
                                         meta.get("colophon_alone"))
        if (not isinstance(digest, str) or not _count(pages) or pages < 1 or not _texts(refused)
                or not _count(alone) or alone > pages):
            return None
        self._used(f"{key}.json")
        return digest, Info(pages, dict(refused), alone)

    def prune(self, unused_days: int = KEEP_DAYS) -> None:
        """Remove the PDFs no build has used for unused_days (a used entry's .json is touched),
        so the cache does not grow with every edit."""
        if not self.usable:
            return
        cutoff = time.time() - unused_days * 86400
        try:
            for meta in self.folder.glob("*.json"):
                if KEY.fullmatch(meta.stem) and meta.stat().st_mtime < cutoff:
                    meta.with_suffix(".pdf").unlink(missing_ok=True)
                    meta.unlink(missing_ok=True)
        except OSError:
            pass

    def _used(self, name: str) -> None:
        """Mark an entry used, so that prune() keeps it."""
        try:
            os.utime(self.folder / name, follow_symlinks=False)
        except OSError:
            pass

    def put(self, key: str, data: bytes, info: Info) -> None:
        """Store a PDF; a failure to write the cache never fails the build."""
        if not self.usable:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            meta = json.dumps(seal({"pages": info.pages, "refused": info.refused, "colophon_alone": info.colophon_alone,
                                    "sha256": hashlib.sha256(data).hexdigest()}), ensure_ascii=False)
            atomic_write(self.folder / f"{key}.pdf", data)
            atomic_write(self.folder / f"{key}.json", meta.encode("utf-8"))
        except OSError:
            pass


def _count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _texts(value: object) -> TypeGuard[dict[str, str]]:
    """Whether value is a mapping of text to text."""
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def fonts_fingerprint(fonts_dir: Path) -> str:
    """The installed fonts as fontconfig lists them, and the files in the repository's fonts/
    (installing a font changes PDFs)."""
    listed = hashlib.sha256(repr(installed_fonts()).encode()).hexdigest()
    return "\n".join([listed, *(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in font_files(fonts_dir))])
