"""Load the items under content/ and validate them into Item objects."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

from briefgen.config.fields import FieldError, Fields, Parser, date, did_you_mean, one_of, parse_date
from briefgen.config.settings import Config
from briefgen.config.yamlsafe import YamlProblem, load_mapping
from briefgen.content import frontmatter, spaces
from briefgen.content.encoding import convertible
from briefgen.content.limits import body_problems
from briefgen.errors import Diagnostic, error, warning
from briefgen.model import GRADES, STATUSES, Body, HigherAdoption, Instruction, Item

ALIASES = {
    "标题": "title", "单位": "unit", "日期": "date", "栏目": "topic", "作者": "author",
    "标签": "tags", "等级": "grade", "权重": "weight", "摘要": "summary", "按语": "note",
    "状态": "status", "点评": "review", "期号": "issue", "约稿": "call", "上级采用": "adopted_by",
    "领导批示": "instructions", "报送日期": "submitted",
}
FIELDS = ("title", "unit", "date", "topic", "author", "tags", "grade", "weight",
          "summary", "note", "status", "adopted_by", "instructions", "submitted", "review", "issue", "call")
ENTRY_KEYS = {
    "adopted_by": {"by": "by", "刊物": "by", "level": "level", "级别": "level", "date": "date", "日期": "date"},
    "instructions": {"leader": "leader", "领导": "leader", "level": "level", "级别": "level",
                     "date": "date", "日期": "date", "text": "text", "内容": "text"},
}
REQUIRED = ("title", "unit", "date", "topic")
STATUS_ALIASES = {"采用": "adopted", "备用": "reserve", "退稿": "rejected", "草稿": "draft", "待审": "submitted"}
CLASSIFIED = re.compile(r"绝密|机密|秘密")
SPECIAL_IN_NAMES = re.compile(r'[\\#%?<>:"|*\x00-\x1f\x7f]')  # and "/", which no name can hold
T = TypeVar("T")
D = TypeVar("D")


def decode(raw: bytes) -> str:
    """Return the text of a UTF-8 file (with or without BOM, any line endings); ValueError names another encoding."""
    found = convertible(raw)
    if found is not None:
        raise ValueError("GBK" if found == "gb18030" else "UTF-16")
    try:
        return frontmatter.normalise(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("") from None


def parse_item(rel: str, raw: bytes, config: Config, problems: list[Diagnostic]) -> Item | None:
    """Parse one item file; append its problems and return None if it has errors."""
    return read_item(rel, raw, config, problems)[0]


def read_item(rel: str, raw: bytes, config: Config, problems: list[Diagnostic]) -> tuple[Item | None, Body | None]:
    """Parse one item file and append every problem it has: the front matter's and the body's are
    found independently, so that one run reports them all. Return the item, or None if it has
    errors; and, for a file with errors, its body when that can still be converted and checked
    for what it refers to (None when the file cannot be split into front matter and body, or the
    body is over a limit)."""
    start = len(problems)
    _name_problems(rel, problems)
    parts, typed = _front_matter(rel, raw, problems)
    if parts is None:
        return None, None
    found = _fields(rel, parts, config, problems) if typed else None
    body, pasted_lines = spaces.clean_body(parts.body)  # the file keeps them: each line is reported
    problems += [spaces.problem(rel, parts.body_line + offset, "正文", kinds) for offset, kinds in pasted_lines]
    if not body.strip():
        problems.append(error(rel, parts.body_line - 1, "正文是空的", "请在第二个 --- 之后写稿件正文"))
    over = body_problems(rel, body, parts.body_line)  # a body over a limit is never converted
    problems += over
    if found is None or any(problem.is_error for problem in problems[start:]):
        return None, (None if over or not body.strip() else Body(rel, body, parts.body_line))
    values, lines = found
    return Item(source=rel, slug=Path(rel).stem, body=body, body_line=parts.body_line,
                field_lines=lines, **values), None


def _fields(rel: str, parts: frontmatter.Split, config: Config,
            problems: list[Diagnostic]) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The Item's fields and the line of each; None when the front matter is not YAML mapping."""
    try:
        loaded = load_mapping(parts.yaml_text, comments=False)
    except YamlProblem as exc:
        problems.append(error(rel, parts.yaml_line + exc.line - 1, exc.message, exc.hint))
        return None
    fields = Fields(rel, loaded, problems, first_line=parts.yaml_line)
    if not isinstance(loaded.data, dict):
        fields.add(1, "信息头应是“键: 值”形式的若干行")
        return None
    fields.unknown_keys(FIELDS, ALIASES, noun="字段")
    pasted: dict[str, spaces.Found] = {}
    values = _values(fields, parts.yaml_text.split("\n"), config, pasted)
    problems += [spaces.problem(rel, fields.line(name), LABELS[name], found) for name, found in pasted.items()]
    problems += _unknown_authors(rel, values, config, fields.line("author"))
    problems += _submitted_before(rel, values, fields.line("submitted"))
    return values, {name: fields.line(name) for name in fields.written}


