"""Where briefgen's own files are: found through importlib.resources, never __file__."""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import stat
import tempfile
from pathlib import Path

CACHE = ".briefgen-cache"  # the repository's build cache; deleting it is always safe
PREVIEW = f"{CACHE}/preview"  # where `briefgen serve` builds by default
STAGING = f"{CACHE}/staging"  # where a build stages the new output folder
SCRATCH = f"{CACHE}/scratch"  # other temporary files of a run; cleared by the next run


def package_folder() -> Path:
    """The folder of the installed briefgen package (its code, skeleton and packaged templates)."""
    return Path(str(importlib.resources.files("briefgen"))).resolve()


def builtin_templates() -> Path:
    """The default templates: inside the installed package, or beside it in a checkout."""
    packaged = package_folder() / "templates"
    if packaged.is_dir():
        return packaged
    return package_folder().parent / "templates"



def own_folder(root: Path, rel: str) -> Path:
    """root/rel, a folder of briefgen's own in the cache; when the cache is not a real folder of
    the repository (a link someone planted leads elsewhere), one in the system's temporary
    folder instead, named by the repository's path, so that briefgen never writes through it."""
    try:
        mode = os.lstat(root / CACHE).st_mode
        real = stat.S_ISDIR(mode)
    except FileNotFoundError:
        real = True
    except OSError:
        real = False
    if real:
        return root / rel
    name = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"briefgen-{name}" / rel
