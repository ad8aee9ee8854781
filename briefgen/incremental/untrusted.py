"""What comes back from .briefgen-cache/ is untrusted: sealed with a key it does not hold, and
checked like content.

The threat: .briefgen-cache/ is a plain folder in the bulletin repository. It is ignored by git,
but `git add -f` commits it anyway, and an archive unzipped over the repository brings it along:
whoever can push or hand over a zip can plant any file there, in a CI job's clean clone too.
Every key is a digest of inputs anyone with the repository can compute (the files' content, the
code, the versions), so a planted entry can sit exactly where a build will look, and say anything:
an item that is not what its file says (another title, a body that was never reviewed, an error
hidden or invented), a PDF of anyone's making, a page kept from the last build, a summary.

The answer, in two layers:

- Sealed (seal and unseal; seal_text and unseal_text for large files): every cache record
  carries an HMAC-SHA256 keyed by a secret kept outside the repository, in the user's cache
  folder ($XDG_CACHE_HOME or ~/.cache, briefgen/cache-key, made on first use with mode 0600),
  never in a repository. A record without the right seal is ignored and made again,
  so only this user's own builds are ever reused. A CI job starts with a new key in a clean
  clone, so anything planted there is simply not reused: the cost is a full build, which a clean
  clone makes anyway. A CI job that keeps .briefgen-cache between runs has to keep the key file
  with it (cache ~/.cache/briefgen too) for the cache to be used. When the key cannot be stored,
  one is made for the process: nothing is reused, nothing fails.
- Checked (relative_inside, day, real_folder): the seal only says who wrote a record, so whatever
  is read back is still checked as content would be: types, dates in range, paths relative and
  inside their folder, and no cache folder that is a link to somewhere else (saving and pruning
  would then write and delete there; so a .briefgen-cache linked to another disk on purpose is
  not used either). Anything wrong drops the entry, never the build. Should the key leak, these
  checks still keep a planted entry from writing outside output/, putting a script into a page
  or failing the build; only a well-formed one, an item that differs from its file, would pass.

Why not checks alone: a well-formed entry for a file's true content hash (which a planter has)
cannot be told from a build's own without knowing who wrote it, and re-deriving it from the
file is the very work the cache saves."""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

KEY_BYTES = 32
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)  # a date outside is no item's


def key_file() -> Path:
    """Where the secret that seals the caches is kept: the user's cache folder, never a repository."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "briefgen" / "cache-key"


@functools.lru_cache(maxsize=1)
def secret() -> bytes:
    """The key, made on first use; a key for this process alone when none can be read or stored
    (then nothing this process writes is reused, and nothing fails)."""
    path = key_file()
    try:
        key = path.read_bytes()
        if len(key) >= KEY_BYTES:
            return key
    except FileNotFoundError:
        pass
    except OSError:
        return secrets.token_bytes(KEY_BYTES)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file:
            file.write(secrets.token_bytes(KEY_BYTES))
        os.replace(partial, path)  # whole or not at all; when two builds race, the last one's
        key = path.read_bytes()  # ... which both then use
        if len(key) >= KEY_BYTES:
            return key
    except OSError:
        partial.unlink(missing_ok=True)
    return secrets.token_bytes(KEY_BYTES)


def _digest(text: bytes) -> str:
    return hmac.new(secret(), text, "sha256").hexdigest()


def _mac(payload: dict[str, Any]) -> str:
    return _digest(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def seal(payload: dict[str, Any]) -> dict[str, Any]:
    """payload with its seal as a last member "mac" (payload must not have one)."""
    return {**payload, "mac": _mac(payload)}


def sealed_json(payload: dict[str, Any]) -> str:
    """The JSON text of seal(payload), compact, encoding payload once rather than twice."""
    if not payload:
        return json.dumps(seal(payload), separators=(",", ":"))
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    mac = _digest(text.encode("utf-8", "surrogatepass"))
    return f'{text[:-1]},"mac":"{mac}"}}'


def unseal(data: object) -> dict[str, Any] | None:
    """The payload of what seal() made with this user's key; None for anything else."""
    if not isinstance(data, dict) or not isinstance(data.get("mac"), str):
        return None
    payload = {key: value for key, value in data.items() if key != "mac"}
    return payload if hmac.compare_digest(_mac(payload), data["mac"]) else None


# For large records, sealed as written, so that reading one costs no second encoding.
OPEN, CLOSE = b'{"sealed":', b',"mac":"'
MAC_END = 64 + 2  # the hex digits, then "}


def seal_text(body: bytes) -> bytes:
    """A JSON document holding body (JSON text) and a seal over its very bytes."""
    return OPEN + body + CLOSE + _digest(body).encode("ascii") + b'"}'


def unseal_text(document: bytes) -> bytes | None:
    """The JSON text seal_text() sealed with this user's key; None for anything else."""
    end = len(document) - MAC_END
    if not (document.startswith(OPEN) and document.endswith(b'"}') and end > len(OPEN) + len(CLOSE)
            and document[end - len(CLOSE):end] == CLOSE):
        return None
    body = document[len(OPEN):end - len(CLOSE)]
    return body if hmac.compare_digest(_digest(body).encode("ascii"), document[end:-2]) else None


def relative_inside(rel: object) -> bool:
    """Whether rel is a plain relative path with "/" separators that stays inside its folder."""
    if not isinstance(rel, str) or not rel or len(rel) > 4096 or "\\" in rel or "\0" in rel:
        return False
    # Between slashes, no part may be empty (a leading, doubled or trailing "/"), "." or "..".
    wrapped = f"/{rel}/"
    return "//" not in wrapped and "/./" not in wrapped and "/../" not in wrapped


def day(value: object) -> dt.date:
    """A date written by isoformat(), between EARLIEST and LATEST; ValueError otherwise."""
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(f"not a date: {value!r}")
    found = dt.date.fromisoformat(value)
    if not EARLIEST <= found <= LATEST:
        raise ValueError(f"date out of range: {value}")
    return found


def optional_day(value: object) -> dt.date | None:
    return None if value is None else day(value)


def count(value: object) -> bool:
    """Whether value is an integer, 0 or more (a JSON true is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53


def problem(path: object, line: object, severity: object, message: object, hint: object) -> bool:
    """Whether these are the fields of a Diagnostic: texts, a line 0 or more, error or warning."""
    return (all(isinstance(text, str) for text in (path, message, hint)) and count(line)
            and severity in ("error", "warning", "note"))


def real_folder(root: Path, folder: Path) -> bool:
    """Whether each part of folder below root that exists is a folder and not a link: only then
    may a cache be read, written or pruned there (a planted link would lead it elsewhere)."""
    path = root
    for part in folder.relative_to(root).parts:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return True
        except OSError:
            return False
        if not stat.S_ISDIR(mode):
            return False
    return True