def _unknown_authors(rel: str, values: dict[str, Any], config: Config, line: int) -> list[Diagnostic]:
    """A warning for each author who is not among the officers briefgen.yaml lists for the unit."""
    info = config.rules.units.get(values["unit"])
    if info is None or not info.officers:
        return []
    return [warning(rel, line, f"作者“{name}”不在{values['unit']}的信息员名单中",
                    did_you_mean(name, info.officers, "信息员名单见 briefgen.yaml 中 units 的 officers",
                                 cutoff=0.5))  # two-character names one character apart
            for name in values["authors"] if name not in info.officers]


def _submitted_before(rel: str, values: dict[str, Any], line: int) -> list[Diagnostic]:
    """A warning when the item was submitted before what it reports happened."""
    submitted, day = values["submitted"], values["date"]
    if submitted is None or day is None or submitted >= day:
        return []
    return [warning(rel, line, f"报送日期 {submitted.isoformat()} 早于事件日期 {day.isoformat()}",
                    "请检查 submitted 和 date 的年份、月份和日")]


def _name_problems(rel: str, problems: list[Diagnostic]) -> None:
    """The file name becomes the item's page name and anchors: none of its characters may mean
    something else in a path, a link or a pattern."""
    found = sorted(set(SPECIAL_IN_NAMES.findall(Path(rel).stem)))
    if found:
        shown = "".join(f"“{c}”" if c.isprintable() else f"“\\x{ord(c):02x}”" for c in found)
        problems.append(error(rel, 1, f"文件名中有{shown}，在网址或文件路径中另有含义",
                              "请给文件改名，只用汉字、字母、数字、“-”和“_”"))


def _front_matter(rel: str, raw: bytes, problems: list[Diagnostic]) -> tuple[frontmatter.Split | None, bool]:
    """Return the file split into front matter and body (None when it cannot be read that far),
    and whether its front matter is free of what input methods leave (then it is read as YAML)."""
    try:
        text = decode(raw)
    except ValueError as exc:
        problems.append(encoding_error(rel, str(exc)))
        return None, False
    conflicts = frontmatter.conflict_lines(text)
    for line in conflicts:
        problems.append(error(rel, line, "有未解决的 Git 合并冲突",
                              "请保留正确的内容，删去 <<<<<<<、=======、>>>>>>> 这几行标记"))
    if conflicts:
        return None, False
    try:
        parts = frontmatter.split(text)
    except frontmatter.FrontMatterError as exc:
        problems.append(error(rel, exc.line, exc.message, exc.hint))
        return None, False
    typing = frontmatter.typing_problems(parts.yaml_text, parts.yaml_line)
    problems += [error(rel, p.line, p.message, p.hint) for p in typing]
    for number, text_line in enumerate(parts.yaml_text.split("\n"), start=parts.yaml_line):
        for mark in CLASSIFIED.findall(text_line):
            problems.append(error(rel, number, f"信息头中有密级标志“{mark}”",
                                  "涉密信息不得录入本系统；如属误写，请删去"))
    return parts, not typing


