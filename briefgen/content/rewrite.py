"""Writing an item's front matter: the fields of a new item (briefgen new, briefgen import), and
changing fields in place, the editor's decision and remark (briefgen review), written so that
every other byte of the file stays as it was."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping

from briefgen.content.frontmatter import FENCE

KEY = re.compile(r"^(?P<key>[A-Za-z_\u4e00-\u9fff]+)[ \t]*:")
NEEDS_QUOTES = re.compile(r"""[:#\[\]{}&*!|>'"%@`,]|^[-?\s]|\s$""")


def new_front_matter(title: str, unit: str, topic: str, day: dt.date, author: str, submitted: dt.date,
                     status: str, note: str = "") -> list[str]:
    """The opening fence and the lines of a new item's front matter, every field an editor looks
    at, in the order they read them; the caller adds what else it has, then the closing fence."""
    lines = ["---", f"title: {yaml_text(title)}", f"unit: {yaml_text(unit)}", f"topic: {yaml_text(topic)}",
             f"date: {day.isoformat()}", f"author: {yaml_text(author)}", f"submitted: {submitted.isoformat()}",
             "tags: []", f"status: {status}"]
    return lines + ([f"note: {yaml_text(note)}"] if note else [])


def set_fields(raw: bytes, values: dict[str, str], aliases: Mapping[str, tuple[str, ...]]) -> bytes:
    """The file with each field of `values` set: a field written under its name or one of its
    aliases (e.g. status / 状态) has its value replaced where it stands, lines that continue it
    included; a field not written yet is added at the end of the front matter. The byte-order
    mark, the line endings and every other line are kept."""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw[len(bom):].decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    opening = next(i for i, line in enumerate(lines) if line.strip())
    closing = next(i for i in range(opening + 1, len(lines)) if lines[i].strip() == FENCE)
    for name, value in values.items():
        names = (name, *aliases.get(name, ()))
        written = _field_at(lines, opening + 1, closing, names)
        line = f"{lines[written[0]].split(':', 1)[0] if written else name}: {yaml_text(value)}"
        if written:
            start, end = written
            lines[start:end] = [line]
            closing -= end - start - 1
        else:
            lines.insert(closing, line)
            closing += 1
    return bom + newline.join(lines).encode("utf-8")


def yaml_text(value: str) -> str:
    """A value as YAML reads it back unchanged: quoted (JSON quoting is valid YAML) only when needed."""
    return json.dumps(value, ensure_ascii=False) if NEEDS_QUOTES.search(value) or not value else value


def _field_at(lines: list[str], start: int, end: int, names: tuple[str, ...]) -> tuple[int, int] | None:
    """The lines [first, last) of the top-level field written under one of `names`."""
    for index in range(start, end):
        found = KEY.match(lines[index])
        if found and found["key"] in names:
            last = index + 1
            while last < end and (lines[last][:1] in (" ", "\t") or not lines[last].strip()):
                last += 1
            while last > index + 1 and not lines[last - 1].strip():
                last -= 1  # blank lines after the field belong to no field
            return index, last
    return None
