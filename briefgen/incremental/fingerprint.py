"""Deterministic digests of what a page or PDF is made from, for the incremental build.

An item is represented by its token (a digest of its file, its rendered body and the
files it refers to), so a fingerprint never has to walk a body's text again; every
other value is walked field by field. Anything of a type not listed here is refused,
so a new kind of value can never be silently left out of a key."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from briefgen.model import Item


class Fingerprinter:
    """Digests values, memoising the (immutable) dataclasses it has already seen in this build."""

    def __init__(self, item_tokens: Mapping[str, str]) -> None:
        self.item_tokens = item_tokens  # item slug -> token
        self._seen: dict[int, tuple[Any, str]] = {}  # id -> (the object, kept alive; its digest)

    def digest(self, *values: Any) -> str:
        """The hex digest of these values, in order."""
        parts: list[str] = []
        for value in values:
            self._walk(value, parts)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def _walk(self, value: Any, parts: list[str]) -> None:
        kind = type(value)  # the commonest kinds first, by their exact type
        if kind is str:
            parts.append(f"s{len(value)}:{value}")
        elif kind is Item:
            parts.append("i" + self.item_tokens[value.slug])
        elif kind is tuple or kind is list:
            parts.append("[")
            for element in value:
                self._walk(element, parts)
            parts.append("]")
        elif kind is int:
            parts.append(repr(value))
        elif kind is dict and all(type(key) is str for key in value):  # a page's values
            parts.append("{")
            for key in sorted(value):
                parts.append(f"s{len(key)}:{key}")
                self._walk(value[key], parts)
            parts.append("}")
        else:
            self._walk_other(value, parts)

    def _walk_other(self, value: Any, parts: list[str]) -> None:
        if value is None or isinstance(value, (bool, int, float, dt.date)):
            parts.append(repr(value))
        elif isinstance(value, str):  # also Markup; the length keeps any text from reading as a separator
            parts.append(f"s{len(value)}:{value}")
        elif isinstance(value, PurePath):
            parts.append(f"p{len(value.as_posix())}:{value.as_posix()}")
        elif isinstance(value, Item):
            parts.append("i" + self.item_tokens[value.slug])
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            parts.append(self._dataclass(value))
        elif isinstance(value, Mapping):
            parts.append("{")
            for key in sorted(value, key=repr):
                self._walk(key, parts)
                self._walk(value[key], parts)
            parts.append("}")
        elif isinstance(value, (list, tuple)):
            parts.append("[")
            for element in value:
                self._walk(element, parts)
            parts.append("]")
        elif isinstance(value, (set, frozenset)):
            parts.append("(" + "\x1e".join(sorted(map(repr, value))) + ")")
        else:
            raise TypeError(f"cannot fingerprint a {type(value).__name__}")

    def _dataclass(self, value: Any) -> str:
        known = self._seen.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        parts = [type(value).__qualname__]
        for f in dataclasses.fields(value):
            parts.append(f.name)
            self._walk(getattr(value, f.name), parts)
        digest = "d" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
        self._seen[id(value)] = (value, digest)
        return digest


def item_token(source: str, raw_digest: str, body_html: str, referenced: Mapping[str, Any]) -> str:
    """An item's token: its file, its body as loaded and the state of the files it refers to.
    The Item and its body are pure functions of the file, the settings and briefgen; the body
    as shown, of the body as loaded, those files, the settings, briefgen and nh3 (a library of
    pages, in keys.LIBRARIES), which the keys hold beside the token."""
    digest = hashlib.sha256()
    for part in (source, raw_digest, body_html, *(f"{k}={v}" for k, v in sorted(referenced.items()))):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")  # not joined first: a body is not copied once more
    return digest.hexdigest()
