"""Requests for items (约稿) and standing 报送要点: content/calls/<id>.yaml, and which units
answered them (an item with `call: <id>`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen.bulletin.issuesettings import settings_fields
from briefgen.config.fields import FieldError, date, did_you_mean, text
from briefgen.config.settings import Config
from briefgen.errors import Diagnostic, error, warning
from briefgen.model import Call, Item

FOLDER = "calls"
KEYS = ("title", "units", "due", "topics", "note")
CALL_ID = re.compile(r"^[\w\u3400-\u9fff-]+$")


def load_calls(config: Config) -> tuple[tuple[Call, ...], list[Diagnostic]]:
    """Every content/calls/*.yaml, by due date (standing 要点 last), and the problems found."""
    folder = config.content_dir / FOLDER
    calls: list[Call] = []
    problems: list[Diagnostic] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        call = _load(path, config, problems)
        if call is not None:
            calls.append(call)
    calls.sort(key=lambda c: (c.due is None, c.due or dt.date.min, c.id))
    return tuple(calls), problems


def _load(path: Path, config: Config, problems: list[Diagnostic]) -> Call | None:
    read = settings_fields(path, config, problems)
    if read is None:
        return None
    fields, data = read
    rel = fields.path
    if not isinstance(data, dict):
        fields.add(1, "内容应是“键: 值”形式的设置", "至少写 title（约稿题目），可写 units、due、topics、note")
        return None
    start = len(problems)
    fields.unknown_keys(KEYS, otherwise=f"可用：{'、'.join(KEYS)}")
    if not CALL_ID.match(path.stem):
        fields.add(1, f"文件名 '{path.name}' 不能用作约稿的编号",
                   "只用汉字、字母、数字和 -，如 2026-dongchun-anquan.yaml")
    title = fields.field("title", text("约稿题目", one_line=True), "")
    if not title:
        fields.add(1, "缺少 title（约稿题目）", "如 title: 今冬明春安全生产工作情况")
    call = Call(
        id=path.stem, title=title, source=rel,
        units=fields.field("units", _names("units", config.units), config.units) or config.units,
        due=fields.field("due", date(config.zone), None),
        topics=fields.field("topics", _names("topics", config.topics), ()),
        note=fields.field("note", text("说明"), ""),
    )
    return call if len(problems) == start else None


def _names(key: str, known: tuple[str, ...]) -> Any:
    label = "单位" if key == "units" else "栏目"

    def parse(value: Any) -> tuple[str, ...]:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise FieldError(f"{key} 应是{label}的列表", f"如 {key}: [{known[0] if known else '…'}]")
        for name in names:
            if name not in known:
                raise FieldError(f"未知的{label} '{name}'",
                                 did_you_mean(name, known, f"请写 briefgen.yaml 中的{label}"))
        return tuple(dict.fromkeys(names))
    return parse


def call_problems(items: Iterable[Item], calls: tuple[Call, ...]) -> list[Diagnostic]:
    """An item answering a call that does not exist is an error; one from a unit the call did not
    ask is a warning."""
    by_id = {call.id: call for call in calls}
    problems = []
    for item in items:
        if not item.call:
            continue
        line = item.field_lines.get("call", 1)
        call = by_id.get(item.call)
        if call is None:
            hint = did_you_mean(item.call, by_id, "约稿写在 content/calls/<编号>.yaml 中，call 写它的编号（文件名）",
                                cutoff=0.5)
            problems.append(error(item.source, line, f"没有编号为 '{item.call}' 的约稿", hint))
        elif item.unit not in call.units:
            problems.append(warning(item.source, line, f"约稿“{call.title}”没有向{item.unit}约稿",
                                    f"约稿的单位：{'、'.join(call.units)}"))
    return problems
