"""Write a file so that a reader, a crash or a kill never sees it half-written."""

from __future__ import annotations

import os
from pathlib import Path

from briefgen.storage import faults


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write data to path through a temporary file beside it, then rename it into place.

    Text is written as UTF-8. The parent folder is created if need be. On any error the old
    file (if there was one) is left as it was and the temporary file is removed."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(payload)
        faults.point("atomic:written")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if exc.filename is None or Path(exc.filename) == partial:  # name the file the user knows
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
