"""`briefgen new`: a new item file with complete front matter, at a predictable path."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from briefgen.config import Config
from briefgen.errors import BriefgenError
from briefgen.items import choice
from briefgen.periods import period_of

SLUG_LENGTH = 24  # characters of the title kept in the file name
UNSAFE_IN_NAME = re.compile(r"[^\w\u3400-\u9fff\uf900-\ufaff-]+")  # keep letters, digits and ideographs
NEEDS_QUOTES = re.compile(r"""[:#\[\]{}&*!|>'"%@`,]|^[-?\s]|\s$""")


def slug(title: str) -> str:
    """The title as a file name: readable Chinese, without punctuation or spaces."""
    text = UNSAFE_IN_NAME.sub("", title.replace(" ", "-")).strip("-_")
    return text[:SLUG_LENGTH] or "稿件"


def item_path(config: Config, title: str, day: dt.date) -> Path:
    """content/<year>/<period>/<date>-<slug>.md, e.g. content/2026/2026-W48/2026-11-27-市教育局开展教研活动.md"""
    period = period_of(day, config.period)
    return config.content_dir / str(period.year) / period.id / f"{day.isoformat()}-{slug(title)}.md"


def yaml_text(value: str) -> str:
    """A value as YAML reads it back unchanged: quoted (JSON quoting is valid YAML) only when needed."""
    return json.dumps(value, ensure_ascii=False) if NEEDS_QUOTES.search(value) or not value else value


def item_text(title: str, unit: str, topic: str, day: dt.date, author: str, today: dt.date) -> str:
    """The file: every field an editor looks at, then an empty body for the author to write."""
    lines = [
        "---",
        f"title: {yaml_text(title)}",
        f"unit: {unit}",
        f"topic: {topic}",
        f"date: {day.isoformat()}",
        f"author: {yaml_text(author)}",
        f"submitted: {today.isoformat()}",
        "tags: []",
        "status: 采用",
        "---",
        "",
        "",
    ]
    return "\n".join(lines)


def create_item(config: Config, title: str, unit: str, topic: str, day: dt.date, author: str,
                today: dt.date) -> Path:
    """Write the new item; refuse an unknown unit or topic (with a suggestion) and an existing file."""
    title = " ".join(title.split())
    if not title:
        raise BriefgenError("标题不能为空。")
    for label, value, choices in (("单位", unit, config.units), ("栏目", topic, config.topics)):
        try:
            choice(label, choices)(value)
        except ValueError as exc:
            message, _, hint = str(exc).partition("|")
            raise BriefgenError(f"{message}；{hint}") from None
    path = item_path(config, title, day)
    rel = path.relative_to(config.root).as_posix()
    if path.exists():
        raise BriefgenError(f"{rel} 已经存在，没有改动它；同一天同名的稿件请换个标题。")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as stream:  # "x": never overwrite
        stream.write(item_text(title, unit, topic, day, author, today))
    return path
