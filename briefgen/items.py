"""Load the items under content/ and validate them into Item objects."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any, Callable

from briefgen import frontmatter
from briefgen.config import Config
from briefgen.errors import Diagnostic, error
from briefgen.model import GRADES, STATUSES, Item
from briefgen.yamlsafe import YamlProblem, load_mapping

ALIASES = {
    "标题": "title", "单位": "unit", "日期": "date", "栏目": "topic", "作者": "author",
    "标签": "tags", "等级": "grade", "权重": "weight", "摘要": "summary", "按语": "note",
    "状态": "status",
}
FIELDS = ("title", "unit", "date", "topic", "author", "tags", "grade", "weight",
          "summary", "note", "status")
REQUIRED = ("title", "unit", "date", "topic")
STATUS_ALIASES = {"采用": "adopted", "备用": "reserve", "退稿": "rejected", "草稿": "draft"}
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def item_paths(config: Config) -> list[Path]:
    """Every item file under content/, in a stable order."""
    if not config.content_dir.is_dir():
        return []
    return sorted(p for p in config.content_dir.rglob("*.md") if p.is_file())


def load_items(config: Config) -> tuple[list[Item], list[Diagnostic]]:
    """Read and validate every item; return the good ones and every problem found."""
    items: list[Item] = []
    problems: list[Diagnostic] = []
    for path in item_paths(config):
        rel = path.relative_to(config.root).as_posix()
        item = parse_item(rel, path.read_bytes(), config, problems)
        if item is not None:
            items.append(item)
    problems.extend(_duplicate_slugs(items))
    return items, problems


def parse_item(rel: str, raw: bytes, config: Config, problems: list[Diagnostic]) -> Item | None:
    """Parse one item file; append its problems and return None if it has errors."""
    start = len(problems)
    try:
        text = frontmatter.normalise(raw.decode("utf-8"))
    except UnicodeDecodeError:
        problems.append(error(rel, 1, "文件不是 UTF-8 编码（可能是 GBK）",
                              "请在编辑器中以“UTF-8”编码另存此文件"))
        return None
    try:
        parts = frontmatter.split(text)
        data, lines = load_mapping(parts.yaml_text)
    except frontmatter.FrontMatterError as exc:
        problems.append(error(rel, exc.line, exc.message, exc.hint))
        return None
    except YamlProblem as exc:
        problems.append(error(rel, parts.yaml_line + exc.line - 1, exc.message))
        return None
    if not isinstance(data, dict):
        problems.append(error(rel, parts.yaml_line, "信息头应是“键: 值”形式的若干行"))
        return None

    def fail(key: str, message: str, hint: str = "") -> None:
        line = parts.yaml_line + lines.get(key, 1) - 1
        problems.append(error(rel, line, message, hint))

    fields: dict[str, Any] = {}
    keys: dict[str, str] = {}  # canonical field -> the key as written
    for key, value in data.items():
        name = ALIASES.get(str(key), str(key))
        if name not in FIELDS:
            close = difflib.get_close_matches(str(key), FIELDS + tuple(ALIASES), n=1)
            fail(str(key), f"未知的字段 '{key}'", f"是不是 '{close[0]}'？" if close else "")
        elif name in fields:
            fail(str(key), f"字段 '{key}' 与 '{keys[name]}' 重复")
        else:
            fields[name] = value
            keys[name] = str(key)

    def check(name: str, parse: Callable[[Any], Any], default: Any = "") -> Any:
        if name not in fields or fields[name] is None or fields[name] == "":
            if name in REQUIRED:
                problems.append(error(rel, parts.yaml_line, f"缺少必填字段 '{name}'",
                                      f"请在信息头中写 {name}: …"))
            return default
        try:
            return parse(fields[name])
        except ValueError as exc:
            fail(keys[name], str(exc))
            return default

    title = check("title", _text("标题"))
    unit = check("unit", _choice("单位", config.units))
    topic = check("topic", _choice("栏目", config.topics))
    date = check("date", lambda v: parse_date(v, config.zone), None)
    author = check("author", _text("作者"))
    tags = check("tags", _tags, ())
    grade = check("grade", _enum("等级", GRADES, {}))
    weight = check("weight", _integer, 0)
    summary = check("summary", _text("摘要"))
    note = check("note", _text("按语"))
    status = check("status", _enum("状态", STATUSES, STATUS_ALIASES), "adopted")
    if len(problems) > start:
        return None
    return Item(
        source=rel, slug=Path(rel).stem, title=title, unit=unit, date=date, topic=topic,
        body=parts.body, body_line=parts.body_line, author=author, tags=tags, grade=grade,
        weight=weight, summary=summary, note=note, status=status,
        field_lines={name: parts.yaml_line + lines.get(key, 1) - 1 for name, key in keys.items()},
    )


def _text(label: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if isinstance(value, (dict, list)) or isinstance(value, bool):
            raise ValueError(f"{label}应是一段文字，而不是 '{value}'")
        return " ".join(str(value).split())
    return parse


def _choice(label: str, choices: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        name = _text(label)(value)
        if name not in choices:
            close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
            hint = f"，是不是 '{close[0]}'？" if close else f"；可用的{label}见 briefgen.yaml"
            raise ValueError(f"未知的{label} '{name}'{hint}")
        return name
    return parse


def _enum(label: str, allowed: tuple[str, ...], aliases: dict[str, str]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        name = aliases.get(str(value).strip(), str(value).strip())
        if name not in allowed:
            raise ValueError(f"{label} '{value}' 无效，可用：{'、'.join(allowed + tuple(aliases))}")
        return name
    return parse


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"权重应是整数，而不是 '{value}'")
    return value


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = re.split(r"[,，、\s]+", value)
    if not isinstance(value, list):
        raise ValueError(f"标签应是列表，而不是 '{value}'")
    return tuple(str(tag).strip() for tag in value if str(tag).strip())


def parse_date(value: Any, zone: dt.tzinfo) -> dt.date:
    """A date written as 2026-11-27 (or with a time, taken in zone); ValueError says how to write it."""
    text = str(value).strip()
    if DATE_TEXT.match(text):
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"日期 '{text}' 不存在，请检查月份和日") from None
        if moment.tzinfo is None:
            return moment.date()
        return moment.astimezone(zone).date()
    raise ValueError(f"日期 '{text}' 无效，应写成 2026-11-27 这样的格式")


def _duplicate_slugs(items: list[Item]) -> list[Diagnostic]:
    seen: dict[str, Item] = {}
    problems = []
    for item in items:
        if item.slug in seen:
            problems.append(error(
                item.source, 1, f"文件名与 {seen[item.slug].source} 相同，两篇稿件的网页会互相覆盖",
                "请给其中一篇改个文件名",
            ))
        else:
            seen[item.slug] = item
    return problems


def line_of(item: Item, text: str) -> int:
    """The file line of the first body line that contains text (the body's first line if none)."""
    for number, line in enumerate(item.body.split("\n"), start=item.body_line):
        if text in line:
            return number
    return item.body_line
