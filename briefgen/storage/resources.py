"""Where briefgen's own files are: found through importlib.resources, never __file__."""

from __future__ import annotations

import importlib.resources
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

