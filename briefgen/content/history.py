"""When each item was submitted: the date of the commit that first added its file."""

from __future__ import annotations

import datetime as dt
import json

from briefgen.config.settings import Config
from briefgen.incremental.untrusted import day, real_folder, seal, unseal
from briefgen.storage import git
from briefgen.storage.atomic import atomic_write
from briefgen.storage.resources import CACHE


def submitted_on(config: Config) -> dict[str, dt.date]:
    """git.first_added for the repository, remembered in .briefgen-cache/ for the commit it was read
    at: the history up to a commit never changes, so a build runs the (slow) `git log` only after a
    commit. Like every cache, the record is used only with this user's seal, and each date only
    in the range an item's may take (incremental.untrusted)."""
    commit = git.head(config.root)
    if commit is None:
        return {}
    record = config.root / CACHE / "history.json"
    stamp = f"{commit}:{config.timezone}"
    try:
        data = unseal(json.loads(record.read_text(encoding="utf-8")))
        if data is not None and data.get("at") == stamp:
            return {str(path): day(when) for path, when in data["added"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    added = git.first_added(config.root, config.zone)
    if not real_folder(config.root, record.parent):  # a planted link to somewhere else
        return added
    try:
        atomic_write(record, json.dumps(seal({"at": stamp, "added": {p: d.isoformat() for p, d in added.items()}}),
                                        ensure_ascii=False))
    except OSError:
        pass
    return added
