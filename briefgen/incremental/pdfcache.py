"""The build cache under .briefgen-cache/: PDFs by a hash of everything that makes them.

The key covers the issue (its items by their tokens, which include the files they refer
to), the settings and templates, the stylesheet, the fonts (installed and in fonts/), and
the briefgen and WeasyPrint code, so an entry is never stale. Deleting the folder is
always safe: the next build renders again."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from briefgen.incremental import keys
from briefgen.render.fonts import font_files, installed_fonts
from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE

KEEP_DAYS = 30  # a cached PDF no build has used for this long is removed


class PdfCache:
    def __init__(self, root: Path, pages_base: str, stylesheet: str, remote_hosts: tuple[str, ...]) -> None:
        """pages_base digests what every page and PDF is made from (keys.pages_base); the rest of
        what a PDF is made from is added by keys.pdf_salt."""
        self.folder = root / CACHE / "pdf"
        self.salt = keys.pdf_salt(pages_base, root, fonts_fingerprint(root / "fonts"), stylesheet, remote_hosts)

    def key(self, issue_digest: str) -> str:
        """The cache key of an issue's PDF, from the digest of the issue (its items stand for their
        tokens, which cover the files they refer to)."""
        return hashlib.sha256(f"{self.salt}:{issue_digest}".encode()).hexdigest()

    def get(self, key: str) -> tuple[bytes, int, dict[str, str]] | None:
        """The cached PDF, its page count and the references the renderer refused; None when
        there is none (also for a damaged entry)."""
        try:
            data = (self.folder / f"{key}.pdf").read_bytes()
            meta = json.loads(self._used(f"{key}.json").read_text(encoding="utf-8"))
            if meta.get("sha256") != hashlib.sha256(data).hexdigest():
                return None
            return data, int(meta["pages"]), {str(k): str(v) for k, v in meta.get("refused", {}).items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def info(self, key: str) -> tuple[int, dict[str, str]] | None:
        """The page count and refused references of a cached PDF, without reading the PDF."""
        try:
            meta = json.loads(self._used(f"{key}.json").read_text(encoding="utf-8"))
            return int(meta["pages"]), {str(k): str(v) for k, v in meta.get("refused", {}).items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def prune(self, unused_days: int = KEEP_DAYS) -> None:
        """Remove the PDFs no build has used for unused_days (a used entry's .json is touched),
        so the cache does not grow with every edit."""
        cutoff = time.time() - unused_days * 86400
        try:
            for meta in self.folder.glob("*.json"):
                if meta.stat().st_mtime < cutoff:
                    meta.with_suffix(".pdf").unlink(missing_ok=True)
                    meta.unlink(missing_ok=True)
        except OSError:
            pass

    def _used(self, name: str) -> Path:
        path = self.folder / name
        try:
            os.utime(path)
        except OSError:
            pass
        return path

    def put(self, key: str, data: bytes, pages: int, refused: dict[str, str]) -> None:
        """Store a PDF; a failure to write the cache never fails the build."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            meta = json.dumps({"pages": pages, "sha256": hashlib.sha256(data).hexdigest(), "refused": refused},
                              ensure_ascii=False, sort_keys=True)
            atomic_write(self.folder / f"{key}.pdf", data)
            atomic_write(self.folder / f"{key}.json", meta.encode("utf-8"))
        except OSError:
            pass


def fonts_fingerprint(fonts_dir: Path) -> str:
    """The installed fonts as fontconfig lists them, and the files in the repository's fonts/
    (installing a font changes PDFs)."""
    listed = hashlib.sha256(repr(installed_fonts()).encode()).hexdigest()
    return "\n".join([listed, *(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in font_files(fonts_dir))])
