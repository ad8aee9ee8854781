"""Where briefgen's own files are: found through importlib.resources, never __file__."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

CACHE = ".briefgen-cache"  # the repository's build cache; deleting it is always safe


def package_folder() -> Path:
    """The folder of the installed briefgen package (its code, skeleton and packaged templates)."""
    return Path(str(importlib.resources.files("briefgen"))).resolve()


def builtin_templates() -> Path:
    """The default templates: inside the installed package, or beside it in a checkout."""
    packaged = package_folder() / "templates"
    if packaged.is_dir():
        return packaged
    return package_folder().parent / "templates"
