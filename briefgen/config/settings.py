"""briefgen.yaml: the bulletin's settings as a typed, validated, frozen object."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefgen.config.fields import FieldError, Fields, count, text
from briefgen.config.rules import Rules, parse_distribution, parse_rules
from briefgen.config.yamlsafe import YamlProblem, load_mapping
from briefgen.errors import ConfigError, Diagnostic, InputError, error

CONFIG_NAME = "briefgen.yaml"
PERIODS = ("week", "month")
FUTURE_DAYS_MAX = 1826  # five years: bulletin/checks reports any date further ahead than that

KNOWN_KEYS = (
    "name", "publisher", "period", "timezone", "mark", "topics", "units",
    "distribution", "copies", "editor", "signer", "numbering", "site_url",
    "future_days", "remote_hosts", "scoring", "report",
)


@dataclass(frozen=True)
class Config:
    """Settings of one bulletin repository."""

    root: Path
    name: str
    publisher: str
    topics: tuple[str, ...]
    units: tuple[str, ...]
    period: str = "week"
    timezone: str = "Asia/Shanghai"
    mark: str = ""
    distribution: tuple[tuple[str, str], ...] = ()
    copies: int | None = None
    editor: str = ""
    signer: str = ""
    first_number: int = 1
    first_total: int = 1
    site_url: str = ""
    future_days: int = 7  # how far ahead of today an item may be dated
    remote_hosts: tuple[str, ...] = ()  # hosts whose images may be loaded (e.g. the intranet's)
    rules: Rules = Rules()  # points, quotas, unit tree and officers for the statistics

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def find_root(start: Path) -> Path:
    """Walk up from start to the folder that holds briefgen.yaml, as git does."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"在 {start} 及其上级目录中找不到 {CONFIG_NAME}；"
        "请在简报仓库内运行，或用 --root 指定简报仓库的目录。"
    )


def load_config(root: Path) -> Config:
    """Read and validate root/briefgen.yaml; report every problem at once."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path} 不存在。") from None
    except UnicodeDecodeError:
        raise InputError([error(CONFIG_NAME, 1, "文件不是 UTF-8 编码", "请用 UTF-8 编码另存")]) from None
    try:
        loaded = load_mapping(text.replace("\r\n", "\n"))
    except YamlProblem as exc:
        raise InputError([error(CONFIG_NAME, exc.line, exc.message, exc.hint)]) from None
    if not isinstance(loaded.data, dict):
        raise InputError([error(CONFIG_NAME, 1, "内容应是“键: 值”形式的设置")])
    problems: list[Diagnostic] = []
    parsed = _parse(Fields(CONFIG_NAME, loaded, problems))
    if any(p.is_error for p in problems):
        raise InputError(problems)
    return Config(root=root.resolve(), **parsed)


def _parse(fields: Fields) -> dict[str, Any]:
    fields.unknown_keys(KNOWN_KEYS)
    first, first_total = _numbering(fields)
    units = _names(fields, "units")
    return dict(
        name=_required(fields, "name"),
        publisher=_required(fields, "publisher"),
        period=fields.field("period", _period, "week"),
        timezone=fields.field("timezone", _timezone, "Asia/Shanghai"),
        mark=fields.field("mark", _mark, ""),
        topics=_names(fields, "topics"),
        units=units,
        rules=parse_rules(fields, units),
        distribution=parse_distribution(fields.values.get("distribution"), "distribution", fields),
        copies=fields.field("copies", count("'copies'"), None),
        editor=fields.field("editor", text("'editor'"), ""),
        signer=fields.field("signer", text("'signer'"), ""),
        first_number=first,
        first_total=first_total,
        site_url=fields.field("site_url", text("'site_url'"), "").rstrip("/"),
        future_days=fields.field("future_days", count("'future_days'", largest=FUTURE_DAYS_MAX,
                                                      why="即 5 年：比今天晚 5 年以上的日期总是作为错误报告"), 7),
        remote_hosts=fields.field("remote_hosts", _hosts, ()),
    )


def _required(fields: Fields, key: str) -> str:
    if not fields.values.get(key):
        fields.fail(key, f"缺少必填设置项 '{key}'")
    return fields.field(key, text(f"'{key}'"), "")


def _names(fields: Fields, key: str) -> tuple[str, ...]:
    """The names listed (or the keys of a mapping); every wrong or repeated name is reported."""
    value = fields.values.get(key)
    if isinstance(value, dict):
        value = list(value)
    if not isinstance(value, list) or not value:
        fields.fail(key, f"'{key}' 应是至少包含一项的列表")
        return ()
    result: list[str] = []
    for entry in value:
        if not isinstance(entry, str) or not entry.strip():
            fields.fail(key, f"'{key}' 中的每一项都应是名称文字，'{entry}' 不是")
        elif entry.strip() in result:
            fields.fail(key, f"'{key}' 中 '{entry}' 出现了两次")
        else:
            result.append(entry.strip())
    return tuple(result)


def _period(value: Any) -> str:
    period = text("'period'")(value)
    if period not in PERIODS:
        raise FieldError(f"period 应是 week（每周一期）或 month（每月一期），而不是 '{period}'")
    return period


def _timezone(value: Any) -> str:
    zone = text("'timezone'")(value)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Asia" is a folder of zones
        raise FieldError(f"未知的时区 '{zone}'", "例如 Asia/Shanghai") from None
    return zone


def _mark(value: Any) -> str:
    mark = text("'mark'")(value)
    if any(level in mark for level in ("秘密", "机密", "绝密")):
        raise FieldError(f"报头标志“{mark}”是密级", "涉密信息不得进入本系统；内部资料可写“内部资料 注意保存”")
    return mark


def _numbering(fields: Fields) -> tuple[int, int]:
    """The first issue's number and total number."""
    numbering = fields.values.get("numbering") or {}
    if not isinstance(numbering, dict):
        fields.fail("numbering", "numbering 应包含 first（首期期号）和 first_total（首期总期号）")
        numbering = {}
    for key in numbering:
        if key not in ("first", "first_total"):
            fields.fail("numbering", f"numbering 中未知的设置项 '{key}'", "可用 first 和 first_total")
    number = count("'numbering'")
    first = fields.parse("numbering", numbering.get("first"), number, 1) or 1
    return first, fields.parse("numbering", numbering.get("first_total"), number, first) or first


def _hosts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise FieldError("remote_hosts 应是主机名的列表，如 [oa.example.gov.cn]")
    return tuple(v.strip().lower() for v in value)
