"""The build cache under .briefgen-cache/: PDFs by a hash of everything that makes them.

The key covers the print document, the stylesheet, the fonts (installed and in fonts/),
the files the document refers to, and the briefgen and WeasyPrint code, so an entry is
never stale. Deleting the folder is always safe: the next build renders again."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from briefgen.render.fonts import font_files, installed_fonts

CACHE = ".briefgen-cache"
FILE_URI = re.compile(r'="(file://[^"]+)"')


class PdfCache:
    def __init__(self, root: Path, stylesheet: str, remote_hosts: tuple[str, ...]) -> None:
        self.folder = root / CACHE / "pdf"
        self.root = root
        salt = hashlib.sha256()
        for part in (code_fingerprint(), _version("weasyprint"), fontconfig_fingerprint(),
                     _files_fingerprint(font_files(root / "fonts")), stylesheet, " ".join(remote_hosts)):
            salt.update(part.encode("utf-8") + b"\0")
        self.salt = salt.digest()

    def key(self, document: str) -> str:
        """The cache key of a print document: it, the salt, and every file it refers to."""
        digest = hashlib.sha256(self.salt)
        digest.update(document.encode("utf-8"))
        for uri in sorted(set(FILE_URI.findall(document))):
            path = Path(url2pathname(unquote(urlsplit(uri).path)))
            digest.update(uri.encode("utf-8"))
            if path.is_file():
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()

    def get(self, key: str) -> tuple[bytes, int] | None:
        """The cached PDF and its page count, or None (also for a damaged entry)."""
        try:
            data = (self.folder / f"{key}.pdf").read_bytes()
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("sha256") != hashlib.sha256(data).hexdigest():
            return None
        return data, int(meta["pages"])

    def put(self, key: str, data: bytes, pages: int) -> None:
        """Store a PDF; a failure to write the cache never fails the build."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            meta = json.dumps({"pages": pages, "sha256": hashlib.sha256(data).hexdigest()})
            for name, payload in ((f"{key}.pdf", data), (f"{key}.json", meta.encode("utf-8"))):
                partial = self.folder / f".{name}.{os.getpid()}.tmp"
                partial.write_bytes(payload)
                partial.replace(self.folder / name)
        except OSError:
            pass


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of briefgen's own code, so a changed renderer never reuses old PDFs."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fontconfig_fingerprint() -> str:
    """The installed fonts as fontconfig lists them (installing a font changes PDFs)."""
    return hashlib.sha256(repr(installed_fonts()).encode()).hexdigest()


def _files_fingerprint(paths: list[Path]) -> str:
    return "\n".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in paths)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""