LABELS = {"title": "标题", "note": "按语"}  # the shown fields whose pasted spaces are taken out


def _values(fields: Fields, yaml_lines: list[str], config: Config,
            pasted: dict[str, spaces.Found]) -> dict[str, Any]:
    """Return the Item's fields from the front matter; wrong or missing ones are reported, and
    the special spaces taken out of the title and the note are put in pasted."""
    def shown(name: str, parse: Parser[str]) -> Parser[str]:
        def run(value: Any) -> str:
            if isinstance(value, str):
                value, found = spaces.clean(value)
                if found:
                    pasted[name] = found
            return parse(value)
        return run

    def check(name: str, parse: Parser[T], default: D) -> T | D:
        value = fields.values.get(name)
        if value is None or value == "":
            if name in REQUIRED:
                fields.add(1, f"缺少必填字段 '{name}'", f"请在信息头中写 {name}: …")
            return default
        key = fields.written[name]
        return fields.field(name, _quoting_numbers(parse, key, yaml_lines[fields.key_lines[key] - 1]), default)

    return dict(
        title=check("title", shown("title", _text("标题")), ""),
        unit=check("unit", choice("单位", config.units), ""),
        topic=check("topic", choice("栏目", config.topics), ""),
        date=check("date", date(config.zone), None),
        authors=check("author", _authors, ()),
        tags=check("tags", _tags, ()),
        grade=check("grade", _enum("等级", GRADES, {}), ""),
        weight=check("weight", _integer, 0),
        summary=check("summary", _text("摘要"), ""),
        note=check("note", shown("note", _text("按语")), ""),
        status=check("status", _enum("状态", STATUSES, STATUS_ALIASES), "adopted"),
        adopted_by=check("adopted_by", _entries("adopted_by", config), ()),
        instructions=check("instructions", _entries("instructions", config), ()),
        submitted=check("submitted", date(config.zone), None),
        review=check("review", _text("点评"), ""),
        issue=check("issue", _text("期号"), ""),
        call=check("call", _text("约稿编号"), ""),
    )


def _quoting_numbers(parse: Parser[T], key: str, line: str) -> Parser[T]:
    """Wrap parse so that text YAML read as a number gets a hint quoting what was written on its line."""
    def run(value: Any) -> T:
        try:
            return parse(value)
        except NumberNotText as exc:
            written = line.split(":", 1)[1].strip()
            raise FieldError(f"{exc.message}，'{written}' 会被读成数字", f"请加引号：{key}: '{written}'") from None
    return run


def encoding_error(rel: str, found: str) -> Diagnostic:
    """The message for a file that is not UTF-8, saying how to convert it."""
    if found in ("GBK", "UTF-16"):
        return error(rel, 1, f"文件是 {found} 编码，不是 UTF-8",
                     "运行 briefgen check --fix-encoding 自动转换（会先备份原文件），或在编辑器中另存为 UTF-8 编码")
    return error(rel, 1, "文件不是 UTF-8 编码，也不是 GBK", "请在编辑器中另存为 UTF-8 编码")


class NumberNotText(FieldError):
    """A text field whose value YAML read as a number."""


