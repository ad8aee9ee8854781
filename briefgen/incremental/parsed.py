"""What one item file gives (Parsed), and its form in the item cache's JSON headers.

A result read back is checked as content is: each field of the Item of its type, dates between
1900 and 2200, each problem with a line and a severity (incremental.itemcache checks the rest:
that it is the file's own). The texts are not here but in a block (incremental.blocks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, overload

from briefgen.errors import Diagnostic
from briefgen.incremental.blocks import Stored
from briefgen.incremental.untrusted import count, day, optional_day, problem
from briefgen.model import GRADES, STATUSES, Body, HigherAdoption, Instruction, Item


class _OptionalText:
    """model.Text for a text that may be None: Parsed.html, read from its block when asked for."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _OptionalText: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> str | None: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> _OptionalText | str | None:
        if instance is None:
            raise AttributeError(self.slot)
        value: str | Stored | None = instance.__dict__[self.slot]
        return value if value is None or isinstance(value, str) else value.text()

    def __set__(self, instance: object, value: str | Stored | None) -> None:
        instance.__dict__[self.slot] = value


@dataclass(frozen=True)
class Parsed:
    """What one item file gives: the item (None if it has errors), its problems and its body as
    sanitised HTML (None for failures, unless their body could still be converted). From the
    cache, the item's Markdown and the HTML are Stored: read when asked for (model.held gives
    which, without reading)."""

    item: Item | None
    problems: tuple[Diagnostic, ...]
    html: _OptionalText = _OptionalText()
    body: Body | None = None  # a file with errors: its body, converted to html, still to be checked
    refers: bool = False  # whether html may refer to a file (content.loader.refers), known unread
    plain: str = ""  # SHA-256 of the Markdown body without white space, for bulletin.checks.duplicates


def meta_to_json(parsed: Parsed) -> dict[str, Any]:
    """All of a result but its texts, which go into the block."""
    return {
        "item": None if parsed.item is None else _item_to_json(parsed.item),
        "problems": [[p.path, p.line, p.severity, p.message, p.hint] for p in parsed.problems],
        "body": None if parsed.body is None else [parsed.body.source, parsed.body.body_line],
        "refers": parsed.refers, "plain": parsed.plain,
    }


def parsed_from_json(data: dict[str, Any], markdown: Stored | None, html: Stored | None,
                      memo: dict[Any, Any] | None = None) -> Parsed:
    """The result stored by _meta_to_json, each part of its type, with its texts where they are
    stored: the Markdown of an item or of a file with errors, and the HTML when it was converted;
    TypeError or ValueError else. A file with errors has its body read at once (it is checked)."""
    refers, plain = data["refers"], data["plain"]
    if not isinstance(refers, bool) or not isinstance(plain, str) or (refers and html is None):
        raise TypeError("refers or plain")
    if (markdown is None) != (data["item"] is None and data["body"] is None):
        raise ValueError("a body without its text, or a text without its body")
    item = None if markdown is None or data["item"] is None else _item_from_json(data["item"], markdown, memo)
    problems = tuple(_problem(p) for p in _list(data["problems"]))
    found = None
    if markdown is not None and data["body"] is not None:
        body = _list(data["body"], 2)
        found = Body(_str(body[0]), markdown.text(), _count(body[1]))
    return Parsed(item, problems, html, found, refers, plain)


def _problem(value: object) -> Diagnostic:
    fields = _list(value, 5)
    if not problem(*fields):
        raise ValueError(f"not a problem: {fields!r}")
    return Diagnostic(*fields)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _item_to_json(item: Item) -> dict[str, Any]:
    return {
        "source": item.source, "slug": item.slug, "title": item.title, "unit": item.unit,
        "date": _day(item.date), "topic": item.topic, "body_line": item.body_line,
        "authors": list(item.authors), "tags": list(item.tags), "grade": item.grade, "weight": item.weight,
        "summary": item.summary, "note": item.note, "status": item.status, "review": item.review,
        "issue": item.issue, "call": item.call,
        "adopted_by": [[a.by, a.level, _day(a.date)] for a in item.adopted_by],
        "instructions": [[i.leader, i.level, _day(i.date), i.text] for i in item.instructions],
        "submitted": _day(item.submitted), "field_lines": dict(item.field_lines),
    }


_TEXTS = ("source", "slug", "title", "unit", "topic", "summary", "note", "grade", "status", "review",
          "issue", "call")
_GRADES = ("", *GRADES)


_SHARED = ("unit", "topic", "status", "grade", "issue", "call")  # a few values among many items


def _item_from_json(data: object, body: Stored, memo: dict[Any, Any] | None = None) -> Item:
    """The Item stored by _item_to_json, with its body where it is stored, each field of its
    type; TypeError or ValueError else.
    Ten thousand of them are read on every build: the checks of many texts are done at once, and
    values many items have alike (a unit, the lines of the fields, a tag) are one object in memo."""
    if not isinstance(data, dict):
        raise TypeError("item")
    memo = {} if memo is None else memo
    texts = {name: data[name] for name in _TEXTS}
    for name in _SHARED:
        if isinstance(texts[name], str):
            texts[name] = memo.setdefault(texts[name], texts[name])
    tags, authors = tuple(_list(data["tags"])), tuple(_list(data["authors"]))
    if not {*map(type, texts.values()), *map(type, tags), *map(type, authors)} <= {str}:
        raise TypeError("not text")
    if texts["status"] not in STATUSES or texts["grade"] not in _GRADES:
        raise ValueError("status or grade")
    lines = data["field_lines"]
    if not isinstance(lines, dict) or not set(map(type, lines)) <= {str} or not all(map(count, lines.values())):
        raise TypeError("field_lines")
    lines = memo.setdefault(("lines", *lines.items()), lines)  # never changed: Item gives a Mapping
    tags = memo.setdefault(("tags", *tags), tags)
    adopted = [_list(entry, 3) for entry in _list(data["adopted_by"])]
    instructions = [_list(entry, 4) for entry in _list(data["instructions"])]
    return Item(
        **texts, body=body, date=day(data["date"]), body_line=_count(data["body_line"]), tags=tags, authors=authors,
        weight=_int(data["weight"]),
        adopted_by=tuple(HigherAdoption(_str(by), _str(level), optional_day(when)) for by, level, when in adopted),
        instructions=tuple(Instruction(_str(leader), _str(level), optional_day(when), _str(text))
                           for leader, level, when, text in instructions),
        submitted=optional_day(data["submitted"]), field_lines=lines,
    )


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not text: {value!r}")
    return value


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**53:
        raise TypeError(f"not an integer: {value!r}")
    return value


def _count(value: object) -> int:
    """A line number: an integer, 0 or more."""
    if not count(value):
        raise ValueError(f"not a line number: {value!r}")
    return _int(value)


def _list(value: object, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise TypeError(f"not a list of {length}: {value!r}")
    return value
