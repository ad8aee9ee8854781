"""What a process that builds again and again (`briefgen serve`) keeps from one build for the
next, so that the build after a saved file does not read again what it already holds: each item
file's result by the file's state, the output folder's manifest, and the compiled templates.

Each is used only under the inputs it was made from: the results under the item cache's salt
(the settings and the code), and each for a file still in the very state it was read in; the
manifest while its file is still the one this process wrote; the templates for the same key base
of the pages (keys.pages_base, which digests their bytes). Everything else is made again on
every build, as a build without it makes it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefgen.incremental.manifest import Manifest
    from briefgen.incremental.parsed import Parsed


@dataclass
class Warm:
    salt: str = ""  # the item cache's folder name (its salt) the results below were made under
    items: dict[str, tuple[str, str, Parsed]] = field(default_factory=dict)  # file -> (state, SHA-256, result)
    _manifest: tuple[Manifest, tuple[int, ...]] | None = None  # with its file's stat as written
    _templates: tuple[str, Any] | None = None  # (the key base, the Jinja environment made under it)

    def results(self, salt: str) -> dict[str, tuple[str, str, Parsed]]:
        """The results kept under this salt (none under another)."""
        return self.items if salt == self.salt else {}

    def keep_results(self, salt: str, items: dict[str, tuple[str, str, Parsed]]) -> None:
        self.salt, self.items = salt, items

    def manifest(self, out: Path) -> Manifest | None:
        """The manifest of out this process last wrote, if its file is still that one."""
        if self._manifest is None:
            return None
        manifest, stamp = self._manifest
        if manifest.out != out or _stamp(manifest.path) != stamp:
            return None
        manifest.check_again()
        return manifest

    def keep_manifest(self, manifest: Manifest, written: bool) -> None:
        """Keep a manifest just recorded, if its file now holds what it holds."""
        stamp = _stamp(manifest.path) if written else None
        self._manifest = None if stamp is None else (manifest, stamp)

    def templates(self, base: str) -> Any | None:
        return self._templates[1] if self._templates is not None and self._templates[0] == base else None

    def keep_templates(self, base: str, env: Any) -> None:
        self._templates = (base, env)


def _stamp(path: Path) -> tuple[int, ...] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