def _text(label: str) -> Parser[str]:
    def parse(value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise NumberNotText(f"{label}应是文字")
        if not isinstance(value, str):
            raise FieldError(f"{label}应是一段文字，而不是 '{value}'")
        return " ".join(value.split())
    return parse


AUTHOR_SEPARATORS = re.compile(r"[、，,；;\s]+")


def _authors(value: Any) -> tuple[str, ...]:
    """One name or several (王芳，李华 / 王芳、李华 / 王芳 李华 / a list): each co-author once."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise NumberNotText("作者应是文字")
    names = value if isinstance(value, list) else [value]
    if not all(isinstance(name, str) for name in names):
        raise FieldError("作者应是姓名，或姓名的列表", "如 author: 王芳、李华")
    split = (part for name in names for part in AUTHOR_SEPARATORS.split(name))
    return tuple(dict.fromkeys(part for part in split if part))


def _entries(field_name: str, config: Config) -> Parser[tuple[Any, ...]]:
    """A list of higher adoptions (by, level, date) or instructions (leader, level, date, text)."""
    label = {"adopted_by": "上级采用", "instructions": "领导批示"}[field_name]
    keys = ENTRY_KEYS[field_name]
    required = ("by", "level") if field_name == "adopted_by" else ("leader", "level")
    example = ("- {by: 省政府办公厅《每日要情》, level: 省级, date: 2026-11-20}" if field_name == "adopted_by"
               else "- {leader: 市长, level: 市级, date: 2026-11-20, text: 批示内容}")

    def parse(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
            raise FieldError(f"{label}应是列表，每项一行", f"如 {example}")
        entries = []
        for entry in value:
            fields = {}
            for key, raw in entry.items():
                if key not in keys:
                    raise FieldError(f"{label}中未知的项 '{key}'", f"可用：{'、'.join(keys)}")
                fields[keys[key]] = raw
            missing = [k for k in required if not fields.get(k)]
            if missing:
                raise FieldError(f"{label}的每一项都要写 {'、'.join(missing)}", f"如 {example}")
            levels = tuple(config.rules.higher if field_name == "adopted_by" else config.rules.instructions)
            if str(fields["level"]) not in levels:
                raise FieldError(f"{label}的级别 '{fields['level']}' 不在计分规则中", f"可用：{'、'.join(levels)}")
            day = parse_date(fields["date"], config.zone) if fields.get("date") else None
            texts = {k: " ".join(str(v).split()) for k, v in fields.items() if k != "date"}
            entries.append((HigherAdoption if field_name == "adopted_by" else Instruction)(**texts, date=day))
        return tuple(entries)
    return parse


def choice(label: str, choices: tuple[str, ...]) -> Parser[str]:
    """Parse one of choices, written as text; for another name, hint at the closest one."""
    as_text, known = _text(label), one_of(label, choices)
    return lambda value: known(as_text(value))


def _enum(label: str, allowed: tuple[str, ...], aliases: dict[str, str]) -> Parser[str]:
    def parse(value: Any) -> str:
        name = aliases.get(str(value).strip(), str(value).strip())
        if name not in allowed:
            raise FieldError(f"{label} '{value}' 无效，可用：{'、'.join(allowed + tuple(aliases))}")
        return name
    return parse


MAX_WEIGHT = 1_000_000


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"权重应是整数，而不是 '{value}'")
    if abs(value) > MAX_WEIGHT:
        raise FieldError(f"权重应在 -{MAX_WEIGHT:,} 到 {MAX_WEIGHT:,} 之间，而不是 {value:,}",
                         "权重只用来排先后，如 -5、10")
    return value


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = re.split(r"[,，、\s]+", value)
    if not isinstance(value, list) or not all(isinstance(tag, (str, int)) and not isinstance(tag, bool)
                                              for tag in value):
        raise FieldError("标签应是文字的列表", "如 tags: [课后服务, 教育]")
    return tuple(str(tag).strip() for tag in value if str(tag).strip())


def duplicate_slugs(items: list[Item]) -> list[Diagnostic]:
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


def line_of(item: Item | Body, text: str | re.Pattern[str], start: int = 0) -> int:
    """The file line of the first body line from start on that contains text (a string or a
    pattern); else of the first body line that does; else the body's first line."""
    lines = list(enumerate(item.body.split("\n"), start=item.body_line))
    for number, line in [entry for entry in lines if entry[0] >= start] + lines:
        if (text.search(line) if isinstance(text, re.Pattern) else text in line):
            return number
    return item.body_line
